"""Reports checked against their consumers: the JSON schema, the official SARIF schema and GitHub's code
scanning limits, Jenkins' junit-10.xsd, GitHub's workflow-command rules, GitLab's Code Quality fields."""

from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote, urlparse

import jsonschema
import pytest

from aelint.engine import Engine, Failure, Report, RunOptions
from aelint.model import Diagnostic, Fix
from aelint.registry import load_checks
from aelint.reporters import (
    GITHUB_ANNOTATION_CAP, SARIF_MAX_RESULTS, UNSAFE_RE, JsonWriter, SarifWriter, escape, fingerprint, fingerprints,
    render_github, render_gitlab, render_json, render_junit, render_sarif, render_text, rules_page,
)
from conftest import ROOT, SHARED_DATA, shared_file

HOSTILE = "Mug \x1b[31mRED\x1b[0m \u202eevil\u202c\x07 bell\nnew line %0A, comma: colon"
PROJECT_SCHEMA = ROOT / "src" / "aelint" / "report.schema.json"
JUNIT_XSD = ROOT / "tests" / "schemas" / "junit-10.xsd"
RULES_PAGE = ROOT / "docs" / "rules.md"


def diagnostic(**changes) -> Diagnostic:
    values = dict(code="AE101", rule="title-too-long", severity="error", message="title is 142 characters",
                  path="catalog.xlsx", sheet="Products", row=12, column="B", field="title", product_id="P7",
                  sku_code=None, fix=None, column_number=2)
    values.update(changes)
    return Diagnostic(**values)


def report(*diagnostics: Diagnostic, failures=(), fail_on="error") -> Report:
    return Report(diagnostics=list(diagnostics), files=1, products=3, rows=5, linted_paths=["catalog.xlsx"],
                  ran_codes={"AE101", "AE102"}, failures=list(failures), fail_on=fail_on)


SAMPLE = report(
    diagnostic(),
    diagnostic(code="AE102", rule="title-duplicate-words", message=f"title repeats {HOSTILE}",
               fix=Fix("title", "Mug"), sku_code="SKU-1", severity="warning"),
    diagnostic(code="AE602", rule="missing-required-field", row=None, column=None, field=None, product_id=None,
               sheet=None, path="feed with spaces.csv", severity="info", column_number=None),
)
UNREADABLE = Failure("orders/export.csv", "no recognisable header row in the first 30 rows")


def lint(*paths: Path, **options) -> Report:
    return Engine(RunOptions(cache=False, jobs=1, images=False, **options)).lint(paths)


# JSON -----------------------------------------------------------------------------------------------------

def test_json_report_validates_against_the_project_schema_and_the_specs():
    schemas = [json.loads(PROJECT_SCHEMA.read_text())]
    if (SHARED_DATA.parent / "spec" / "report.schema.json").exists():
        schemas.append(json.loads((SHARED_DATA.parent / "spec" / "report.schema.json").read_text()))
    document = json.loads(render_json(report(*SAMPLE.diagnostics, failures=[UNREADABLE])))
    for schema in schemas:
        jsonschema.validate(document, schema)
    assert document["version"] == 2
    assert document["failures"] == [{"path": "orders/export.csv",
                                     "message": "no recognisable header row in the first 30 rows"}]
    assert document["summary"] == {"files": 1, "products": 3, "rows": 5, "error": 1, "warning": 1, "info": 1,
                                   "fixable": 1, "marketplaces": {}}
    assert document["diagnostics"][1]["fix"] == {"field": "title", "value": "Mug"}
    assert document["diagnostics"][1]["message"].endswith(HOSTILE)  # JSON keeps the text, escaped by json
    assert json.loads(render_json(SAMPLE))["failures"] == []


