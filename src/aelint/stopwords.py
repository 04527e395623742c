"""Stop-words, units and title words (checks/stopwords.toml): which words of a title count as content words.

AE102 (duplicate words) and AE103 (keyword stacking) count the same words, so the title is split into
content words once per distinct title (`content_words`, cached) and both checks read the result.

A content word is compared by a key: folded case and accents, French elision dropped ("d'été" = "été"),
English possessive dropped ("Women's" = "women"), singular ("dresses" = "dress") unless the plural is
another word ("shorts" is not "short"). Not content words: stop-words of the catalog languages, units,
numbers and codes with digits ("5G", "256GB", "S-5XL"), counters right after a number ("5 Colors"),
and words inside quotation marks (a slogan printed on the product: '"I Am Not Old I Am A Classic" Shirt').
A single letter before a word makes one word with it ("T Shirt" = "T-Shirt", "V Neck" = "V-Neck"), and
hyphenated compounds are one word ("T-Shirt" is not "Shirt").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from aelint.ruledata import read_pack
from aelint.text import fold, singular

# Words with inner apostrophes or hyphens are one token: "women's", "d'été", "t-shirt", "slip-on".
TITLE_WORD_RE = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")
QUOTED_RE = re.compile(r'"[^"]*"|“[^”]*”|«[^»]*»|„[^“”]*[“”]')
ELISION_RE = re.compile(r"^(?:l|d|j|qu|n|s|c|m|t)['’](?=\w)")
POSSESSIVE_RE = re.compile(r"['’]s$")
JOINING_LETTERS = frozenset("tovuyhx")  # T Shirt, O Neck, V Neck, U Neck, Y Back, H Line, X Back


@lru_cache(maxsize=1)
def _tables() -> dict:
    return read_pack("stopwords")


@lru_cache(maxsize=1)
def ignorable_words() -> frozenset[str]:
    """Function words of every catalog language plus units, folded (counters and plural-only nouns excluded)."""
    return frozenset(fold(w) for table in _tables().values()
                     if not table.get("after_number") and not table.get("keep_plural") for w in table["words"])


@lru_cache(maxsize=1)
def counter_words() -> frozenset[str]:
    """Words ignored right after a number: '5 Colors', '3 Layers'."""
    return frozenset(fold(w) for table in _tables().values() if table.get("after_number") for w in table["words"])


@lru_cache(maxsize=1)
def plural_only_words() -> frozenset[str]:
    """Plurals that are not the plural of their singular: 'shorts', 'glasses'."""
    return frozenset(fold(w) for table in _tables().values() if table.get("keep_plural") for w in table["words"])


def is_content_word(word: str) -> bool:
    """A folded word that counts: not a stop-word or unit, not a number or a code with digits."""
    return len(word) > 1 and not any(ch.isdigit() for ch in word) and word not in ignorable_words()


@lru_cache(maxsize=200_000)
def word_key(word: str) -> str:
    """The key two spellings of one word share: 'Dresses' -> 'dress', "Women's" -> 'women', "d'Été" -> 'ete'."""
    folded = fold(word)
    folded = POSSESSIVE_RE.sub("", ELISION_RE.sub("", folded))
    if folded in plural_only_words():
        return folded
    if "-" in folded:
        head, _, last = folded.rpartition("-")
        return head + "-" + singular(last)
    return singular(folded)


@dataclass(frozen=True, slots=True)
class TitleWord:
    """A content word of a title: its key, its text as written and where it stands."""

    key: str
    text: str
    start: int
    end: int


@lru_cache(maxsize=200_000)
def content_words(title: str) -> tuple[TitleWord, ...]:
    """The title's content words in order, computed once per distinct title."""
    quoted = [m.span() for m in QUOTED_RE.finditer(title)] if ('"' in title or "“" in title or "«" in title
                                                                or "„" in title) else []
    ignorable = ignorable_words()
    counters = counter_words()
    found: list[TitleWord] = []
    after_number = False
    pending_letter: re.Match | None = None
    for match in TITLE_WORD_RE.finditer(title):
        raw = match[0]
        start = match.start()
        if quoted and any(a <= start < b for a, b in quoted):
            pending_letter = None
            continue
        folded = fold(raw)
        if any(ch.isdigit() for ch in folded):
            after_number, pending_letter = True, None
            continue
        if len(folded) == 1:
            after_number = False
            pending_letter = match if folded in JOINING_LETTERS else None
            continue
        if pending_letter is not None and title[pending_letter.end():start] == " ":
            # "T Shirt" is the word "T-Shirt"
            raw_joined = title[pending_letter.start():match.end()]
            found.append(TitleWord(fold(pending_letter[0]) + "-" + word_key(raw), raw_joined,
                                   pending_letter.start(), match.end()))
            pending_letter, after_number = None, False
            continue
        pending_letter = None
        was_after_number, after_number = after_number, False
        if was_after_number and folded in counters:
            continue
        key = word_key(raw)
        if key in ignorable or folded in ignorable or len(key) < 2:
            continue
        found.append(TitleWord(key, raw, start, match.end()))
    return tuple(found)
