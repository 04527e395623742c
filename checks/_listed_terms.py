"""Shared by AE201 prohibited-item and AE202 recalled-item: find a term pack's entries in a product's text.
(AE203 offline-contact shares `whole_text`, the cheap first look at a whole product.)

Both rules scan the same three places (title, description text, variant attribute values) with a
`TextScanner` built once per pack (built-in pack plus the user's `[lists]` files) and cached. A match is
dropped when
- a benign phrase of its entry overlaps it ("tea cup" over "tea"), or a look-alike of the pack, whatever
  the category ("powder coated" over "black powder");
- the next word is one of the pack's host nouns: the term is then what a tool or an appliance works on
  ("Coffee Bean Roaster", "Butane Gas Stove");
- its entry `needs` a word the text lacks ("tablets" without a dose in mg) or the text has a word of the
  entry's `unless` ("ammo" in a text about a desiccant);
- a longer match contains it ("vape" inside "disposable vape").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import TYPE_CHECKING

from aelint.i18n import _
from aelint.model import Cell, Problem, Product
from aelint.profiles import PackChoice
from aelint.ruledata import RuleDataError, TermEntry, load_pack
from aelint.terms import RAW_WORD_RE, TextMatch, TextScanner, term_key
from aelint.text import strip_html

if TYPE_CHECKING:
    import numpy as np

# ("term", TermEntry), ("benign", category or None for a look-alike of any category), ("context", None)
Value = tuple[str, object]

_NEXT_WORD_RE = re.compile(r"[ \t\u00a0-]*(" + RAW_WORD_RE.pattern + ")")


@lru_cache(maxsize=16)
def scanner_for(pack: str | PackChoice, extra_files: tuple[str, ...] = ()) -> TextScanner[Value]:
    """The scanner for a pack and the user's extra files, built once per run."""
    terms = load_pack(pack, extra_files)
    phrases: list[tuple[str, Value]] = []
    benign: list[tuple[str, Value]] = [(phrase, ("benign", None)) for phrase in terms.lookalikes]
    context: set[str] = set()
    for entry in terms.terms:
        phrases.append((entry.term, ("term", entry)))
        benign.extend((phrase, ("benign", entry.category)) for phrase in entry.benign)
        context.update(entry.needs, entry.unless)
    benign.extend((phrase, ("context", None)) for phrase in sorted(context))
    return TextScanner(phrases, context=benign)


@lru_cache(maxsize=16)
def hosts_for(pack: str | PackChoice, extra_files: tuple[str, ...] = ()) -> frozenset[str]:
    """The pack's host nouns, as matched (folded, singular)."""
    return frozenset(key for noun in load_pack(pack, extra_files).hosts for key in term_key(noun))


def readable_lists(pack: str, extra_files: list[str]) -> list[str]:
    """Options validator: the user's packs load, or the settings are refused naming file and entry."""
    try:
        load_pack(pack, tuple(extra_files))
    except RuleDataError as error:
        raise ValueError(str(error)) from None
    return extra_files


def _followed_by(text: str, end: int, nouns: frozenset[str]) -> bool:
    """The word right after `end` (across spaces and hyphens, not other punctuation) is one of `nouns`."""
    after = _NEXT_WORD_RE.match(text, end)
    if after is None:
        return False
    key = term_key(after.group(1))
    return bool(key) and key[0] in nouns


def listed_matches(scanner: TextScanner[Value], text: str, hosts: frozenset[str] = frozenset()
                   ) -> list[TextMatch[Value]]:
    """Term matches in a text that survive the benign phrases, hosts, needs and unless (module docstring)."""
    found = scanner.scan(text)
    if not found:
        return []
    benign = [(m.start, m.end, m.value[1]) for m in found if m.value[0] == "benign"]
    context = {m.phrase for m in found if m.value[0] == "context"}
    terms = [m for m in found if m.value[0] == "term"]
    kept: list[TextMatch[Value]] = []
    for m in terms:
        entry: TermEntry = m.value[1]  # type: ignore[assignment]
        if any(s < m.end and m.start < e and c in (entry.category, None) for s, e, c in benign):
            continue
        if (entry.needs and context.isdisjoint(entry.needs)) or not context.isdisjoint(entry.unless):
            continue
        if hosts and _followed_by(text, m.end, hosts):
            continue
        if any(o is not m and o.start <= m.start and m.end <= o.end and (o.end - o.start) > (m.end - m.start)
               for o in terms):
            continue  # "vape" inside "disposable vape"
        kept.append(m)
    return kept


