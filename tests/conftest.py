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
    """The Report of linting `path` with every rule (no images unless `images=True`, no cache) and its own
    `<case>.toml`, if any."""
    from aelint import config as config_module
    from aelint.engine import Engine, RunOptions

    settings = path.with_suffix(".toml")
    config = config_module.parse(settings) if settings.exists() else config_module.from_data({}, None)
    return Engine(RunOptions(**{"cache": False, "jobs": 1, "images": False, **options}), config).lint([path])


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


# The suite runs on every core (pyproject: `-n auto`, pytest-xdist), each worker process with its own session and
# module fixtures. Tests that share a costly fixture are sent to one worker, so that it is built once:
# - the modules whose tests share a module fixture: test_precommit.py's one pre-commit hook install;
# - a catalog's comparisons with `plain_lint` (test_columnar.py, test_streaming.py): its reference lint.
# (Not with xdist_group marks: pytest 9.2 ignores the group xdist writes into the test id, pytest-xdist#1386.)
ONE_WORKER_MODULES = ("tests/test_precommit.py",)
PLAIN_LINT_SWEEPS = ("test_every_fixture_case", "test_the_shipped_examples", "test_real_catalogs")
PLAIN_LINT_MODULES = ("tests/test_columnar.py", "tests/test_streaming.py")


def shared_work(nodeid: str) -> str:
    """The unit of work a test is sent in: its costly fixture's, else its own."""
    module, _, name = nodeid.partition("::")
    if module in ONE_WORKER_MODULES:
        return module
    function, _, case = name.partition("[")
    if module in PLAIN_LINT_MODULES and function in PLAIN_LINT_SWEEPS:
        return f"plain_lint:{function}[{case}"
    return nodeid


@pytest.hookimpl(tryfirst=True)
def pytest_xdist_make_scheduler(config, log):
    """`-n` with the default `--dist load`: test by test to whichever worker is free, but `shared_work`'s units
    whole (another --dist is left to xdist)."""
    if config.getvalue("dist") != "load":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class SharedWorkScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return shared_work(nodeid)

    return SharedWorkScheduling(config, log)


def pytest_addoption(parser) -> None:
    parser.addoption("--fuzz-long", action="store_true", default=False,
                     help="aelint: run the long fuzz campaign (tests/test_fuzz.py)")
