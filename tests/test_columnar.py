"""Judging over columns changes nothing: every prefilter and check_table gives check_product's findings.

Small catalogs are judged product by product; from `RunOptions.columnar_from` products on, rules with a
`prefilter` see only the products it hands them and rules with `check_table` judge the columns
(aelint.table). Each catalog here is linted both ways, all rules, and the findings must be identical.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from aelint import config as config_module
from aelint.engine import Engine, RunOptions
from aelint.registry import load_checks
from aelint.testing import diagnostic_line, fixture_cases
from conftest import FIXTURES, REAL_CATALOGS, ROOT, shared_file


def lines(path: Path, columnar_from: int, **options) -> list[str]:
    settings = path.with_suffix(".toml")
    config = config_module.parse(settings) if settings.exists() else config_module.from_data({}, None)
    run = RunOptions(cache=False, jobs=1, images=False, columnar_from=columnar_from, **options)
    report = Engine(run, config).lint([path])
    assert not report.failures, report.failures
    return [diagnostic_line(d) for d in report.diagnostics]


def assert_same_both_ways(path: Path, **options) -> list[str]:
    by_product = lines(path, columnar_from=sys.maxsize, **options)
    by_columns = lines(path, columnar_from=0, **options)
    assert by_columns == by_product, f"{path.name}: judging over columns changes the findings"
    return by_product


def test_rules_narrowed_by_columns_exist():
    """The columnar path is not empty: some rules prefilter or judge tables (else this file tests nothing)."""
    assert any(c.prefilter or c.check_table for c in load_checks())


@pytest.mark.parametrize("case", fixture_cases(FIXTURES), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_fixture_case(case, monkeypatch):
    monkeypatch.chdir(case.parent)
    assert_same_both_ways(case)


def test_the_shipped_examples():
    for example in sorted((ROOT / "examples").glob("*.csv")):
        assert_same_both_ways(example)


@pytest.mark.slow
@pytest.mark.parametrize("relative", REAL_CATALOGS)
def test_real_catalogs(relative):
    found = assert_same_both_ways(shared_file(relative))
    assert found  # real catalogs have findings: the comparison compares something


@pytest.mark.slow
def test_a_generated_catalog_with_planted_problems(tmp_path):
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import generate
    finally:
        sys.path.remove(str(ROOT / "bench"))
    _, csv_path = generate.generate(tmp_path, 6000, workbook=False)
    found = assert_same_both_ways(csv_path)
    assert len({line.split()[1] for line in found}) >= 8  # planted problems of many rules


def test_other_language_texts_judged_where_no_prefilter_hands_the_product_over(tmp_path):
    """A product's other-language title is judged by a per-language rule that judges tables (AE105 judges
    views product by product) even where every prefiltered rule selected passes the product by."""
    template = (FIXTURES / "layouts" / "aliexpress_template" / "fires.csv").read_text(encoding="utf-8")
    french = template.replace("КРУЖКА КЕРАМИЧЕСКАЯ КРАСНАЯ БОЛЬШАЯ",  # the Russian title, a view of the product
                              "Tasse à café en céramique rouge pour le petit déjeuner", 1)
    assert french != template
    path = tmp_path / "catalog.csv"
    path.write_text(french, encoding="utf-8")
    found = assert_same_both_ways(path, select=["AE105", "AE506"])
    assert len(found) == 1 and found[0].startswith("4:Product name (Russian): AE105 ")
