"""Near-duplicate titles at catalog scale, and titles that differ only by a colour or size word.

Comparing every pair of 100k titles is 5 billion comparisons (about 9 minutes even with rapidfuzz), so
pairs are found in three steps:

1. Blocking by prefix filtering (as in set-similarity joins): every distinct title word gets a global rank,
   rarest first. A title's *prefix* is its PREFIX rarest words, and the title is put in one bucket per pair
   of prefix words (with its category). Two titles with at least two words in common whose word sets
   differ by at most two words on each side (a swapped order, one word replaced or added, a typo, a copy)
   still share at least PREFIX - 2 = 2 prefix words, so they meet in at least one bucket. Rare words make buckets small; a bucket that is still large
   (titles made only of common words) is compared as a sorted neighbourhood instead of all its pairs.
2. Filtering the candidates by bag distance (letter, digit and space counts), a lower bound of the edit distance:
   exact, and it drops nearly all candidates of a catalog whose titles reuse the same few words.
3. Scoring what is left with rapidfuzz, 0-100: the better of `fuzz.ratio` of the titles' folded words as
   written and of the same words sorted alphabetically (rapidfuzz's `token_sort_ratio`): sorting forgives
   swapped words, the plain order a replaced word.

Titles are compared on folded words (lower case, no accents); a plural is another word to blocking (one
replaced word), and scores high in rapidfuzz.

The colour and size words (checks/variant_words.toml) split a title into its *base* (the other words) and its
*variant signature* (the colour and size words): two titles with the same base and different signatures are
one product split into several listings (AE509); titles that differ by a word of the `distinct` list or by a
number are different products, not repeated listings (AE601).
"""

from __future__ import annotations

import re
import struct
from array import array
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain, combinations
from operator import itemgetter
from typing import TYPE_CHECKING

from rapidfuzz import fuzz
from rapidfuzz.process import cpdist

from aelint.model import Cell
from aelint.ruledata import read_pack
from aelint.text import TEXT_CACHE_SIZE, fold, singular

if TYPE_CHECKING:
    import numpy as np  # imported where pairs are found: a small run that needs none starts faster
    import polars as pl

PREFIX = 4  # rarest words per title used for blocking; pairs of them are the bucket keys
MAX_BUCKET = 64  # larger buckets are compared as a sorted neighbourhood
WINDOW = 8  # neighbours compared in a large bucket


def _keys(text: str) -> tuple[str, ...]:
    return tuple(singular(fold(w)) for w in text.split())


@dataclass(frozen=True)
class VariantWords:
    """The variant word pack, folded and singular, ready for look-ups."""

    colours: frozenset[str]
    colour_phrases: frozenset[tuple[str, ...]]
    colour_modifiers: frozenset[str]
    sizes: frozenset[str]
    size_context: frozenset[str]
    size_words: frozenset[str]
    size_modifiers: frozenset[str]
    units: frozenset[str]
    not_variant: frozenset[tuple[str, ...]]
    distinct: frozenset[str]
    triggers: frozenset[str]  # any word that may start a variant word or phrase
    measure_re: re.Pattern[str]


@lru_cache(maxsize=1)
def variant_words() -> VariantWords:
    pack = read_pack("variant_words")
    colours, sizes = pack["colours"], pack["sizes"]

    def single(values: list[str]) -> frozenset[str]:
        return frozenset(k for v in values for k in _keys(v))

    def phrases(values: list[str]) -> frozenset[tuple[str, ...]]:
        return frozenset(_keys(v) for v in values)

    units = [fold(u) for u in sizes["units"]]
    measure = re.compile(r"^\d+(?:[.,]\d+)?(?:x\d+(?:[.,]\d+)?)*(?:" + "|".join(sorted(units, key=len)[::-1])
                         + r")$")
    words = VariantWords(
        colours=single(colours["words"]), colour_phrases=phrases(colours["phrases"]),
        colour_modifiers=single(colours["modifiers"]), sizes=single(sizes["words"]),
        size_context=single(sizes["with_size_word"]), size_words=single(sizes["size_words"]),
        size_modifiers=single(sizes["modifiers"]), units=frozenset(units),
        not_variant=phrases(pack["not_variant"]["phrases"]), distinct=single(pack["distinct"]["words"]),
        triggers=frozenset(), measure_re=measure)
    triggers = (words.colours | words.colour_modifiers | words.sizes | words.size_context | words.size_modifiers
                | {p[0] for p in words.colour_phrases})
    return VariantWords(**{**words.__dict__, "triggers": frozenset(triggers)})


@dataclass(frozen=True, slots=True)
class VariantSplit:
    base: frozenset[str]  # the title's other words
    signature: tuple[str, ...]  # its colour and size words, sorted ("blue", "xl")


@lru_cache(maxsize=TEXT_CACHE_SIZE)
def split_variant(keys: tuple[str, ...]) -> VariantSplit:
    """Separate a title's colour/size words from the rest (keys: folded singular words, in order)."""
    vw = variant_words()
    base: list[str] = []
    signature: list[str] = []
    n = len(keys)
    i = 0
    while i < n:
        word = keys[i]
        after = keys[i + 1] if i + 1 < n else ""
        before = keys[i - 1] if i else ""
        pair = (word, after)
        if pair in vw.not_variant:
            base += pair
            i += 2
        elif pair in vw.colour_phrases or (word in vw.colour_modifiers and after in vw.colours) or (
                word in vw.size_modifiers and after in vw.sizes):
            signature.append(f"{word} {after}")
            i += 2
        elif word in vw.colours or word in vw.sizes or vw.measure_re.match(word) or (
                word in vw.size_context and (before in vw.size_words or after in vw.size_words)):
            signature.append(word)
            i += 1
        elif word.isdigit() and after in vw.units and after != "in":  # "3 in 1" is not 3 inches
            signature.append(word + after)
            i += 2
        else:
            base.append(word)
            i += 1
    return VariantSplit(frozenset(base), tuple(sorted(set(signature))))


