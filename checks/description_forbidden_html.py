"""AE605 description-forbidden-html: the description has HTML the marketplace refuses (any HTML on Wish).

What it does:
    On AliExpress (`description_html = "limited"`), looks for elements AliExpress does not allow in a description: script, iframe, frame, style, form and
    form controls (input, button, select, textarea), object, embed and applet; inline event handlers
    (onclick=...) and javascript: URLs. It also reports links (href of a, area and link elements, form
    actions) to anything other than an AliExpress site: another shop, a mailto: or tel: address. Links to
    aliexpress.com (and its country sites and subdomains), relative links and #anchors are fine. Images
    (img src on a CDN) are not links. Everything found in one description is reported together.

    Benign look-alikes: a style="..." attribute is not a style element; words such as "form" or "script"
    in the text ("manuscript", "Form-fitting") are not tags.

    On Wish (`description_html = "none"`), reports any HTML element in the description ("<p>", "<br>",
    "<b>"), naming the first few tags: Wish takes plain text, with new lines as line breaks. Text that
    only looks like markup ("size < 5 cm", "<3") has no tag and does not fire.

Why is this bad:
    The product API accepts description HTML but only links to aliexpress.com; scripts, frames, styles
    and forms are stripped or make the upload fail, and links that lead buyers off AliExpress count as
    "incitement to offline commerce" (seller FAQ 65). Wish's API documents the description as plain
    text, no HTML (merchant FAQ 1260805100070): tags are shown to buyers as written.

Example:
    '<p>Soft cotton</p><script src="x.js"></script><a href="https://myshop.example">More</a>' fires
    (a script element, a link to myshop.example). '<a href="https://www.aliexpress.com/store/123">Our
    store</a>' does not. On Wish, "<p>Soft cotton</p>" fires; "Soft cotton, size < 5 cm" does not.

Options:
    description_html ("limited" or "none"): set by the marketplace profile (AliExpress "limited",
    Wish "none").

Source: AliExpress product API description rules; seller FAQ 65; Wish API docs and merchant FAQ
1260805100070 (description: plain text, no HTML).
"""

import re
from collections.abc import Iterator
from typing import Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict

from aelint.i18n import _
from aelint.model import Problem, Product

CODE = "AE605"
NAME = "description-forbidden-html"
SEVERITY = "error"

FORBIDDEN_TAGS = ("script", "iframe", "frameset", "frame", "style", "form", "input", "button", "select", "textarea",
                  "object", "embed", "applet")
