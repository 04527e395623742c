"""Writing a report: text for people; JSON, SARIF, GitHub, GitLab and JUnit for machines.

Catalog text is untrusted: the text and GitHub formats escape control characters, terminal escape
sequences and bidirectional overrides; the structured formats rely on their serialisers. Every format
carries the files that could not be read (they make the run exit 2), so no report looks clean when a
catalog was never linted.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import json
import os
import re
import textwrap
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterable, Iterator
from functools import lru_cache
from importlib import metadata
from json.encoder import encode_basestring
from operator import attrgetter
from pathlib import Path
from typing import TextIO
from urllib.parse import quote, unquote, urlparse

from aelint import __version__
from aelint.engine import Failure, Report
from aelint.fixer import can_fix, fixable
from aelint.html_report import render_html
from aelint.i18n import _, ngettext, severity_label
from aelint.model import Diagnostic
from aelint.registry import DOC_SECTIONS, Check, load_checks

RULES_PAGE = "docs/rules.md"  # generated from the rules' docstrings (see rules_page())
GITHUB_ANNOTATION_CAP = 10  # GitHub shows at most 10 annotations of each type per step
SARIF_MAX_RESULTS = 25_000  # GitHub code scanning rejects a run with more results
SARIF_TEXT_MAX = 1024  # GitHub's limit for a rule's shortDescription and fullDescription
SARIF_SRCROOT = "%SRCROOT%"
UNSAFE_RE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")
XML_INVALID_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
SECTION_RE = re.compile(rf"^({'|'.join(DOC_SECTIONS + ('Source',))}):[ \t]*(.*)$")
RANK = {"error": 0, "warning": 1, "info": 2}
SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}
SARIF_PROBLEM_SEVERITY = {"error": "error", "warning": "warning", "info": "recommendation"}
GITHUB_COMMAND = {"error": "error", "warning": "warning", "info": "notice"}
GITLAB_SEVERITY = {"error": "major", "warning": "minor", "info": "info"}


def escape(text: str) -> str:
    """Make untrusted text safe for a terminal: control and bidi characters become visible escapes."""
    if text.isprintable():  # every character UNSAFE_RE matches is unprintable: most text is returned as it is
        return text
    return UNSAFE_RE.sub(_visible, text)


def _visible(match: re.Match) -> str:
    ch = match[0]
    return {"\n": "\\n", "\t": "\\t", "\r": "\\r"}.get(ch) or f"\\u{ord(ch):04x}"


def _text_lines(diagnostics: Iterable[Diagnostic], colour: bool = False) -> list[str]:
    """Each diagnostic as the text format prints it: `PATH[Sheet]:ROW:COL: CODE [severity] MESSAGE (details)`.
    COL is a workbook's column letter or a CSV column's number (a CSV header may hold colons, which would
    break `file:line:col:` parsers); the details are a CSV column's header (the place gives its number) and
    the SKU. Catalog text is escaped; what a report repeats (a file's name, a rule's code and severity, a
    column) is escaped and translated once."""
    parts: dict[tuple, tuple[str, str, str, str]] = {}  # file, sheet, rule, column -> the texts around row, message
    lines = []
    for d in diagnostics:
        code, _rule, severity, message, path, sheet, row, column, _field, _product_id, sku_code, _fix, multi_sheet, \
            column_number = d[:14]
        around = parts.get(key := (path, sheet, multi_sheet, code, severity, column, column_number))
        if around is None:
            around = parts[key] = _text_parts(d, colour)
        where, place, rule, details = around
        sku = f" (SKU {sku_code})" if sku_code else ""
        lines.append(f"{where}{'' if row is None else f':{row}{place}'}{rule}"
                     f"{message if message.isprintable() else escape(message)}{details}"
                     f"{sku if sku.isprintable() else escape(sku)}")
    return lines


def _text_parts(d: Diagnostic, colour: bool) -> tuple[str, str, str, str]:
    """What a text line holds besides its row, message and SKU: PATH[Sheet], ":COL", ": CODE [severity] " and
    the column's details, escaped and translated."""
    where = escape(d.path + (f"[{d.sheet}]" if d.sheet and d.multi_sheet else ""))
    rule = f": {_styled_code(d) if colour else d.code} [{severity_label(d.severity)}] "
    number = d.column if d.sheet is not None else d.column_number
    place = escape(f":{number}") if number else ""
    details = escape(_(' (column "{column}")').format(column=d.column)) if d.sheet is None and d.column else ""
    return where, place, rule, details


