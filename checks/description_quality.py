"""AE604 description-quality: the description is missing or too short to describe the product.

What it does:
    Measures the visible text of each product's description (HTML tags dropped, entities decoded, spaces
    collapsed) and reports a description that is empty, shorter than `description_min_length` characters,
    or nothing but the title again. A description made only of images is reported too (images carry no
    text buyers can search, translate or read on a slow connection), and the message says it has images.
    When the catalog has no description column at all, that is said once for the file. Where the
    marketplace requires a description (Wish), an empty or absent one is AE602's error, never AE604's,
    whether or not AE602 is selected (one rule per finding). Descriptions in other languages' columns
    ("Description (Russian)") are measured too, each at its own column.

    The default of 100 characters is about two plain sentences: the shortest real supplier descriptions
    seen in the dropshipping and Shopify samples are 116-250 characters, and a description under 100 is
    a fragment ("Good quality, fast shipping.").

Why is this bad:
    The product diagnostic center flags "low description quality" (seller FAQ 45) and FAQ 26 asks for
    descriptions that "give a lot of details": a bare description lowers conversion, and with it the
    traffic AliExpress's ranking gives the product.

Example:
    "<p>High quality.</p>" fires (13 characters). A paragraph on material, size and use of 100 or more
    characters does not.

Options:
    thresholds.description_min_length (int, default 100): the fewest characters of visible text.
    description_required (bool): the marketplace requires a description (set by its profile; Wish).

Source: seller FAQ 26, FAQ 45.
"""

import re
from collections.abc import Iterator

from pydantic import BaseModel, ConfigDict, Field

from aelint.i18n import _, ngettext
from aelint.facts import whole
from aelint.model import Catalog, Problem, Product
from aelint.text import TAG_RE

CODE = "AE604"
NAME = "description-quality"
SEVERITY = "warning"

IMG_RE = re.compile(r"<\s*img\b", re.IGNORECASE)


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)  # validator built on first use
    description_min_length: int = Field(100, ge=0)
    description_required: bool = False  # set by the profile (Wish): AE602 then reports an empty description


def _descriptions(products: list[Product]) -> Iterator[Product]:
    """Each product, then its descriptions in other languages' columns (each judged where it stands)."""
    for product in products:
        yield product
        yield from (view for view in product.views() if "description" in view.columns)


class Collector:
    """Each description is judged as it passes; a missing column is one finding at the end."""

    def __init__(self, catalog: Catalog, options: Options):
        self.options = options
        self.has_column = "description" in catalog.columns

    def add(self, products: list[Product]) -> Iterator[Problem]:
        return _judge(products, self.options) if self.has_column else iter(())

    def add_table(self, table) -> Iterator[Problem]:
        """`add` on the products whose description may fire (`may_fire`) and those with other texts."""
        if not self.has_column:
            return iter(())
        products = table.products
        chosen = products["index"].filter(may_fire(table, self.options) | (products["views"] > 0))
        return _judge([table.product(index) for index in chosen], self.options)

    def finish(self) -> Iterator[Problem]:
        if not self.has_column and not self.options.description_required:  # else AE602 reports it
            yield Problem(_("the catalog has no description column: every product needs a description "
                            "(map a header with [columns] in aelint.toml if it has another name)"))


def check(catalog: Catalog, options: Options) -> Iterator[Problem]:
    return whole(Collector, catalog, options)


# html.unescape's own pattern of a character reference (html._charref): what decoding may replace.
CHARACTER_REFERENCE = r"&(?:#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?)"


def may_fire(table, options: Options):
    """Per product of `table.products` (a polars Series), false only where the description is sure to pass:
    its visible text has at least `description_min_length` characters and more than the title could have.

    The text is measured from below: what is left of the description once `strip_html`'s tags and every
    character reference it could decode are taken out, not counting spaces (Python's, `PYTHON_SPACE`), all
    stays in the text. The title could equal the text only with as many characters as its `casefold()`:
    its own length for ASCII, at most three times that beyond (no character folds to more than three).

    Most descriptions pass on their first characters: each is measured on its first `_cut` characters first,
    and whole only where that was not enough (`_visible_from_below`).
    """
    import polars as pl

    title = table.text("title").str.len_chars()
    least = options.description_min_length
    frame = table.products.select(table.text("description").alias("description"),
                                  pl.when(table.ascii("title")).then(title).otherwise(3 * title).alias("title")
                                  ).with_columns(_cut(least, pl.col("title")).alias("cut"))
    longer = frame["description"].str.len_chars() > frame["cut"]
    start = frame.select(pl.col("description").str.slice(0, pl.col("cut"))).to_series()
    fires = _short(_each_distinct(_visible_from_below, start, longer), frame["title"], least)
    again = fires & longer  # too short at the start of a longer text: measured whole
    if again.any():
        at = again.arg_true()
        whole_text = frame["description"].gather(at)
        fires = fires.scatter(at, _short(_visible_from_below(whole_text, pl.repeat(False, len(at), eager=True)),
                                         frame["title"].gather(at), least))
    return fires


