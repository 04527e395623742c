"""Shared test helpers: paths to the project's fixtures and to ../shared/data (absent in a user's clone)."""

from __future__ import annotations

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


def pytest_addoption(parser) -> None:
    parser.addoption("--fuzz-long", action="store_true", default=False,
                     help="aelint: run the long fuzz campaign (tests/test_fuzz.py)")