def _styled_code(d: Diagnostic) -> str:
    import click

    return click.style(d.code, fg={"error": "red", "warning": "yellow"}.get(d.severity, "cyan"), bold=True)


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
        "rules": rules_applied(report),
    }
    if report.failures:
        failed = len(report.failures)
        return ngettext("{n} file could not be read; found {errors}, {warnings}, {infos} {files} ({products}, "
                        "{rows}{rules})",
                        "{n} files could not be read; found {errors}, {warnings}, {infos} {files} ({products}, "
                        "{rows}{rules})", failed).format(n=failed, **parts) + _summary_notes(report)
    if report.diagnostics:
        return _("Found {errors}, {warnings}, {infos} {files} ({products}, {rows}{rules})").format(
            **parts) + _summary_notes(report)
    return _("All checks passed: {errors}, {warnings}, {infos} {files} ({products}, {rows}{rules})").format(
        **parts) + _summary_notes(report)


def rules_applied(report: Report) -> str:
    """'; AliExpress rules', or per marketplace when files differ: '; Wish rules: 1 file, AliExpress ...'."""
    names = Counter(report.marketplaces.values())
    if not names:
        return ""
    if len(names) == 1:
        return _("; {marketplace} rules").format(marketplace=next(iter(names)))
    return "; " + ", ".join(ngettext("{marketplace} rules: {n} file", "{marketplace} rules: {n} files", n).format(
        marketplace=name, n=n) for name, n in names.items())


def _summary_notes(report: Report) -> str:
    """What --fix would fix or fixed, and the baseline's part."""
    notes = []
    if report.fixed:
        notes.append(_("{count} fixed in the corrected copy").format(count=report.fixed))
    elif count := fixable(report.diagnostics):
        notes.append(_("{count} fixable with --fix").format(count=count))
    if report.baseline_known is not None:
        notes.append(_("{count} already in the baseline").format(count=report.baseline_known))
        notes.append(_("{count} fixed since the baseline").format(count=report.baseline_resolved))
    return "".join(_("; {note}").format(note=note) for note in notes)


def render_text(report: Report, colour: bool = False, quiet: bool = False) -> str:
    lines = _text_lines(report.diagnostics, colour)
    if not quiet and (report.files or not report.failures):
        lines.append(summary_line(report))
    return "\n".join(lines) + ("\n" if lines else "")


def render_statistics(report: Report) -> str:
    """Counts per rule, most frequent first; [*] marks rules whose findings --fix fixes."""
    counts = Counter(zip(map(attrgetter("code"), report.diagnostics), map(attrgetter("rule"), report.diagnostics),
                         map(attrgetter("severity"), report.diagnostics)))
    with_fix = {(d.code, d.path) for d in report.diagnostics if d.fix is not None}  # a path looked at once a rule
    fixable_codes = {code for code, path in with_fix if can_fix(Path(path))}
    lines = [f"{n:>7}  {code}  {rule} [{severity_label(severity)}]" + (" [*]" if code in fixable_codes else "")
             for (code, rule, severity), n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]
    if fixable_codes:
        lines.append(_("[*] fixable with --fix"))
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"


# JSON ---------------------------------------------------------------------------------------------------

JSON_VERSION = 2  # 2 added `failures` (see report.schema.json beside this module)


def _json_value(value: str | int | None) -> str:
    return "null" if value is None else encode_basestring(value) if isinstance(value, str) else str(value)


# A diagnostic as json.dumps(indent=2) lays it out in the report: the text before and between its values.
_JSON_HEAD = '{\n      "code": %s,\n      "rule": %s,\n      "severity": %s,\n      "message": '
_JSON_PLACE = ',\n      "path": %s,\n      "sheet": %s,\n      "row": '
_JSON_CELL = ',\n      "column": %s,\n      "field": %s,\n      "product_id": '
_JSON_FIX = '{\n        "field": %s,\n        "value": %s\n      }'


