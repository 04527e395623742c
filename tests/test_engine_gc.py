"""The lint runs with Python's cyclic garbage collector paused (aelint.gcpause), and a streaming reporter (the
CLI's JSON and SARIF writers) is handed a file's diagnostics before the pause ends: they are written and freed
without the collector scanning them (bench/bench_gc.py), and the collector runs again after."""

from __future__ import annotations

import gc

from aelint.engine import Engine, RunOptions
from conftest import FIXTURES


def test_a_streaming_reporter_takes_the_diagnostics_under_the_paused_collector():
    handed: list[tuple[bool, int]] = []
    path = FIXTURES / "layouts" / "aliexpress_template" / "fires.csv"
    engine = Engine(RunOptions(images=False, cache=False, jobs=1))
    report = engine.lint([path], lambda diagnostics: handed.append((gc.isenabled(), len(diagnostics))))
    kept = Engine(RunOptions(images=False, cache=False, jobs=1)).lint([path])
    assert handed == [(False, len(kept.diagnostics))] and kept.diagnostics
    assert report.diagnostics == [] and sum(report.passed_on.values()) == len(kept.diagnostics)
    assert gc.isenabled()
