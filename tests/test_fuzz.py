"""A seeded mutator over xlsx zip members, their XML parts and CSV bytes: every mutant is linted in a child
process under a memory cap; none may raise, abort, hang or pass the time and memory bounds, and every file
it cannot read must be reported naming it. About 300 mutants run in CI (well under a minute); more with
`pytest tests/test_fuzz.py --fuzz-long` (3,000) or AELINT_FUZZ_MUTANTS=N, another seed with AELINT_FUZZ_SEED."""

from __future__ import annotations

import io
import json
import os
import random
import re
import resource
import subprocess
import sys
import zipfile
from pathlib import Path

from openpyxl import Workbook

MEMORY_LIMIT = 3 * 1024**3
PEAK_MEMORY = 1024**3
SECONDS_PER_MUTANT = 20
CI_MUTANTS = 300
LONG_MUTANTS = 3000

# Lints each file named on stdin in turn, in one process (no start-up cost per mutant), through the same
# path as the command; prints one JSON line per file. An alarm bounds each file's time.
DRIVER = r"""
import json, resource, signal, sys, time
from aelint.engine import Engine, RunOptions
from aelint.reporters import render_json, render_sarif, render_text

class Timeout(BaseException):
    pass

def alarm(signum, frame):
    raise Timeout

signal.signal(signal.SIGALRM, alarm)
engine = Engine(RunOptions(images=False, cache=False))
catalog_files = __import__("aelint.catalog_files").catalog_files
for number, line in enumerate(sys.stdin):
    # every other mutant read as a large file is, into columns (polars for a CSV, fastexcel for a workbook)
    catalog_files.COLUMNAR_MIN_BYTES = 0 if number % 2 else 1024 * 1024
    path = line.strip()
    print(json.dumps({"start": path}), flush=True)
    started = time.perf_counter()
    signal.alarm(int(sys.argv[1]))
    try:
        report = engine.lint([__import__("pathlib").Path(path)])
        render_text(report); render_json(report); render_sarif(report)
        outcome = {"failures": [str(f) for f in report.failures], "files": report.files}
    except Timeout:
        outcome = {"error": "timeout"}
    except BaseException as error:
        outcome = {"error": f"{type(error).__name__}: {error}"[:300]}
    signal.alarm(0)
    outcome.update(path=path, seconds=round(time.perf_counter() - started, 2))
    print(json.dumps(outcome), flush=True)
print(json.dumps({"peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}), flush=True)
"""

ROWS = [["Product ID", "Title", "SKU", "Price", "Stock", "Color", "Main Images"],
        ["P1", "Ceramic Coffee Mug White 350ml", "M-1", 12.5, 3, "White", "mug.jpg"],
        ["", "", "M-2", 13.5, 0, "Black", ""],
        ["P2", "Stainless Steel Water Bottle 750ml", "B-1", "9,90", "5", "Blue", "bottle.jpg"]]
CSV = ("Product ID,Title,SKU,Price,Stock,Description\n"
       'P1,Ceramic Coffee Mug White 350ml,M-1,12.5,3,"<p>Dishwasher safe, 350 ml</p>"\n'
       "P2,Stainless Steel Water Bottle 750ml,B-1,9.90,5,Keeps drinks cold\n"
       "P3,陶瓷咖啡杯 白色,C-1,8,1,礼物\n").encode("utf-8")
EXTREMES = [b"0", b"-1", b"1048576", b"1048577", b"16384", b"4294967296", b"99999999999999999999", b"", b"A"]


def base_workbook() -> dict[str, bytes]:
    """The members of a small real workbook (shared strings, merged cells, a formula)."""
    book = Workbook()
    sheet = book.active
    for row in ROWS:
        sheet.append(row)
    sheet.merge_cells("B2:B3")
    sheet["H2"] = "=D2*2"
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def mutate_bytes(data: bytes, rng: random.Random) -> bytes:
    data = bytearray(data)
    kind = rng.randrange(5)
    if kind == 0 and data:  # flip bytes
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(len(data))] = rng.randrange(256)
    elif kind == 1:  # truncate
        del data[rng.randrange(len(data) + 1):]
    elif kind == 2:  # insert junk
        at = rng.randrange(len(data) + 1)
        data[at:at] = rng.choice([b"\0" * 64, b'"', b"\xff\xfe", b"\xef\xbb\xbf", os.urandom(32), b"\r" * 5])
    elif kind == 3 and data:  # duplicate a slice many times
        start = rng.randrange(len(data))
        piece = data[start:start + rng.randint(1, 200)]
        at = rng.randrange(len(data) + 1)
        data[at:at] = piece * rng.randint(2, 500)
    elif data:  # swap two slices
        a, b = sorted(rng.randrange(len(data)) for _ in range(2))
        data[a:b] = data[a:b][::-1]
    return bytes(data)


