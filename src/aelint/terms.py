"""Finding phrases from a term pack in text: whole words, after folding case, accents and plurals.

Terms are indexed by their first word; a text is matched by looking up each of its words, so the cost
per title is a few dictionary look-ups whatever the number of terms.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from aelint.text import singular, words

T = TypeVar("T")


def term_key(text: str) -> tuple[str, ...]:
    """The folded, singular words a phrase is matched on: 'Free Shipping' -> ('free', 'shipping')."""
    return tuple(singular(w) for w in words(text))


@dataclass(frozen=True, slots=True)
class Match(Generic[T]):
    start: int  # index of the first matched word
    end: int  # index past the last matched word
    value: T


class TermIndex(Generic[T]):
    """Phrases mapped to values; `find` returns every occurrence, longest phrase first at each word."""

    def __init__(self, phrases: Iterable[tuple[str, T]]):
        self._by_first: dict[str, list[tuple[tuple[str, ...], T]]] = {}
        for phrase, value in phrases:
            key = term_key(phrase)
            if key:
                self._by_first.setdefault(key[0], []).append((key, value))
        for candidates in self._by_first.values():
            candidates.sort(key=lambda kv: -len(kv[0]))

    def find(self, text_words: Sequence[str]) -> list[Match[T]]:
        """Matches in a list of folded words (as from `text.words`)."""
        keys = [singular(w) for w in text_words]
        found: list[Match[T]] = []
        for i, word in enumerate(keys):
            candidates = self._by_first.get(word)
            if not candidates:
                continue
            for phrase, value in candidates:
                if tuple(keys[i:i + len(phrase)]) == phrase:
                    found.append(Match(i, i + len(phrase), value))
        return found