def _json_diagnostics(diagnostics: Iterable[Diagnostic]) -> Iterator[str]:
    """Each diagnostic laid out as json.dumps(indent=2) lays it out in the report, its strings escaped by json's
    own (C) string encoder: ten times faster than json's indenting encoder, which is pure Python. What a
    report repeats (code, rule and severity; path, sheet, column and field) is laid out once."""
    value, escaped = _json_value, encode_basestring
    heads: dict[tuple, str] = {}  # (code, rule, severity) -> the text up to the message
    places: dict[tuple, tuple[str, str]] = {}  # (path, sheet, column, field) -> the texts around the row
    for d in diagnostics:
        code, rule, severity, message, path, sheet, row, column, field, product_id, sku_code, fix = d[:12]
        head = heads.get(key := (code, rule, severity))
        if head is None:
            head = heads[key] = _JSON_HEAD % (value(code), value(rule), value(severity))
        place = places.get(key := (path, sheet, column, field))
        if place is None:
            place = places[key] = (_JSON_PLACE % (value(path), value(sheet)),
                                   _JSON_CELL % (value(column), value(field)))
        yield (f'{head}{escaped(message)}{place[0]}{"null" if row is None else row}{place[1]}'
               f'{"null" if product_id is None else escaped(product_id)},\n'
               f'      "sku_code": {"null" if sku_code is None else escaped(sku_code)},\n      "fix": '
               f'{"null" if fix is None else _JSON_FIX % (value(fix.field), value(fix.value))}\n    }}')


def json_summary(report: Report, fixable: int) -> dict:
    """The summary: files, products, rows, diagnostics per severity, how many --fix can fix, each file's
    marketplace, and with --baseline the findings already recorded and those fixed since."""
    summary = {"files": report.files, "products": report.products, "rows": report.rows,
               **{s: report.count(s) for s in ("error", "warning", "info")}, "fixable": fixable}
    if report.fixed:
        summary["fixed"] = report.fixed
    if report.baseline_known is not None:
        summary["baseline"] = {"known": report.baseline_known, "resolved": report.baseline_resolved}
    summary["marketplaces"] = dict(report.marketplaces)
    return summary


class JsonWriter:
    """The JSON report written as diagnostics come (`write`, a catalog's at a time), then the summary and
    the files that could not be read (`finish`); the bytes are those of json.dumps(document, indent=2)."""

    CHUNK = 5000  # diagnostics written at a time

    def __init__(self, out: TextIO):
        self.out = out
        self.written = 0
        self.fixable = 0

    def write(self, diagnostics: list[Diagnostic]) -> None:
        """Write the diagnostics, `CHUNK` at a time (a million-row catalog's 600k diagnostics are 260 MB of
        text, which is never held whole)."""
        self.fixable += fixable(diagnostics)
        laid_out = _json_diagnostics(diagnostics)
        while chunk := list(itertools.islice(laid_out, self.CHUNK)):
            self.out.write(("," if self.written else self._head()) + "\n    " + ",\n    ".join(chunk))
            self.written += len(chunk)

    def finish(self, report: Report) -> None:
        document = {"diagnostics": [], "summary": json_summary(report, self.fixable),
                    "failures": [{"path": f.path, "message": f.message} for f in report.failures]}
        self.out.write(("\n  ]" if self.written else self._head() + "]") + self._document(document)[1])

    def _head(self) -> str:
        """What comes before the first diagnostic (written then, so a run that ends early writes nothing)."""
        head = {"version": JSON_VERSION, "tool": {"name": "aelint", "version": __version__}, "diagnostics": []}
        return self._document(head)[0] + '"diagnostics": ['

    @staticmethod
    def _document(document: dict) -> tuple[str, str]:
        """The document's text before and after its (empty) diagnostics list."""
        before, after = (json.dumps(document, ensure_ascii=False, indent=2) + "\n").split('"diagnostics": []')
        return before, after


def render_json(report: Report) -> str:
    out = io.StringIO()
    writer = JsonWriter(out)
    writer.write(report.diagnostics)
    writer.finish(report)
    return out.getvalue()


# Rule documentation (SARIF rules, the generated rules page) ----------------------------------------------