def variant_only(left: tuple[str, ...], right: tuple[str, ...]) -> bool:
    """Two titles that are the same words around different (non-empty) colour/size words."""
    a, b = split_variant(left), split_variant(right)
    return bool(a.signature and b.signature and a.signature != b.signature and a.base == b.base and a.base)


def distinct_products(left: tuple[str, ...], right: tuple[str, ...]) -> bool:
    """Titles that name different products: what differs is a number or model code ("iPhone 14" / "15"),
    not a size, or a word of the `distinct` list (men/women, pro, with/without...), on each side that has
    a difference.

    A typo in such a word ("Kids" / "Kiids") or a replaced ordinary word next to it is not a difference of
    product: only one side's differing words are marked.
    """
    a, b = set(left), set(right)
    only_left, only_right = a - b, b - a
    if not only_left and not only_right:
        return False
    vw = variant_words()

    def names_product(word: str) -> bool:
        if word in vw.distinct:
            return True
        # a number or model code, but not a size ("S-5XL", "30cm" say nothing about which product it is)
        return any(ch.isdigit() for ch in word) and word not in vw.sizes and not vw.measure_re.match(word)

    def marked(words: set[str]) -> bool:
        return not words or any(map(names_product, words))

    return marked(only_left) and marked(only_right)


# --- blocking and scoring --------------------------------------------------------------------------------

def candidate_pairs(word_lists: Sequence[Sequence[str]], groups: Sequence[int], order: Callable[[int], str],
                    prefix: int = PREFIX, max_bucket: int = MAX_BUCKET, window: int = WINDOW) -> np.ndarray:
    """Every candidate pair of `candidate_chunks`, as one sorted array of unique codes."""
    import numpy as np

    chunks = list(candidate_chunks(word_lists, groups, order, prefix, max_bucket, window))
    return _sorted_unique(np.concatenate(chunks)) if chunks else np.zeros(0, dtype=np.int64)


def candidate_chunks(word_lists: Sequence[Sequence[str]] | CodedTitles, groups: Sequence[int],
                     order: Callable[[int], str], prefix: int = PREFIX, max_bucket: int = MAX_BUCKET,
                     window: int = WINDOW,
                     keep: Callable[[np.ndarray, np.ndarray], np.ndarray] | None = None,
                     arrange: Callable[[np.ndarray], np.ndarray] | None = None) -> Iterator[np.ndarray]:
    """Pairs of titles in the same group that share prefix words (see module doc), as codes i * n + j with
    i < j, in chunks (one per distance in a bucket; sorted and unique within a chunk, a pair may recur in a
    later chunk): the memory of one chunk at a time, about 6 codes per title, however many pairs in all.
    `keep(i, j)`, given arrays of pairs, says which to keep (a boolean array): a filter applied before a
    chunk is sorted, so that the pairs it drops are never sorted.

    `word_lists` are the titles' words (or them as ids: `CodedTitles`); `groups` small ints (category ids);
    `order(i)` is title i's sort key for comparing a large bucket as a sorted neighbourhood (`arrange`, if
    given, puts the titles of large buckets, an increasing array, in that order in bulk, instead of sorting
    them by `order`). Any total order of the words finds every pair; rarest first keeps buckets small. The
    work is done on numpy arrays, in helpers whose intermediate arrays are freed before the first chunk:
    between chunks only the buckets' members are kept.
    """
    import numpy as np

    n = len(word_lists)
    if n < 2:
        return
    table, size = _prefix_table(word_lists if isinstance(word_lists, CodedTitles) else CodedTitles(word_lists), prefix)
    del word_lists  # (the words as ids are not kept while the pairs are made)
    owners, run, run_size, large = _buckets(table, groups, size, order, max_bucket, arrange)
    del table, large, arrange  # (a large bucket is one of more than max_bucket members)
    for gap in range(1, int(min(run_size.max(), max_bucket + 1))):
        # Only the buckets with members `gap` places apart (not the large ones past the window) give pairs:
        # the others are dropped once they are at least half the entries left (whole buckets, in order).
        wider = run_size > gap if gap <= window else (run_size > gap) & (run_size <= max_bucket)
        if np.count_nonzero(wider) <= len(wider) // 2:
            owners, run, run_size = owners[wider], run[wider], run_size[wider]
            wider = None
        same = run[gap:] == run[:-gap]
        if wider is not None:
            same &= wider[gap:]
        if not same.any():
            break
        left, right = owners[:-gap][same], owners[gap:][same]
        first, second = np.minimum(left, right), np.maximum(left, right)
        del left, right
        if keep is not None:
            kept = keep(first, second)
            first, second = first[kept], second[kept]
        yield _sorted_unique(first * n + second)


TITLES_AT_A_TIME = 1 << 15  # titles whose word ranks are sorted at once while the prefix table is built