FORBIDDEN_RE = re.compile(r"<\s*(" + "|".join(FORBIDDEN_TAGS) + r")\b", re.IGNORECASE)
TAG_RE = re.compile(r"<\s*([a-zA-Z][a-zA-Z0-9]*)\b([^>]*)>?")
ELEMENT_RE = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)(?:\s[^<>]*)?/?>")
ATTR_RE = re.compile(r"""\b([a-zA-Z_:][-a-zA-Z0-9_:.]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
LINK_ATTRS = {"href", "action", "formaction"}
ALIEXPRESS_RE = re.compile(r"(?:^|\.)aliexpress\.(?:com|us|ru|es|fr|de|it|nl|pl|pt|co\.kr|com\.br)$")


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)  # validator built on first use
    description_html: Literal["limited", "none"] = "limited"
    marketplace_name: str = "AliExpress"


def _off_aliexpress(url: str) -> str | None:
    """What a link leads to when it leaves AliExpress ('myshop.example', 'mailto:'), else None."""
    url = url.strip()
    if not url or (url.startswith(("#", "/", "?", "./", "../")) and not url.startswith("//")):
        return None
    if not (url.startswith("//") or "://" in url or ":" in url.split("/")[0]):
        url = "//" + url  # "www.myshop.example/x": a host without a scheme
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme and scheme not in ("http", "https"):
        return f"{scheme}:"
    host = (parts.hostname or "").lower()
    if not host or ALIEXPRESS_RE.search(host):
        return None
    return host


def findings(html: str) -> list[str]:
    """What is forbidden in a description, in order, each thing once."""
    found: dict[str, None] = {}
    for match in FORBIDDEN_RE.finditer(html):
        found[f"<{match[1].lower()}>"] = None
    for match in TAG_RE.finditer(html):
        for attr in ATTR_RE.finditer(match[2]):
            name = attr[1].lower()
            value = attr[2] if attr[2] is not None else attr[3] if attr[3] is not None else attr[4]
            if name.startswith("on") and len(name) > 2:
                found[_("an {attribute}= event handler").format(attribute=name)] = None
            elif value.strip().lower().startswith("javascript:"):
                found[_("a javascript: URL")] = None
            elif name in LINK_ATTRS:
                target = _off_aliexpress(value)
                if target:
                    found[_("a {scheme} link").format(scheme=target) if target.endswith(":")
                          else _("a link to {host}").format(host=target)] = None
    return list(found)


def check_product(product: Product, options: Options) -> Iterator[Problem]:
    html = product.get("description")
    if "<" not in html:
        return
    if options.description_html == "none":
        tags = list(dict.fromkeys(f"<{m[1].lower()}>" for m in ELEMENT_RE.finditer(html)))
        if tags:
            yield _html_problem(product, _shown(tags), options)
        return
    found = findings(html)
    if found:
        yield Problem(_("description has {found}: AliExpress allows no scripts, frames, styles or forms, and links "
                        "only to aliexpress.com").format(found=", ".join(found)),
                      product, cell=product.cell("description"))


def _shown(tags: list[str]) -> str:
    return ", ".join(tags[:5]) + (", ..." if len(tags) > 5 else "")


def _html_message() -> str:
    return _("description has HTML ({tags}): {marketplace} takes plain text only, with new lines for line breaks")


def _html_problem(product: Product, shown: str, options: Options) -> Problem:
    return Problem(_html_message().format(tags=shown, marketplace=options.marketplace_name), product,
                   cell=product.cell("description"))


def check_table(table, options: Options) -> Iterator[Problem]:
    """Over the description column. Where only plain text is taken, every description with an element tag
    is reported: polars finds the tags (ELEMENT_RE with Python's spaces; Rust's leftmost-first matching
    finds what Python's finditer finds) and names the first five distinct. Elsewhere, `suspects` keeps
    the descriptions check_product must judge."""
    import polars as pl

    from aelint.table import PYTHON_SPACE

    products = table.catalog.products
    html = table.text("description")
    if options.description_html != "none":
        for index in suspects(table):
            yield from check_product(products[index], options)
        return
    element = ELEMENT_RE.pattern.replace(r"(?:\s", f"(?:[{PYTHON_SPACE}]")
    names = pl.element().str.extract("^</?([a-zA-Z0-9]+)", 1).str.to_lowercase()
    distinct = pl.col("names")
    shown = (distinct.list.head(5).list.eval(pl.lit("<") + pl.element() + pl.lit(">")).list.join(", ")
             + pl.when(distinct.list.len() > 5).then(pl.lit(", ...")).otherwise(pl.lit("")))
    found = (table.products.lazy()
             .select("index", html.str.extract_all(element).list.eval(names).list.unique(maintain_order=True)
                     .alias("names"))
             .filter(distinct.list.len() > 0).select("index", shown).collect())
    message = _html_message()
    for index, tags in found.iter_rows():
        product = products[index]
        yield Problem(message.format(tags=tags, marketplace=options.marketplace_name), product,
                      cell=product.cell("description"))


def suspects(table) -> list[int]:
    """The products (`index`) whose description may hold a forbidden tag or attribute: a forbidden tag's name
    after '<', an on...= attribute, 'javascript:', or an href/action attribute (with Python's case folds and
    spaces), and a '<' (check_product reads no description without one). The attribute searches run only
    over the descriptions with a '=' (most have none), the '<' is looked for in the few found."""
    import polars as pl

    from aelint.table import PYTHON_SPACE, ignoring_case

    space = f"[{PYTHON_SPACE}]*"
    tags = "|".join(ignoring_case(tag) for tag in FORBIDDEN_TAGS)
    html = pl.col("html").str
    texts = table.products.select("index", table.text("description").alias("html"))
    # one search each: Rust finds each fast by its literals, where their alternation took 3x as long
    marked = texts.filter(html.contains(f"<{space}(?:{tags})") | html.contains(ignoring_case("javascript:")))
    attributes = texts.filter(html.contains("=", literal=True)).filter(
        html.contains(f"{ignoring_case('on')}[-a-zA-Z0-9_:.]+{space}=")
        | html.contains(f"(?:{ignoring_case('href')}|{ignoring_case('action')}){space}="))
    found = pl.concat([marked, attributes]).filter(html.contains("<", literal=True))
    return found["index"].unique().sort().to_list()
