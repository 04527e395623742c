"""aelint.similar's bulk shortcuts give exactly what the plain Python they replace gives."""

from __future__ import annotations

import random

import numpy as np

from aelint import similar


def _titles(rng: random.Random, count: int, vocabulary: list[str]) -> list[list[str]]:
    return [[rng.choice(vocabulary) for _ in range(rng.randint(1, 7))] for _ in range(count)]


# words that are prefixes of others ("ab" / "abc"), sort around the joining space ("a-b", "a'b"), repeat,
# are empty (a word that folds to nothing) or are not ASCII
AWKWARD = ["a", "ab", "abc", "a'b", "a-b", "b", "ba", "été", "ete", "zz", "9", "90", "", "日本", "x"]


def test_titles_arranged_from_word_ids_come_in_the_order_of_their_sorted_words_joined():
    rng = random.Random(7)
    for _ in range(50):
        titles = _titles(rng, rng.randint(2, 300), AWKWARD)
        coded = similar.CodedTitles(titles)
        arrange = similar._by_sorted_words(coded)
        chosen = np.array(sorted(rng.sample(range(len(titles)), rng.randint(1, len(titles)))), dtype=np.int64)
        expected = sorted(chosen.tolist(), key=lambda i: " ".join(sorted(titles[i])))  # ties: title order
        assert arrange(chosen).tolist() == expected


def test_a_word_with_a_character_before_the_space_is_arranged_by_its_text():
    # "a\x01" sorts before "a b" as text but after ("a", "b") as words: no shortcut then
    titles = [["a", "b"], ["a\x01"]]
    assert similar._by_sorted_words(similar.CodedTitles(titles)) is None
    assert similar._by_sorted_words(similar.CodedTitles([["a", "b"], ["a"]])) is not None


def test_large_buckets_give_the_same_pairs_arranged_in_bulk_or_sorted_by_text():
    rng = random.Random(3)
    common = ["summer", "women", "dress", "casual", "floral", "beach"]
    titles = [rng.sample(common, 4) + [f"w{rng.randrange(40)}"] for _ in range(600)]
    groups = [rng.randrange(2) for _ in titles]

    def order(i: int) -> str:
        return " ".join(sorted(titles[i]))

    coded = similar.CodedTitles(titles)
    bulk = list(similar.candidate_chunks(coded, groups, order, arrange=similar._by_sorted_words(coded)))
    plain = list(similar.candidate_chunks(similar.CodedTitles(titles), groups, order))
    assert max(np.bincount(groups)) > similar.MAX_BUCKET
    assert len(bulk) == len(plain) and all(np.array_equal(a, b) for a, b in zip(bulk, plain))
    assert sum(map(len, plain)) > 1000
