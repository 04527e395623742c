"""AE508 invalid-sku-code: a SKU code AliExpress does not accept.

What it does:
    Reports SKU codes longer than `sku_code_max_length` characters (20), or containing spaces (or other
    white space), `<`, `>` or non-ASCII characters (accented letters, Chinese characters, full-width
    forms, a non-breaking space). When the only fault is space around the code, it offers the trimmed
    code as a safe fix.

Why is this bad:
    AliExpress's product API limits `sku_code` to 20 characters without spaces or angle brackets; a
    longer or malformed code makes the upload of the whole product fail. Non-ASCII characters are easily
    mangled between spreadsheet encodings, so the code no longer matches the seller's system.

Example:
    "MUG 350 WHITE" (spaces), "<MUG350>", "MUG-350-WHITE-CERAMIC-GIFT" (26 characters) and "杯子-01" fire;
    "MUG-350_WHT.v2" does not; " MUG-350 " fires with the fix "MUG-350".

Options:
    thresholds.sku_code_max_length (int, default 20): the longest SKU code allowed. Where the AliExpress
    template's hint row states its own limit ("No more than 50 characters"), that limit is used: the
    template is the channel the file is uploaded through.

Source: AliExpress product API `sku_code` (at most 20 characters, no spaces, no < or >); the Seller Center
template's hint row (shared/spec/layouts.md: SKU "No more than 50 characters").
"""

import re
from collections.abc import Iterator

from pydantic import BaseModel, ConfigDict

from aelint.i18n import _
from aelint.model import Fix, Problem, Product

CODE = "AE508"
NAME = "invalid-sku-code"
SEVERITY = "warning"
PLAIN_RE = re.compile(r"[!-;=?-~]+")  # printable ASCII without space, '<' and '>'


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)  # validator built on first use
    sku_code_max_length: int = 20


def faults(code: str, max_length: int) -> list[str]:
    """What is wrong with a SKU code, in words; empty when nothing is."""
    found = []
    if len(code) > max_length:
        found.append(_("is {length} characters long (at most {most})").format(length=len(code), most=max_length))
    if any(ch.isspace() for ch in code):
        found.append(_("contains spaces"))
    brackets = sorted({ch for ch in code if ch in "<>"})
    if brackets:
        found.append(_("contains {characters}").format(characters=_(" and ").join(repr(ch) for ch in brackets)))
    if not code.isascii():
        odd = "".join(dict.fromkeys(ch for ch in code if not ch.isascii() and not ch.isspace()))
        if odd:
            found.append(_("contains non-ASCII characters ({characters})").format(characters=odd[:10]))
    return found


def check_product(product: Product, options: Options) -> Iterator[Problem]:
    stated = product.catalog.limits.get("sku_code", (None, None))[1]
    limit = int(stated) if stated else options.sku_code_max_length
    for sku in product.skus:
        code = sku.values.get("sku_code")
        if not code or (len(code) <= limit and PLAIN_RE.fullmatch(code)):
            continue  # the common case, decided without building messages
        if not code.strip():
            continue  # blank: AE502
        found = faults(code, limit)
        if not found:
            continue
        trimmed = code.strip()
        fix = Fix("sku_code", trimmed) if trimmed != code and not faults(trimmed, limit) else None
        if fix:
            found = [_("has spaces around it")]
        yield Problem(_("SKU code {code} {problems}").format(code=repr(code), problems=_("; ").join(found)),
                      product, sku=sku, cell=sku.cell("sku_code"), fix=fix)


def prefilter(table, options: Options):
    """Only a SKU code that is not plain printable ASCII within the length limit can be reported."""
    stated = table.catalog.limits.get("sku_code", (None, None))[1]
    limit = int(stated) if stated else options.sku_code_max_length
    code = table.sku_text("sku_code")
    plain = code.str.contains(r"^[!-;=?-~]+$") & (code.str.len_chars() <= limit)
    return table.products_with((code != "") & ~plain)
