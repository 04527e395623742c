"""Shared by AE201 prohibited-item and AE202 recalled-item: find a term pack's entries in a product's text.

Both rules scan the same three places (title, description text, variant attribute values) with a
`TextScanner` built once per pack (built-in pack plus the user's `[lists]` files) and cached; a match
overlapped by a benign phrase of the same category ("tea cup" over "tea") is dropped.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterator
from functools import lru_cache

from aelint.i18n import _
from aelint.model import Cell, Problem, Product
from aelint.ruledata import RuleDataError, TermEntry, load_terms
from aelint.terms import TextMatch, TextScanner

Value = tuple[str, object]  # ("term", TermEntry) or ("benign", category)


@lru_cache(maxsize=16)
def scanner_for(pack: str, extra_files: tuple[str, ...] = ()) -> TextScanner[Value]:
    """The scanner for a pack and the user's extra files, built once per run."""
    phrases: list[tuple[str, Value]] = []
    benign: list[tuple[str, Value]] = []
    for entry in load_terms(pack, extra_files):
        phrases.append((entry.term, ("term", entry)))
        benign.extend((phrase, ("benign", entry.category)) for phrase in entry.benign)
    return TextScanner(phrases, context=benign)


def readable_lists(pack: str, extra_files: list[str]) -> list[str]:
    """Options validator: the user's packs load, or the settings are refused naming file and entry."""
    try:
        load_terms(pack, tuple(extra_files))
    except RuleDataError as error:
        raise ValueError(str(error)) from None
    return extra_files


def listed_matches(scanner: TextScanner[Value], text: str) -> list[TextMatch[Value]]:
    """Term matches in a text that no benign phrase of their category overlaps and no longer match contains."""
    found = scanner.scan(text)
    if not found:
        return []
    benign = [(m.start, m.end, m.value[1]) for m in found if m.value[0] == "benign"]
    terms = [m for m in found if m.value[0] == "term"]
    kept: list[TextMatch[Value]] = []
    for m in terms:
        category = m.value[1].category  # type: ignore[union-attr]
        if any(s < m.end and m.start < e and c == category for s, e, c in benign):
            continue
        if any(o is not m and o.start <= m.start and m.end <= o.end and (o.end - o.start) > (m.end - m.start)
               for o in terms):
            continue  # "vape" inside "disposable vape"
        kept.append(m)
    return kept


def _all_text(product: Product) -> str:
    """Title, description and the SKU rows' values in one string, for the prefilter. The description is
    taken raw (tags split into harmless words) unless it has numeric entities, which could hide letters;
    stripping HTML and building attribute cells is left to the few products that pass. Kept for the last
    product, so AE201 and AE202 (run one after the other on each product) build and split it once."""
    if _last[0]() is product:
        return _last[1]
    description = product.get("description")
    if "&#" in description:
        description = product.description_text
    values = [product.title, description]
    for sku in product.skus:
        for name, value in sku.values.items():
            if name in _ATTRIBUTES or name[:5] == "attr:":
                values.append(value)
    text = "\n".join(dict.fromkeys(values))
    _last[:] = [weakref.ref(product), text]
    return text


_last: list = [lambda: None, ""]  # (weak reference to the product, its text)
_ATTRIBUTES = frozenset({"color", "size"})


def _describe(m: TextMatch[Value]) -> str:
    entry: TermEntry = m.value[1]  # type: ignore[assignment]
    shown = " ".join(m.text.split())
    return _('{text} (read as "{term}")').format(text=shown, term=entry.term) if m.evasive else shown


def product_problems(product: Product, pack: str, extra_files: tuple[str, ...], label: str) -> Iterator[Problem]:
    """One problem per place and category: `label (category: matched text) - source`; `label` is marked
    with N_() by the caller and translated here."""
    scanner = scanner_for(pack, extra_files)
    if not scanner.may_match(_all_text(product)):
        return  # the usual case, settled with one cheap test
    title, description, attributes = product.title, product.description_text, product.attribute_values
    places: list[tuple[str, Cell]] = [(title, product.cell("title")), (description, product.cell("description"))]
    places.extend((cell.value, cell) for cell in attributes)
    for text, cell in places:
        matches = listed_matches(scanner, text)
        if not matches:
            continue
        grouped: dict[tuple[str, str], list[str]] = {}
        for m in matches:
            entry: TermEntry = m.value[1]  # type: ignore[assignment]
            shown = grouped.setdefault((entry.category, entry.source), [])
            described = _describe(m)
            if described not in shown:
                shown.append(described)
        for (category, source), shown in grouped.items():
            yield Problem(_("{label} ({category}: {terms}) - {source}").format(
                label=_(label), category=_(category), terms=", ".join(shown), source=source), product, cell=cell)