def rule_sections(check: Check) -> list[tuple[str, str]]:
    """The docstring's sections (What it does, Why is this bad, Example, Options, Source), dedented."""
    sections: list[tuple[str, list[str]]] = []
    for line in check.doc.splitlines()[1:]:
        match = SECTION_RE.match(line)
        if match:
            sections.append((match[1], [match[2]] if match[2] else []))
        elif sections:
            sections[-1][1].append(line)
    return [(name, textwrap.dedent("\n".join(body)).strip()) for name, body in sections]


def _markdown_text(text: str) -> str:
    """Plain docstring text as Markdown: code spans kept, `<`, `*` and `_` outside them escaped."""
    parts = re.split(r"(`[^`\n]*`)", text)
    return "".join(p if p.startswith("`") else re.sub(r"([\\<*_])", r"\\\1", p) for p in parts)


def _table_cell(text: str) -> str:
    return _markdown_text(text).replace("|", "\\|")


def rule_markdown(check: Check, level: int = 2) -> str:
    """A rule's documentation in Markdown, its sections as headings `level` deep."""
    lines = [_markdown_text(check.summary), "", f"Default severity: **{check.severity}**"]
    for name, body in rule_sections(check):
        lines += ["", f"{'#' * level} {name}", "", _markdown_text(body)]
    return "\n".join(lines)


def rule_anchor(check: Check) -> str:
    """The anchor GitHub gives the rule's heading on the rules page ("## AE101 title-too-long")."""
    return f"{check.code}-{check.name}".lower()


def rules_page(checks: Iterable[Check]) -> str:
    """docs/rules.md: every rule's documentation (`pytest --update-fixtures` regenerates it)."""
    checks = list(checks)
    lines = ["# aelint rules", "",
             "Generated from the rules' documentation (the text `aelint rule CODE` prints); "
             "`pytest --update-fixtures` regenerates it and the tests check it is current.", "",
             "| Code | Name | Severity | Summary |", "|---|---|---|---|"]
    lines += [f"| [{c.code}](#{rule_anchor(c)}) | {c.name} | {c.severity} | {_table_cell(c.summary)} |"
              for c in checks]
    for check in checks:
        lines += ["", f"## {check.code} {check.name}", "", rule_markdown(check, level=3)]
    return "\n".join(lines) + "\n"


@lru_cache(maxsize=1)
def rules_page_uri() -> str | None:
    """Where this aelint's rules page can be read: on the repository and commit pip installed it from
    (its direct_url.json), else in the source folder it was installed from or runs in; None if nowhere."""
    try:
        direct = json.loads(metadata.distribution("aelint").read_text("direct_url.json") or "{}")
    except (metadata.PackageNotFoundError, ValueError):
        direct = {}
    url = direct.get("url", "")
    commit = direct.get("vcs_info", {}).get("commit_id")
    if commit and url.startswith("https://"):
        return f"{url.removesuffix('.git').rstrip('/')}/blob/{commit}/{RULES_PAGE}"
    folders = [Path(unquote(urlparse(url).path))] if url.startswith("file:") else []
    folders.append(Path(__file__).resolve().parents[2])  # a source checkout (editable install, tests)
    for folder in folders:
        page = folder / RULES_PAGE
        if page.is_file():
            return page.as_uri()
    return None


# SARIF ----------------------------------------------------------------------------------------------------

