"""AE404 ce-marking: sold in the EU, in CE scope, and the listing shows no CE evidence.

What it does:
    Runs only when `markets` includes the EU ("EU" or an EU member state code such as "FR", "DE"). Finds
    products in CE scope from the title and category (words from `ce_scope.toml`: toys, electrical and
    electronic equipment, radio equipment, personal protective equipment, machinery, medical devices) and
    reports those whose listing shows no CE evidence.

    CE evidence is any of, in the title, the description or any SKU attribute value (a "Certification"
    column mapped to `attr:Certification` in [columns] is the usual place):
    - "CE" as a separate upper-case token: "CE", "CE/FCC/RoHS", "CE-certified", "Certification: CE";
    - a CE phrase in any case: "CE mark(ing)", "CE certified/certificate/certification/approved/compliant",
      "marquage CE", "conformité CE", "marcado CE", "EU/EC declaration of conformity",
      "déclaration (UE) de conformité".
    A lower-case "ce" is not evidence (it is French for "this"), and neither is a bare "CE" in a text written
    mostly in capitals ("CE PRODUIT EST..."): there only the phrases count. The rule cannot see the
    certificate uploaded on AliExpress's qualification portal; a seller who has uploaded it and does not
    want to repeat it in the listing can ignore AE404 for those rows.

    Not in scope: pet toys, sex toys (AE401), costume helmets, an "electric blue" dress, a passive USB cable,
    accessories ("Phone Case", "Camera Bag", "Smart Watch Strap").

Why is this bad:
    Seller FAQ 34: the CE marking must be affixed to products covered by EU product legislation before they
    can be sold in the EU, and since December 2021 AliExpress asks for the CE qualification on the product
    publication page for these categories. Without it the product is blocked for EU buyers.

Example:
    With markets = ["FR"], "Wireless Bluetooth Earbuds with Charging Case" and no "CE" anywhere fires;
    the same listing with "Certification: CE" in its description does not. With markets = ["US"] nothing
    fires.

Options:
    markets (list of market codes, default []): where the catalog sells; the rule is off without an EU
    market.
    lists.ce_scope: extra term files in the format of `ce_scope.toml`.

Source: seller FAQ 34; EU New Legislative Framework (Directives 2009/48/EC, 2014/35/EU, 2014/30/EU,
2014/53/EU, 2006/42/EC; Regulations 2016/425, 2017/745).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from pydantic import BaseModel, ConfigDict

from aelint.text import TEXT_CACHE_SIZE
from aelint.checks._compliance import finder_for, finder_prefilter, eu_markets, find_in_product
from aelint.i18n import _
from aelint.model import Problem, Product

CODE = "AE404"
NAME = "ce-marking"
SEVERITY = "warning"
LIST_NAME = "ce_scope"

CE_TOKEN_RE = re.compile(r"(?<![^\W_])CE(?![^\W_])")
CE_END_RE = re.compile(r"[Cc][Ee]\b")  # scans fast; the character before is checked in Python
CE_PHRASE_RE = re.compile(
    r"\bce[\s-]*(?:mark|marking|marked|certified|certificate|certification|approved|compliant|conformity)\b"
    r"|\b(?:marquage|conformit[eé]|marcado|certificado|certificat|certificate|certification)\s+ce\b"
    r"|\b(?:eu|ec|ue|ce)\s+declaration\s+of\s+conformity\b|\bdeclaration\s+of\s+conformity\b"
    r"|\bd[eé]claration\s+(?:ue\s+|ce\s+)?de\s+conformit[eé]\b",
    re.IGNORECASE)


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)  # validator built on first use
    markets: list[str] = []
    extra_lists: list[str] = []


def _mostly_capitals(value: str) -> bool:
    letters = [c for c in value if c.isalpha()]
    return len(letters) >= 20 and sum(c.isupper() for c in letters) > 0.6 * len(letters)


def _has_ce_word(value: str) -> bool:
    """Cheap first look: "ce" as a word in any case ("piece", "service" end in "ce" but are not it)."""
    for match in CE_END_RE.finditer(value):
        start = match.start()
        if start == 0 or not (value[start - 1].isalnum() or value[start - 1] == "_"):
            return True
    return False


@lru_cache(maxsize=TEXT_CACHE_SIZE)
def has_ce_evidence(value: str) -> bool:
    """Whether a text states the CE marking (see the docstring for what counts)."""
    if not _has_ce_word(value) and "onformit" not in value and "ONFORMIT" not in value:
        return False
    if CE_PHRASE_RE.search(value):
        return True
    return bool(CE_TOKEN_RE.search(value)) and not _mostly_capitals(value)


def listing_has_ce_evidence(product: Product) -> bool:
    if has_ce_evidence(product.title) or has_ce_evidence(product.description_text):
        return True
    return any(has_ce_evidence(cell.value) for cell in product.attribute_values)


def check_product(product: Product, options: Options) -> Iterator[Problem]:
    markets = eu_markets(options.markets)
    if not markets:
        return
    found = find_in_product(product, finder_for(LIST_NAME, tuple(options.extra_lists), parts=False))
    if not found or listing_has_ce_evidence(product):
        return
    first = found[0]
    yield Problem(_('sold in the EU ({markets}) and in CE scope: {category} ("{phrase}"), but the listing shows no '
                    'CE marking: state it (e.g. "Certification: CE") and upload the CE certificate on the '
                    "publication page (FAQ 34)").format(markets=", ".join(markets), category=_(first.entry.category),
                                                        phrase=first.phrase),
                  product, cell=product.cell(first.field))


def prefilter(table, options: Options):
    """Nothing fires without an EU market; then only a title or category holding a term's first word is in
    CE scope."""
    import polars as pl

    if not eu_markets(options.markets):
        return pl.lit(False)
    return finder_prefilter(table, finder_for(LIST_NAME, tuple(options.extra_lists), parts=False))