class CodedTitles:
    """The titles' words as ids, worked out once for the blocking and the bag filter: `vocabulary` (every
    distinct word, sorted), `ids` (every title's words end to end, each as its place in `vocabulary`),
    `lengths` (each title's number of words) and `ends` (where each title's words end in `ids`)."""

    def __init__(self, word_lists: Sequence[Sequence[str]]):
        import numpy as np

        if isinstance(word_lists, TitleWordIds):  # already as ids: only the vocabulary to sort
            self.vocabulary, self.ids, self.lengths = word_lists.sorted_ids()
        else:
            self.vocabulary = sorted(set().union(*word_lists))
            word_id = dict(zip(self.vocabulary, range(len(self.vocabulary))))
            self.lengths = np.fromiter(map(len, word_lists), dtype=np.int64, count=len(word_lists))
            self.ids = np.fromiter(map(word_id.__getitem__, chain.from_iterable(word_lists)), dtype=np.int32,
                                   count=int(self.lengths.sum()))
        self.ends = np.cumsum(self.lengths)

    def __len__(self) -> int:
        return len(self.lengths)

    def words_from(self, title: int) -> int:
        """Where title `title`'s words start in `ids`."""
        return int(self.ends[title - 1]) if title else 0


def _prefix_table(coded: CodedTitles, prefix: int) -> tuple[np.ndarray, int]:
    """Each title's `prefix` rarest distinct words as global ranks in increasing order (an n x prefix array;
    0 where a title has fewer words), and the number of ranks + 1. Ranks: rarest first, then by word."""
    import numpy as np

    n, ids, lengths = len(coded), coded.ids, coded.lengths
    size = len(coded.vocabulary) + 1  # ranks run from 1; 0 marks "no word" in the prefix table
    counts = np.bincount(ids, minlength=size - 1)
    rank_of = np.empty(size - 1, dtype=np.int64)
    rank_of[np.lexsort((np.arange(size - 1), counts))] = np.arange(1, size)
    table = np.zeros((n, prefix), dtype=np.uint64)
    for first in range(0, n, TITLES_AT_A_TIME):  # a slice of titles at a time: memory of the slice, not of all
        last = min(first + TITLES_AT_A_TIME, n)
        words_from, words_to = coded.words_from(first), coded.words_from(last)
        # Each title's distinct word ranks in increasing order: sort (title, rank) codes, drop repeats.
        codes = np.repeat(np.arange(last - first, dtype=np.int64), lengths[first:last]) * size
        codes += rank_of[ids[words_from:words_to]]
        codes = _sorted_unique(codes, nearly_sorted=True)
        title, ranks = np.divmod(codes, size)
        starts = np.flatnonzero(np.r_[True, title[1:] != title[:-1]])
        position = np.arange(len(codes)) - np.repeat(starts, np.diff(np.r_[starts, len(codes)]))
        keep = position < prefix
        table[first + title[keep], position[keep]] = ranks[keep].astype(np.uint64)
    return table, size