def _short(text: str, limit: int = SARIF_TEXT_MAX) -> str:
    """One paragraph of at most `limit` characters, cut after a sentence (or word) when longer."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit - 1]
    end = cut.rfind(". ")
    return cut[:end + 1] if end > limit // 2 else cut[:cut.rfind(" ")] + "…"


def _sarif_rule(check: Check, page: str | None) -> dict:
    sections = dict(rule_sections(check))
    rule = {
        "id": check.code,
        "name": "".join(part.capitalize() for part in check.name.split("-"))[:255],
        "shortDescription": {"text": _short(check.summary or check.name)},
        "fullDescription": {"text": _short(sections.get("What it does") or check.summary or check.name)},
        "help": {"text": check.doc, "markdown": f"**{check.code} {check.name}**: {rule_markdown(check, 3)}"},
        "defaultConfiguration": {"level": SARIF_LEVEL[check.severity]},
        "properties": {"tags": ["aliexpress", check.code[:3]],
                       "problem.severity": SARIF_PROBLEM_SEVERITY[check.severity]},
    }
    if page:
        rule["helpUri"] = f"{page}#{rule_anchor(check)}"
    return rule


def relative_path(path: str, root: Path | None = None) -> str | None:
    """The path relative to `root` (default: the current folder, the repository root in CI), with `/`
    separators; None when it lies outside."""
    root = (root or Path.cwd()).absolute()
    full = Path(os.path.normpath(Path(path).absolute()))
    try:
        return full.relative_to(root).as_posix()
    except ValueError:
        return None


def _artifact(path: str) -> dict:
    """A normalised relative URI under %SRCROOT% (the current folder); an absolute file URI outside it."""
    relative = relative_path(path)
    if relative is None:
        return {"uri": Path(os.path.normpath(Path(path).absolute())).as_uri()}
    return {"uri": quote(relative, errors="surrogateescape"), "uriBaseId": SARIF_SRCROOT}  # non-UTF-8 names


def fingerprint(d: Diagnostic) -> str:
    """Stable across row moves: file, rule, field, product and SKU (the message when neither is known)."""
    return hashlib.sha256(_identity(d).encode("utf-8", "surrogateescape")).hexdigest()[:16]  # non-UTF-8 file names


def _identity(d: Diagnostic) -> str:
    """What a diagnostic's fingerprint hashes."""
    identity = "" if (d.product_id or d.sku_code) else d.message
    return "\x1f".join((d.path, d.code, d.field or "", d.product_id or "", d.sku_code or "", identity))


def fingerprints(diagnostics: list[Diagnostic]) -> list[str]:
    """GitHub's `primaryLocationLineHash` shape, HASH:OCCURRENCE: the n-th diagnostic with the same identity
    in file order gets :n, so every diagnostic of a report has its own."""
    return [f"{fingerprint(d)}:{number}" for d, number in zip(diagnostics, Occurrences().numbers(diagnostics))]


class Occurrences:
    """The OCCURRENCE of HASH:OCCURRENCE fingerprints, given diagnostics in file order. Counted by the
    identity's hash() (a number, 28 bytes, where the identity's text takes a hundred or more), which costs a
    tenth of the SHA-256 the fingerprint shows: SARIF computes that only for the results it keeps."""

    def __init__(self) -> None:
        self.seen: dict[int, int] = {}

    def numbers(self, diagnostics: Iterable[Diagnostic]) -> list[int]:
        """Each diagnostic's occurrence number, counting those given before."""
        seen, numbers = self.seen, []
        for d in diagnostics:
            code, _rule, _severity, message, path, _sheet, _row, _column, field, product_id, sku_code = d[:11]
            key = hash("\x1f".join((path, code, field or "", product_id or "", sku_code or "",  # _identity(d),
                                    "" if (product_id or sku_code) else message)))  # inlined: 60k calls
            seen[key] = number = seen.get(key, 0) + 1
            numbers.append(number)
        return numbers


def _compact(document) -> str:
    """Compact JSON: GitHub takes at most 10 MB (gzipped), and json's C encoder only runs without indentation."""
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


