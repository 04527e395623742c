"""CPU time of `aelint.lint(polars_frame, name="feed.csv", images=False, cache=False)`: a job runner's call.

    python bench/bench_polars_table.py bench/out/catalog_100000.csv [--infer] [--compare]

Reads the CSV into a polars DataFrame (all text, or with --infer the types polars infers), then times the
lint call alone (user+sys CPU of this process, seconds). --compare also lints it read whole, row by row
(keep_catalogs=True: Engine.lint_rows, the path every table took before) and says whether the diagnostics,
counts and failures are the same. Run it several times, interleaved with the code before a change."""

from __future__ import annotations

import argparse
import os


def cpu() -> float:
    times = os.times()
    return times.user + times.system


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("csv")
    parser.add_argument("--infer", action="store_true", help="let polars infer the column types")
    parser.add_argument("--compare", action="store_true", help="also lint the rows whole and compare")
    args = parser.parse_args()
    import polars as pl

    import aelint

    frame = pl.read_csv(args.csv, infer_schema=args.infer, infer_schema_length=10_000 if args.infer else None)
    started = cpu()
    report = aelint.lint(frame, name="feed.csv", images=False, cache=False)
    took = cpu() - started
    print(f"lint {took:.2f} s CPU, {len(report.diagnostics)} findings, {report.products} products, "
          f"{report.rows} rows ({'inferred types' if args.infer else 'text'})")
    if args.compare:
        whole = aelint.lint(frame, name="feed.csv", images=False, cache=False, keep_catalogs=True)
        same = ([tuple(d) for d in report.diagnostics] == [tuple(d) for d in whole.diagnostics]
                and (report.products, report.rows, report.failures, report.exit_code)
                == (whole.products, whole.rows, whole.failures, whole.exit_code))
        print(f"row by row: {len(whole.diagnostics)} findings; {'the same' if same else 'DIFFERENT'}")


if __name__ == "__main__":
    main()
