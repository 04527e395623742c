"""What the findings cost around the rules, on a real catalog's findings (default: the 100k-row benchmark CSV,
60,771 diagnostics): the engine turning problems into diagnostic fields (`Engine._fields`, `_suppress`), keeping
and sorting them (`_KeptDiagnostics`, as objects and compressed as a streamed million-row run keeps them), and
each report format writing them (as the CLI does: JSON and SARIF by their streaming writers, the others
rendered whole). The catalog is linted once (not timed) with `Engine._fields` recording what it is given;
every step is then replayed --runs times with the garbage collector paused, as in a run. CPU seconds, medians.
Runs against an older checkout too (its `_fields` took one problem at a time), for before/after figures."""

from __future__ import annotations

import argparse
import gc
import hashlib
import inspect
import io
import statistics
import time
from pathlib import Path

from aelint.engine import Engine, Report, RunOptions, _KeptDiagnostics
from aelint.reporters import RENDERERS, STREAM_WRITERS, render_statistics, render_text

BENCH = Path(__file__).parent
ONE_AT_A_TIME = "check" in inspect.signature(Engine._fields).parameters  # before the engine took a batch


def recorded_lint(path: Path) -> tuple[Report, list[tuple]]:
    """The report of linting `path` (--no-images), and every call of `Engine._fields` in it: (catalog,
    [(check, problem), ...], config)."""
    calls: list[tuple] = []
    fields = Engine._fields

    if ONE_AT_A_TIME:
        def recording(catalog, check, problem, config):
            if not calls or calls[-1][0] is not catalog:
                calls.append((catalog, [], config))
            calls[-1][1].append((check, problem))
            return fields(catalog, check, problem, config)
    else:
        def recording(catalog, problems, config):
            problems = list(problems)
            calls.append((catalog, problems, config))
            return fields(catalog, problems, config)

    Engine._fields = staticmethod(recording)
    try:
        report = Engine(RunOptions(images=False, cache=False)).lint([path])
    finally:
        Engine._fields = staticmethod(fields)
    return report, calls


def make_fields(calls: list[tuple]) -> list[list[tuple]]:
    if ONE_AT_A_TIME:
        return [Engine._suppress(catalog, [Engine._fields(catalog, c, p, config) for c, p in problems])
                for catalog, problems, config in calls]
    return [Engine._suppress(catalog, Engine._fields(catalog, problems, config)) for catalog, problems, config in calls]


def kept(parts: list[list[tuple]], compact_from: int | None) -> list:
    diagnostics = _KeptDiagnostics(compact_from)
    for part in parts:
        diagnostics.add(list(part))
    return diagnostics.diagnostics()


def streamed(format_: str, report: Report) -> str:
    out = io.StringIO()
    writer = STREAM_WRITERS[format_](out)
    writer.write(report.diagnostics)
    writer.finish(report)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("catalog", nargs="?", type=Path, default=BENCH / "out" / "catalog_100000.csv")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    report, calls = recorded_lint(args.catalog)
    print(f"{len(report.diagnostics):,} diagnostics from {sum(len(p) for _, p, _ in calls):,} problems"
          f" ({'one problem at a time' if ONE_AT_A_TIME else 'batched'} _fields)")
    parts = make_fields(calls)
    steps = {
        "_fields + _suppress": lambda: make_fields(calls),
        "kept and sorted": lambda: kept(parts, None),
        "kept compressed": lambda: kept(parts, 0),
        **{f"json/sarif: {name}": (lambda name=name: streamed(name, report)) for name in STREAM_WRITERS},
        "text": lambda: render_text(report),
        "statistics": lambda: render_statistics(report),
        **{name: (lambda name=name: RENDERERS[name](report)) for name in ("github", "gitlab", "junit")},
    }
    gc.disable()
    for name, step in steps.items():
        times = []
        for _ in range(args.runs):
            start = time.process_time()
            result = step()
            times.append(time.process_time() - start)
            del result
            gc.collect()
        result = step()
        digest = hashlib.sha256(repr(result).encode() if not isinstance(result, str) else result.encode()).hexdigest()
        print(f"{name:<22} {statistics.median(times):6.3f} s  (min {min(times):.3f})  {digest[:12]}")


if __name__ == "__main__":
    main()