class SarifWriter:
    """SARIF 2.1.0 as GitHub code scanning takes it: the most severe `max_results` results, a notification
    for what was left out and for each file that could not be read (then executionSuccessful is false).

    Results come a catalog's at a time (`write`); each is serialised at once and kept only while it can
    still make the cut (errors first, then warnings, then infos, each in file order: the order a stable
    sort by severity gives), so at most `max_results` serialised results are held, whatever the run's size.
    The document needs them all before its first result (the notifications precede the results), so
    `finish` writes it whole."""

    def __init__(self, out: TextIO, max_results: int = SARIF_MAX_RESULTS):
        self.out = out
        self.max_results = max_results
        self.checks = load_checks()
        self.index = {c.code: i for i, c in enumerate(self.checks)}
        self.rules: dict[tuple[str, str], tuple[str, str]] = {}  # (code, severity) -> the text around the message
        self.artifacts: dict[str, str] = {}  # path -> its artifactLocation as JSON, worked out once per file
        self.occurrences = Occurrences()
        self.counts: Counter[str] = Counter()  # results per severity, kept or not
        self.kept: dict[str, list[str]] = {severity: [] for severity in RANK}  # serialised results

    def write(self, diagnostics: list[Diagnostic]) -> None:
        """Count the results, then serialise those that make the cut as it stands after them: the first of
        each severity, as many as there is room for (a result left out now would never be kept)."""
        numbers = self.occurrences.numbers(diagnostics)  # every result counts for the occurrences
        severities = list(map(attrgetter("severity"), diagnostics))
        self.counts.update(severities)
        for severity, kept in self.kept.items():
            room = self._room(severity)
            if len(kept) < room:
                first = itertools.islice((i for i, s in enumerate(severities) if s == severity), room - len(kept))
                kept.extend(self._result(diagnostics[i], f"{fingerprint(diagnostics[i])}:{numbers[i]}") for i in first)
            del kept[room:]  # more severe results found since may have taken the room

    def _result(self, d: Diagnostic, print_: str) -> str:
        """One result as compact JSON, laid out as `_compact` lays out its dict (ruleId, level, message,
        locations, partialFingerprints, ruleIndex), its strings escaped by json's own (C) string encoder: a
        result is written in a third of the time json.dumps takes over the dict. What results repeat (a
        rule's code, level and index; a file's artifactLocation) is laid out once."""
        escaped = encode_basestring
        (code, _rule, severity, message, path, sheet, row, column, _field, product_id, sku_code, _fix, _multi_sheet,
         column_number) = d[:14]
        rule = self.rules.get(key := (code, severity))
        if rule is None:
            rule = self.rules[key] = (
                f'{{"ruleId":{escaped(code)},"level":{escaped(SARIF_LEVEL[severity])},"message":{{"text":',
                f',"ruleIndex":{self.index[code]}}}' if code in self.index else "}")
        artifact = self.artifacts.get(path)
        if artifact is None:
            artifact = self.artifacts[path] = _compact(_artifact(path))
        start_column = f',"startColumn":{column_number}' if column_number else ""
        names = [f'{{"name":{escaped(name)}}}' for name in (sheet and f"sheet {sheet}",
                 product_id and f"product {product_id}", sku_code and f"sku {sku_code}", column and f"column {column}")
                 if name]
        logical = ',"logicalLocations":[' + ",".join(names) + "]" if names else ""
        text = message + (f' (column "{column}")' if column else "") + (f" (SKU {sku_code})" if sku_code else "")
        return (f'{rule[0]}{escaped(text)}}},"locations":[{{"physicalLocation":{{"artifactLocation":{artifact},'
                f'"region":{{"startLine":{row or 1}{start_column}}}}}{logical}}}],'
                f'"partialFingerprints":{{"primaryLocationLineHash":{escaped(print_)}}}{rule[1]}')

    def _room(self, severity: str) -> int:
        """How many results of this severity fit under the cap beside the more severe ones."""
        return max(0, self.max_results - sum(n for s, n in self.counts.items() if RANK[s] < RANK[severity]))

    def finish(self, report: Report) -> None:
        page = rules_page_uri()
        notifications = [{"level": "error", "message": {"text": _("cannot read {path}: {reason}").format(path=f.path, reason=f.message)},
                          "locations": [{"physicalLocation": {"artifactLocation": _artifact(f.path)}}]}
                         for f in report.failures]
        left_out = sum(self.counts.values()) - sum(len(kept) for kept in self.kept.values())
        if left_out:
            notifications.append({"level": "warning", "message": {"text": (
                f"{left_out} results left out: GitHub code scanning accepts at most {self.max_results} per run, so "
                "only the most severe are included; --format json lists them all.")}})
        run = {
            "tool": {"driver": {"name": "aelint", "version": __version__,
                                **({"informationUri": page} if page else {}),
                                "rules": [_sarif_rule(c, page) for c in self.checks]}},
            "invocations": [{"executionSuccessful": not report.failures,
                             "toolExecutionNotifications": notifications}],
            "originalUriBaseIds": {SARIF_SRCROOT: {"uri": Path.cwd().absolute().as_uri().rstrip("/") + "/"}},
            "results": [],
            "columnKind": "unicodeCodePoints",
        }
        document = {"$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0", "runs": [run]}
        before, after = _compact(document).split('"results":[]')
        results = itertools.chain.from_iterable(self.kept[severity] for severity in sorted(RANK, key=RANK.get))
        self.out.write(before + '"results":[')
        self.out.write(",".join(results))  # 25,000 results are 12 MB: written, not copied into the document
        self.out.write("]" + after + "\n")


