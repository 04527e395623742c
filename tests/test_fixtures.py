"""Every fixture case under fixtures/ gives exactly its expected diagnostics."""

from __future__ import annotations

import pytest

from aelint.testing import assert_case, fixture_cases
from conftest import FIXTURES


@pytest.mark.parametrize("case", fixture_cases(FIXTURES), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fixture_case(case, request):
    assert_case(case, update=request.config.getoption("--update-fixtures"))
