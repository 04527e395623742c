"""Writing a report: text for people, JSON/SARIF/GitHub/JUnit for machines.

Catalog text is untrusted: the text and GitHub formats escape control characters, terminal escape
sequences and bidirectional overrides; the structured formats rely on their serialisers.
"""

from __future__ import annotations

import hashlib
import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from urllib.parse import quote

from aelint import __version__
from aelint.catalog_files import column_number
from aelint.engine import Report
from aelint.i18n import _, ngettext, severity_label, translate_doc, translate_summary
from aelint.model import Diagnostic
from aelint.registry import Check, load_checks

HELP_URI = "https://pypi.org/project/aelint/"
GITHUB_ANNOTATION_CAP = 10  # GitHub shows at most 10 error and 10 warning annotations per step
UNSAFE_RE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")
XML_INVALID_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}
GITHUB_COMMAND = {"error": "error", "warning": "warning", "info": "notice"}


def escape(text: str) -> str:
    """Make untrusted text safe for a terminal: control and bidi characters become visible escapes."""
    def visible(match: re.Match) -> str:
        ch = match[0]
        return {"\n": "\\n", "\t": "\\t", "\r": "\\r"}.get(ch) or f"\\u{ord(ch):04x}"
    return UNSAFE_RE.sub(visible, text)


def place(d: Diagnostic) -> str:
    """PATH[Sheet]:ROW:COL as the text format prints it."""
    where = d.path + (f"[{d.sheet}]" if d.sheet and d.multi_sheet else "")
    if d.row is not None:
        where += f":{d.row}"
        if d.column:
            where += f":{d.column}"
    return escape(where)


def _text_line(d: Diagnostic, colour: bool) -> str:
    code = d.code
    severity = f"[{severity_label(d.severity)}]"
    if colour:
        import click

        code = click.style(code, fg={"error": "red", "warning": "yellow"}.get(d.severity, "cyan"), bold=True)
    sku = f" (SKU {escape(d.sku_code)})" if d.sku_code else ""
    return f"{place(d)}: {code} {severity} {escape(d.message)}{sku}"


def summary_line(report: Report) -> str:
    """'Found 3 errors, ...' / 'All checks passed: ...' / what could not be read."""
    errors, warnings, infos = (report.count(s) for s in ("error", "warning", "info"))
    parts = {
        "errors": ngettext("{n} error", "{n} errors", errors).format(n=errors),
        "warnings": ngettext("{n} warning", "{n} warnings", warnings).format(n=warnings),
        "infos": ngettext("{n} info", "{n} info", infos).format(n=infos),
        "files": ngettext("in {n} file", "in {n} files", report.files).format(n=report.files),
        "products": ngettext("{n} product", "{n} products", report.products).format(n=report.products),
        "rows": ngettext("{n} row", "{n} rows", report.rows).format(n=report.rows),
    }
    if report.failures:
        failed = len(report.failures)
        return ngettext("{n} file could not be read; found {errors}, {warnings}, {infos} {files} ({products}, {rows})",
                        "{n} files could not be read; found {errors}, {warnings}, {infos} {files} ({products}, {rows})",
                        failed).format(n=failed, **parts)
    if report.diagnostics:
        return _("Found {errors}, {warnings}, {infos} {files} ({products}, {rows})").format(**parts)
    return _("All checks passed: {errors}, {warnings}, {infos} {files} ({products}, {rows})").format(**parts)


def render_text(report: Report, colour: bool = False, quiet: bool = False) -> str:
    lines = [_text_line(d, colour) for d in report.diagnostics]
    if not quiet and (report.files or not report.failures):
        lines.append(summary_line(report))
    return "\n".join(lines) + ("\n" if lines else "")


def render_statistics(report: Report) -> str:
    counts = Counter((d.code, d.rule, d.severity) for d in report.diagnostics)
    lines = [f"{n:>7}  {code}  {rule} [{severity_label(severity)}]" for (code, rule, severity), n in sorted(counts.items())]
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"


def as_dict(d: Diagnostic) -> dict:
    return {"code": d.code, "rule": d.rule, "severity": d.severity, "message": d.message, "path": d.path,
            "sheet": d.sheet, "row": d.row, "column": d.column, "field": d.field,
            "product_id": d.product_id, "sku_code": d.sku_code,
            "fix": {"field": d.fix.field, "value": d.fix.value} if d.fix else None}