def render_sarif(report: Report, max_results: int = SARIF_MAX_RESULTS) -> str:
    out = io.StringIO()
    writer = SarifWriter(out, max_results)
    writer.write(report.diagnostics)
    writer.finish(report)
    return out.getvalue()


# GitHub workflow commands ---------------------------------------------------------------------------------

def _github_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _github_property(text: str) -> str:
    return _github_data(text).replace(":", "%3A").replace(",", "%2C")


def _github_annotation(command: str, d: Diagnostic) -> str:
    props = [f"file={_github_property(d.path)}"]
    if d.row is not None:
        props.append(f"line={d.row}")
        if d.column_number:
            props.append(f"col={d.column_number}")
    props.append(f"title={_github_property(d.code + ' ' + d.rule)}")
    where = f"[{d.sheet}] " if d.sheet else ""
    column = _("column {column}: ").format(column=d.column) if d.column else ""
    message = escape(f"{where}{column}{d.message}" + (f" (SKU {d.sku_code})" if d.sku_code else ""))
    return f"::{command} {','.join(props)}::{_github_data(message)}"


def render_github(report: Report) -> str:
    """Workflow commands, unreadable files and errors first; past GitHub's per-step cap of annotations of a
    type, the rest are printed as plain text lines (still in the log, just not annotations)."""
    lines = [f"::error file={_github_property(f.path)},title=aelint could not read this file::"
             f"{_github_data(escape(f.message))}" for f in report.failures]
    shown = Counter({"error": len(lines)})
    plain: list[Diagnostic] = []
    for d in sorted(report.diagnostics, key=lambda d: RANK[d.severity]):
        command = GITHUB_COMMAND[d.severity]
        if shown[command] >= GITHUB_ANNOTATION_CAP:
            plain.append(d)
            continue
        shown[command] += 1
        lines.append(_github_annotation(command, d))
    if plain:
        lines.append(_("aelint: {count} more diagnostics as plain lines (GitHub shows at most {cap} annotations "
                       "of each type per step):").format(count=len(plain), cap=GITHUB_ANNOTATION_CAP))
        lines += _text_lines(plain)
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"


# GitLab Code Quality --------------------------------------------------------------------------------------

def _gitlab_path(path: str) -> str:
    root = os.environ.get("CI_PROJECT_DIR")
    return relative_path(path, Path(root) if root else None) or Path(path).as_posix()


def _md5(text: str) -> str:
    return hashlib.md5(text.encode("utf-8"), usedforsecurity=False).hexdigest()


def render_gitlab(report: Report) -> str:
    """GitLab Code Quality issues (description, check_name, fingerprint, severity, location.path and
    location.lines.begin), paths relative to $CI_PROJECT_DIR or the current folder; laid out as
    json.dumps(indent=2) lays them out, its strings escaped by json's own (C) string encoder."""
    issues = [_gitlab_issue(f"aelint could not read this file: {f.message}", "aelint-unreadable-file",
                            _md5(f"{f.path}\x1f{f.message}"), "blocker", _gitlab_path(f.path), 1)
              for f in report.failures]
    escaped = encode_basestring
    parts: dict[tuple[str, str, str], tuple[str, str]] = {}  # (code, severity, path) -> texts around the fingerprint
    for d, print_ in zip(report.diagnostics, fingerprints(report.diagnostics)):
        around = parts.get(key := (d.code, d.severity, d.path))
        if around is None:
            around = parts[key] = _gitlab_parts(d.code, GITLAB_SEVERITY[d.severity], _gitlab_path(d.path))
        description = f"{d.code} {d.message}" + (f" (SKU {d.sku_code})" if d.sku_code else "")
        fingerprint_ = _md5(f"{d.path}\x1f{print_}")
        issues.append(f'{_GITLAB_HEAD}{escaped(description)}{around[0]}"{fingerprint_}"{around[1]}{d.row or 1}'
                      f'{_GITLAB_TAIL}')  # an MD5 needs no escaping
    return ("[\n" + ",\n".join(issues) + "\n]" if issues else "[]") + "\n"