def mutate_xml(data: bytes, rng: random.Random) -> bytes:
    """Changes a parser meets in damaged or hostile parts: numbers in attributes, cell references, tags."""
    kind = rng.randrange(5)
    numbers = list(re.finditer(rb'="(\d+)"', data))
    refs = list(re.finditer(rb'(r|ref|sqref)="([A-Z]+\d+(?::[A-Z]+\d+)?)"', data))
    tags = list(re.finditer(rb"</?[\w:]+[^>]*>", data))
    if kind == 0 and numbers:
        match = rng.choice(numbers)
        return data[:match.start(1)] + rng.choice(EXTREMES) + data[match.end(1):]
    if kind == 1 and refs:
        match = rng.choice(refs)
        far = rng.choice([b"XFD1048576", b"A1048576", b"XFD1", b"C99999999999999999999", b"ZZZZ1", b"A0"])
        return data[:match.start(2)] + (b"A1:" + far if rng.random() < 0.5 else far) + data[match.end(2):]
    if kind == 2 and tags:  # drop a tag
        match = rng.choice(tags)
        return data[:match.start()] + data[match.end():]
    if kind == 3 and tags:  # repeat an element's opening tag
        match = rng.choice(tags)
        return data[:match.start()] + match.group() * rng.randint(2, 1000) + data[match.start():]
    return mutate_bytes(data, rng)


def make_mutant(folder: Path, number: int, rng: random.Random, members: dict[str, bytes]) -> Path:
    if rng.random() < 0.3:
        path = folder / f"m{number:05d}.csv"
        data = CSV
        for _ in range(rng.randint(1, 3)):
            data = mutate_bytes(data, rng)
        path.write_bytes(data)
        return path
    path = folder / f"m{number:05d}.xlsx"
    changed = dict(members)
    name = rng.choice(sorted(changed))
    changed[name] = (mutate_xml if name.endswith((".xml", ".rels")) else mutate_bytes)(changed[name], rng)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, data in changed.items():
            archive.writestr(member, data)
    data = buffer.getvalue()
    if rng.random() < 0.15:  # damage the container itself
        data = mutate_bytes(data, rng)
    path.write_bytes(data)
    return path


def mutant_count(request) -> int:
    if os.environ.get("AELINT_FUZZ_MUTANTS"):
        return int(os.environ["AELINT_FUZZ_MUTANTS"])
    return LONG_MUTANTS if request.config.getoption("--fuzz-long") else CI_MUTANTS


def test_mutated_catalogs(tmp_path, request):
    seed = int(os.environ.get("AELINT_FUZZ_SEED", "12"))
    rng = random.Random(seed)
    members = base_workbook()
    paths = [make_mutant(tmp_path, n, rng, members) for n in range(mutant_count(request))]

    def cap_memory():
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))

    process = subprocess.run([sys.executable, "-c", DRIVER, str(SECONDS_PER_MUTANT)], capture_output=True,
                             text=True, input="".join(f"{p}\n" for p in paths), preexec_fn=cap_memory,
                             timeout=SECONDS_PER_MUTANT * len(paths))
    lines = [json.loads(line) for line in process.stdout.splitlines()]
    started = [line["start"] for line in lines if "start" in line]
    assert process.returncode == 0, (f"the driver died (code {process.returncode}) on {started[-1:]} (seed {seed}):"
                                     f" {process.stderr[-2000:]}")
    outcomes = [line for line in lines if "path" in line]
    assert len(outcomes) == len(paths)
    for outcome in outcomes:
        assert "error" not in outcome, f"seed {seed}: {outcome}"
        name = Path(outcome["path"]).name
        assert all(name in failure for failure in outcome["failures"]), outcome
        assert outcome["files"] + len(outcome["failures"]) == 1, outcome
    assert lines[-1]["peak_kb"] * 1024 < PEAK_MEMORY
    # the mutants reach both outcomes: some still read, some refused with a reason
    assert {bool(o["failures"]) for o in outcomes} == {True, False}