def _cut(least: int, folded_title):
    """How many characters of a description are measured first (a polars expression, per product): twice
    what its visible text needs to pass (at least `least`, more than the title may have), room for tags and
    spaces; at least 64."""
    import polars as pl

    return pl.max_horizontal(pl.lit(max(64, 2 * least)), 2 * folded_title)


def _short(visible, folded_title, least: int):
    """Whether a text this visible may fire: too short, or no longer than the title may be."""
    return (visible < least) | (visible <= folded_title)


def _each_distinct(measure, texts, cut):
    """`measure(texts, cut)` worked out once per distinct (text, cut) pair: descriptions made from a
    supplier's template often start alike (4.6x fewer distinct starts than products in the generated
    catalogs). When most pairs are distinct, all are measured as they are."""
    import polars as pl

    first = pl.DataFrame({"text": texts, "cut": cut}).with_row_index("at").select(
        pl.col("at").first().over("text", "cut")).to_series()  # each pair's first place
    distinct = (first == pl.int_range(len(first), dtype=first.dtype, eager=True)).arg_true()
    if len(distinct) > 0.75 * len(first):
        return measure(texts, cut)
    measured = measure(texts.gather(distinct), cut.gather(distinct))
    return pl.repeat(0, len(first), dtype=measured.dtype, eager=True).scatter(distinct, measured).gather(first)


def _visible_from_below(texts, cut):
    """Per text, `may_fire`'s count of its visible characters; where `cut` is true the text is the start of a
    longer one, and the count is no more than the longer text's: a tag or character reference that the cut
    broke is taken out too (the start of a tag: from its '<' on; what is left of a reference: '&', '&#',
    '&#x'), so every character counted here is counted in the whole text, at the same place."""
    import polars as pl

    from aelint.table import PYTHON_SPACE

    text = texts.str.replace_all(TAG_RE.pattern, " ")  # then a '<' left has no '>' after it: a broken tag
    text = pl.select(pl.when(cut).then(text.str.splitn("<", 2).struct.field("field_0")).otherwise(text)).to_series()
    text = text.str.replace_all(CHARACTER_REFERENCE, "")
    text = pl.select(pl.when(cut).then(text.str.replace(r"&(?:#[xX]?)?$", "")).otherwise(text)).to_series()
    spaces = text.str.count_matches(" ", literal=True) + text.str.count_matches(f"[{PYTHON_SPACE}&&[^ ]]")
    return text.str.len_chars() - spaces  # (literal spaces counted apart: the regex is slow on many matches)


def _judge(products: list[Product], options: Options) -> Iterator[Problem]:
    empty_is_reported = options.description_required  # by AE602 (missing-required-field)
    least = options.description_min_length
    for product in _descriptions(products):
        raw = product.get("description")
        text = product.description_text
        cell = product.cell("description")
        if not raw.strip():
            if not empty_is_reported:
                yield Problem(_("description is empty"), product, cell=cell)
            continue
        if len(text) >= least and text.casefold() != product.title.strip().casefold():
            continue
        images = len(IMG_RE.findall(raw))
        shown = ngettext(" and {count} image", " and {count} images", images).format(count=images) if images else ""
        if text and text.casefold() == product.title.strip().casefold():
            yield Problem(_("description only repeats the title{images}: describe material, size and use").format(
                          images=shown),
                          product, cell=cell)
        else:
            yield Problem(_("description has {length} characters of text{images} (at least {least} expected): "
                            "describe material, size and use").format(length=len(text), images=shown, least=least),
                          product, cell=cell)
