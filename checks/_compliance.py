"""Shared by the authorisation and compliance checks (AE401-AE407): markets, and finding terms in context.

Not a check (the leading underscore keeps the registry from loading it). A term from a rule's pack counts only
when it names the item itself:

- a term after "for" / "compatible" / "pour" / "para" in the same comma- or slash-separated part of the title
  names what the item is for ("Phone Holder for Xiaomi Electric Scooter"), unless a buyer word stands between
  ("Vibrator for Women Sex Toys" is a sex toy);
- a term followed within three words (before any "with" / "and") by an accessory noun names the host of an
  accessory ("Scooter Phone Holder", "Contact Lens Cleaning Cloth", "DVD Player"); rules that ask "is this the
  special item itself" also treat part nouns that way ("Electric Scooter Battery");
- an entry's own `benign` (or `unless`) phrases anywhere in the same text make it harmless ("vitamin" next to
  "serum"); an entry with `needs` counts only when one of them is in the same text.

The words live in `compliance_context.toml`; category path segments ("Food", "Beauty & Health") compared whole
are there too, because such names are too broad to look for inside a title.
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain, repeat

from aelint.model import Product
from aelint.ruledata import TermEntry, load_terms, read_pack
from aelint.terms import Match, TermIndex, term_key
from aelint.text import TEXT_CACHE_SIZE, WORD_RE, singular, words

# EU member states (ISO 3166 codes; Greece also as "EL", the EU's own code).
EU_MEMBERS = frozenset(
    "AT BE BG HR CY CZ DK EE FI FR DE GR EL HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE".split())

PART_SPLIT_RE = re.compile(r"[,;|/()\[\]>:+]|\s[-–—]\s")
SEGMENT_SPLIT_RE = re.compile(r"\s*(?:>|/|\\|\|)\s*")
SEGMENT_DROP = frozenset({"and", "et", "y", "e"})


def eu_markets(markets: Iterable[str]) -> list[str]:
    """The entries of `markets` that are the EU or an EU member state (case-insensitive)."""
    return [m.strip() for m in markets if m.strip().upper() in EU_MEMBERS or m.strip().upper() == "EU"]


def sells_in_france(markets: Iterable[str]) -> bool:
    """France, or the whole EU (which includes France), is among the markets."""
    return any(m.strip().upper() in ("FR", "EU") for m in markets)


class Text:
    """A text as the context rules need it: folded words, their singular keys, and (computed only when a term
    is found) which comma/slash-separated part each word is in."""

    __slots__ = ("value", "words", "keys", "_parts")

    def __init__(self, value: str, folded: Sequence[str]):
        self.value = value
        self.words = tuple(folded)
        self.keys = tuple(map(singular, self.words))
        self._parts: tuple[int, ...] | None = None

    @property
    def parts(self) -> tuple[int, ...]:
        if self._parts is None:
            # A word's part: the piece between separators it stands in (no separator holds a word character).
            pieces = PART_SPLIT_RE.split(self.value)
            parts = (tuple(chain.from_iterable(repeat(i, len(WORD_RE.findall(piece)))
                                               for i, piece in enumerate(pieces))) if len(pieces) > 1 else None)
            if parts is None or len(parts) != len(self.words):  # no separator (or tokens differ: as if none)
                parts = (0,) * len(self.words)
            self._parts = parts
        return self._parts

    def phrase(self, match: Match) -> str:
        return " ".join(self.words[match.start:match.end])


@lru_cache(maxsize=TEXT_CACHE_SIZE)
def analyse(value: str) -> Text:
    """The Text of a value (a category, or a title without its product), once per distinct value."""
    return Text(value, words(value))


def _title_text(product: Product) -> Text:
    return Text(product.title, product.title_words)


def product_text(product: Product, field: str) -> Text:
    """The Text of a product field; the title's reuses the product's own `title_words`, shared by the rules."""
    if field != "title":
        return analyse(product.get(field))
    return product.shared(_title_text)


@dataclass(frozen=True)
class Context:
    relation: frozenset[str]
    audience: frozenset[str]
    accessory: frozenset[str]
    part: frozenset[str]
    feature: frozenset[str]
    segments: dict[str, dict[tuple[str, ...], str]]  # rule -> segment key -> category


def _keys(values: Sequence[str]) -> frozenset[str]:
    return frozenset(k for v in values for k in term_key(v))


def segment_key(name: str) -> tuple[str, ...]:
    """'Food & Beverages' -> ('food', 'beverage'): folded, singular, without 'and'."""
    return tuple(k for k in term_key(name) if k not in SEGMENT_DROP)


@lru_cache(maxsize=1)
def context() -> Context:
    data = read_pack("compliance_context")
    segments: dict[str, dict[tuple[str, ...], str]] = {}
    for entry in data["segments"]:
        table = segments.setdefault(entry["rule"], {})
        for name in entry["names"]:
            table[segment_key(name)] = entry["category"]
    return Context(*(_keys(data[k]["words"]) for k in ("relation", "audience", "accessory", "part", "feature")),
                   segments=segments)


@lru_cache(maxsize=65_536)
def segment_categories(rule: str, category: str) -> tuple[tuple[str, str], ...]:
    """(segment as written, rule category) for each segment of a category path named in the context pack."""
    if not category:
        return ()
    table = context().segments.get(rule, {})
    found = []
    for raw in SEGMENT_SPLIT_RE.split(category):
        key = segment_key(raw)
        if key in table:
            found.append((raw.strip(), table[key]))
    return tuple(found)


class TermFinder:
    """A rule's term pack, matched in context (see the module docstring)."""

    def __init__(self, entries: Iterable[TermEntry], parts: bool):
        entries = tuple(entries)
        self.index: TermIndex[TermEntry] = TermIndex((e.term, e) for e in entries)
        self.phrases = frozenset(filter(None, (term_key(e.term) for e in entries)))  # what `index` matches
        self.entries = entries
        self.benign: TermIndex[TermEntry] = TermIndex((b, e) for e in entries for b in (*e.benign, *e.unless))
        self.needs: TermIndex[TermEntry] = TermIndex((n, e) for e in entries for n in e.needs)
        # First words of the terms and benign phrases: a text without any of them is skipped cheaply.
        self.first = frozenset(k[0] for k in (term_key(e.term) for e in entries) if k)
        self.benign_first = frozenset(k[0] for k in (term_key(b) for e in entries for b in (*e.benign, *e.unless))
                                      if k)
        ctx = context()
        self.context = ctx
        self.stop = ctx.accessory | ctx.part if parts else ctx.accessory

    def phrases_of(self, categories: Iterable[str]) -> frozenset[tuple[str, ...]]:
        """The phrases `index` matches for the entries of those categories (what a match of theirs holds)."""
        categories = set(categories)
        return frozenset(filter(None, (term_key(e.term) for e in self.entries if e.category in categories)))

    def find(self, text: Text) -> list[Match[TermEntry]]:
        """The matches of `text` that name the item itself, in order of position."""
        if self.first.isdisjoint(text.keys):
            return []
        matches = self.index.find(text.words)
        if not matches:
            return []
        benign = ({id(m.value) for m in self.benign.find(text.words)}
                  if not self.benign_first.isdisjoint(text.keys) else set())
        needed = {id(m.value) for m in self.needs.find(text.words)} if any(m.value.needs for m in matches) else set()
        return [m for m in matches if id(m.value) not in benign and (not m.value.needs or id(m.value) in needed)
                and not self.secondary(text, m)]

    def secondary(self, text: Text, match: Match) -> bool:
        """The matched words name what the item is for or belongs to, not the item."""
        ctx = self.context
        keys, parts = text.keys, text.parts
        part = parts[match.start]
        for j in range(match.start - 1, -1, -1):
            if parts[j] != part:
                break
            if keys[j] in ctx.relation:
                if not any(k in ctx.audience for k in keys[j + 1:match.start]):
                    return True
                break
        for j in range(match.end, min(match.end + 3, len(keys))):
            if parts[j] != part or keys[j] in ctx.feature:
                break
            if keys[j] in self.stop:
                return True
        return False


