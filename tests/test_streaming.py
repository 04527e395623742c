"""Streaming changes nothing: a catalog linted in batches of 2 products gives the whole catalog's findings.

Without the HTML report, the engine reads a catalog in batches of whole products (`RunOptions.batch_products`);
per-product rules judge a batch and catalog-wide rules keep compact facts (aelint.facts) until the end. The
whole-catalog path stays for the HTML report (`keep_catalogs`), which shows the products. Each catalog here is
linted with batches of 2 products and whole, all rules, and every diagnostic (cells, values, fixes) must be
identical, as must the counts.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from aelint.engine import Report
from aelint.facts import collector_of
from aelint.registry import load_checks
from aelint.testing import fixture_cases
from conftest import FIXTURES, REAL_CATALOGS, ROOT, SHARED_DATA, lint_catalog, shared_file, shared_work

BUILT_IN_WIDE_RULES = [c for c in load_checks() if not c.per_product and c.module.__name__.startswith("aelint.checks")]


def assert_same_streamed_and_whole(path: Path, whole: Report | None = None, **options) -> Report:
    """Lint `path` in batches of 2 products and whole (`whole`: that Report, when the caller has it from the
    `plain_lint` fixture) and compare."""
    whole = whole or lint_catalog(path, keep_catalogs=True, **options)
    streamed = lint_catalog(path, batch_products=2, compact_diagnostics_from=0, **options)  # every batch's compressed
    assert streamed.diagnostics == whole.diagnostics, f"{path.name}: streaming changes the findings"
    assert streamed.failures == whole.failures
    for counted in ("files", "products", "rows", "readings", "ran_codes", "marketplaces"):
        assert getattr(streamed, counted) == getattr(whole, counted), counted
    assert not streamed.catalogs
    return whole


def test_every_built_in_catalog_wide_rule_streams():
    """A built-in rule without a Collector would make every catalog be read whole."""
    assert BUILT_IN_WIDE_RULES
    assert [c.code for c in BUILT_IN_WIDE_RULES if collector_of(c.module) is None] == []


@pytest.mark.parametrize("case", fixture_cases(FIXTURES), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_fixture_case(case, monkeypatch, plain_lint):
    monkeypatch.chdir(case.parent)
    assert_same_streamed_and_whole(case, plain_lint(case))


def test_the_shipped_examples(plain_lint):
    for example in sorted((ROOT / "examples").glob("*.csv")):
        assert_same_streamed_and_whole(example, plain_lint(example))


@pytest.mark.slow
@pytest.mark.parametrize("relative", REAL_CATALOGS)
def test_real_catalogs(relative, plain_lint):
    path = shared_file(relative)
    whole = assert_same_streamed_and_whole(path, plain_lint(path))
    assert whole.diagnostics  # real catalogs have findings: the comparison compares something


@pytest.mark.slow
def test_every_other_file_in_shared_data():
    """The rest of ../shared/data (recall lists, class lists: most are not catalogs) fails or passes alike."""
    if not SHARED_DATA.exists():
        pytest.skip("../shared/data is not present")
    others = [p for p in sorted(SHARED_DATA.rglob("*")) if p.suffix.lower() in (".csv", ".xlsx", ".xls", ".tsv")
              and p.relative_to(SHARED_DATA).as_posix() not in REAL_CATALOGS]
    for path in others:
        assert_same_streamed_and_whole(path)


def test_tests_comparing_with_plain_lint_share_a_worker():
    """Under xdist (tests/conftest.py) a catalog's comparisons with its reference lint run on one worker: a new
    test using `plain_lint` joins PLAIN_LINT_SWEEPS there, or every worker lints the reference again."""
    import ast

    users = set()
    for module in sorted((ROOT / "tests").glob("test_*.py")):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef) and "plain_lint" in [a.arg for a in node.args.args]:
                users.add(f"tests/{module.name}::{node.name}")
    assert {"tests/test_columnar.py::test_every_fixture_case", "tests/test_streaming.py::test_real_catalogs"} <= users
    assert [user for user in sorted(users) if not shared_work(user + "[case]").startswith("plain_lint:")] == []


def test_rows_of_a_product_further_down_are_grouped_as_whole(tmp_path):
    """P1's second row comes after P2 and P3, in a later batch: the file is read whole, as before."""
    catalog = tmp_path / "split.csv"
    catalog.write_text(
        "Product ID,Title,SKU Code,Color,Price,Stock\n"
        "P1,Cotton Summer Dress for Women,S1,Red,10,5\n"
        "P2,Leather Wallet for Men,S2,Black,12,5\n"
        "P3,Ceramic Coffee Mug,S3,White,8,5\n"
        "P1,Cotton Summer Dress for Women,S1,Blue,10,5\n", encoding="utf-8")
    whole = assert_same_streamed_and_whole(catalog)
    assert whole.products == 3
    assert [d.row for d in whole.diagnostics if d.code == "AE501"] == [2, 5]  # one product's two SKUs share S1


def test_batches_hold_whole_products(tmp_path):
    """A batch ends only where a new product starts: a product's adjacent rows are never split."""
    from aelint.reader import Reading, stream_catalogs

    catalog = tmp_path / "rows.csv"
    catalog.write_text("Product ID,Title,SKU Code\n" + "".join(
        f"P{p},Title {p},S{p}-{s}\n" for p in range(5) for s in range(3)), encoding="utf-8")
    reading = Reading([])
    ((found, batches),) = list(stream_catalogs(catalog, "rows.csv", None, None, "en", 2, reading))
    sizes = [[len(p.skus) for p in batch] for batch in batches]
    assert sizes == [[3, 3], [3, 3], [3]]
    assert found.product_count == 5 and found.rows == 15 and found.products == []