NARROWING_WAYS = 64  # `table_candidates` narrows the texts holding a trigger word by at most this many tests


def table_candidates(table, pack: str | PackChoice, extra_files: tuple[str, ...] = ()) -> tuple[np.ndarray, np.ndarray]:
    """Which products of a table (numpy arrays by `index`) AE201 and AE202 must judge, and which of those must
    be built for it (`_triggered`, without the texts)."""
    candidates, built, _texts = _triggered(table, pack, extra_files)
    return candidates, built


def _triggered(table, pack: str | PackChoice, extra_files: tuple[str, ...]
               ) -> tuple[np.ndarray, np.ndarray, dict[str, list[int]]]:
    """Which products of a table (numpy arrays by `index`) AE201 and AE202 must judge, and which of those
    must be built for it. The candidates: every product whose text is not plain ASCII, and those with a title,
    description or variant attribute value whose chunks of text (`CatalogTable.chunk_vocabulary`) hold a
    phrase's trigger word and the phrase's other words, as the rule's own scanner reads them (evasions and
    near misses included): a match lies in one text and needs them all (`TextScanner.triggered`). Each
    distinct chunk and attribute value is read once; the titles and descriptions that may hold a trigger word
    and the other words of one of its phrases are found first (`CatalogTable.holding`: a superset), and only
    those are split into chunks. To be built: the products whose attribute values may hold a phrase (not plain
    text, or a value so read); on the others only the title and description can match, and only where that
    text holds a trigger word and its phrase's other words: the third part gives, for "title" and
    "description", the candidates (`index`, in order) whose text of that name does."""
    import polars as pl

    scanner = scanner_for(pack, extra_files)
    # each distinct chunk's words as read, kept where they matter to `triggered`, and the chunks of each word
    relevant, chunks_of_word = {}, {}
    for chunk in table.chunk_vocabulary:
        words = scanner.chunk_words(chunk) & scanner.phrase_words
        if words:
            relevant[chunk] = words
            for word in words:
                chunks_of_word.setdefault(word, []).append(chunk)

    def triggered(chunks) -> bool:
        return scanner.triggered(set().union(*(relevant.get(chunk, ()) for chunk in chunks)))

    built = (~table.plain_text).to_numpy().copy()
    built[table.with_attribute_value(triggered).to_numpy()] = True
    candidates = built.copy()
    texts: dict[str, list[int]] = {"title": [], "description": []}
    triggers = sorted(scanner.trigger_words.intersection(chunks_of_word))
    if triggers:
        hot = sorted({chunk for trigger in triggers for chunk in chunks_of_word[trigger]})
        may = table.products.filter(table.plain_text).filter(  # the few texts holding a trigger word
            table.holding("title", hot) | table.holding("description", hot))
        ways = [table.holding(name, chunks_of_word[trigger]) & pl.all_horizontal(
            pl.lit(True), *(table.holding(name, chunks_of_word[word]) for word in sorted(need)))
            for name in ("title", "description") for trigger in triggers for need in scanner.needs(trigger)
            if need <= chunks_of_word.keys()]
        if len(ways) > NARROWING_WAYS:  # a regular expression or more each: splitting the texts costs less
            ways = [pl.lit(True)]
        indices = may.filter(pl.any_horizontal(ways))["index"] if ways and len(may) else []
        for index, name, chunks in table.chunks_of(pl.Series(indices, dtype=pl.UInt32), list(relevant)):
            if triggered(chunks):
                candidates[index] = True
                texts[name].append(index)
    return candidates, built, {name: sorted(found) for name, found in texts.items()}


