"""Shared test helpers: paths to the project's fixtures and to ../shared/data (absent in a user's clone)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
SHARED_DATA = ROOT.parent / "shared" / "data"
# The real catalogs of ../shared/data (bench/precision.py lints the same four).
REAL_CATALOGS = (
    "wish_summer_clothes/summer-products-with-rating-and-performance_2020-08.csv",
    "aliexpress_dropship_variants/report_copy3.csv",
    "aliexpress_dropship_variants/aliexpress.csv",
    "shopify_product_template/product_template.csv",
)


def shared_file(relative: str) -> Path:
    """A file under ../shared/data, or skip the test when the folder is not there."""
    path = SHARED_DATA / relative
    if not path.exists():
        pytest.skip(f"../shared/data/{relative} is not present")
    return path


def lint_catalog(path: Path, **options):
    """The Report of linting `path` with every rule (no images, no cache) and its own `<case>.toml`, if any."""
    from aelint import config as config_module
    from aelint.engine import Engine, RunOptions

    settings = path.with_suffix(".toml")
    config = config_module.parse(settings) if settings.exists() else config_module.from_data({}, None)
    return Engine(RunOptions(cache=False, jobs=1, images=False, **options), config).lint([path])


@pytest.fixture(scope="session")
def plain_lint():
    """`plain_lint(path)`: the reference every other way of linting is compared with: the catalog read whole
    (`keep_catalogs`) and judged product by product (never over columns), all rules. Linted once per session
    (per path and working folder) and shared by tests/test_columnar.py and tests/test_streaming.py, which
    compare it with judging over columns and with streaming in batches: the fixture sweep's reference run is
    the costliest half of each. Do not change the returned Report."""
    reports = {}

    def lint(path: Path):
        key = (path.resolve(), Path.cwd())
        if key not in reports:
            reports[key] = lint_catalog(path, keep_catalogs=True, columnar_from=sys.maxsize)
        return reports[key]

    return lint


def pytest_addoption(parser) -> None:
    parser.addoption("--fuzz-long", action="store_true", default=False,
                     help="aelint: run the long fuzz campaign (tests/test_fuzz.py)")