# An issue as json.dumps(indent=2) lays it out in the list: the text before its description, and after its line.
_GITLAB_HEAD = '  {\n    "description": '
_GITLAB_TAIL = "\n      }\n    }\n  }"


def _gitlab_parts(check_name: str, severity: str, path: str) -> tuple[str, str]:
    """An issue's text between its description and fingerprint, and between its fingerprint and line."""
    value = encode_basestring
    return (f',\n    "check_name": {value(check_name)},\n    "fingerprint": ',
            f',\n    "severity": {value(severity)},\n    "location": {{\n      "path": {value(path)},\n'
            '      "lines": {\n        "begin": ')


def _gitlab_issue(description: str, check_name: str, fingerprint_: str, severity: str, path: str, begin: int) -> str:
    """One issue as json.dumps(indent=2) lays it out in the list."""
    before, after = _gitlab_parts(check_name, severity, path)
    value = encode_basestring
    return f"{_GITLAB_HEAD}{value(description)}{before}{value(fingerprint_)}{after}{begin}{_GITLAB_TAIL}"


# JUnit ----------------------------------------------------------------------------------------------------

def _xml_text(text: str) -> str:
    return XML_INVALID_RE.sub(lambda m: f"\\u{ord(m[0]):04x}", text)


def render_junit(report: Report) -> str:
    """A test suite per file (named by its path); in it a test case per rule, class name "CODE rule" and
    test name the file's path, so Jenkins and GitLab show both whole (a dot in a class name would split it).
    Diagnostics at or above the file's fail-on are failures, the others the case's output; a file that
    could not be read is an <error>."""
    names = {c.code: c.name for c in load_checks()}
    by_file: dict[str, list[Diagnostic]] = {}
    for d in report.diagnostics:
        by_file.setdefault(d.path, []).append(d)
    failed_reads: dict[str, list[Failure]] = {}
    for f in report.failures:
        failed_reads.setdefault(f.path, []).append(f)
    suites = ET.Element("testsuites", name="aelint")
    totals = Counter()
    for path in sorted(set(by_file) | set(report.linted_paths) | set(failed_reads)):
        suite = ET.SubElement(suites, "testsuite", name=_xml_text(path))
        counts = Counter()
        for failure in failed_reads.get(path, []):
            case = ET.SubElement(suite, "testcase", classname="aelint read", name=_xml_text(path))
            ET.SubElement(case, "error", type="unreadable", message=_xml_text(failure.message))
            counts["tests"] += 1
            counts["errors"] += 1
        diagnostics = by_file.get(path, [])
        linted = path in report.linted_paths or bool(diagnostics)
        by_code: dict[str, list[Diagnostic]] = {}
        for d in diagnostics:
            by_code.setdefault(d.code, []).append(d)
        codes = sorted(set(report.ran_codes) | set(by_code)) if linted else []
        for code in codes:
            mine = by_code.get(code, [])
            failing, passing = [], []
            for d in mine:
                (failing if report.fails(d) else passing).append(d)
            case = ET.SubElement(suite, "testcase", classname=f"{code} {names.get(code, mine[0].rule if mine else '')}",
                                 name=_xml_text(path))
            counts["tests"] += 1
            if failing:
                counts["failures"] += 1
                failure = ET.SubElement(case, "failure", type=failing[0].severity,
                                        message=f"{len(failing)} diagnostic{'s' if len(failing) != 1 else ''}")
                failure.text = _xml_text("\n".join(_text_lines(failing)))
            if passing:
                ET.SubElement(case, "system-out").text = _xml_text("\n".join(_text_lines(passing)))
        for key in ("tests", "failures", "errors"):
            suite.set(key, str(counts[key]))
        suite.set("file", _xml_text(path))
        totals.update(counts)
    for key in ("tests", "failures", "errors"):
        suites.set(key, str(totals[key]))
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"


STREAM_WRITERS = {"json": JsonWriter, "sarif": SarifWriter}  # formats written as the diagnostics come
RENDERERS = {"json": render_json, "sarif": render_sarif, "github": render_github, "gitlab": render_gitlab,
             "junit": render_junit,
             "html": render_html}
