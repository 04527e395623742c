"""The HTML report and --fix on the 100k-row catalog: render time, page size, load time in headless Chromium.

    .venv/bin/python bench/bench_html.py [--rows 100000] [--images 2000] [--runs 3]

Generates (or reuses) the bench catalog with bench/generate.py, writes `--format html` for its CSV, opens the
page in Debian's chromium (over the DevTools protocol, as tests/test_html_report.py does) and times from
navigation until the first page of products is drawn; then times a severity filter and a search on the full
data. Also times `--diff` (planning every fix) on the workbook and the CSV.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))

from devtools import chromium, find_chromium  # noqa: E402
from generate import generate  # noqa: E402


def timed(args: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "aelint", *args, "--exit-zero"], check=False,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--images", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    out = ROOT / "bench" / "out"
    xlsx_path, csv_path = generate(out, args.rows, args.images)
    page = out / f"{csv_path.stem}.html"

    lint = timed([str(csv_path), "--format", "json", "--output", str(out / "bench_html.json")])
    render = timed([str(csv_path), "--format", "html", "--output", str(page)])
    print(f"lint to JSON: {lint:.1f} s; lint to HTML: {render:.1f} s; page {page.stat().st_size / 1e6:.1f} MB")
    for path in (csv_path, xlsx_path):
        print(f"--diff {path.name}: {timed([str(path), '--diff', '--no-images']):.1f} s")

    binary = find_chromium()
    if binary is None:
        print("chromium not found: no load time")
        return
    loads, filters, searches = [], [], []
    for _ in range(args.runs):
        with chromium(binary) as tab:
            loads.append(tab.open(page.as_uri(), timeout=300))
            assert tab.errors() == [], tab.errors()
            started = time.perf_counter()
            tab.evaluate("const box = document.getElementById('show-warning'); box.checked = false;"
                         "box.dispatchEvent(new Event('change'));")
            filters.append(time.perf_counter() - started)
            started = time.perf_counter()
            tab.evaluate("const s = document.getElementById('search'); s.value = 'vape';"
                         "s.dispatchEvent(new Event('input'));")
            tab.evaluate("new Promise(done => setTimeout(done, 200))")
            searches.append(time.perf_counter() - started - 0.2)
            status = tab.evaluate("document.getElementById('status').textContent")
    print(f"chromium load until the first page is drawn: median {statistics.median(loads):.2f} s "
          f"(runs: {', '.join(f'{s:.2f}' for s in loads)})")
    print(f"severity filter over all findings: median {statistics.median(filters) * 1000:.0f} ms; "
          f"search: median {statistics.median(searches) * 1000:.0f} ms ({status})")


if __name__ == "__main__":
    main()
