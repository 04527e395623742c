"""Every check follows the contract: code, name, documentation sections, fixtures that fire and stay silent."""

from __future__ import annotations

import pytest

from aelint.registry import CODE_RE, DOC_SECTIONS, NAME_RE, load_checks
from aelint.testing import fixture_cases
from conftest import FIXTURES

CHECKS = load_checks()


def test_codes_and_names_are_unique():
    assert len({c.code for c in CHECKS}) == len(CHECKS)
    assert len({c.name for c in CHECKS}) == len(CHECKS)


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.code)
def test_check_contract(check):
    assert CODE_RE.match(check.code) and NAME_RE.match(check.name)
    assert check.doc.startswith(f"{check.code} {check.name}: "), "docstring must start with 'CODE name: '"
    for section in DOC_SECTIONS:
        assert f"\n{section}:" in check.doc, f"{check.code} docstring lacks a '{section}:' section"
    assert "\nSource: " in check.doc, f"{check.code} docstring does not say where the rule comes from"
    assert check.module.Options.model_config.get("extra") == "forbid"


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.code)
def test_check_has_firing_and_silent_fixtures(check):
    folder = FIXTURES / check.module.__name__.rsplit(".", 1)[-1]
    cases = [c for c in fixture_cases(FIXTURES) if c.parent == folder]
    firing = [c for c in cases if c.stem.startswith("fires")]
    silent = [c for c in cases if c.stem.startswith("silent")]
    assert firing and silent, f"{folder} needs fires*.csv|xlsx and silent*.csv|xlsx cases"
    for case in firing:
        assert check.code in case.with_suffix(".txt").read_text(encoding="utf-8"), f"{case} does not fire"
    for case in silent:
        assert case.with_suffix(".txt").read_text(encoding="utf-8") == "", f"{case} must stay silent"


def test_readme_documents_every_threshold_and_list():
    from conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for check in CHECKS:
        for name, field in check.options_model.model_fields.items():
            if field.annotation in (int, float):
                assert f"\n{name} = " in readme, f"README's [thresholds] lacks {name} ({check.code})"
        list_name = getattr(check.module, "LIST_NAME", None)
        assert list_name is None or f"`{list_name}`" in readme, f"README does not name the list {list_name}"