def render_json(report: Report) -> str:
    document = {
        "version": 1,
        "tool": {"name": "aelint", "version": __version__},
        "diagnostics": [as_dict(d) for d in report.diagnostics],
        "summary": {"files": report.files, "products": report.products, "rows": report.rows,
                    **{s: report.count(s) for s in ("error", "warning", "info")}},
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def fingerprint(d: Diagnostic) -> str:
    """Stable across row moves: built from product, SKU, rule and field, not from the row."""
    identity = d.sku_code or d.product_id or d.message
    key = "\x1f".join((d.path, d.product_id or "", identity, d.code, d.field or ""))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def _sarif_rule(check: Check) -> dict:
    doc = translate_doc(check.code, check.name, check.doc) if check.doc else ""
    return {
        "id": check.code,
        "name": "".join(part.capitalize() for part in check.name.split("-")),
        "shortDescription": {"text": translate_summary(check.summary) or check.name},
        "fullDescription": {"text": doc or check.name},
        "help": {"text": doc or check.name, "markdown": doc or check.name},
        "helpUri": HELP_URI,
        "defaultConfiguration": {"level": SARIF_LEVEL[check.severity]},
        "properties": {"tags": ["aliexpress", check.code[:3]]},
    }


def render_sarif(report: Report) -> str:
    checks = load_checks()
    index = {c.code: i for i, c in enumerate(checks)}
    results = []
    for d in report.diagnostics:
        location = {
            "physicalLocation": {
                "artifactLocation": {"uri": quote(d.path.replace("\\", "/"))},
                "region": {"startLine": d.row or 1},
            },
        }
        logical = [n for n in (d.sheet and f"sheet {d.sheet}", d.product_id and f"product {d.product_id}",
                               d.sku_code and f"sku {d.sku_code}", d.column and f"column {d.column}") if n]
        if logical:
            location["logicalLocations"] = [{"name": name} for name in logical]
        result = {
            "ruleId": d.code,
            "level": SARIF_LEVEL[d.severity],
            "message": {"text": d.message},
            "locations": [location],
            "partialFingerprints": {"aelintFingerprint/v1": fingerprint(d)},
        }
        if d.code in index:
            result["ruleIndex"] = index[d.code]
        results.append(result)
    document = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "aelint", "version": __version__, "informationUri": HELP_URI,
                                "rules": [_sarif_rule(c) for c in checks]}},
            "results": results,
            "columnKind": "unicodeCodePoints",
        }],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _github_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _github_property(text: str) -> str:
    return _github_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(report: Report) -> str:
    """Workflow commands, errors first; past GitHub's per-step cap, says how many were left out."""
    lines: list[str] = []
    left_out = Counter()
    shown = Counter()
    order = {"error": 0, "warning": 1, "info": 2}
    for d in sorted(report.diagnostics, key=lambda d: order[d.severity]):
        command = GITHUB_COMMAND[d.severity]
        if shown[command] >= GITHUB_ANNOTATION_CAP:
            left_out[command] += 1
            continue
        shown[command] += 1
        props = [f"file={_github_property(d.path)}"]
        if d.row is not None:
            props.append(f"line={d.row}")
            if d.sheet is not None and d.column and d.column.isalpha() and d.column.isupper():
                props.append(f"col={column_number(d.column)}")  # a workbook column letter
        props.append(f"title={_github_property(d.code + ' ' + d.rule)}")
        where = f"[{d.sheet}] " if d.sheet else ""
        column = _("column {column}: ").format(column=d.column) if d.column else ""
        message = escape(f"{where}{column}{d.message}" + (f" (SKU {d.sku_code})" if d.sku_code else ""))
        lines.append(f"::{command} {','.join(props)}::{_github_data(message)}")
    if left_out:
        detail = ", ".join(f"{n} {kind}" for kind, n in sorted(left_out.items()))
        lines.append(_("aelint: {count} more annotations left out ({detail}); GitHub shows at most {cap} per type "
                       "per step. Use --format sarif or json for all.").format(
                           count=sum(left_out.values()), detail=detail, cap=GITHUB_ANNOTATION_CAP))
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"


def _xml_text(text: str) -> str:
    return XML_INVALID_RE.sub(lambda m: f"\\u{ord(m[0]):04x}", text)


def render_junit(report: Report) -> str:
    """One test case per rule per file; failures list that rule's diagnostics in the file."""
    checks = load_checks()
    suites = ET.Element("testsuites", name="aelint", tests="0", failures="0")
    by_file: dict[str, list[Diagnostic]] = {}
    for d in report.diagnostics:
        by_file.setdefault(d.path, []).append(d)
    total = failures = 0
    for path in sorted(set(by_file) | set(report.linted_paths)):
        diagnostics = by_file.get(path, [])
        suite = ET.SubElement(suites, "testsuite", name=_xml_text(path))
        codes = sorted(set(report.ran_codes) | {d.code for d in diagnostics})
        failed = 0
        for code in codes:
            mine = [d for d in diagnostics if d.code == code]
            rule = next((c.name for c in checks if c.code == code), mine[0].rule if mine else "")
            case = ET.SubElement(suite, "testcase", classname=_xml_text(path), name=f"{code} {rule}")
            if mine:
                failed += 1
                failure = ET.SubElement(case, "failure", type=mine[0].severity,
                                        message=ngettext("{n} diagnostic", "{n} diagnostics", len(mine)).format(n=len(mine)))
                failure.text = _xml_text("\n".join(_text_line(d, False) for d in mine))
        suite.set("tests", str(len(codes)))
        suite.set("failures", str(failed))
        total += len(codes)
        failures += failed
    suites.set("tests", str(total))
    suites.set("failures", str(failures))
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"


RENDERERS = {"json": render_json, "sarif": render_sarif, "github": render_github, "junit": render_junit}
