"""The HTML report (`--format html`): one self-contained page a seller opens by double-click.

The page holds its data as JSON and draws one page of products at a time in the browser, so a 100k-row
catalog's report opens in seconds. Nothing is fetched: the styles and the script are inline, a
Content-Security-Policy forbids any other source (the script is allowed by its hash, so text smuggled into
the page could not run even if it escaped), and thumbnails are small JPEGs embedded as data: URIs, made
once per image file, only for local JPEG/PNG files the image probe resolved inside the catalog's image folder.
Catalog text reaches the page only through JSON (with `<` escaped) and the DOM's textContent.
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import json
import os
import warnings
from collections import Counter
from importlib import resources
from pathlib import Path

from aelint import __version__
from aelint.engine import Report
from aelint.fixer import can_fix
from aelint.i18n import N_, _, current_language, plural_forms, severity_label, translate_doc, translate_summary
from aelint.model import IMAGE_FIELDS, Catalog, Product
from aelint.registry import load_checks

THUMB_SIDE = 96            # pixels, longest side
MAX_THUMBS = 1500          # image files embedded per report
MAX_THUMBS_PER_PRODUCT = 3
MAX_SOURCE_BYTES = 20_000_000
MAX_SOURCE_PIXELS = 40_000_000
SEVERITIES = ("error", "warning", "info")
HTML_LANG = {"en": "en", "zh": "zh-CN", "ru": "ru"}  # the page's lang attribute (fonts, line breaking, hyphens)


# The page's fixed texts (the script looks them up by their English and fills in {names}).
PAGE_TEXTS = (
    N_("aelint report"), N_("By rule"), N_("Rule"), N_("Name"), N_("Severity"), N_("Findings"), N_("What it means"),
    N_("Products"), N_("All rules"), N_("Search titles, product ids, SKUs, messages"), N_("Rules explained"),
    N_("Whole file"), N_("\u2190 Previous"), N_("Next \u2192"), N_(" [fixable]"),
    N_("Errors will get a listing rejected or penalised; warnings hurt review or ranking and should be fixed; "
       "info is advice."),
    N_("{count} fixed in the corrected copy."),
    N_("{count} can be fixed automatically: run aelint with --fix to get a corrected copy."),
    N_("{known} known findings hidden by the baseline; {resolved} fixed since the baseline."),
    N_("Could not read: {failure}"), N_("row {row}"), N_("column {column}"), N_("Product {product}"),
    N_("Fix: \u201c{value}\u201d"), N_("Page {page} of {pages}"), N_("{products}, {findings} shown"),
)


def page_texts() -> dict:
    """The page's fixed texts and severity names in the run's language, keyed by their English."""
    texts = {text: _(text) for text in PAGE_TEXTS}
    texts.update({severity: severity_label(severity) for severity in SEVERITIES})
    return texts


def page_plurals() -> dict:
    """Counted texts, each with its forms by plural category (see aelint.i18n.plural_forms)."""
    return {"product": plural_forms("{n} product", "{n} products"), "row": plural_forms("{n} row", "{n} rows"),
            "file": plural_forms("{n} file", "{n} files"), "finding": plural_forms("{n} finding", "{n} findings"),
            "error": plural_forms("{n} error", "{n} errors"), "warning": plural_forms("{n} warning", "{n} warnings"),
            "info": plural_forms("{n} info", "{n} info")}


def render_html(report: Report) -> str:
    """The report as one HTML page (products come from `report.catalogs` when the engine kept them)."""
    data = page_data(report)
    script = resources.files("aelint").joinpath("html_report.js").read_text(encoding="utf-8")
    style = resources.files("aelint").joinpath("html_report.css").read_text(encoding="utf-8")
    script_hash = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
    style_hash = base64.b64encode(hashlib.sha256(style.encode("utf-8")).digest()).decode()
    policy = (f"default-src 'none'; img-src data:; style-src 'sha256-{style_hash}'; "
              f"script-src 'sha256-{script_hash}'; base-uri 'none'; form-action 'none'")
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    payload = payload.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    title = _("aelint report")
    needs_script = _("This report needs JavaScript to show its {count} findings.").format(count=len(report.diagnostics))
    if report.linted_paths:
        title += ": " + ", ".join(report.linted_paths[:3]) + (" ..." if len(report.linted_paths) > 3 else "")
    return (
        f"<!DOCTYPE html>\n<html lang=\"{data['lang']}\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<meta http-equiv=\"Content-Security-Policy\" content=\"{policy}\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<title>{html.escape(title)}</title>\n<style>{style}</style>\n</head>\n<body>\n"
        f"<noscript>{html.escape(needs_script)}</noscript>\n"
        f"<script id=\"aelint-data\" type=\"application/json\">{payload}</script>\n"
        f"<script>{script}</script>\n</body>\n</html>\n"
    )


def page_data(report: Report) -> dict:
    """Everything the page shows, as plain JSON-able data (compact lists for the bulk)."""
    checks = {c.code: c for c in load_checks()}
    counts = Counter(d.code for d in report.diagnostics)
    names = {d.code: d.rule for d in report.diagnostics}
    severities: dict[str, set[str]] = {}
    for d in report.diagnostics:
        severities.setdefault(d.code, set()).add(d.severity)
    fixable = [d for d in report.diagnostics if d.fix is not None and can_fix(Path(d.path))]
    fixable_codes = {d.code for d in fixable}
    rules = {}
    for code in sorted(counts):
        check = checks.get(code)
        rules[code] = {
            "name": names[code],
            "severity": ", ".join(s for s in SEVERITIES if s in severities[code]),
            "summary": translate_summary(check.summary) if check else "",
            "doc": (translate_doc(check.code, check.name, check.doc) + "\n\n"
                    + _("Default severity: {severity}").format(severity=severity_label(check.severity))) if check else "",
            "count": counts[code],
            "fixable": code in fixable_codes,
        }
    files: list[str] = []
    file_index: dict[tuple[str, str | None], int] = {}
    strings: dict[str, int] = {}
    products, thumbs = _products(report, files, file_index, strings)
    return {
        "tool": {"name": "aelint", "version": __version__},
        "lang": HTML_LANG.get(current_language(), "en"),
        "text": page_texts(),
        "plural": page_plurals(),
        "summary": {"files": report.files, "products": report.products, "rows": report.rows,
                    **{s: report.count(s) for s in SEVERITIES},
                    "fixable": len(fixable),
                    "fixed": report.fixed, "baseline_known": report.baseline_known,
                    "baseline_resolved": report.baseline_resolved,
                    "failures": [str(failure) for failure in report.failures]},
        "rules": rules,
        "files": files,
        "thumbs": thumbs,
        "strings": list(strings),
        "products": products,
    }


def _products(report: Report, files: list[str], file_index: dict, strings: dict[str, int]
              ) -> tuple[list[list], list[str]]:
    """One entry per product with findings (and one per file for findings on no product):
    [file index, product id, title, row, [thumbnail indexes], [[code, severity, row, column, field, message,
    sku, fixed value or null], ...]]; column, field and message are indexes into `strings` (a 100k-row
    catalog repeats a few thousand messages hundreds of thousands of times)."""
    def intern(text: str) -> int:
        return strings.setdefault(text, len(strings))

    by_row: dict[tuple[str, str | None, int], tuple[int, Product]] = {}
    for catalog in report.catalogs:
        for product in catalog.products:
            for row in (product.row, *product.later_rows.values(), *(s.row for s in product.skus)):
                by_row.setdefault((catalog.path, catalog.sheet, row), (id(product), product))
    thumbs = _Thumbnails(report.catalogs)
    entries: dict[object, list] = {}
    for d in report.diagnostics:
        where = (d.path, d.sheet)
        if where not in file_index:
            file_index[where] = len(files)
            files.append(d.path + (f" [{d.sheet}]" if d.sheet else ""))
        found = by_row.get((d.path, d.sheet, d.row)) if d.row is not None else None
        key = (where, found[0]) if found else (where, d.product_id if d.product_id else None)
        entry = entries.get(key)
        if entry is None:
            if found:
                product = found[1]
                entry = [file_index[where], product.values.get("product_id", ""), product.title, product.row,
                         thumbs.for_product(product), []]
            else:
                entry = [file_index[where], d.product_id or "", "", d.row if d.product_id else None, [], []]
            entries[key] = entry
        entry[5].append([d.code, SEVERITIES.index(d.severity), d.row, intern(d.column or ""), intern(d.field or ""),
                         intern(d.message), d.sku_code or "", d.fix.value if d.fix is not None else None])
    return list(entries.values()), thumbs.data


class _Thumbnails:
    """Small JPEG data URIs of a product's first images, one per image file, capped in number."""

    def __init__(self, catalogs: list[Catalog]):
        self.facts = {}
        for catalog in catalogs:
            for ref, facts in catalog.images.items():
                self.facts.setdefault((catalog.path, ref), facts)
        self.catalog_of: dict[int, str] = {id(p): c.path for c in catalogs for p in c.products}
        self.index: dict[str, int | None] = {}  # resolved file -> thumbnail index (None: none possible)
        self.data: list[str] = []

    def for_product(self, product: Product) -> list[int]:
        path = self.catalog_of.get(id(product), product.catalog.path)
        found = []
        for name in IMAGE_FIELDS:
            cells = product.image_cells(name) if name != "variant_image" else [
                s.cell(name) for s in product.skus if s.values.get(name)]
            for cell in cells:
                facts = self.facts.get((path, cell.value))
                number = self._thumbnail(facts) if facts is not None else None
                if number is not None and number not in found:
                    found.append(number)
                if len(found) >= MAX_THUMBS_PER_PRODUCT:
                    return found
        return found

    def _thumbnail(self, facts) -> int | None:
        source = facts.source
        # Only local files the probe read as JPEG/PNG inside the image folder (it records the resolved path).
        if facts.status != "ok" or facts.format not in ("JPEG", "PNG") or not os.path.isabs(source):
            return None
        if source in self.index:
            return self.index[source]
        self.index[source] = None
        if len(self.data) >= MAX_THUMBS:
            return None
        uri = _thumbnail_uri(source, facts.format)
        if uri is not None:
            self.index[source] = len(self.data)
            self.data.append(uri)
        return self.index[source]


def _thumbnail_uri(source: str, image_format: str) -> str | None:
    from PIL import Image

    try:
        # The probe recorded the resolved path; a link or non-file put there since is not followed.
        if (os.path.realpath(source) != source or not os.path.isfile(source)
                or os.path.getsize(source) > MAX_SOURCE_BYTES):
            return None
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(source, formats=[image_format]) as image:
                if image.width * image.height > MAX_SOURCE_PIXELS:
                    return None
                image.draft("RGB", (THUMB_SIDE, THUMB_SIDE))
                image.thumbnail((THUMB_SIDE, THUMB_SIDE))
                if image.mode != "RGB":
                    background = Image.new("RGB", image.size, (255, 255, 255))
                    rgba = image.convert("RGBA")
                    background.paste(rgba, mask=rgba.getchannel("A"))
                    image = background
                out = io.BytesIO()
                image.save(out, "JPEG", quality=70, optimize=True)
    except (OSError, ValueError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        return None
    return "data:image/jpeg;base64," + base64.b64encode(out.getvalue()).decode("ascii")
