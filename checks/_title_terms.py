"""Term packs matched in titles with their benign phrases (shared by AE103, AE105, AE108 and AE109).

Not a check (the leading underscore keeps the registry from loading it). A matcher is built once per
pack and per set of user files, and matches a title's folded words with aelint.terms.TermIndex.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from aelint.profiles import PackChoice
from aelint.ruledata import TermEntry, load_terms, read_pack
from aelint.terms import Match, TermIndex, term_key
from aelint.text import fold


class TermMatcher:
    """Finds a pack's terms in a title's words, leaving out matches that fall inside a benign phrase."""

    def __init__(self, entries: Sequence[TermEntry]):
        self.entries = tuple(entries)
        self.index: TermIndex[int] = TermIndex((e.term, i) for i, e in enumerate(self.entries))
        self.benign: TermIndex[int] = TermIndex((b, i) for i, e in enumerate(self.entries) for b in e.benign)
        self.has_benign = any(e.benign for e in self.entries)
        # Folded single words of every term, for quick "is this word a known name" questions.
        self.words = frozenset(w for e in self.entries for w in term_key(e.term))
        # What a title needs to hold a term: a one-word term, or the first two words of a longer one.
        keys = [key for key in (term_key(e.term) for e in self.entries) if key]
        self.first_words = frozenset(key[0] for key in keys)
        self.single_words = frozenset(key[0] for key in keys if len(key) == 1)
        self.first_pairs = frozenset(key[:2] for key in keys if len(key) > 1)

    def find(self, words: Sequence[str]) -> list[tuple[Match[int], TermEntry]]:
        found = self.index.find(words)
        if not found:
            return []
        benign = self.benign.find(words) if self.has_benign else []
        result = []
        covered_end = -1
        for match in found:
            if match.start < covered_end:  # a shorter term inside a longer one already found
                continue
            if any(b.value == match.value and b.start < match.end and match.start < b.end for b in benign):
                continue
            result.append((match, self.entries[match.value]))
            covered_end = match.end
        return result


def titles_with_terms(table, terms: TermMatcher):
    """The products (`index` numbers, numpy) whose title holds a one-word term of `terms` or the first two
    words of a longer one, side by side: every title `terms.find` may find a term in."""
    import numpy as np

    words = table.title_word_keys
    found = np.isin(words.word, words.ids(terms.single_words)) | np.isin(words.pair_codes(),
                                                                         words.pairs(terms.first_pairs))
    return words.product[found]


@lru_cache(maxsize=16)
def matcher(name: str | PackChoice, extra_files: tuple[str, ...] = ()) -> TermMatcher:
    return TermMatcher(load_terms(name, extra_files))


@lru_cache(maxsize=1)
def compatibility() -> tuple[frozenset[tuple[str, ...]], frozenset[str]]:
    """Compatibility phrases (as folded word tuples) and the words allowed between a phrase and a brand."""
    pack = read_pack("compatibility")
    phrases = frozenset(tuple(fold(w) for w in p.split()) for p in pack["phrases"]["words"])
    between = frozenset(fold(w) for w in pack["between"]["words"])
    return phrases, between
