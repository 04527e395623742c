"""Reports: the JSON and SARIF contracts validate, untrusted catalog text is escaped, GitHub's cap is said."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import jsonschema
import pytest

from aelint.engine import Report
from aelint.model import Diagnostic, Fix
from aelint.reporters import escape, fingerprint, render_github, render_json, render_junit, render_sarif, render_text
from conftest import ROOT, shared_file

HOSTILE = "Mug \x1b[31mRED\x1b[0m \u202eevil\u202c\x07 bell\nnew line %0A, comma: colon"


def diagnostic(**changes) -> Diagnostic:
    values = dict(code="AE101", rule="title-too-long", severity="error", message="title is 142 characters",
                  path="catalog.xlsx", sheet="Products", row=12, column="B", field="title", product_id="P7",
                  sku_code=None, fix=None)
    values.update(changes)
    return Diagnostic(**values)


def report(*diagnostics: Diagnostic) -> Report:
    return Report(diagnostics=list(diagnostics), files=1, products=3, rows=5, linted_paths=["catalog.xlsx"],
                  ran_codes={"AE101", "AE102"})


SAMPLE = report(
    diagnostic(),
    diagnostic(code="AE102", rule="title-duplicate-words", message=f"title repeats {HOSTILE}",
               fix=Fix("title", "Mug"), sku_code="SKU-1", severity="warning"),
    diagnostic(code="AE602", rule="missing-required-field", row=None, column=None, field=None, product_id=None,
               sheet=None, path="feed with spaces.csv", severity="info"),
)


def test_json_report_validates_against_the_schema():
    schema = json.loads(shared_file("../spec/report.schema.json").read_text())
    document = json.loads(render_json(SAMPLE))
    jsonschema.validate(document, schema)
    assert document["summary"] == {"files": 1, "products": 3, "rows": 5, "error": 1, "warning": 1, "info": 1}
    assert document["diagnostics"][1]["fix"] == {"field": "title", "value": "Mug"}
    assert document["diagnostics"][1]["message"].endswith(HOSTILE)  # JSON keeps the text, escaped by json


def test_sarif_report_validates_against_the_official_schema():
    schema = json.loads(shared_file("sarif/sarif-schema-2.1.0.json").read_text())
    document = json.loads(render_sarif(SAMPLE))
    jsonschema.validate(document, schema)
    run = document["runs"][0]
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert rules["AE101"]["helpUri"] and "What it does" in rules["AE101"]["fullDescription"]["text"]
    first, second, third = run["results"]
    assert first["locations"][0]["physicalLocation"]["region"]["startLine"] == 12
    assert third["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "feed%20with%20spaces.csv"
    assert first["partialFingerprints"] != second["partialFingerprints"]


def test_fingerprints_ignore_the_row():
    assert fingerprint(diagnostic(row=12)) == fingerprint(diagnostic(row=400))
    assert fingerprint(diagnostic(field="title")) != fingerprint(diagnostic(field="description"))


def test_text_escapes_terminal_sequences_and_names_place():
    text = render_text(SAMPLE)
    assert "\x1b" not in text and "\u202e" not in text and "\x07" not in text
    assert "\\u001b[31mRED" in text and "\\u202eevil" in text and "\\n" in text
    assert text.splitlines()[0] == "catalog.xlsx:12:B: AE101 [error] title is 142 characters"
    assert "(SKU SKU-1)" in text.splitlines()[1]
    assert text.splitlines()[2] == "feed with spaces.csv: AE602 [info] title is 142 characters"
    assert text.splitlines()[-1].startswith("Found 1 error, 1 warning, 1 info in 1 file")


def test_text_names_the_sheet_only_for_multi_sheet_workbooks():
    assert render_text(report(diagnostic(multi_sheet=True))).startswith("catalog.xlsx[Products]:12:B:")
    assert escape("ok\ttab") == "ok\\ttab"


def test_github_commands_are_escaped_and_errors_come_first():
    lines = render_github(SAMPLE).splitlines()
    assert lines[0].startswith("::error file=catalog.xlsx,line=12,col=2,title=AE101 title-too-long::")
    warning = lines[1]
    assert warning.startswith("::warning ") and "\n" not in warning and "\x1b" not in warning
    assert "%250A" in warning  # a literal %0A in catalog text cannot become a new line
    assert lines[2].startswith("::notice file=feed with spaces.csv,title=AE602 missing-required-field::")


def test_github_says_how_many_were_left_out():
    many = report(*[diagnostic(row=n) for n in range(2, 30)], *[diagnostic(row=n, severity="warning")
                                                               for n in range(2, 5)])
    text = render_github(many)
    assert text.count("::error ") == 10 and text.count("::warning ") == 3
    assert "18 more annotations left out (18 error)" in text


def test_junit_has_a_case_per_rule_and_file():
    root = ET.fromstring(render_junit(SAMPLE))
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert set(suites) == {"catalog.xlsx", "feed with spaces.csv"}
    cases = {c.get("name"): c for c in suites["catalog.xlsx"].iter("testcase")}
    assert set(cases) == {"AE101 title-too-long", "AE102 title-duplicate-words"}
    assert cases["AE101 title-too-long"].find("failure") is not None
    assert root.get("tests") == "5" and root.get("failures") == "3"  # AE101, AE102 ran on both files
    assert "\x1b" not in render_junit(SAMPLE)


def test_real_run_outputs_validate(tmp_path):
    """End to end: a real run's JSON and SARIF validate, whatever checks are installed."""
    from click.testing import CliRunner

    from aelint.cli import main

    sarif_schema = json.loads(shared_file("sarif/sarif-schema-2.1.0.json").read_text())
    json_schema = json.loads(shared_file("../spec/report.schema.json").read_text())
    path = ROOT / "examples" / "catalog.csv"
    if not path.exists():
        pytest.fail("examples/catalog.csv is missing")
    for fmt, schema in (("json", json_schema), ("sarif", sarif_schema)):
        out = CliRunner().invoke(main, [str(path), "--format", fmt, "--no-images"]).output
        jsonschema.validate(json.loads(out), schema)
