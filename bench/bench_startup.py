"""Start-up cost: `aelint --no-images` on a 10-row CSV against `python -c pass`, in CPU seconds.

    .venv/bin/python bench/bench_startup.py [--runs 15] [--csv bench/out/catalog_10.csv] [--other PYTHON ...]

Runs every command once per round, interleaved, and prints medians of user + system seconds (getrusage of
the children: finer than os.times' 10 ms ticks, which bench/run uses). `--other` adds the same lint run
by another interpreter, e.g. the virtual environment of a checkout of an older commit, for a before/after
taken under the same load. Python files must have been compiled once (run aelint once without
PYTHONDONTWRITEBYTECODE), as an installed aelint's are.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
from pathlib import Path


def cpu_seconds(command: list[str]) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, capture_output=True, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--csv", type=Path, default=Path(__file__).resolve().parent / "out" / "catalog_10.csv")
    parser.add_argument("--other", action="append", default=[], help="another interpreter with aelint installed")
    args = parser.parse_args()
    lint = ["-m", "aelint", "--no-images", "--no-cache", str(args.csv)]
    commands = {"python -c pass": [sys.executable, "-c", "pass"], "aelint --no-images (this)": [sys.executable, *lint]}
    commands.update({f"aelint --no-images ({other})": [other, *lint] for other in args.other})
    seconds: dict[str, list[float]] = {label: [] for label in commands}
    for _ in range(args.runs):
        for label, command in commands.items():
            seconds[label].append(cpu_seconds(command))
    bare = statistics.median(seconds["python -c pass"])
    for label, values in seconds.items():
        median = statistics.median(values)
        print(f"{label:<60} {median:6.3f} s CPU (min {min(values):.3f})  {median / bare:5.1f}x")


if __name__ == "__main__":
    main()
