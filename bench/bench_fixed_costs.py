"""What a large run pays whatever its rows: `python -c pass`, the imports a 100k-row CSV run makes and the
set-up before its first batch, each in CPU seconds (medians of --runs fresh processes).

    .venv/bin/python bench/bench_fixed_costs.py [--runs 5] [--csv bench/out/catalog_100000.csv]

The modules a run imports are taken from one real run (`aelint --no-images --no-cache --format json`); each
fresh process then imports them in the order the run meets them (click, importlib.metadata, pydantic's first
model, aelint.cli, the rule modules through `load_checks`, numpy, polars, the rest), builds the default
settings and the selected rules' options, and matches the header search's 30 rows. Each step's CPU is
printed with, in brackets, the garbage collector's part of it. As the console script does (`aelint.__main__`),
OPENBLAS_NUM_THREADS defaults to 1; `--as-library` leaves it as the environment has it, as a caller of
`aelint.lint` does.
(The run imports numpy and polars while its lint pauses the collector; here it runs through them.)
Compile bytecode first (`python -m compileall -q src checks`), as an installed aelint's is.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path

HERE = Path(__file__).resolve().parent

# Run by the lint once: the command line as `aelint` runs it, then the names of the modules it imported.
RECORD = """
import json, sys
from aelint.__main__ import run
target, sys.argv = sys.argv[1], ["aelint", *sys.argv[2:]]
try:
    run()
except SystemExit:
    pass
json.dump(sorted(sys.modules), open(target, "w"))
"""

# Run by each fresh process: the steps' CPU seconds as JSON.
STEPS = """
import csv, gc, importlib, itertools, json, sys, time
modules_file, catalog = sys.argv[1], sys.argv[2]
spent, collecting, started = {}, [0.0], []
def timed(phase, info):
    if phase == "start":
        started.append(time.thread_time())
    else:
        collecting[0] += time.thread_time() - started.pop()
gc.callbacks.append(timed)
def step(name, work):
    start, collected = time.process_time(), collecting[0]
    work()
    spent[name] = (time.process_time() - start, collecting[0] - collected)
def command_line():  # as aelint.__main__ imports it
    importlib.import_module("aelint.cli")
def first_model():
    from pydantic import BaseModel
    type("First", (BaseModel,), {"__annotations__": {"x": int}, "x": 1})
def the_rest():
    for name in json.load(open(modules_file)):
        if name not in sys.modules:
            try:
                importlib.import_module(name)
            except Exception:  # a module only importable as a package's side effect
                pass
def settings():
    from aelint.config import from_data
    from aelint.engine import RunOptions, selected_checks
    from aelint.profiles import profile
    config, market = from_data({}, None), profile("aliexpress")
    {c.code: config.options_for(c, market) for c in selected_checks(config, RunOptions(images=False), market)}
def header_search():
    from aelint.headers import match_header
    with open(catalog, encoding="utf-8", newline="") as lines:
        for row in itertools.islice(csv.reader(lines), 30):
            match_header(row, {}, None)
step("click", lambda: importlib.import_module("click"))
step("importlib.metadata (pydantic's plugins, entry points)", lambda: importlib.import_module("importlib.metadata"))
step("pydantic, to its first model", first_model)
step("aelint.cli and what it imports", command_line)
step("rule modules (registry.load_checks)", lambda: importlib.import_module("aelint.registry").load_checks())
step("numpy", lambda: importlib.import_module("numpy"))
step("polars", lambda: importlib.import_module("polars"))
step("other modules the run imports", the_rest)
step("settings, selected rules, their options", settings)
step("header search, 30 rows", header_search)
print(json.dumps(spent))
"""


def cpu_seconds(command: list[str], env: Mapping[str, str] | None = None) -> tuple[float, str]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    output = subprocess.run(command, capture_output=True, text=True, check=True, env=env).stdout
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, output


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--csv", type=Path, default=HERE / "out" / "catalog_100000.csv")
    parser.add_argument("--as-library", action="store_true", help="import as aelint.lint's caller does")
    args = parser.parse_args()
    env = os.environ if args.as_library else {"OPENBLAS_NUM_THREADS": "1", **os.environ}
    with tempfile.TemporaryDirectory() as folder:
        modules = str(Path(folder) / "modules.json")
        subprocess.run([sys.executable, "-c", RECORD, modules, "--no-images", "--no-cache", "--exit-zero",
                        "--format", "json", "--output", str(Path(folder) / "report.json"), str(args.csv)], check=True)
        bare, steps = [], []
        for _ in range(args.runs):
            bare.append(cpu_seconds([sys.executable, "-c", "pass"])[0])
            steps.append(json.loads(cpu_seconds([sys.executable, "-c", STEPS, modules, str(args.csv)], env)[1]))
    print(f"{'python -c pass':<55} {statistics.median(bare):.3f}")
    total, collections = statistics.median(bare), 0.0
    for name in steps[0]:
        times = [run[name][0] for run in steps]
        collected = statistics.median(run[name][1] for run in steps)
        total += statistics.median(times)
        collections += collected
        print(f"{name:<55} {statistics.median(times):.3f}  ({min(times):.3f}-{max(times):.3f})  [gc {collected:.3f}]")
    print(f"{'sum of the medians':<55} {total:.3f}  [gc {collections:.3f}]")


if __name__ == "__main__":
    main()
