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
from functools import lru_cache
from typing import NamedTuple

from aelint.ruledata import read_pack
from aelint.text import TEXT_CACHE_SIZE, fold, singular

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


class TitleWord(NamedTuple):
    """A content word of a title: its key, its text as written and where it stands (a tuple: made for every
    word of every title AE102 or AE103 reads: a frozen dataclass took twice as long to build)."""

    key: str
    text: str
    start: int
    end: int


# Token kinds for content_words
_NUMBER, _LETTER, _JOINER, _IGNORED, _COUNTER, _WORD = range(6)
_DIGIT_RE = re.compile(r"\d")


@lru_cache(maxsize=200_000)
def _token(raw: str) -> tuple[int, str]:
    """What a token is (number, single letter, stop-word, counter, content word) and its key."""
    folded = fold(raw)
    if _DIGIT_RE.search(folded):
        return _NUMBER, ""
    if len(folded) == 1:
        return (_JOINER if folded in JOINING_LETTERS else _LETTER), folded
    key = word_key(raw)
    ignorable = ignorable_words()
    if key in ignorable or folded in ignorable or len(key) < 2:
        return _IGNORED, key
    if folded in counter_words():
        return _COUNTER, key
    return _WORD, key


def counted_key(raw: str) -> str | None:
    """The key a token (as `TITLE_WORD_RE` finds it) is counted under where it counts (a content word, or a
    counter not right after a number), None for what never counts (numbers, letters, stop-words, units)."""
    kind, key = _token(raw)
    return key if kind == _WORD or kind == _COUNTER else None


@lru_cache(maxsize=TEXT_CACHE_SIZE)
def _chunk_tokens(chunk: str) -> tuple[tuple[int, str, str, int, int], ...]:
    """Each token of a piece of title without ASCII spaces: its kind and key (`_token`), its text, its start
    and end. No token holds a space, so a title's tokens are those of its pieces, each piece read once."""
    return tuple((*_token(m.group()), m.group(), m.start(), m.end()) for m in TITLE_WORD_RE.finditer(chunk))


@lru_cache(maxsize=TEXT_CACHE_SIZE)
def content_words(title: str) -> tuple[TitleWord, ...]:
    """The title's content words in order, computed once per distinct title."""
    quoted = ([m.span() for m in QUOTED_RE.finditer(title)]
              if ('"' in title or "“" in title or "«" in title or "„" in title) else None)
    found: list[TitleWord] = []
    after_number = False
    joiner: tuple[int, int] | None = None  # where the single letter that may join the next word stands
    offset = 0  # where the chunk starts in the title
    for chunk in title.split(" "):
        for kind, key, raw, start, end in _chunk_tokens(chunk):
            start += offset
            end += offset
            if quoted and any(a <= start < b for a, b in quoted):
                joiner = None
                continue
            if kind == _NUMBER:
                after_number, joiner = True, None
                continue
            if kind == _LETTER or kind == _JOINER:
                after_number = False
                joiner = (start, end) if kind == _JOINER else None
                continue
            if joiner is not None and kind != _IGNORED and title[joiner[1]:start] == " ":
                # "T Shirt" is the word "T-Shirt"
                found.append(TitleWord(fold(title[joiner[0]:joiner[1]]) + "-" + word_key(raw),
                                       title[joiner[0]:end], joiner[0], end))
                joiner, after_number = None, False
                continue
            joiner = None
            was_after_number, after_number = after_number, False
            if kind == _IGNORED or (kind == _COUNTER and was_after_number):
                continue
            found.append(TitleWord(key, raw, start, end))
        offset += len(chunk) + 1
    return tuple(found)
