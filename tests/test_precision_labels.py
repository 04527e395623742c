"""The reviewed labels bench/precision.py joins: well-formed, one verdict per key, each with its reason."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

LABELS = Path(__file__).resolve().parent.parent / "bench" / "precision_labels.csv"


def test_every_label_is_a_reasoned_verdict_on_a_unique_key():
    with LABELS.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows
    keys = [(r["file"], r["row"], r["code"], r["message_hash"]) for r in rows]
    assert len(keys) == len(set(keys))
    for r in rows:
        assert r["verdict"] in ("right", "wrong"), r
        assert r["why"].strip(), r
        assert hashlib.sha1(r["message"].encode("utf-8")).hexdigest()[:12] == r["message_hash"], r
