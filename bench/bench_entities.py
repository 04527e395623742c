"""What HTML entities in descriptions cost the text rules (AE2 by default): the benchmark CSV as generated,
with entities that decode to ASCII (`&nbsp;`, `&amp;`), with entities that decode beyond ASCII (`&ndash;`,
`&eacute;`), and with those characters written directly.

    .venv/bin/python bench/bench_entities.py [--rows 100000] [--select AE2] [--runs 2]

The variants are written next to the generated CSV (bench/out/); each is linted in a fresh process
(`--no-images --no-cache`) and its CPU seconds (user + sys) and peak RSS are shown. The cheap tests decode a
description's entities (`aelint.text.entities_decoded`): a description written with entities should cost
what the same text written directly costs.
"""

from __future__ import annotations

import argparse
import csv
import resource
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

VARIANTS = {
    "ascii entities": lambda d: d.replace(" ", "&nbsp;", 2).replace(" and ", " &amp; ", 1),
    "entities beyond ASCII": lambda d: d.replace(" ", "&nbsp;", 2) + " &ndash; caf&eacute;",
    "written directly": lambda d: d.replace(" ", "\u00a0", 2) + " \u2013 caf\u00e9",
}


def variant(source: Path, name: str, change) -> Path:
    target = source.with_name(f"{source.stem}_{name.replace(' ', '_')}.csv")
    if target.exists():
        return target
    csv.field_size_limit(1 << 30)
    with source.open(encoding="utf-8", newline="") as given, target.open("w", encoding="utf-8", newline="") as out:
        rows = csv.reader(given)
        header = next(rows)
        column = header.index("Description")
        writer = csv.writer(out)
        writer.writerow(header)
        for row in rows:
            if row[column]:
                row[column] = change(row[column])
            writer.writerow(row)
    return target


def cpu_seconds(path: Path, select: str) -> tuple[float, float]:
    """CPU seconds and peak RSS (MB) of one lint in a child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([sys.executable, "-m", "aelint", str(path), "--no-images", "--no-cache", "--select", select,
                    "--statistics", "--exit-zero"], check=True, stdout=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime), after.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--select", default="AE2")
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    source = generate(HERE / "out", args.rows, workbook=False)[1]
    paths = {"as generated": source} | {name: variant(source, name, change) for name, change in VARIANTS.items()}
    print(f"{args.select} on {args.rows:,} rows, CPU s (user+sys) of each run")
    for name, path in paths.items():
        times = [cpu_seconds(path, args.select)[0] for _ in range(args.runs)]
        print(f"  {name:<24}" + "  ".join(f"{t:6.2f}" for t in times))


if __name__ == "__main__":
    main()