@lru_cache(maxsize=64)
def finder_for(list_name: str, extra_lists: tuple[str, ...], parts: bool) -> TermFinder:
    """The finder over a rule's pack plus the user's own files for it, built once per set of files."""
    return TermFinder(load_terms(list_name, extra_lists), parts=parts)


@dataclass(frozen=True, slots=True)
class Found:
    """One term found in a product: the field it is in, the words as written (folded) and the pack entry."""

    field: str
    phrase: str
    entry: TermEntry


def find_in_product(product: Product, finder: TermFinder, fields: Sequence[str] = ("title", "category")
                    ) -> list[Found]:
    """Context-checked matches in the product's title and category (title first)."""
    found: list[Found] = []
    for name in fields:
        value = product.get(name)
        if not value:
            continue
        text = product_text(product, name)
        found.extend(Found(name, text.phrase(m), m.value) for m in finder.find(text))
    return found


def first_in_product(product: Product, finder: TermFinder, fields: Sequence[str] = ("title", "category"),
                     known: Container[str] = ()) -> dict[str, Found]:
    """The first of `find_in_product`'s findings of each category not in `known`, in the order found; the
    phrase is made only for the finding kept."""
    first: dict[str, Found] = {}
    for name in fields:
        if not product.get(name):
            continue
        text = product_text(product, name)
        for match in finder.find(text):
            category = match.value.category
            if category not in first and category not in known:
                first[category] = Found(name, text.phrase(match), match.value)
    return first


