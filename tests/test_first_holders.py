"""facts.FirstHolders: each text's first holder, whichever way a catalog's batches come (as columns in bulk, or
product by product), as a dict that keeps every text would give it."""

from __future__ import annotations

import random

import numpy as np
import polars as pl
import pytest

from aelint.facts import FirstHolders


@pytest.mark.parametrize("seed", range(12))
def test_first_holders_are_a_dicts_whichever_way_the_batches_come(seed):
    rng = random.Random(seed)
    texts = [f"https://x/{rng.randrange(2000)}.jpg" for _ in range(rng.randrange(500, 5000))]
    held, expected = FirstHolders(), {}
    first_as_columns = seed % 3 != 0
    start, batches = 0, 0
    while start < len(texts):
        batch = list(dict.fromkeys(texts[start:start + rng.randint(1, 600)]))  # distinct, as the callers give them
        start, batches = start + len(batch), batches + 1
        as_columns = first_as_columns if batches == 1 else rng.random() < 0.5
        if as_columns and held.in_halves:
            high, low = held.halves(pl.Series(batch, dtype=pl.String))
            places = held.find(high, low)
            found = [held.holders[k] if k >= 0 else None for k in places.tolist()]
            unseen = places < 0
            held.put(high[unseen], low[unseen], [f"{t} {batches}" for t, u in zip(batch, unseen.tolist()) if u])
        else:
            keys, found = held.lookup(pl.Series(batch, dtype=pl.String) if as_columns else batch)
            held.note({k: f"{t} {batches}" for k, t, f in zip(keys, batch, found) if f is None})
        assert found == [expected.get(t) for t in batch]
        for text in batch:
            expected.setdefault(text, f"{text} {batches}")
    assert held.in_halves == first_as_columns
    if held.in_halves:  # the sorted levels merge as they grow: a few of them, not one a batch
        unsorted = len(held.unsorted[0]) if held.unsorted else 0  # (the last batch's keys: sorted when looked up)
        assert sum(map(len, (level[0] for level in held.levels))) + unsorted == len(expected)
        held.settle()
        assert held.unsorted is None
        assert sum(map(len, (level[0] for level in held.levels))) == len(expected)
        assert len(held.levels) <= len(expected).bit_length() + 1


def test_keys_that_share_their_high_half_are_told_apart():
    held = FirstHolders()
    held.halves(pl.Series(["a"]))  # (keyed by polars)
    held.put(np.array([5, 5, 5, 7], dtype=np.uint64), np.array([1, 2, 3, 1], dtype=np.uint64), ["a", "b", "c", "d"])
    held.put(np.array([5], dtype=np.uint64), np.array([4], dtype=np.uint64), ["e"])
    found = held.find(np.array([5, 5, 5, 5, 5, 7, 7], dtype=np.uint64),
                      np.array([3, 2, 1, 4, 9, 1, 2], dtype=np.uint64))
    assert [held.holders[k] if k >= 0 else None for k in found.tolist()] == ["c", "b", "a", "e", None, "d", None]
