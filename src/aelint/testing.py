"""The fixture runner, shared with plugin authors (installed as a pytest plugin).

A case is `fixtures/<check module>/<case>.csv|tsv|xlsx` with its expected diagnostics in `<case>.txt`
(one per line, see `diagnostic_line`) and optional settings in `<case>.toml` (aelint.toml keys). Each case
runs with only its own rule selected. `pytest --update-fixtures` rewrites the expected files.
"""

from __future__ import annotations

from pathlib import Path

from aelint import config as config_module
from aelint.engine import Engine, RunOptions
from aelint.model import Diagnostic
from aelint.registry import load_checks

CASE_SUFFIXES = (".csv", ".tsv", ".xlsx", ".xlsm")


def pytest_addoption(parser) -> None:
    parser.addoption("--update-fixtures", action="store_true", default=False,
                     help="aelint: rewrite the expected output of fixture cases")


def fixture_cases(root: Path) -> list[Path]:
    """Every case file under `root/<check module>/`."""
    return sorted(p for p in root.glob("*/*") if p.suffix.lower() in CASE_SUFFIXES)


def check_for_case(case: Path):
    """The check a case belongs to: its folder is named after the check's module."""
    for check in load_checks():
        if check.module.__name__.rsplit(".", 1)[-1] == case.parent.name:
            return check
    raise LookupError(f"{case}: no check module named {case.parent.name!r}")


def diagnostic_line(d: Diagnostic) -> str:
    """ROW:COLUMN: CODE [severity] message (SKU x) => field='fixed value'"""
    line = f"{d.row or '-'}:{d.column or '-'}: {d.code} [{d.severity}] {d.message}"
    if d.sku_code:
        line += f" (SKU {d.sku_code})"
    if d.fix:
        line += f" => {d.fix.field}={d.fix.value!r}"
    return line


def run_case(case: Path) -> list[str]:
    """Lint a case with only its check selected (and its own settings, if any)."""
    check = check_for_case(case)
    settings = case.with_suffix(".toml")
    config = (config_module.parse(settings) if settings.exists() else config_module.from_data({}, None))
    run = RunOptions(select=[check.code], cache=False, jobs=1)
    report = Engine(run, config).lint([case])
    if report.failures:
        raise AssertionError("; ".join(map(str, report.failures)))
    return [diagnostic_line(d).replace(str(case), case.name) for d in report.diagnostics]


def assert_case(case: Path, update: bool = False) -> None:
    """Compare a case's diagnostics with its expected file, or rewrite that file."""
    got = run_case(case)
    expected_file = case.with_suffix(".txt")
    if update:
        expected_file.write_text("".join(line + "\n" for line in got), encoding="utf-8")
        return
    if not expected_file.exists():
        raise AssertionError(f"{expected_file} is missing: run pytest --update-fixtures and review it")
    expected = expected_file.read_text(encoding="utf-8").splitlines()
    assert got == expected, f"{case}: diagnostics differ from {expected_file.name}"
