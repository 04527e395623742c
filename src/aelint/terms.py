"""Finding phrases from a term pack in text: whole words, after folding case, accents and plurals.

Terms are indexed by their first word; a text is matched by looking up each of its words, so the cost
per title is a few dictionary look-ups whatever the number of terms.

`TermIndex` matches clean folded words (titles' promotional words, trademarks). `TextScanner` works on raw
text and also reads spelling evasions and near misspellings (prohibited and recalled goods); see below.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Generic, TypeVar

from rapidfuzz.distance import OSA

from aelint.text import fold, singular, words

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


# ---------------------------------------------------------------------------------------------------------
# Scanning raw text with spelling evasions and near misspellings (`TextScanner`).
#
# `TermIndex` above matches clean folded words. Prohibited-content rules also have to see through the
# spellings sellers use to dodge keyword filters: digits and symbols for letters ("V@pe", "P3rfume",
# "Mar1juana"), words split or joined ("stun-gun", "stungun", "e cig", "ecig") and near misspellings
# ("tazer"). `TextScanner` works on the raw text and reports character spans, so a message can quote what
# the seller wrote. Its cost is kept down by working on the catalog's *distinct* words: each new word is
# classified once (folded, de-obfuscated, singular, mapped to a near-miss term word: the "map the distinct
# words to near-miss term words once, then match exactly" approach), and a text none of whose words is a
# phrase's trigger word is rejected with C-level set operations before any per-word Python work.
# ---------------------------------------------------------------------------------------------------------

# Words as sellers write them: letters/digits, keeping symbols that stand for letters inside a word (V@pe).
# A number written against its unit is two words ("500mg" -> "500", "mg"), so a unit can be a term's need.
RAW_WORD_RE = re.compile(r"\d+(?=[^\W\d_])|[^\W_]+(?:[@$!|*]+[^\W_]+)*")
# Digits and symbols read as letters. '1' and '|' may be 'i' or 'l': both readings are tried.
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "9": "g",
                       "@": "a", "$": "s", "!": "i", "|": "i", "*": ""})
_LEET_L = str.maketrans({"1": "l", "|": "l"})
# Letters confused by ear or on the keyboard: a substitution inside one group is a near miss ("tazer"),
# one across groups is another word ("laser" is not "taser").
_CONFUSABLE = ("aeiouy", "szcx", "ckq", "gj", "fv", "mn", "bp", "dt")
# Real words one edit away from term words: never read as a misspelling of them.
NEAR_MISS_KEEP = frozenset({
    "heroine", "heroines", "herein", "heron", "laser", "lasers", "taper", "tamer", "pistil", "pistils",
    "rifled", "canvas", "bongo", "bonga", "tease", "teaser", "tazza", "potion", "opinion", "venison",
    "perfumer", "cologne", "weeding", "weedy", "seeded", "seedy", "ammonia", "riffle", "trifle", "rafle",
    "silence", "silenced", "sparkle", "sparkles", "sparkly", "sparkling", "vapor", "vapour", "viper",
})


def _confusable(a: str, b: str) -> bool:
    return any(a in group and b in group for group in _CONFUSABLE)


def near_miss(word: str, target: str) -> bool:
    """Is `word` a plausible misspelling of `target`: two neighbouring letters swapped, a doubled letter
    written once or a letter doubled, a vowel dropped or added, or a substitution between confusable
    letters (z/s, c/k, vowels...). One such edit; two for words of 9+ letters. Adding or dropping any
    other letter makes another word too often ("power"/"powder", "firming"/"firing") to count."""
    limit = 2 if len(target) >= 9 else 1
    distance = OSA.distance(word, target, score_cutoff=limit)
    if distance == 0 or distance > limit:
        return False
    if len(word) == len(target):
        i = 0
        while i < len(word):
            a, b = word[i], target[i]
            if a == b:
                i += 1
            elif i + 1 < len(word) and word[i + 1] == b and target[i + 1] == a:
                i += 2  # transposition
            elif _confusable(a, b):
                i += 1
            else:
                return False
        return True
    if abs(len(word) - len(target)) > 1 or distance > 1:
        return False
    longer, shorter = (word, target) if len(word) > len(target) else (target, word)
    for i, extra in enumerate(longer):
        if longer[:i] + longer[i + 1:] == shorter:
            doubled = (i > 0 and longer[i - 1] == extra) or (i + 1 < len(longer) and longer[i + 1] == extra)
            # a vowel added or dropped inside the word; at its end only a silent e ("perfum", "cocain"):
            # "match" is not "matcha"
            vowel = extra in "aeiouy" and 0 < i and (i < len(longer) - 1 or (extra == "e" and longer is target))
            if doubled or vowel:
                return True
    return False


@dataclass(frozen=True, slots=True)
class TextMatch(Generic[T]):
    """A phrase found in raw text: character span, the text as written, the phrase it was read as."""

    start: int
    end: int
    text: str
    phrase: str
    value: T

    @property
    def evasive(self) -> bool:
        """The text is not simply the phrase in other case, accents, spacing or plural (nor a word a
        word-ending phrase stands for)."""
        return not self.phrase.startswith(SUFFIX_MARK) and \
            "".join(words(self.text)).rstrip("s") != "".join(words(self.phrase)).rstrip("s")


MANY_NEEDS = 8  # a trigger word of more phrases than this is `triggered` alone
MEMO_LIMIT = 1 << 19  # words and chunks a TextScanner remembers having read (about 100 MB at most)


class TextScanner(Generic[T]):
    """Phrases found in raw text, whole words, seeing through case, accents, plurals, hyphens and spacing,
    and (both on by default) spelling evasions and near misspellings.

    `scan(text)` returns matches with character spans. Multi-word phrases also match written as one word
    ("stun gun" finds "stungun"). A phrase "*ending" stands for every word of at least two more letters
    that ends so ("*sartan": losartan, valsartan; the naming stems of medicines). A word is a near miss of a word of `phrases` only if both have 5+
    letters, it is not itself a word of any phrase or in `keep`, and it is one plausible edit away (see
    `near_miss`). `context` phrases (benign look-alikes, say) are found the same way, but only in texts
    that may hold one of `phrases`, and are never the target of a near miss.

    Speed: a text is split into its distinct chunks (`text_chunks`: C-level, cached, shared between
    scanners); chunks not seen before are read once; a text without any phrase's trigger word (its head
    noun: "tea" of "black tea", rarer than "black") is rejected by one set test, and one with a trigger
    but not all the words of that trigger's phrases by a few more. Only the texts that pass are matched
    word by word.
    """

    def __init__(self, phrases: Iterable[tuple[str, T]], *, evasions: bool = True, near_misses: bool = True,
                 keep: Iterable[str] = NEAR_MISS_KEEP, context: Iterable[tuple[str, T]] = ()):
        self.evasions = evasions
        self.near_misses = near_misses
        self._by_first: dict[str, list[tuple[tuple[str, ...], str, T]]] = {}
        targets: set[str] = set()
        # Each of `phrases` has a trigger word (its head noun, see `_trigger`) and the other words it needs:
        # a text without a trigger holds none of the phrases.
        self._needs: dict[str, list[frozenset[str]]] = {}
        self._suffixes: dict[str, str] = {}  # word ending -> the phrase standing for its words
        for main, group in ((True, phrases), (False, context)):
            for phrase, value in group:
                if phrase.startswith(SUFFIX_MARK):
                    ending = fold(phrase[1:])
                    self._suffixes[ending] = phrase
                    self._add((phrase,), phrase, value)
                    if main:
                        self._needs.setdefault(phrase, []).append(frozenset())
                    continue
                key = term_key(phrase)
                if not key:
                    continue
                self._add(key, phrase, value)
                joined = (singular("".join(key)),)
                if len(key) > 1:
                    self._add(joined, phrase, value)
                if main:
                    targets.update(key)
                    trigger = _trigger(key)
                    self._needs.setdefault(trigger, []).append(frozenset(key) - {trigger})
                    self._needs.setdefault(joined[0], []).append(frozenset())
        self._trigger_words = frozenset(self._needs)
        self._phrase_words = self._trigger_words.union(*(n for needs in self._needs.values() for n in needs))
        self._endings = tuple(self._suffixes)
        for candidates in self._by_first.values():
            candidates.sort(key=lambda kv: -len(kv[0]))
        self._vocabulary = {w for key in self._by_first.values() for k, _, _ in key for w in k}
        self._keep = frozenset(keep) | self._vocabulary
        # near-miss targets, found through their single-deletion neighbourhoods (symmetric delete)
        self._deletes: dict[str, set[str]] = {}
        for word in targets:
            if len(word) >= 5 and word.isalpha():
                for variant in _deletions(word):
                    self._deletes.setdefault(variant, set()).add(word)
        self._targets = frozenset(w for w in targets if len(w) >= 5 and w.isalpha())
        self._canon: dict[str, str] = {}  # raw word -> the word it is read as
        self._chunks: dict[str, tuple[str, ...]] = {}  # chunk of text (see `text_chunks`) -> words read
        self._hot: set[str] = set()  # chunks holding a trigger word
        self._tested = self._passed = 0  # texts given to `may_match` while measuring its use

    def _add(self, key: tuple[str, ...], phrase: str, value: T) -> None:
        self._by_first.setdefault(key[0], []).append((key, phrase, value))

    def read(self, raw: str) -> str:
        """The word a raw word is read as (folded, de-obfuscated, singular, near miss mapped), cached."""
        found = self._canon.get(raw)
        if found is None:
            found = self._canon[raw] = self._classify(raw)
        return found

    def _read_chunk(self, chunk: str) -> tuple[str, ...]:
        read = tuple(self.read(word) for word in RAW_WORD_RE.findall(chunk))
        if any(word in self._needs for word in read):
            self._hot.add(chunk)
        return read

    def _classify(self, raw: str) -> str:
        word = fold(raw)
        readings = [word]
        letters = sum(c.isalpha() for c in word)
        # an evasion swaps a few letters ("P3rfume"); a word mostly of digits is a model code ("CP137")
        if self.evasions and not word.isalpha() and letters >= 2 and letters > len(word) - letters:
            readings += [word.translate(_LEET), word.translate(_LEET_L).translate(_LEET)]
        for reading in readings:
            for form in (singular(reading), reading):
                if form in self._vocabulary:
                    return form
        if self._endings and word.isalpha():
            for form in (word, singular(word)):
                if form.endswith(self._endings):
                    for ending, phrase in self._suffixes.items():
                        if form.endswith(ending) and len(form) >= len(ending) + 2:
                            return phrase
        if self.near_misses:
            for reading in readings:
                target = self._near(singular(reading)) or self._near(reading)
                if target:
                    return target
        return singular(word)

    def _near(self, word: str) -> str | None:
        if len(word) < 5 or not word.isalpha() or word in self._keep:
            return None
        candidates: set[str] = set(self._deletes.get(word, ()))
        for variant in _deletions(word):
            candidates |= self._deletes.get(variant, set())
            if variant in self._targets:
                candidates.add(variant)
        best = sorted(t for t in candidates if near_miss(word, t))
        return best[0] if best else None

    def chunk_words(self, chunk: str) -> frozenset[str]:
        """What the words of a chunk of text (any piece of it split at spaces or punctuation) are read as."""
        return frozenset(map(self.read, RAW_WORD_RE.findall(chunk)))

    @property
    def trigger_words(self) -> frozenset[str]:
        """The words the phrases are first looked for by (see `_trigger`): a text without one holds none."""
        return self._trigger_words

    @property
    def phrase_words(self) -> frozenset[str]:
        """The trigger words and the other words of their phrases: all `triggered` looks at."""
        return self._phrase_words

    def triggered(self, words: frozenset[str] | set[str]) -> bool:
        """Whether read words hold a phrase's trigger word (`_trigger`) and the other words of one of its
        phrases: a text whose words do not holds none of the phrases."""
        for trigger in words & self._trigger_words:
            needs = self._needs[trigger]
            # a trigger shared by many phrases: matching word by word is cheaper than testing them all
            if len(needs) > MANY_NEEDS or any(needed <= words for needed in needs):
                return True
        return False

    def needs(self, trigger: str) -> list[frozenset[str]]:
        """What `triggered` asks of words holding `trigger` besides it: all the words of one of these sets (an
        empty set: nothing more, as for a trigger shared by more than `MANY_NEEDS` phrases)."""
        needs = self._needs[trigger]
        return [frozenset()] if len(needs) > MANY_NEEDS else needs

    def may_match(self, text: str) -> bool:
        """False when `text` certainly holds none of the phrases: the cheap test `scan` starts with.

        The test pays off when trigger words are rare in the texts. When more than half of the first 2,000
        texts pass it anyway (a pack of phrases headed by common words), it is switched off and every text
        is matched word by word, which then costs less."""
        if not text:
            return False
        if len(self._canon) > MEMO_LIMIT or len(self._chunks) > MEMO_LIMIT:
            self._forget()
        if self._tested >= 2000:
            if self._passed * 2 > self._tested:
                return True
        else:
            self._tested += 1
            if self._could_match(text):
                self._passed += 1
                return True
            return False
        return self._could_match(text)

    def _forget(self) -> None:
        """Drop the words and chunks read so far: a cache, so a scanner kept for a long run stays bounded."""
        self._canon.clear()
        self._chunks.clear()
        self._hot.clear()

    def _could_match(self, text: str) -> bool:
        distinct = text_chunks(text)
        chunks = self._chunks
        for chunk in distinct.difference(chunks):
            chunks[chunk] = self._read_chunk(chunk)
        if self._hot.isdisjoint(distinct):
            return False
        return self.triggered(set().union(*map(chunks.__getitem__, distinct)))

    def scan(self, text: str) -> list[TextMatch[T]]:
        """Every phrase occurrence in `text`, longest phrase first at each word."""
        if not self.may_match(text):
            return []
        read = self.read
        spans = [(m.start(), m.end(), read(m.group())) for m in RAW_WORD_RE.finditer(text)]
        keys = [s[2] for s in spans]
        found: list[TextMatch[T]] = []
        for i, key in enumerate(keys):
            candidates = self._by_first.get(key)
            if not candidates:
                continue
            for phrase_key, phrase, value in candidates:
                n = len(phrase_key)
                if n == 1 or tuple(keys[i:i + n]) == phrase_key:
                    start, end = spans[i][0], spans[i + n - 1][1]
                    found.append(TextMatch(start, end, text[start:end], phrase, value))
        return found


SUFFIX_MARK = "*"  # a phrase "*ending" stands for the words that end so


# Words too common in titles to tell a text may hold a phrase: a phrase ending in one ("cologne for men",
# "tea bag", "cbd oil") is triggered by its longest other word.
_GENERIC = frozenset({"men", "women", "man", "woman", "kid", "child", "girl", "boy", "baby", "for", "with", "and",
                      "set", "kit", "bag", "case", "pack", "box", "oil", "piece", "pc", "new", "one", "ring", "stick",
                      "stone", "game", "product", "solution"})


def _trigger(key: tuple[str, ...]) -> str:
    """The word a phrase is first looked for by: its head noun (last word), rarer than its modifiers
    ("tea" of "black tea"), unless that is a generic word."""
    if key[-1] not in _GENERIC or len(key) == 1:
        return key[-1]
    return max((w for w in key if w not in _GENERIC), key=len, default=key[-1])


# ASCII punctuation (but the symbols that stand for letters) and common Unicode separators, as spaces.
_SEPARATORS = "".join(c for c in string.punctuation if c not in "@$!|*") + "\u2018\u2019\u201c\u201d\u2013\u2014" \
    "\u2022\u00b7\u00a0\u3001\u3002\uff0c\uff1a\uff1b\uff08\uff09"
_CHUNK_TABLE = str.maketrans(_SEPARATORS, " " * len(_SEPARATORS))


@lru_cache(maxsize=64)
def text_chunks(text: str) -> frozenset[str]:
    """The distinct lower-case chunks of a text split at spaces and punctuation: words, mostly (a chunk
    may still hold several words joined by a rare separator; `TextScanner` splits it once when it is new).
    `str.translate` + `split` is five times faster than a word regex on a 600-character description.
    Cached for the last texts, so rules scanning the same text one after the other split it once."""
    return frozenset(text.lower().translate(_CHUNK_TABLE).split())


def _deletions(word: str) -> list[str]:
    return [word[:i] + word[i + 1:] for i in range(len(word))]
