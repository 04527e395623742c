"""Precision of each rule on the real catalogs in ../shared/data, from reviewed judgements.

    .venv/bin/python bench/precision.py                 # the table (markdown) and what is still unlabelled
    .venv/bin/python bench/precision.py --per-rule 10   # sample size per rule (default 20)
    .venv/bin/python bench/precision.py --add-unlabelled  # append unlabelled samples to the labels file to judge

Every real catalog is linted with the default settings and --no-images (the images are remote URLs).
Per rule, up to --per-rule diagnostics are sampled deterministically (seeded by the rule code, over the
diagnostics sorted by file, row and message), so the same code and data give the same sample. Each sample
is joined with bench/precision_labels.csv, keyed by file, row, code and a hash of the message: `verdict`
is "right" or "wrong" as an experienced AliExpress reviewer would judge the diagnostic, `why` says why.
A sample without a label is counted as unlabelled, never as right. A changed message is a new key, so a
rule whose wording or behaviour changed shows its new diagnostics as unlabelled until they are judged.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import random
import subprocess
import sys
from collections import defaultdict
from datetime import date
from pathlib import Path

from aelint.config import from_data
from aelint.engine import Engine, RunOptions
from aelint.model import Diagnostic

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
LABELS = ROOT / "bench" / "precision_labels.csv"
CATALOGS = (
    "wish_summer_clothes/summer-products-with-rating-and-performance_2020-08.csv",
    "aliexpress_dropship_variants/report_copy3.csv",
    "aliexpress_dropship_variants/aliexpress.csv",
    "shopify_product_template/product_template.csv",
)
FIELDS = ("file", "row", "code", "message_hash", "verdict", "why", "message")


def message_hash(message: str) -> str:
    return hashlib.sha1(message.encode("utf-8")).hexdigest()[:12]


def key(file: str, d: Diagnostic) -> tuple[str, str, str, str]:
    return (file, str(d.row or ""), d.code, message_hash(d.message))


def lint_all() -> dict[str, list[tuple[str, Diagnostic]]]:
    """Diagnostics of every real catalog, by rule code, each with its file (relative to shared/data)."""
    by_code: dict[str, list[tuple[str, Diagnostic]]] = defaultdict(list)
    engine = Engine(RunOptions(images=False, cache=False, jobs=1), from_data({}, None))
    for relative in CATALOGS:
        path = DATA / relative
        if not path.exists():
            sys.exit(f"{path} is missing: the precision table needs ../shared/data")
        report = engine.lint([path])
        if report.failures:
            sys.exit("; ".join(report.failures))
        for d in report.diagnostics:
            by_code[d.code].append((relative, d))
    return by_code


def sample(code: str, found: list[tuple[str, Diagnostic]], size: int) -> list[tuple[str, Diagnostic]]:
    ordered = sorted(found, key=lambda fd: (fd[0], fd[1].row or 0, fd[1].column or "", fd[1].message))
    if len(ordered) <= size:
        return ordered
    chosen = random.Random(code).sample(range(len(ordered)), size)
    return [ordered[i] for i in sorted(chosen)]


def read_labels() -> dict[tuple[str, str, str, str], dict[str, str]]:
    if not LABELS.exists():
        return {}
    with LABELS.open(encoding="utf-8", newline="") as handle:
        return {(r["file"], r["row"], r["code"], r["message_hash"]): r for r in csv.DictReader(handle)}


def commit() -> str:
    try:
        out = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                             text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--", "src", "checks"],
                               capture_output=True, text=True, check=True).stdout.strip()
        return out + (" (with uncommitted changes to src/ or checks/)" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-rule", type=int, default=20)
    parser.add_argument("--add-unlabelled", action="store_true",
                        help="append unlabelled samples to the labels file with an empty verdict")
    args = parser.parse_args()

    by_code = lint_all()
    labels = read_labels()
    rows, unlabelled = [], []
    totals = [0, 0, 0, 0, 0]
    for code in sorted(by_code):
        found = by_code[code]
        picked = sample(code, found, args.per_rule)
        verdicts = [labels.get(key(f, d), {}).get("verdict", "") for f, d in picked]
        right, wrong = verdicts.count("right"), verdicts.count("wrong")
        unlabelled += [(f, d) for (f, d), v in zip(picked, verdicts) if v not in ("right", "wrong")]
        rule = found[0][1].rule
        judged = right + wrong
        share = f"{right / judged:.0%}" if judged else "-"
        rows.append(f"| {code} {rule} | {len(found)} | {len(picked)} | {right} | {wrong} | "
                    f"{len(picked) - judged} | {share} |")
        for i, n in enumerate((len(found), len(picked), right, wrong, len(picked) - judged)):
            totals[i] += n

    print(f"Measured {date.today()} at commit {commit()}; {args.per_rule} samples per rule at most; "
          f"files: {', '.join(CATALOGS)}.\n")
    print("| rule | diagnostics | sampled | right | wrong | unlabelled | precision |")
    print("|---|---|---|---|---|---|---|")
    print("\n".join(rows))
    judged = totals[2] + totals[3]
    print(f"| all rules | {totals[0]} | {totals[1]} | {totals[2]} | {totals[3]} | {totals[4]} | "
          f"{(totals[2] / judged if judged else 0):.0%} |")
    if unlabelled:
        print(f"\n{len(unlabelled)} sampled diagnostics have no label (counted neither right nor wrong):")
        for f, d in unlabelled:
            print(f"  {f}:{d.row}:{d.column}: {d.code} {d.message}")
    if args.add_unlabelled and unlabelled:
        new = not LABELS.exists()
        with LABELS.open("a", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            if new:
                writer.writerow(FIELDS)
            for f, d in unlabelled:
                writer.writerow([*key(f, d), "", "", d.message])
        print(f"appended {len(unlabelled)} rows to {LABELS.relative_to(ROOT)}: fill in verdict and why")


if __name__ == "__main__":
    main()
