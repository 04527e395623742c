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
from typing import TYPE_CHECKING, NamedTuple

from aelint.ruledata import read_pack
from aelint.text import TEXT_CACHE_SIZE, fold, singular

if TYPE_CHECKING:
    import numpy as np

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


class TitlesContentWords(NamedTuple):
    """The content words of a table's titles end to end, title by title in title order, as `content_words`
    gives them (numpy arrays): each word's product (`index`), key and text as written (ids into `keys` and
    `texts`), its start and end in the title. Titles with a quotation mark are not among them: `quoted`
    names their products (read them with `content_words`)."""

    product: np.ndarray
    key: np.ndarray
    text: np.ndarray
    start: np.ndarray
    end: np.ndarray
    keys: list[str]
    texts: list[str]
    quoted: np.ndarray


def titles_content_words(table) -> TitlesContentWords:
    """`content_words` of every title of a `CatalogTable` without a quotation mark, each distinct chunk of the
    titles read once (`_chunk_tokens`) and the words before and after it in the title compared as columns:
    a token right after a number (a counter is no word there), and a word joined to the single letter just
    before it, across one space ("T Shirt")."""
    import numpy as np

    tokens: dict[tuple, int] = {}
    products, ids, offsets = table.title_values_placed(
        lambda chunk: [tokens.setdefault(token, len(tokens)) for token in _chunk_tokens(chunk)])
    quoted = np.flatnonzero(table.products["title"].str.contains('["“«„]').to_numpy())
    if len(quoted):
        plain = np.flatnonzero(~np.isin(products, quoted))
        products, ids, offsets = products[plain], ids[plain], offsets[plain]
    vocabulary = list(tokens)
    keys: dict[str, int] = {}
    texts: dict[str, int] = {}
    kind = np.array([t[0] for t in vocabulary], dtype=np.int8)[ids]
    previous = np.full(len(kind), -1, dtype=np.int8)  # the kind of the token before in the same title
    same_title = products[1:] == products[:-1]
    previous[1:][same_title] = kind[:-1][same_title]
    counted = (kind == _WORD) | (kind == _COUNTER)
    words = np.flatnonzero(counted & ~((kind == _COUNTER) & (previous == _NUMBER)))  # joined words among them
    # where each token starts and ends in its title, and its key and text, worked out only for the words
    token_start = np.array([t[3] for t in vocabulary], dtype=np.int64)
    token_end = np.array([t[4] for t in vocabulary], dtype=np.int64)
    word_ids = ids[words]
    key = np.array([keys.setdefault(t[1], len(keys)) for t in vocabulary], dtype=np.int64)[word_ids]
    text = np.array([texts.setdefault(t[2], len(texts)) for t in vocabulary], dtype=np.int64)[word_ids]
    start = offsets[words] + token_start[word_ids]
    end = offsets[words] + token_end[word_ids]
    joined = np.flatnonzero(counted & (previous == _JOINER) & (token_start[ids] == 0))  # first in its chunk
    letters = joined - 1
    joined = joined[offsets[joined] - offsets[letters] - token_end[ids[letters]] == 1]  # one space between
    key_names, text_names = list(keys), list(texts)
    for position, at in zip(joined.tolist(), np.searchsorted(words, joined).tolist()):
        # "T Shirt": one word from the letter to the word's end
        letter = vocabulary[ids[position - 1]]
        key[at] = keys.setdefault(f"{letter[1]}-{key_names[key[at]]}", len(keys))
        text[at] = texts.setdefault(f"{letter[2]} {text_names[text[at]]}", len(texts))
        start[at] = offsets[position - 1] + letter[3]
    return TitlesContentWords(products[words].astype(np.int64), key, text, start, end, list(keys), list(texts),
                              quoted)