def _buckets(table: np.ndarray, groups: Sequence[int], size: int, order: Callable[[int], str], max_bucket: int,
             arrange: Callable[[np.ndarray], np.ndarray] | None = None
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The buckets as runs of one array of their members: `owners` (title indexes) grouped by bucket, and per
    entry its run's number, the run's size and whether the bucket is large; a large bucket's members are
    in the order of `order` (a sorted neighbourhood; `arrange` puts them in it in bulk), a small one's in
    title order."""
    import numpy as np

    n, prefix = table.shape
    # Bucket keys: (group, rank a, rank b) packed in 64 bits. A wrap-around on huge catalogs only merges
    # buckets, which adds candidates to score but never loses one.
    base = np.asarray(groups, dtype=np.uint64) * np.uint64(size) * np.uint64(size)
    width = np.uint64(size)
    keys, owners = [], []
    for a, b in combinations(range(prefix), 2):
        has = table[:, b] > 0
        keys.append(base[has] + table[has, a] * width + table[has, b])
        owners.append(np.flatnonzero(has))
    single = (table[:, 0] > 0) & (table[:, 1] == 0)  # one-word titles: a bucket per word
    keys.append(base[single] + table[single, 0])
    owners.append(np.flatnonzero(single))
    del base, has, single
    all_keys, all_owners = np.concatenate(keys), np.concatenate(owners)
    del keys, owners
    by_key = np.lexsort((all_owners, all_keys))
    all_keys, all_owners = all_keys[by_key], all_owners[by_key]
    del by_key
    # Runs of equal keys are the buckets; pairs are members `gap` places apart in a run.
    new_run = np.r_[True, all_keys[1:] != all_keys[:-1]]
    del all_keys
    run = np.cumsum(new_run, dtype=np.int32) - 1  # int32: 2**31 buckets would need 350 million titles
    run_size = np.diff(np.r_[np.flatnonzero(new_run), len(new_run)]).astype(np.int32)[run]
    del new_run
    large = run_size > max_bucket
    if large.any():  # a large bucket: only near neighbours in the order of the titles' sorted words
        members = _sorted_unique(all_owners[large])
        ranked = np.asarray(arrange(members) if arrange else sorted(members.tolist(), key=order),
                            dtype=np.int64)  # place in the order -> title
        del members
        position_of = np.zeros(n, dtype=np.int64)
        position_of[ranked] = np.arange(len(ranked))
        # Entries sorted by (run, title) in a small bucket, (run, place in the order) in a large one, as one
        # int64 each (a stable sort takes the runs already in order as they are), then read back as titles.
        secondary = all_owners.copy()
        secondary[large] = position_of[all_owners[large]]
        del position_of
        within = run.astype(np.int64) * n + secondary
        del secondary
        within.sort(kind="stable")
        all_owners = within - run.astype(np.int64) * n  # (the runs stay where they were: they are sorted)
        del within
        all_owners[large] = ranked[all_owners[large]]
    return all_owners, run, run_size, large


def _sorted_unique(values: np.ndarray, nearly_sorted: bool = False) -> np.ndarray:
    """np.unique by sorting (numpy 2's hash-based unique is several times slower on a million ints). Values
    in sorted runs (`nearly_sorted`: each title's words, title after title) are merged by a stable sort,
    which takes the runs as they are (6x faster there than the default sort)."""
    import numpy as np

    values = np.sort(values, kind="stable" if nearly_sorted else None)
    return values[np.r_[True, values[1:] != values[:-1]]] if len(values) else values


# Character buckets for the bag-distance filter: a-z, 0-9, and everything else ignored (non-ASCII bytes too).
_BUCKETS = 36
_BUCKET_OF = bytes(b"abcdefghijklmnopqrstuvwxyz0123456789".find(bytes([c])) % (_BUCKETS + 1) for c in range(256))
_SPACES = _BUCKETS  # a title's histogram counts its spaces (the words joined) after the buckets
_ROW = 40  # a histogram's bytes: the buckets, the spaces, then zeros up to five 64-bit words (summed as such)


def _histograms(texts: Sequence[str]) -> np.ndarray:
    """Per text, how many times each of a-z and 0-9 occurs, at most 255 (an n x 36 array of uint8: a count
    cut to 255 on both sides of a pair differs by no more than the counts, so the bag distance of cut counts
    is still a lower bound of the edit distance)."""
    import numpy as np

    encoded = [t.encode("utf-8") for t in texts]
    lengths = np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded))
    buckets = np.frombuffer(b"".join(encoded).translate(_BUCKET_OF), dtype=np.uint8).astype(np.int64)
    owner = np.repeat(np.arange(len(encoded), dtype=np.int64), lengths)
    kept = buckets < _BUCKETS
    flat = np.bincount(owner[kept] * _BUCKETS + buckets[kept], minlength=len(encoded) * _BUCKETS)
    return np.minimum(flat, 255).astype(np.uint8).reshape(len(encoded), _BUCKETS)


PAIRS_AT_A_TIME = 1 << 15  # candidate pairs whose bag distance is worked out at once (bounds its memory)
HISTOGRAMS_AT_A_TIME = 1 << 13  # titles whose words' histograms are added up at once (bounds its memory)


def _title_histograms(coded: CodedTitles) -> tuple[np.ndarray, np.ndarray]:
    """`_histograms` of the titles' texts (words joined by a space) as rows of `_ROW` bytes, with the
    number of spaces (at most 255) after the buckets (`_SPACES`), and the texts' lengths, added up from their
    words' (each distinct word counted once). A pair's scores, on its words as written and sorted, compare
    texts of the same characters, spaces among them: each space apart is an edit too.

    The words' rows are added as five 64-bit words of eight byte counts each (a tenth of the work of adding
    36 counts): exact for a title of at most 255 characters, whose counts cannot carry into the next byte.
    Longer titles are added up again in wider counts, cut to 255."""
    import numpy as np

    n, lengths = len(coded), coded.lengths
    per_word = np.zeros((len(coded.vocabulary), _ROW), dtype=np.uint8)
    per_word[:, :_BUCKETS] = _histograms(coded.vocabulary)  # (a count over 255 in a word: the title's 255 too)
    word_size = np.fromiter(map(len, coded.vocabulary), dtype=np.int64, count=len(coded.vocabulary))
    histogram = np.zeros((n, _ROW), dtype=np.uint8)
    size = np.zeros(n, dtype=np.int64)
    for first in range(0, n, HISTOGRAMS_AT_A_TIME):
        last = min(first + HISTOGRAMS_AT_A_TIME, n)
        titles = first + np.flatnonzero(lengths[first:last])  # titles with words (a title without has none)
        if not len(titles):
            continue
        words_from = coded.words_from(first)
        ids = coded.ids[words_from:coded.words_from(last)]
        starts = coded.ends[titles] - lengths[titles] - words_from
        histogram.view(np.uint64)[titles] = np.add.reduceat(per_word.view(np.uint64)[ids], starts, axis=0)
        size[titles] = np.add.reduceat(word_size[ids], starts) + lengths[titles] - 1
    long = np.flatnonzero(size > 255)
    for first in range(0, len(long), HISTOGRAMS_AT_A_TIME):
        titles = long[first:first + HISTOGRAMS_AT_A_TIME]
        counts = lengths[titles]
        starts = np.cumsum(counts) - counts
        ids = coded.ids[np.repeat(coded.ends[titles] - counts - starts, counts) + np.arange(int(counts.sum()))]
        histogram[titles] = np.minimum(np.add.reduceat(per_word[ids], starts, axis=0, dtype=np.uint32), 255)
    histogram[:, _SPACES] = np.clip(lengths - 1, 0, 255)
    return histogram, size


COARSE_GROUPS = 16  # letter and digit groups of the coarse histogram that screens candidates first


def _coarse_histograms(histogram: np.ndarray) -> np.ndarray:
    """The histograms' 36 buckets and spaces summed in COARSE_GROUPS groups (at most 255 each: n x 16 bytes),
    the buckets dealt out so that the groups hold about as many of the catalog's characters each. The distance of two coarse
    histograms (the sum of their groups' differences) is at most that of their histograms: a lower bound of
    the bag distance, at 16 bytes a title instead of 40."""
    import numpy as np

    totals = histogram[:, :_SPACES + 1].sum(axis=0, dtype=np.int64)
    load = [0] * COARSE_GROUPS
    members: list[list[int]] = [[] for _ in range(COARSE_GROUPS)]
    for bucket in np.argsort(-totals, kind="stable").tolist():  # the most common letters dealt out first
        group = load.index(min(load))
        members[group].append(bucket)
        load[group] += int(totals[bucket])
    coarse = np.empty((len(histogram), COARSE_GROUPS), dtype=np.uint8)
    for group, buckets in enumerate(members):
        coarse[:, group] = np.minimum(histogram[:, buckets].sum(axis=1, dtype=np.int64), 255)
    return coarse


def _byte_distances(rows: np.ndarray, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """For pairs of rows of `rows` (uint8, a multiple of 8 bytes wide, at most 40), the sum of their bytes'
    differences, in 64-bit words (2x faster than numpy's sum over a row): bytes added in pairs (16-bit
    lanes, at most 510), the words added (at most 2550 a lane), then the four lanes, by a multiplication that
    leaves their sum in the top lane."""
    import numpy as np

    x, y = rows.take(left, axis=0), rows.take(right, axis=0)  # (take: 4x faster than rows[left])
    difference = (np.maximum(x, y) - np.minimum(x, y)).view(np.uint64)
    even_bytes = np.uint64(0x00FF00FF00FF00FF)
    lanes = difference & even_bytes
    lanes += (difference >> np.uint64(8)) & even_bytes
    total = lanes[:, 0].copy()
    for word in range(1, lanes.shape[1]):
        total += lanes[:, word]
    return (total * np.uint64(0x0001000100010001)) >> np.uint64(48)


def _bag_filter(coded: CodedTitles, threshold: float) -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
    """A `keep` for `candidate_chunks`: true for the pairs whose bag distance (the difference of their titles'
    letter, digit and space counts) lets their score reach `threshold`. The coarse histograms' distance, a lower
    bound of it, screens the pairs first (it drops about 95% of them on a generated catalog); the bag
    distance is worked out for the rest."""
    import numpy as np

    histogram, size = _title_histograms(coded)
    coarse = _coarse_histograms(histogram)
    slack = 1.0 - threshold / 100.0

    def keep(left: np.ndarray, right: np.ndarray) -> np.ndarray:
        fits = np.zeros(len(left), dtype=bool)
        for start in range(0, len(left), PAIRS_AT_A_TIME):
            a, b = left[start:start + PAIRS_AT_A_TIME], right[start:start + PAIRS_AT_A_TIME]
            bound = slack * (size.take(a) + size.take(b)) + 1e-9
            maybe = np.flatnonzero(_byte_distances(coarse, a, b) <= bound)
            if len(maybe):
                fits[start + maybe] = _byte_distances(histogram, a.take(maybe), b.take(maybe)) <= bound.take(maybe)
        return fits

    return keep


def similar_pairs(word_lists: Sequence[Sequence[str]], groups: Sequence[int],
                  threshold: float) -> list[tuple[int, int, float]]:
    """Pairs (i, j, score) with i < j in the same group whose titles score at least `threshold` (0-100).

    The score is the better of rapidfuzz's ratio on the folded words as written and on the words sorted
    (the token sort ratio): sorting forgives a changed word order, but moves a replaced word to another
    place, which the plain ratio does not. Before rapidfuzz, candidates are filtered by their bag distance
    (the difference of their letter, digit and space counts), a lower bound of the edit distance both ratios
    use: a pair it drops cannot reach the threshold, so the filter loses nothing, and it removes nearly
    every candidate of a catalog whose titles are all made of the same few words.
    """
    if len(word_lists) <= MAX_BUCKET:
        return _small_similar_pairs(word_lists, groups, threshold, lambda i: " ".join(sorted(word_lists[i])))
    return _array_similar_pairs(word_lists, groups, threshold)


SCORES_AT_A_TIME = 1 << 15  # pairs scored by rapidfuzz at once (bounds the memory of their texts)


def _array_similar_pairs(word_lists: Sequence[Sequence[str]], groups: Sequence[int],
                         threshold: float) -> list[tuple[int, int, float]]:
    """`similar_pairs` on numpy arrays: blocking and the bag-distance filter a chunk of candidates at a time
    (memory grows with the titles, not with their candidate pairs), then rapidfuzz's cpdist on the pairs
    the filter kept, each once, in sorted slices whose titles' texts are made once each."""
    import numpy as np

    n = len(word_lists)
    coded = CodedTitles(word_lists)
    chunks = candidate_chunks(coded, groups, lambda i: " ".join(sorted(word_lists[i])),
                              keep=_bag_filter(coded, threshold), arrange=_by_sorted_words(coded))
    del coded  # (freed once the blocking has its ranks)
    kept = list(chunks)
    codes = _sorted_unique(np.concatenate(kept)) if kept else np.zeros(0, dtype=np.int64)
    del kept
    found: list[tuple[int, int, float]] = []
    for start in range(0, len(codes), SCORES_AT_A_TIME):
        left, right = (part.tolist() for part in np.divmod(codes[start:start + SCORES_AT_A_TIME], n))
        titles = sorted({*left, *right})
        words = (word_lists.words_of(titles) if isinstance(word_lists, TitleWordIds)
                 else [word_lists[i] for i in titles])
        sorted_texts = dict(zip(titles, [" ".join(sorted(title)) for title in words]))
        plain_texts = dict(zip(titles, map(" ".join, words)))
        scores = np.maximum(
            cpdist([sorted_texts[i] for i in left], [sorted_texts[j] for j in right], scorer=fuzz.ratio,
                   score_cutoff=threshold, workers=-1),
            cpdist([plain_texts[i] for i in left], [plain_texts[j] for j in right], scorer=fuzz.ratio,
                   score_cutoff=threshold, workers=-1))
        found += [(i, j, score) for i, j, score in zip(left, right, scores.tolist()) if score >= threshold]
    return found


def _by_sorted_words(coded: CodedTitles) -> Callable[[np.ndarray], np.ndarray] | None:
    """An `arrange` for `candidate_chunks`: titles (an increasing array) in the order of their words sorted and
    joined by spaces (`similar_pairs`' order; equal texts in title order), from the words' ids. The ids are
    places in the sorted vocabulary, so each title's ids sorted, as big-endian bytes, compare as its text
    does, unless a word holds a character that sorts before the joining space (None then: sort the texts)."""
    import numpy as np

    if min("".join(coded.vocabulary), default="!") <= " ":
        return None

    def arrange(titles: np.ndarray) -> np.ndarray:
        counts = coded.lengths[titles]
        bounds = np.cumsum(counts)
        where = np.repeat(coded.ends[titles] - bounds, counts) + np.arange(int(bounds[-1]) if len(bounds) else 0)
        codes = np.repeat(np.arange(len(titles), dtype=np.int64), counts) * len(coded.vocabulary) + coded.ids[where]
        codes.sort()
        words = (codes % len(coded.vocabulary)).astype(">u4").tobytes()
        ends = (4 * bounds).tolist()
        keys = [words[start:end] for start, end in zip([0, *ends], ends)]
        return titles[sorted(range(len(keys)), key=keys.__getitem__)]

    return arrange


def _small_similar_pairs(word_lists: Sequence[Sequence[str]], groups: Sequence[int], threshold: float,
                         sorted_text: Callable[[int], str]) -> list[tuple[int, int, float]]:
    """`similar_pairs` for a catalog of at most MAX_BUCKET titles, in plain Python (no numpy to load for a
    small file): the same blocking (no bucket can be large here), no bag filter (it only saves time) and
    the same scores, rounded to float32 as rapidfuzz's `cpdist` returns them."""
    counts: dict[str, int] = {}
    for word in chain.from_iterable(word_lists):
        counts[word] = counts.get(word, 0) + 1
    rank = {word: r for r, word in enumerate(sorted(counts, key=lambda w: (counts[w], w)), start=1)}
    buckets: dict[tuple[int, ...], list[int]] = {}
    for i, words in enumerate(word_lists):
        prefix = sorted({rank[w] for w in words})[:PREFIX]
        keys = [(groups[i], prefix[a], prefix[b]) for a, b in combinations(range(len(prefix)), 2)]
        if len(prefix) == 1:
            keys.append((groups[i], prefix[0]))
        for key in keys:
            buckets.setdefault(key, []).append(i)
    candidates = sorted({pair for members in buckets.values() for pair in combinations(members, 2)})
    found = []
    for i, j in candidates:
        score = max(fuzz.ratio(sorted_text(i), sorted_text(j), score_cutoff=threshold),
                    fuzz.ratio(" ".join(word_lists[i]), " ".join(word_lists[j]), score_cutoff=threshold))
        if score >= threshold:
            found.append((i, j, struct.unpack("f", struct.pack("f", score))[0]))
    return found


# --- per-catalog analysis shared by AE601 and AE509 ---------------------------------------------------------

def title_keys(product) -> tuple[str, ...]:
    """A product's title as folded singular words, in order."""
    return tuple(map(singular, product.title_words))


class TitleWordIds(Sequence[tuple[str, ...]]):
    """Titles' folded words kept as ids (4 bytes a word, not a tuple of strings a title): `vocabulary` (each
    distinct word, in the order first met), `ids` (every title's words end to end) and `ends` (where each
    title's words end in `ids`), in stdlib arrays (no numpy for a small catalog). `words[i]` is title i's
    words as a tuple."""

    def __init__(self) -> None:
        self.vocabulary: list[str] = []
        self._id_of: dict[str, int] = {}
        self.ids = array("i")
        self.ends = array("q")

    def __len__(self) -> int:
        return len(self.ends)

    def __getitem__(self, i: int) -> tuple[str, ...]:  # type: ignore[override]  (no slices)
        ends = self.ends
        if i < 0:
            i += len(ends)
        if not 0 <= i < len(ends):
            raise IndexError("title index out of range")
        ids = self.ids[ends[i - 1] if i else 0:ends[i]]
        # (itemgetter makes the tuple at once: twice as fast; it gives a bare word for one id)
        return itemgetter(*ids)(self.vocabulary) if len(ids) > 1 else tuple(map(self.vocabulary.__getitem__, ids))

    def append(self, words: Iterable[str]) -> None:
        """Add a title's words."""
        self.ids.extend(map(self.id_of, words))
        self.ends.append(len(self.ids))

    def extend(self, vocabulary: list[str], ids: np.ndarray, lengths: np.ndarray) -> None:
        """Add titles given as ids into `vocabulary` (`ids` end to end, `lengths` words each)."""
        import numpy as np

        to_ours = np.fromiter(map(self.id_of, vocabulary), dtype=np.int32, count=len(vocabulary))
        self.ids.frombytes(to_ours[ids].tobytes())
        self.ends.frombytes((len(self.ids) - int(lengths.sum()) + np.cumsum(lengths, dtype=np.int64)).tobytes())

    def id_of(self, word: str) -> int:
        """A word's id, given it on first sight."""
        found = self._id_of.get(word)
        if found is None:
            found = self._id_of[word] = len(self.vocabulary)
            self.vocabulary.append(word)
        return found

    def ids_of(self, titles: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The word ids of these titles (indexes) end to end, and each one's number of words."""
        import numpy as np

        ends = np.frombuffer(self.ends, dtype=np.int64)
        counts = ends[titles] - np.where(titles > 0, ends[titles - 1], 0)
        bounds = np.cumsum(counts)
        where = np.repeat(ends[titles] - bounds, counts) + np.arange(int(bounds[-1]) if len(bounds) else 0)
        return np.frombuffer(self.ids, dtype=np.int32)[where], counts

    def words_of(self, titles: list[int]) -> list[list[str]]:
        """The words of these titles (indexes), in bulk."""
        import numpy as np

        ids, counts = self.ids_of(np.array(titles, dtype=np.int64))
        words = list(map(self.vocabulary.__getitem__, ids.tolist()))
        bounds = np.cumsum(counts).tolist()
        return [words[start:stop] for start, stop in zip([0, *bounds], bounds)]

    def titles_with(self, flagged: Sequence[bool]) -> list[int]:
        """The titles (indexes, in order) with a word whose id is flagged."""
        if len(self.ends) <= MAX_BUCKET:  # (a small catalog: no numpy to load)
            ids, ends = self.ids, self.ends
            return [i for i in range(len(ends)) if any(map(flagged.__getitem__, ids[ends[i - 1] if i else 0:ends[i]]))]
        import numpy as np

        where = np.flatnonzero(np.array(flagged, dtype=bool)[np.frombuffer(self.ids, dtype=np.int32)])
        return _sorted_unique(np.searchsorted(np.frombuffer(self.ends, dtype=np.int64), where, side="right"),
                              nearly_sorted=True).tolist()

    def sorted_ids(self) -> tuple[list[str], np.ndarray, np.ndarray]:
        """The vocabulary sorted, every title's words as ids into it (int32, end to end), and each title's
        number of words (int64): `CodedTitles`' fields."""
        import numpy as np

        order = sorted(range(len(self.vocabulary)), key=self.vocabulary.__getitem__)
        rank = np.empty(len(order), dtype=np.int32)
        rank[order] = np.arange(len(order), dtype=np.int32)
        ends = np.frombuffer(self.ends, dtype=np.int64) if len(self.ends) else np.zeros(0, dtype=np.int64)
        ids = rank[np.frombuffer(self.ids, dtype=np.int32)] if len(self.ids) else np.zeros(0, dtype=np.int32)
        return [self.vocabulary[k] for k in order], ids, np.diff(ends, prepend=0)


class TitleTable:
    """The titled products of a catalog with what AE601 and AE509 compare, as compact facts: per titled
    product its ref (row, product id), its title's folded words (`TitleWordIds`), its title cell (`title_cells`) and
    a category id. Made once per catalog and fed each batch of products once (`add`), whichever rule asks
    first. The titles' texts are needed only for the few findings: each batch's are kept compressed."""

    def __init__(self, catalog):
        self.products: list = []  # ProductRef of each titled product
        self.words = TitleWordIds()  # each title's folded words
        self._title_rows: list[int] = []  # each title cell's row and column
        self._title_columns: list[str] = []
        self._title_texts: list[bytes] = []  # each batch's titles, compressed (`_keep_titles`)
        self._batch_starts: list[int] = []  # the table index of each batch's first title
        self.groups: list[int] = []  # category ids: the same category in any case or spacing is one group
        self.categories: list[str] = []  # id -> the category as compared ("" for none)
        self._group_of: dict[str, int] = {}
        self._fed: tuple[int, list[int]] | None = None  # (first row of the last batch, its products' indexes)

    def add(self, products: list) -> list[int]:
        """Take a batch's titled products (once per batch); each product's index in the table, -1 if untitled."""
        if not products:
            return []
        if self._fed is not None and self._fed[0] == products[0].row:  # a product's first row is its own
            return self._fed[1]
        from aelint.facts import product_ref

        indexes, cells = [], []  # title cells (a title may stand on a later row, or in another column)
        for product in products:
            words = product.title_words
            if not words:
                indexes.append(-1)
                continue
            indexes.append(len(self.products))
            self.products.append(product_ref(product))
            self.words.append(words)
            cells.append(product.cell("title"))
            self.groups.append(self._group(product.values.get("category", "")))
        self._keep_titles([c.row for c in cells], [c.column for c in cells], [c.value for c in cells])
        self._fed = (products[0].row, indexes)
        return indexes

    def add_table(self, table) -> list[int]:
        """`add` over the batch's columns (an aelint.table.CatalogTable): the same facts and indexes, each
        distinct chunk of the titles cut into words once (no word spans a space), the facts made in bulk."""
        import numpy as np

        from aelint.text import words as title_words

        count = table.products.height
        if not count:
            return []
        first_row = table.products["row"][0]
        if self._fed is not None and self._fed[0] == first_row:
            return self._fed[1]
        vocabulary: dict[str, int] = {}
        owners, ids = table.title_values(lambda chunk: [vocabulary.setdefault(w, len(vocabulary))
                                                        for w in title_words(chunk)])
        counts = np.bincount(owners, minlength=count)
        titled = np.flatnonzero(counts)
        self.words.extend(list(vocabulary), ids, counts[titled])
        first = len(self.products)
        indexes = np.full(count, -1, dtype=np.int64)
        indexes[titled] = np.arange(first, first + len(titled))
        frame = table.products.select("row", "title", table.text("category").alias("category"))
        if len(titled) < count:  # (a gather copies every title)
            frame = frame[titled]
        rows, categories = frame["row"].to_list(), frame["category"].to_list()
        titled_indexes = titled.tolist()
        self.products.extend(map(table.product_refs.__getitem__, titled_indexes))
        group_of = {category: self._group(category) for category in dict.fromkeys(categories)}  # ids as they come
        self.groups.extend(map(group_of.__getitem__, categories))
        columns = [table.catalog.columns.get("title", "title")] * len(rows)
        for index in table.cells_apart:  # a title from a later row, or another column, than its own
            if indexes[index] >= 0:
                cell = table.product(index).cell("title")
                rows[indexes[index] - first], columns[indexes[index] - first] = cell.row, cell.column
        self._keep_titles(rows, columns, frame["title"])
        self._fed = (first_row, indexes.tolist())
        return self._fed[1]

    def _keep_titles(self, rows: list[int], columns: list[str], texts: list[str] | pl.Series) -> None:
        """Keep a batch's title cells (each one's row, column and text): rows and columns as they are, the
        texts compressed: a list pickled and zlib'd, a polars column (a batch's columns) written as Arrow IPC
        with zstd (twice as fast, as small)."""
        if not len(texts):
            return
        self._batch_starts.append(len(self._title_rows))
        self._title_rows.extend(rows)
        self._title_columns.extend(columns)
        if isinstance(texts, list):
            import pickle  # here, not at start-up: a small catalog never needs it
            import zlib

            self._title_texts.append(zlib.compress(pickle.dumps(texts, pickle.HIGHEST_PROTOCOL), 1))
            return
        import io

        written = io.BytesIO()
        texts.to_frame("title").write_ipc(written, compression="zstd")
        self._title_texts.append(written.getvalue())

    def _titles(self, batch: int) -> list[str]:
        """A batch's title texts, as `_keep_titles` kept them."""
        kept = self._title_texts[batch]
        if kept.startswith(b"ARROW1"):  # (a zlib stream starts with 0x78)
            import io

            import polars as pl

            return pl.read_ipc(io.BytesIO(kept))["title"].to_list()
        import pickle
        import zlib

        return pickle.loads(zlib.decompress(kept))

    def title_cells(self, indexes: Iterable[int]) -> dict[int, Cell]:
        """The title cells (where each stands, its text) of these titles, by index: each batch read once."""
        cells: dict[int, Cell] = {}
        opened, titles = -1, []
        for i in sorted(set(indexes)):
            batch = bisect_right(self._batch_starts, i) - 1
            if batch != opened:
                opened, titles = batch, self._titles(batch)
            cells[i] = Cell("title", titles[i - self._batch_starts[batch]], self._title_rows[i], self._title_columns[i])
        return cells

    def _group(self, category: str) -> int:
        """The id of a category as compared (any case or spacing)."""
        key = " ".join(category.casefold().split())
        group = self._group_of.get(key)
        if group is None:
            group = self._group_of[key] = len(self.categories)
            self.categories.append(key)
        return group

    def keys(self, i: int) -> tuple[str, ...]:
        """Title i's folded singular words, in order."""
        return tuple(map(singular, self.words[i]))

    def variant_candidates(self) -> list[list[int]]:
        """Groups of titles (indexes) that may differ only by colour/size words, for `split_variant` to settle.

        A title's coarse key is its category and its singular words minus every word that can be part of a
        colour or size (colour and size words, modifiers, units, words starting with a digit). Titles with
        the same base words have the same coarse key, so only titles that share one need the exact split.
        """
        vw = variant_words()
        key_of = list(map(singular, self.words.vocabulary))  # by word id
        loose = vw.triggers | vw.units | vw.size_words | {k for k in key_of if k[:1].isdigit()}
        loose |= {w for phrase in vw.not_variant | vw.colour_phrases for w in phrase}
        # Titles without a colour/size trigger cannot have a signature ("2022" is only loose next to a unit).
        may_vary = [k in vw.triggers or k in vw.units or vw.measure_re.match(k) is not None for k in key_of]
        kept = [None if k in loose else k for k in key_of]  # a word's key, None where loose
        coarse: dict[tuple[int, frozenset[str]], list[int]] = {}
        groups, ids, ends = self.groups, self.words.ids, self.words.ends
        titles = self.words.titles_with(may_vary)
        if len(titles) > MAX_BUCKET:
            titles = self._sharing_coarse_hash(titles, kept)
        for i in titles:
            title_ids = ids[ends[i - 1] if i else 0:ends[i]]
            coarse.setdefault((groups[i], frozenset(filter(None, map(kept.__getitem__, title_ids)))), []).append(i)
        return [members for members in coarse.values() if len(members) > 1]

    def _sharing_coarse_hash(self, titles: list[int], kept: list[str | None]) -> list[int]:
        """Of these titles, those whose coarse key (category, set of kept word keys) hashes as another's: a
        superset of those that share a coarse key, found in numpy (a title's hash is the sum of random
        64-bit numbers, one per distinct key and one per category) so that the keys are built in Python
        for those few only."""
        import numpy as np

        key_id: dict[str, int] = {}
        by_word = np.array([-1 if key is None else key_id.setdefault(key, len(key_id)) for key in kept], dtype=np.int64)
        chosen = np.array(titles, dtype=np.int64)
        ids, counts = self.words.ids_of(chosen)
        keys, owner = by_word[ids], np.repeat(np.arange(len(chosen), dtype=np.int64), counts)
        span = len(key_id) + 1
        codes = _sorted_unique(owner[keys >= 0] * span + keys[keys >= 0], nearly_sorted=True)  # each title's, once
        draws = np.random.default_rng(0).integers(0, 2**63, size=span + len(self.categories), dtype=np.uint64)
        hashes = draws[span + np.array(self.groups, dtype=np.int64)[chosen]]
        np.add.at(hashes, codes // span, draws[codes % span])
        _, which, repeats = np.unique(hashes, return_inverse=True, return_counts=True)
        return chosen[repeats[which] > 1].tolist()


def title_table(catalog) -> TitleTable:
    """The catalog's title table, made once per catalog (AE601 and AE509 both feed and use it)."""
    return catalog.shared(TitleTable)