def test_json_report_is_written_as_json_dumps_lays_it_out():
    """The streamed layout is byte for byte json.dumps(indent=2) of the document, hostile text included."""
    odd = diagnostic(message="tab\t quote\" back\\slash \u2028 \x00 \udcff lone surrogate", sku_code="S\u00e9",
                     fix=Fix("title", "A \"B\""), row=None, sheet=None, column=None)
    for sample in (report(), report(*SAMPLE.diagnostics, odd, failures=[UNREADABLE])):
        sample.marketplaces = {"catalog.xlsx": "AliExpress"}
        document = {
            "version": 2, "tool": {"name": "aelint", "version": __import__("aelint").__version__},
            "diagnostics": [{"code": d.code, "rule": d.rule, "severity": d.severity, "message": d.message,
                             "path": d.path, "sheet": d.sheet, "row": d.row, "column": d.column, "field": d.field,
                             "product_id": d.product_id, "sku_code": d.sku_code,
                             "fix": {"field": d.fix.field, "value": d.fix.value} if d.fix else None}
                            for d in sample.diagnostics],
            "summary": {"files": 1, "products": 3, "rows": 5,
                        **{s: sample.count(s) for s in ("error", "warning", "info")},
                        "fixable": sum(1 for d in sample.diagnostics if d.fix), "marketplaces": sample.marketplaces},
            "failures": [{"path": f.path, "message": f.message} for f in sample.failures],
        }
        assert render_json(sample) == json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def test_json_writer_writes_the_same_bytes_in_chunks(monkeypatch):
    """The writer lays out `CHUNK` diagnostics at a time (a million-row run's are never held as one text)."""
    many = report(*[diagnostic(row=n, message=f"{HOSTILE} {n}") for n in range(2, 13)], failures=[UNREADABLE])
    whole = render_json(many)
    monkeypatch.setattr(JsonWriter, "CHUNK", 3)
    out = io.StringIO()
    writer = JsonWriter(out)
    for start in (0, 1, 5):  # writes of 1, 4 and 6 diagnostics, cut in chunks of 3
        writer.write(many.diagnostics[start:{0: 1, 1: 5, 5: None}[start]])
    writer.finish(many)
    assert out.getvalue() == whole and render_json(many) == whole and json.loads(whole)["diagnostics"][10]["row"] == 12


def test_json_summary_counts_fixable_baseline_and_marketplaces():
    sample = report(*SAMPLE.diagnostics, diagnostic(path="legacy.xls", fix=Fix("title", "Mug")))
    sample.baseline_known, sample.baseline_resolved = 4, 2
    sample.marketplaces = {"catalog.xlsx": "AliExpress", "wish.csv": "Wish"}
    summary = json.loads(render_json(sample))["summary"]
    assert summary["fixable"] == 1  # an .xls is not rewritten by --fix
    assert summary["baseline"] == {"known": 4, "resolved": 2}
    assert summary["marketplaces"] == {"catalog.xlsx": "AliExpress", "wish.csv": "Wish"}
    assert "fixed" not in summary and "baseline" not in json.loads(render_json(SAMPLE))["summary"]
    sample.fixed = 3
    assert json.loads(render_json(sample))["summary"]["fixed"] == 3
    jsonschema.validate(json.loads(render_json(sample)), json.loads(PROJECT_SCHEMA.read_text()))


