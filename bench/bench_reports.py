"""Time each report format on N synthetic diagnostics (default 25,000: GitHub's SARIF cap) spread over
50 files, so a change to a reporter can be compared against the JSON report and against itself. Times are
CPU seconds (the process's, not the wall clock: the machine may be shared), medians of --runs."""

from __future__ import annotations

import argparse
import statistics
import time

from aelint.engine import Report
from aelint.model import Diagnostic
from aelint.reporters import RENDERERS, render_text


def sample(count: int) -> Report:
    diagnostics = [Diagnostic(code="AE101", rule="title-too-long", severity=("error", "warning", "info")[n % 3],
                              message=f"title is {130 + n % 50} characters; AliExpress allows 128",
                              path=f"feeds/catalog-{n % 50}.csv", sheet=None, row=2 + n // 50, column="Title",
                              field="title", product_id=f"P{n}", sku_code=f"SKU-{n}", column_number=2)
                   for n in range(count)]
    return Report(diagnostics=diagnostics, files=50, products=count, rows=count, ran_codes={"AE101"},
                  linted_paths=[f"feeds/catalog-{n}.csv" for n in range(50)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--diagnostics", type=int, default=25_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    report = sample(args.diagnostics)
    for name, render in {"text": render_text, **RENDERERS}.items():
        times = []
        for _ in range(args.runs):
            start = time.process_time()
            size = len(render(report))
            times.append(time.process_time() - start)
        print(f"{name:<7} {statistics.median(times):6.2f} s  {size / 1e6:6.1f} MB")


if __name__ == "__main__":
    main()
