"""A Collector's `add_table` keeps what `add` keeps, batch after batch.

tests/test_columnar.py feeds `add_table` a whole catalog at once and tests/test_streaming.py feeds `add`
batches; here each rule whose Collector takes tables gets its own fixtures in batches of 2 products, each
batch as a table, and must give what the plain whole-catalog run gives (facts kept across batches: counts,
the first product of a category, columns filled on some earlier row).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from aelint import config as config_module
from aelint.engine import Engine, Report, RunOptions
from aelint.facts import collector_of
from aelint.registry import load_checks
from aelint.testing import fixture_cases
from conftest import FIXTURES

TABLE_COLLECTORS = {c.module.__name__.rsplit(".", 1)[-1]: c.code for c in load_checks()
                    if hasattr(collector_of(c.module), "add_table")}


def lint(path: Path, code: str, **options) -> Report:
    settings = path.with_suffix(".toml")
    config = config_module.parse(settings) if settings.exists() else config_module.from_data({}, None)
    return Engine(RunOptions(cache=False, jobs=1, images=False, select=[code], **options), config).lint([path])


def test_some_collectors_take_tables():
    assert {"AE405", "AE407"} <= set(TABLE_COLLECTORS.values())


@pytest.mark.parametrize("case", [c for c in fixture_cases(FIXTURES) if c.parent.name in TABLE_COLLECTORS],
                         ids=lambda p: f"{p.parent.name}/{p.name}")
def test_tables_in_batches_keep_the_facts(case, monkeypatch):
    monkeypatch.chdir(case.parent)
    code = TABLE_COLLECTORS[case.parent.name]
    plain = lint(case, code, columnar_from=sys.maxsize, keep_catalogs=True)
    tables = lint(case, code, columnar_from=0, batch_products=2)
    assert not plain.failures
    assert tables.diagnostics == plain.diagnostics
