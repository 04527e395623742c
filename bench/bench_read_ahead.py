"""The large CSV's read run in a thread while the settings and rules load (aelint.read_ahead), on and off:
WALL and CPU seconds of fresh processes, the imports included, paired (on/off in turn, the order swapped each
round) and their medians. The thread overlaps work (wall time), it does not remove any (CPU time): on a
machine whose second core is busy with something else, it cannot win anything.

    .venv/bin/python bench/bench_read_ahead.py [--runs 9] [--csv bench/out/catalog_100000.csv]

Each process runs `aelint.lint(csv, images=False, cache=False)` (read ahead off: `ReadAhead.worth_it`
answers no) and reports, from its first line, the wall time until the file's records are ready (the read
and the loading it overlaps), the whole run's wall time and its CPU time (every thread's). Compile bytecode
first (`python -m compileall -q src checks`), as an installed aelint's is.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

RUN = """
import json, sys, time
start, cpu = time.perf_counter(), time.process_time()
import aelint
from aelint import catalog_files, reader
from aelint.read_ahead import ReadAhead
if sys.argv[2] == "off":
    ReadAhead.worth_it = classmethod(lambda cls, path: False)
ready = []
opened = reader._sheet_builders

def timed(*args, **kwargs):  # the moment the first sheet's header is looked for: the records are ready
    for item in opened(*args, **kwargs):
        ready.append(time.perf_counter())
        yield item

reader._sheet_builders = timed
report = aelint.lint(sys.argv[1], images=False, cache=False)
wall, cpu = time.perf_counter() - start, time.process_time() - cpu
print(json.dumps({"ready": ready[0] - start, "wall": wall, "cpu": cpu, "findings": len(report.diagnostics)}))
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--csv", type=Path, default=Path(__file__).resolve().parent / "out" / "catalog_100000.csv")
    args = parser.parse_args()
    figures: dict[str, list[dict]] = {"on": [], "off": []}
    for round_ in range(args.runs):
        for mode in ("on", "off") if round_ % 2 == 0 else ("off", "on"):
            done = subprocess.run([sys.executable, "-c", RUN, str(args.csv), mode], capture_output=True, text=True,
                                  check=True)
            figures[mode].append(json.loads(done.stdout.splitlines()[-1]))
    assert len({f["findings"] for runs in figures.values() for f in runs}) == 1, "the findings differ"
    print(f"{args.csv.name}: {figures['on'][0]['findings']:,} findings; medians of {args.runs} paired runs (s)")
    print(f"{'read ahead':<12}{'to records':>12}{'wall':>9}{'CPU':>9}")
    for mode, runs in figures.items():
        print(f"{mode:<12}" + "".join(f"{statistics.median(r[key] for r in runs):>{width}.3f}"
                                      for key, width in (("ready", 12), ("wall", 9), ("cpu", 9))))
    for key in ("ready", "wall", "cpu"):
        ratios = [on[key] / off[key] for on, off in zip(figures["on"], figures["off"])]
        print(f"on/off {key}: median {statistics.median(ratios):.3f} (min {min(ratios):.3f}, max {max(ratios):.3f})")


if __name__ == "__main__":
    main()
