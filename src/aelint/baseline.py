"""Baselines: record a catalog's current findings, later report only the new ones (`--write-baseline`,
`--baseline`).

A finding is known by what a seller calls "the same problem": the product id, the SKU code, the rule, the
field and a hash of the field's content, never the row, the file name or the message (which may cite rows).
A finding matches a recorded one with the same key; a finding whose field content changed still matches a
recorded one of the same product, SKU, rule and field that nothing else matched (so fixing one problem of a
title does not resurface the title's other, older problems). Recorded findings nothing matched are counted
as fixed since the baseline.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path

from aelint import __version__
from aelint.model import Diagnostic

FORMAT_VERSION = 1

Key = tuple[str, str, str, str, str]  # product id, SKU code, rule code, field, content hash


class BaselineError(Exception):
    """A baseline file that cannot be read (the message names it)."""


def key(d: Diagnostic) -> Key:
    content = d.cell_value if d.cell_value is not None else ""
    digest = hashlib.sha256(content.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    # Ids without surrounding spaces: trimming a SKU code (AE508's fix) leaves it the same SKU.
    return ((d.product_id or "").strip(), (d.sku_code or "").strip(), d.code, d.field or "", digest)


def render(diagnostics: list[Diagnostic]) -> str:
    """The baseline file for these findings: JSON, sorted, one entry per distinct key with its count."""
    counts = Counter(key(d) for d in diagnostics)
    rules = {d.code: d.rule for d in diagnostics}
    findings = [{"product_id": k[0], "sku_code": k[1], "code": k[2], "rule": rules[k[2]], "field": k[3],
                 "content_hash": k[4], "count": n} for k, n in sorted(counts.items())]
    head = json.dumps({"version": FORMAT_VERSION, "tool": {"name": "aelint", "version": __version__}})
    lines = ",\n".join("  " + json.dumps(f, ensure_ascii=False) for f in findings)
    return head[:-1] + ',\n "findings": [\n' + lines + ("\n" if lines else "") + " ]\n}\n"  # a line per finding


def load(path: Path) -> Counter[Key]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        if document.get("version") != FORMAT_VERSION:
            raise BaselineError(f"{path}: not an aelint baseline of format version {FORMAT_VERSION}")
        return Counter({(f["product_id"], f["sku_code"], f["code"], f["field"], f["content_hash"]): int(f["count"])
                        for f in document["findings"]})
    except OSError as error:
        raise BaselineError(f"{path}: cannot read the baseline: {error.strerror or error}") from None
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise BaselineError(f"{path}: not an aelint baseline file ({type(error).__name__}: {error})") from None


def new_findings(diagnostics: list[Diagnostic], recorded: Counter[Key]) -> tuple[list[Diagnostic], int]:
    """The findings not in the baseline, in their order, and how many recorded findings no longer occur."""
    left = Counter(recorded)
    unmatched: list[Diagnostic] = []
    for d in diagnostics:
        k = key(d)
        if left[k] > 0:
            left[k] -= 1
        else:
            unmatched.append(d)
    # Second pass: the same product/SKU, rule and field with changed content is the same old problem.
    places: dict[tuple[str, str, str, str], list[Key]] = {}
    for k, n in left.items():
        if n > 0 and (k[0] or k[1]):
            places.setdefault(k[:4], []).append(k)
    new = []
    for d in unmatched:
        candidates = places.get(key(d)[:4])
        while candidates and left[candidates[-1]] == 0:
            candidates.pop()
        if candidates:
            left[candidates[-1]] -= 1
        else:
            new.append(d)
    return new, sum(n for n in left.values() if n > 0)
