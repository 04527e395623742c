"""What Python's cyclic garbage collector costs in a run: each collection timed (the collecting thread's CPU,
through `gc.callbacks`) and summed by generation and by the aelint function it interrupted, in fresh processes
running the command line (`aelint --no-images --no-cache --format json` on the 100k-row CSV by default).

    .venv/bin/python bench/bench_gc.py [--runs 3] [--csv bench/out/catalog_100000.csv] [-- more aelint options]

The lint runs with the collector paused (aelint.gcpause); the first collection after a pause scans every object
made during it that is still alive, so what is alive when the pause ends is what this shows.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

RUN = """
import collections, gc, json, sys, time, traceback
cost, count, started = collections.Counter(), collections.Counter(), {}

def timed(phase, info):
    if phase == "start":
        started[info["generation"]] = time.thread_time()
        return
    ours = [f.name for f in traceback.extract_stack()[:-1] if "/aelint/" in f.filename]
    where = f"gen{info['generation']} in {ours[-1] if ours else '(imports)'}"
    cost[where] += time.thread_time() - started[info["generation"]]
    count[where] += 1

gc.callbacks.append(timed)
from aelint.__main__ import run
target, sys.argv = sys.argv[1], ["aelint", *sys.argv[2:]]
try:
    run()
except SystemExit:
    pass
json.dump({where: [count[where], cost[where]] for where in cost}, open(target, "w"))
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--csv", type=Path, default=Path(__file__).resolve().parent / "out" / "catalog_100000.csv")
    parser.add_argument("options", nargs="*")
    args = parser.parse_args()
    seconds: dict[str, list[float]] = defaultdict(list)
    counts: dict[str, int] = {}
    totals = []
    with tempfile.TemporaryDirectory() as folder:
        for run in range(args.runs):
            figures, report = Path(folder) / f"gc{run}.json", Path(folder) / "report.json"
            subprocess.run([sys.executable, "-c", RUN, str(figures), "--no-images", "--no-cache", "--exit-zero",
                            "--format", "json", "--output", str(report), *args.options, str(args.csv)], check=True)
            found = json.loads(figures.read_text())
            for where, (count, cost) in found.items():
                seconds[where].append(cost)
                counts[where] = count
            totals.append(sum(cost for _, cost in found.values()))
    print(f"{args.csv.name}: garbage collections, CPU seconds, medians of {args.runs} runs")
    for where, values in sorted(seconds.items(), key=lambda item: -statistics.median(item[1])):
        print(f"{where:<45} {counts[where]:4d} x  {statistics.median(values):.4f}")
    print(f"{'all':<45}        {statistics.median(totals):.4f}")


if __name__ == "__main__":
    main()