def table_problems(table, pack: str | PackChoice, extra_files: tuple[str, ...], label: str) -> list[Problem]:
    """`product_problems` of every product of a table (AE201's and AE202's check_table): the candidates to be
    built (`table_candidates`) are built and judged by it; of the other candidates, the titles and descriptions
    that may hold a phrase (`_triggered`: a text that does not is sure to match nothing) are judged from the
    columns, as it judges them, without building the products."""
    from itertools import repeat
    from operator import itemgetter

    import numpy as np

    scanner, hosts = scanner_for(pack, extra_files), hosts_for(pack, extra_files)
    _candidates, built, texts = _triggered(table, pack, extra_files)
    found = [(index, 0, problem) for index in np.flatnonzero(built).tolist()  # (index, place, problem)
             for problem in product_problems(table.product(index), pack, extra_files, label)]
    for place, field in enumerate(("title", "description")):
        indices, messages = [], []
        unbuilt = [index for index in texts[field] if not built[index]]
        for index, value in zip(unbuilt, table.products.select(table.text(field))[unbuilt].to_series().to_list()):
            found_here = _messages(scanner, hosts, strip_html(value) if field == "description" else value, label)
            indices.extend(repeat(index, len(found_here)))
            messages.extend(found_here)
        found.extend(zip(indices, repeat(place), table.problems(field, indices, messages)))
    found.sort(key=itemgetter(0, 1))  # stable: a product's problems keep their order
    return [problem for _index, _place, problem in found]


def whole_text(product: Product) -> str:
    """Title, description and the SKU rows' values in one string, for the prefilter. The description is
    taken raw (tags split into harmless words) unless it has entities, which could hide letters
    (`Product.description_for_words`); building attribute cells is left to the few products that pass.
    Shared through the product, so AE201, AE202 and AE203 build and split it once."""
    return product.shared(_whole_text)


def _whole_text(product: Product) -> str:
    values = [product.title, product.description_for_words]
    for sku in product.skus:
        for name, value in sku.values.items():
            if name in _ATTRIBUTES or name[:5] == "attr:":
                values.append(value)
    return "\n".join(dict.fromkeys(values))


_ATTRIBUTES = frozenset({"color", "size"})


def _describe(m: TextMatch[Value]) -> str:
    entry: TermEntry = m.value[1]  # type: ignore[assignment]
    shown = " ".join(m.text.split())
    return _('{text} (read as "{term}")').format(text=shown, term=entry.term) if m.evasive else shown


def product_problems(product: Product, pack: str | PackChoice, extra_files: tuple[str, ...], label: str
                     ) -> Iterator[Problem]:
    """One problem per place and category: `label (category: matched text) - source`; `label` is marked
    with N_() by the caller and translated here."""
    scanner = scanner_for(pack, extra_files)
    hosts = hosts_for(pack, extra_files)
    if not scanner.may_match(whole_text(product)):
        return  # the usual case, settled with one cheap test
    title, description, attributes = product.title, product.description_text, product.attribute_values
    places: list[tuple[str, Cell]] = [(title, product.cell("title")), (description, product.cell("description"))]
    places.extend((cell.value, cell) for cell in attributes)
    for text, cell in places:
        for message in _messages(scanner, hosts, text, label):
            yield Problem(message, product, cell=cell)


def _messages(scanner: TextScanner[Value], hosts: frozenset[str], text: str, label: str) -> list[str]:
    """The messages of one text's matches: one per category, `label (category: matched text) - source`."""
    matches = listed_matches(scanner, text, hosts)
    if not matches:
        return []
    grouped: dict[tuple[str, str], list[str]] = {}
    for m in matches:
        entry: TermEntry = m.value[1]  # type: ignore[assignment]
        shown = grouped.setdefault((entry.category, entry.source), [])
        described = _describe(m)
        if described not in shown:
            shown.append(described)
    return [_("{label} ({category}: {terms}) - {source}").format(
        label=_(label), category=_(category), terms=", ".join(shown), source=source)
        for (category, source), shown in grouped.items()]