def test_writers_take_diagnostics_in_pieces():
    """Written a catalog at a time, the reports are those of the whole run at once; the SARIF cap still
    takes the most severe first when errors come after the room was filled with warnings and infos."""
    pieces = [[diagnostic(row=n, severity="info", code="AE602", rule="missing-required-field") for n in range(2, 9)],
              [diagnostic(row=n, severity="warning", path="b.csv") for n in range(2, 6)],
              [], [diagnostic(row=n, path="c.csv") for n in range(2, 5)], [diagnostic(row=9, path="c.csv")]]
    whole = report(*[d for piece in pieces for d in piece], failures=[UNREADABLE])
    for writer_class, render, options in ((JsonWriter, render_json, {}), (SarifWriter, render_sarif, {"max_results": 9})):
        out = __import__("io").StringIO()
        writer = writer_class(out, **options)
        for piece in pieces:
            writer.write(piece)
        writer.finish(whole)
        assert out.getvalue() == render(whole, **options)
    results = json.loads(render_sarif(whole, max_results=9))["runs"][0]["results"]
    assert [(r["level"], r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in results] == [
        ("error", 2), ("error", 3), ("error", 4), ("error", 9), ("warning", 2), ("warning", 3), ("warning", 4),
        ("warning", 5), ("note", 2)]


def test_the_schema_copy_ships_with_the_package():
    import importlib.resources

    assert (importlib.resources.files("aelint") / "report.schema.json").is_file()
    assert "report.schema.json" in (ROOT / "pyproject.toml").read_text()


# SARIF against the official schema and GitHub's documented limits -----------------------------------------

def github_sarif_problems(document: dict) -> list[str]:
    """What GitHub code scanning's documentation says an uploaded SARIF file must respect."""
    problems = []
    run, = document["runs"]
    base_ids = run.get("originalUriBaseIds", {})
    for rule in run["tool"]["driver"]["rules"]:
        rid = rule["id"]
        for key in ("shortDescription", "fullDescription"):
            if not 0 < len(rule[key]["text"]) <= 1024:
                problems.append(f"{rid}: {key} is {len(rule[key]['text'])} characters")
        if len(rule.get("name", "")) > 255:
            problems.append(f"{rid}: name over 255 characters")
        if not rule["help"]["text"] or not rule["help"].get("markdown"):
            problems.append(f"{rid}: no help text or markdown")
        if any(line.startswith("    ") for line in rule["help"]["markdown"].splitlines()):
            problems.append(f"{rid}: help.markdown has indented lines (shown as code)")
        if len(rule.get("properties", {}).get("tags", [])) > 20:
            problems.append(f"{rid}: more than 20 tags")
        if not resolves(rule.get("helpUri")):
            problems.append(f"{rid}: helpUri {rule.get('helpUri')!r} does not resolve")
    results = run["results"]
    if len(results) > 25_000:
        problems.append(f"{len(results)} results")
    hashes = [r["partialFingerprints"]["primaryLocationLineHash"] for r in results]
    if len(set(hashes)) != len(hashes):
        problems.append(f"{len(hashes) - len(set(hashes))} primaryLocationLineHash collide")
    for result in results:
        physical = result["locations"][0]["physicalLocation"]
        uri = physical["artifactLocation"]["uri"]
        if "\\" in uri or uri.startswith(("/", "./")) or "/../" in f"/{uri}" or "//" in uri.split(":", 1)[-1][2:]:
            problems.append(f"URI not normalised: {uri}")
        if "uriBaseId" in physical["artifactLocation"] and physical["artifactLocation"]["uriBaseId"] not in base_ids:
            problems.append(f"undeclared uriBaseId in {uri}")
        if physical["region"]["startLine"] < 1:
            problems.append(f"{uri}: startLine < 1")
    return problems


def resolves(uri: str | None) -> bool:
    """A file URI must name an existing page with the anchor's heading; an https one points at our page."""
    if not uri:
        return False
    page, _, anchor = uri.partition("#")
    parsed = urlparse(page)
    path = Path(unquote(parsed.path)) if parsed.scheme == "file" else RULES_PAGE
    if parsed.scheme not in ("file", "https") or not path.name == "rules.md" or not path.is_file():
        return False
    headings = {re.sub(r"[^a-z0-9 -]", "", line[3:].lower()).replace(" ", "-")
                for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("## ")}
    return anchor in headings


def sarif_schema() -> dict:
    return json.loads(shared_file("sarif/sarif-schema-2.1.0.json").read_text())


def test_sarif_sample_validates_and_fits_github():
    document = json.loads(render_sarif(SAMPLE))
    jsonschema.validate(document, sarif_schema())
    assert github_sarif_problems(document) == []
    run = document["runs"][0]
    assert run["invocations"] == [{"executionSuccessful": True, "toolExecutionNotifications": []}]
    first, second, third = run["results"]
    assert first["locations"][0]["physicalLocation"]["region"] == {"startLine": 12, "startColumn": 2}
    assert third["locations"][0]["physicalLocation"]["artifactLocation"] == {
        "uri": "feed%20with%20spaces.csv", "uriBaseId": "%SRCROOT%"}
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == Path.cwd().as_uri() + "/"
    assert re.fullmatch(r"[0-9a-f]{16}:1", first["partialFingerprints"]["primaryLocationLineHash"])


def test_sarif_rules_fit_github_and_link_to_the_rules_page():
    rules = json.loads(render_sarif(report()))["runs"][0]["tool"]["driver"]["rules"]
    assert len(rules) == len(load_checks())
    long_docs = [c.code for c in load_checks() if len(c.doc) > 1024]
    assert long_docs, "the limit is tested on real docstrings longer than 1,024 characters"
    by_id = {r["id"]: r for r in rules}
    for code in long_docs:
        assert len(by_id[code]["fullDescription"]["text"]) <= 1024
    ae101 = by_id["AE101"]
    assert ae101["fullDescription"]["text"].startswith("Counts the characters of each product title")
    assert "### Why is this bad" in ae101["help"]["markdown"]
    assert ae101["helpUri"].endswith("#ae101-title-too-long") and resolves(ae101["helpUri"])


def test_rules_page_is_current(request):
    expected = rules_page(load_checks())
    if request.config.getoption("--update-fixtures"):
        RULES_PAGE.parent.mkdir(exist_ok=True)
        RULES_PAGE.write_text(expected, encoding="utf-8")
    assert RULES_PAGE.read_text(encoding="utf-8") == expected, "run pytest --update-fixtures and review docs/rules.md"


def test_sarif_of_unreadable_files_says_execution_failed():
    document = json.loads(render_sarif(report(failures=[UNREADABLE])))
    jsonschema.validate(document, sarif_schema())
    invocation, = document["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is False
    note, = invocation["toolExecutionNotifications"]
    assert note["level"] == "error" and "orders/export.csv" in note["message"]["text"]
    assert note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "orders/export.csv"


def test_sarif_caps_results_most_severe_first_and_says_how_many_were_left_out():
    many = report(*[diagnostic(row=n, severity="info", code="AE602", rule="missing-required-field")
                    for n in range(2, 40)], *[diagnostic(row=n) for n in range(2, 7)])
    document = json.loads(render_sarif(many, max_results=10))
    jsonschema.validate(document, sarif_schema())
    results = document["runs"][0]["results"]
    assert len(results) == 10 and [r["level"] for r in results[:5]] == ["error"] * 5
    note, = document["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert note["message"]["text"].startswith("33 results left out")


def test_sarif_keeps_the_same_results_however_they_are_written():
    """Results come a catalog's at a time; the most severe found later take the room of those written before."""
    mixed = report(*[diagnostic(row=n, severity=("info", "warning", "error")[n % 3], product_id=f"P{n % 4}",
                                message=f"{HOSTILE} {n}") for n in range(2, 30)])
    whole = render_sarif(mixed, max_results=7)
    for size in (1, 2, 5):
        out = io.StringIO()
        writer = SarifWriter(out, max_results=7)
        for start in range(0, len(mixed.diagnostics), size):
            writer.write(mixed.diagnostics[start:start + size])
        writer.finish(mixed)
        assert out.getvalue() == whole
    results = json.loads(whole)["runs"][0]["results"]
    assert [r["level"] for r in results] == ["error"] * 7 and results[0]["locations"][0]["physicalLocation"][
        "region"] == {"startLine": 2, "startColumn": 2}


def test_sarif_and_gitlab_are_laid_out_as_json_dumps_lays_them_out():
    """Both are written from templates: the bytes are json.dumps' of the same document, hostile text included."""
    odd = diagnostic(message="tab\t quote\" back\\slash \u2028 \x00 \udcff lone surrogate", sku_code="S\u00e9",
                     fix=Fix("title", "A \"B\""), row=None, sheet=None, column="Ti\"tle", column_number=None)
    sample = report(*SAMPLE.diagnostics, odd, diagnostic(product_id=None, column=None, column_number=None),
                    failures=[UNREADABLE])
    sarif = render_sarif(sample)
    assert sarif == json.dumps(json.loads(sarif), ensure_ascii=False, separators=(",", ":")) + "\n"
    assert len(json.loads(sarif)["runs"][0]["results"]) == 5
    gitlab = render_gitlab(sample)
    assert gitlab == json.dumps(json.loads(gitlab), ensure_ascii=False, indent=2) + "\n"
    assert render_gitlab(report()) == "[]\n"


def test_sarif_default_cap_is_githubs_25000():
    many = report(*[diagnostic(row=n, product_id=f"P{n}") for n in range(2, SARIF_MAX_RESULTS + 102)])
    document = json.loads(render_sarif(many))
    assert SARIF_MAX_RESULTS == 25_000 and len(document["runs"][0]["results"]) == 25_000
    assert "100 results left out" in document["runs"][0]["invocations"][0]["toolExecutionNotifications"][0][
        "message"]["text"]


def test_uris_are_normalised_relative_to_the_current_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    inside = str(tmp_path / "feeds" / ".." / "feeds" / "a b.csv")
    document = json.loads(render_sarif(report(diagnostic(path=inside), diagnostic(path="./feeds//c.csv"),
                                              diagnostic(path="/elsewhere/d.csv"))))
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"] for r in document["runs"][0]["results"]]
    assert uris == [{"uri": "feeds/a%20b.csv", "uriBaseId": "%SRCROOT%"},
                    {"uri": "feeds/c.csv", "uriBaseId": "%SRCROOT%"}, {"uri": "file:///elsewhere/d.csv"}]
    jsonschema.validate(document, sarif_schema())


def test_fingerprints_ignore_the_row_and_number_repeats():
    assert fingerprint(diagnostic(row=12)) == fingerprint(diagnostic(row=400))
    assert fingerprint(diagnostic(field="title")) != fingerprint(diagnostic(field="description"))
    assert fingerprint(diagnostic(sku_code="A")) != fingerprint(diagnostic(sku_code="B"))
    same = [diagnostic(row=2), diagnostic(row=3)]
    assert [p.split(":")[1] for p in fingerprints(same)] == ["1", "2"]



def test_sarif_occurrences_count_the_results_the_cap_leaves_out():
    """The info is left out (the error takes the one place) yet is the first of their identity: the error is :2."""
    left_out, kept = diagnostic(row=2, severity="info"), diagnostic(row=3)
    document = json.loads(render_sarif(report(left_out, kept), max_results=1))
    result, = document["runs"][0]["results"]
    assert result["partialFingerprints"]["primaryLocationLineHash"] == f"{fingerprint(kept)}:2"
    assert fingerprints([left_out, kept]) == [f"{fingerprint(kept)}:1", f"{fingerprint(kept)}:2"]

SHUFFLE_HEADER = "Product ID,Title,SKU Code,Color,Price,Main Images\n"
SHUFFLE_ROWS = ["P1,Mug Mug Ceramic Cup,M-1,Red,3,\n", "P1,,M-2,Blue,300,\n", "P2,Bowl Bowl Bowl Soup Bowl,B-1,,4,\n",
                "P3,Plate Plate Dinner Plate,P-1,,5,\n"]


def test_sarif_fingerprints_are_unique_and_survive_moved_rows(tmp_path):
    path = tmp_path / "feed.csv"

    def hashes(rows):
        path.write_text(SHUFFLE_HEADER + "".join(rows))
        document = json.loads(render_sarif(lint(path, select=["AE1", "AE5", "AE3"])))
        assert github_sarif_problems(document) == []
        return {(r["ruleId"], r["partialFingerprints"]["primaryLocationLineHash"],
                 r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in document["runs"][0]["results"]}

    before = hashes(SHUFFLE_ROWS)
    after = hashes([SHUFFLE_ROWS[3], SHUFFLE_ROWS[2], *SHUFFLE_ROWS[:2]])
    assert len(before) >= 4
    assert {(code, h) for code, h, _ in before} == {(code, h) for code, h, _ in after}
    assert {line for *_, line in before} != {line for *_, line in after}  # the rows did move


@pytest.mark.parametrize("relative", ["examples/catalog.csv", "shared:wish_summer_clothes"])
def test_real_runs_validate_and_fit_github(relative, tmp_path, monkeypatch):
    if relative.startswith("shared:"):
        folder = shared_file(relative.split(":")[1])
        path = next(p for p in sorted(folder.iterdir()) if p.suffix == ".csv")
    else:
        path = ROOT / relative
    monkeypatch.chdir(path.parent)
    result = lint(Path(path.name))
    assert not result.failures and result.diagnostics
    document = json.loads(render_sarif(result))
    jsonschema.validate(document, sarif_schema())
    assert github_sarif_problems(document) == []
    jsonschema.validate(json.loads(render_json(result)), json.loads(PROJECT_SCHEMA.read_text()))
    validate_junit(render_junit(result))
    issues = json.loads(render_gitlab(result))
    assert len({i["fingerprint"] for i in issues}) == len(issues) == len(result.diagnostics)


# JUnit against Jenkins' schema ----------------------------------------------------------------------------

def validate_junit(text: str) -> ET.Element:
    etree = pytest.importorskip("lxml.etree")
    schema = etree.XMLSchema(etree.parse(str(JUNIT_XSD)))
    document = etree.fromstring(text.encode("utf-8"))
    assert schema.validate(document), schema.error_log
    return ET.fromstring(text)


def test_junit_validates_and_counts_only_what_fails_the_run():
    root = validate_junit(render_junit(SAMPLE))
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert set(suites) == {"catalog.xlsx", "feed with spaces.csv"}
    cases = {c.get("classname"): c for c in suites["catalog.xlsx"].iter("testcase")}
    assert set(cases) == {"AE101 title-too-long", "AE102 title-duplicate-words"}
    assert {c.get("name") for c in cases.values()} == {"catalog.xlsx"}
    assert cases["AE101 title-too-long"].find("failure") is not None
    warning_case = cases["AE102 title-duplicate-words"]  # a warning does not fail with fail-on error
    assert warning_case.find("failure") is None and "AE102 [warning]" in warning_case.find("system-out").text
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("5", "1", "0")
    assert "\x1b" not in render_junit(SAMPLE)

    strict = validate_junit(render_junit(report(*SAMPLE.diagnostics, fail_on="info")))
    assert strict.get("failures") == "3"


def test_junit_names_never_split_into_package_and_class():
    root = validate_junit(render_junit(report(diagnostic(path="ex/catalog.csv", sheet=None))))
    for case in root.iter("testcase"):
        assert "." not in case.get("classname")  # Jenkins splits a class name at its last dot
    assert {c.get("name") for c in root.iter("testcase")} == {"ex/catalog.csv", "catalog.xlsx"}


def test_junit_reports_unreadable_files_as_errors():
    root = validate_junit(render_junit(report(*SAMPLE.diagnostics, failures=[UNREADABLE])))
    suite = next(s for s in root.iter("testsuite") if s.get("name") == "orders/export.csv")
    error = suite.find("testcase/error")
    assert error is not None and "no recognisable header" in error.get("message")
    assert suite.get("errors") == "1" and root.get("errors") == "1"


# GitHub workflow commands ---------------------------------------------------------------------------------

def test_github_commands_are_escaped_and_errors_come_first():
    lines = render_github(SAMPLE).splitlines()
    assert lines[0].startswith("::error file=catalog.xlsx,line=12,col=2,title=AE101 title-too-long::")
    warning = lines[1]
    assert warning.startswith("::warning ") and "\n" not in warning and "\x1b" not in warning
    assert "%250A" in warning  # a literal %0A in catalog text cannot become a new line
    assert lines[2].startswith("::notice file=feed with spaces.csv,title=AE602 missing-required-field::")


def test_github_prints_annotations_past_the_cap_as_plain_lines():
    many = report(*[diagnostic(row=n) for n in range(2, 30)],
                  *[diagnostic(row=n, severity="warning") for n in range(2, 5)], failures=[UNREADABLE])
    lines = render_github(many).splitlines()
    annotations = [line for line in lines if line.startswith("::")]
    assert [a.split(" ")[0] for a in annotations] == ["::error"] * GITHUB_ANNOTATION_CAP + ["::warning"] * 3
    assert annotations[0] == ("::error file=orders/export.csv,title=aelint could not read this file::"
                              "no recognisable header row in the first 30 rows")
    plain = [line for line in lines if line.startswith("catalog.xlsx:")]
    assert len(plain) == 28 + 1 - GITHUB_ANNOTATION_CAP  # 28 errors + the failure, 10 annotated
    assert "19 more diagnostics as plain lines" in render_github(many)


# GitLab Code Quality ----------------------------------------------------------------------------------------

def test_gitlab_code_quality_fields(monkeypatch, tmp_path):
    monkeypatch.setenv("CI_PROJECT_DIR", str(tmp_path))
    sample = report(*SAMPLE.diagnostics, diagnostic(path=str(tmp_path / "feeds" / "x.csv")), failures=[UNREADABLE])
    issues = json.loads(render_gitlab(sample))
    assert len(issues) == 5
    for issue in issues:
        assert set(issue) == {"description", "check_name", "fingerprint", "severity", "location"}
        assert issue["severity"] in ("info", "minor", "major", "critical", "blocker")
        assert isinstance(issue["location"]["lines"]["begin"], int) and issue["location"]["path"]
    assert len({i["fingerprint"] for i in issues}) == 5
    assert issues[0]["severity"] == "blocker" and issues[0]["location"]["path"] == "orders/export.csv"
    assert issues[1] == {"description": "AE101 title is 142 characters", "check_name": "AE101",
                         "fingerprint": issues[1]["fingerprint"], "severity": "major",
                         "location": {"path": "catalog.xlsx", "lines": {"begin": 12}}}
    assert issues[-1]["location"]["path"] == "feeds/x.csv"


# Text -------------------------------------------------------------------------------------------------------

def test_text_escapes_terminal_sequences_and_names_place():
    text = render_text(SAMPLE)
    assert "\x1b" not in text and "\u202e" not in text and "\x07" not in text
    assert "\\u001b[31mRED" in text and "\\u202eevil" in text and "\\n" in text
    assert text.splitlines()[0] == "catalog.xlsx:12:B: AE101 [error] title is 142 characters"
    assert "(SKU SKU-1)" in text.splitlines()[1]
    assert text.splitlines()[2] == "feed with spaces.csv: AE602 [info] title is 142 characters"
    assert text.splitlines()[-1].startswith("Found 1 error, 1 warning, 1 info in 1 file")


def test_escape_leaves_printable_text_and_escapes_every_unsafe_character():
    printable = "Tasse \u00e0 caf\u00e9\u00a0350ml \u676f\u5b50 \u2014 ok"  # a no-break space is not printable
    assert escape(printable) == printable
    unsafe = [chr(n) for n in range(0x10000) if UNSAFE_RE.match(chr(n))]  # the pattern's characters are all below
    assert len(unsafe) > 60 and all(escape(f"a{ch}b") != f"a{ch}b" and "\\" in escape(ch) for ch in unsafe)


def test_text_csv_columns_suit_file_line_col_parsers(tmp_path):
    path = tmp_path / "feed.csv"
    path.write_text("Product ID,Marketing Image 1:1,Title\nP1,,Mug Mug Cup\n")
    lines = render_text(lint(path, select=["AE102"])).splitlines()
    match = re.match(r"^(?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<rest>.*)$", lines[0])
    assert match, lines[0]
    assert (match["file"], match["line"], match["col"]) == (str(path), "2", "3")
    assert match["rest"].startswith("AE102 [error]") and match["rest"].endswith('(column "Title")')


def test_text_names_the_sheet_only_for_multi_sheet_workbooks():
    assert render_text(report(diagnostic(multi_sheet=True))).startswith("catalog.xlsx[Products]:12:B:")
    assert escape("ok\ttab") == "ok\\ttab"


@pytest.mark.parametrize("direct_url, expected", [
    ({"url": "https://github.com/acme/aelint.git", "vcs_info": {"vcs": "git", "commit_id": "abc123"}},
     "https://github.com/acme/aelint/blob/abc123/docs/rules.md"),
    ({"url": ROOT.as_uri(), "dir_info": {}}, (ROOT / "docs" / "rules.md").as_uri()),
])
def test_help_uri_follows_where_aelint_was_installed_from(monkeypatch, direct_url, expected):
    from aelint import reporters

    class Installed:
        def read_text(self, name):
            return json.dumps(direct_url) if name == "direct_url.json" else None

    monkeypatch.setattr(reporters.metadata, "distribution", lambda name: Installed())
    reporters.rules_page_uri.cache_clear()
    try:
        assert reporters.rules_page_uri() == expected
    finally:
        reporters.rules_page_uri.cache_clear()