def _key_pattern(key: str) -> str:
    """What a lower-case ASCII word whose singular (`text.singular`) is `key` starts with: the key (a plural
    starts with its singular) or, for a key ending in "y", its "-ies" plural."""
    if key.endswith("y"):
        return f"(?:{re.escape(key)}|{re.escape(key[:-1] + 'ies')})"
    return re.escape(key)


def may_hold_phrases(table, field: str, phrases: Iterable[tuple[str, ...]]):
    """Prefilter part (a boolean polars expression over `table.products`): whether a product field may hold
    one of `phrases` (keys of consecutive words, as `TermIndex` matches them). Checked on ASCII values, where
    folding is lower-casing and a word (`text.WORD_RE`: letters, digits, apostrophes inside) starts after a
    character that is no letter or digit; any other value may."""
    phrases = set(phrases)
    if () in phrases:
        return table.text(field) != ""
    if not phrases:
        return ~table.ascii(field)
    # each word: its key's start, the rest of the word, then at least one character that is no letter or digit
    alternatives = sorted("[a-zA-Z0-9']*[^a-zA-Z0-9]+".join(map(_key_pattern, phrase)) for phrase in phrases)
    pattern = "(?i)(?:^|[^a-zA-Z0-9])(?:" + "|".join(alternatives) + ")"
    return ~table.ascii(field) | table.text(field).str.contains(pattern)


def finder_prefilter(table, finder: TermFinder, fields: Sequence[str] = ("title", "category"),
                     phrases: Iterable[tuple[str, ...]] | None = None):
    """Prefilter of a rule built on `find_in_product`: only a field holding one of its terms can match (or
    one of `phrases`, some of its terms: `TermFinder.phrases_of`)."""
    import polars as pl

    phrases = finder.phrases if phrases is None else frozenset(phrases)
    expression = pl.lit(False)
    for field in fields:
        expression = expression | may_hold_phrases(table, field, phrases)
    return expression


def finder_candidates(table, finder: TermFinder, phrases: Iterable[tuple[str, ...]] | None = None) -> list[int]:
    """The products (their `index`, in catalog order) `finder_prefilter` keeps: the only ones in whose title
    and category `find_in_product` can find anything (of `phrases`). For catalog-wide rules judging a table
    (`Collector.add_table`)."""
    return table.products.filter(finder_prefilter(table, finder, phrases=phrases))["index"].to_list()
