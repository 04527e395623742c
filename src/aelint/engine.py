"""Running checks over catalogs: which rules run, at what severity, what is suppressed, and the verdict."""

from __future__ import annotations

import fnmatch
import os
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from itertools import chain, repeat
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aelint import config as config_module
from aelint.catalog_files import CatalogError, column_number, is_aelint_copy, is_catalog_name
from aelint.config import Config, ConfigError
from aelint.gcpause import paused_gc
from aelint.i18n import _
from aelint.images import merge_facts
from aelint.model import SEVERITIES, Catalog, Diagnostic, Problem, Product, Severity
from aelint.profiles import DEFAULT, Profile, detect, profile
from aelint.facts import collect, collector_of
from aelint.reader import (ProductSplit, Reading, explain_reading, read_catalogs, read_rows, stream_catalogs,
                           stream_frame)
from aelint.registry import Check, load_checks
from aelint.threads import beside

if TYPE_CHECKING:
    from aelint.table import CatalogTable


@dataclass
class RunOptions:
    """What the command line adds to the settings file."""

    config_file: Path | None = None
    select: list[str] | None = None
    extend_select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    fail_on: Severity | None = None
    sheet: str | None = None
    images: bool = True
    jobs: int | None = None
    cache: bool = True
    fetch_images: bool = False
    allow_private_hosts: bool = False
    progress: bool = False
    keep_catalogs: bool = False  # the HTML report shows products' titles and images
    marketplace: str | None = None  # --marketplace: overrides the settings and the file's layout
    stdin_filename: str | None = None  # the name a catalog read from standard input (`-`) goes by
    force_exclude: bool = False  # apply the settings' `exclude` to files named on the command line too
    columnar_from: int = 2000  # catalogs of this many products or more are judged over columns (aelint.table)
    batch_products: int = 50_000  # products linted at a time when a catalog streams (Engine._lint_streamed)
    compact_diagnostics_from: int = 100_000  # a streamed file's diagnostics kept as objects; then compressed


@dataclass(frozen=True)
class Failure:
    """A file aelint could not read (exit 2), and why."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


@dataclass
class Report:
    """The outcome of a run: diagnostics in file/row order, counts, and files that could not be read."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: int = 0
    products: int = 0
    rows: int = 0
    failures: list[Failure] = field(default_factory=list)
    fail_on: Severity = "error"  # for files whose own settings are not known
    file_fail_on: dict[str, Severity] = field(default_factory=dict)  # each file's own settings' fail_on
    linted_paths: list[str] = field(default_factory=list)
    ran_codes: set[str] = field(default_factory=set)
    readings: list[str] = field(default_factory=list)  # how each file/sheet was read, for --verbose
    fixed: int = 0  # diagnostics --fix fixed in the written copies (left out of `diagnostics`)
    baseline_known: int | None = None  # with --baseline: findings left out as already recorded
    baseline_resolved: int | None = None  # with --baseline: recorded findings that no longer occur
    catalogs: list[Catalog] = field(default_factory=list)  # kept only with RunOptions.keep_catalogs
    marketplaces: dict[str, str] = field(default_factory=dict)  # linted path -> name of the rules applied
    # Diagnostics a streaming reporter wrote and the report did not keep (Engine.lint's on_diagnostics):
    # how many of each severity, and how many were at or above their file's fail-on.
    passed_on: Counter[str] = field(default_factory=Counter)
    passed_on_failing: int = 0

    def count(self, severity: str) -> int:
        return sum(1 for d in self.diagnostics if d.severity == severity) + self.passed_on[severity]

    def pass_on(self, diagnostics: list[Diagnostic]) -> None:
        """Count diagnostics that are handed to a streaming reporter instead of being kept."""
        for (path, severity), count in Counter((d.path, d.severity) for d in diagnostics).items():
            self.passed_on[severity] += count
            self.passed_on_failing += count if self._fails(path, severity) else 0

    def fails(self, diagnostic: Diagnostic) -> bool:
        """Is the diagnostic at or above the fail-on severity of its own file's settings?"""
        return self._fails(diagnostic.path, diagnostic.severity)

    def _fails(self, path: str, severity: str) -> bool:
        return SEVERITIES.index(severity) <= SEVERITIES.index(self.file_fail_on.get(path, self.fail_on))

    @property
    def exit_code(self) -> int:
        """2 when a file could not be read, else 1 when any file has a diagnostic at its fail-on, else 0."""
        if self.failures:
            return 2
        # each file's severities once: a report without errors is not judged finding by finding
        kinds = set(zip(map(attrgetter("path"), self.diagnostics), map(attrgetter("severity"), self.diagnostics)))
        return 1 if self.passed_on_failing or any(self._fails(path, severity) for path, severity in kinds) else 0


def enabled(code: str, select: Iterable[str], ignore: Iterable[str]) -> bool:
    """Ruff's rule: the most specific matching prefix wins; on a tie, ignore wins."""
    best_select = max((len(p) for p in select if code.startswith(p)), default=-1)
    best_ignore = max((len(p) for p in ignore if code.startswith(p)), default=-1)
    return best_select >= 0 and best_select > best_ignore


def selected_checks(config: Config, run: RunOptions, market: Profile | None = None) -> list[Check]:
    """The rules the user selected that exist on the marketplace."""
    s = config.settings
    market = market or profile(DEFAULT)
    select = [p.upper() for p in (run.select if run.select is not None else s.select)]
    select += [p.upper() for p in (*s.extend_select, *run.extend_select)]
    ignore = [p.upper() for p in (*s.ignore, *run.ignore)]
    return [c for c in load_checks() if enabled(c.code, select, ignore) and market.applies(c.code, c.module.__name__)
            and (run.images or not c.needs_images or c.runs_without_images)]  # --no-images: no image facts


def marketplace_for(catalog: Catalog, config: Config, run: RunOptions) -> Profile:
    """--marketplace, else the settings' marketplace, else the one whose upload layout the file is in."""
    chosen = run.marketplace or config.settings.marketplace
    if chosen:
        return profile(chosen)
    found = detect([column.header for column in catalog.column_readings])
    return found[0] if found else profile(DEFAULT)


STDIN = Path("-")


def _git_ignored(folder: Path, candidates: list[Path]) -> set[Path]:
    """The candidates git ignores (.gitignore, .git/info/exclude, core.excludesFile; tracked files never are).
    None outside a repository, and none when the folder asked for is itself ignored (as ruff does)."""
    if not candidates:
        return set()
    asked = [folder.resolve(), *(c.resolve() for c in candidates)]
    try:
        result = subprocess.run(["git", "check-ignore", "--stdin", "-z"], cwd=folder, capture_output=True,
                                input=b"".join(os.fsencode(p) + b"\0" for p in asked), timeout=60)
    except (OSError, subprocess.SubprocessError):
        return set()
    if result.returncode not in (0, 1):  # 128: not a git repository (or no git)
        return set()
    ignored = {Path(os.fsdecode(p)) for p in result.stdout.split(b"\0") if p}
    return set() if asked[0] in ignored else ignored


def matches_exclude(relative: Path, patterns: Iterable[str]) -> bool:
    """Ruff's `exclude` globs: a pattern without a slash matches any file or folder name on the path,
    one with a slash matches the path relative to the settings file (or a folder above the file)."""
    text = relative.as_posix()
    for pattern in patterns:
        pattern = pattern.strip().strip("/").removeprefix("./")
        if "/" not in pattern:
            if any(fnmatch.fnmatchcase(part, pattern) for part in relative.parts):
                return True
        elif fnmatch.fnmatchcase(text, pattern) or any(
                fnmatch.fnmatchcase(parent.as_posix(), pattern) for parent in relative.parents):
            return True
    return False


class Engine:
    """Lints catalog files with one set of command-line options; settings are found per catalog."""

    def __init__(self, run: RunOptions, config: Config | None = None):
        self.run = run
        self._given = config
        if config is None and run.config_file:
            self._given = config_module.parse(run.config_file, self._overrides())
        self._found: dict[Path | None, Config] = {}
        self._settings_file: dict[Path, Path | None] = {}  # catalog folder -> its settings file, for this run

    def _overrides(self) -> dict:
        return {"fail_on": self.run.fail_on} if self.run.fail_on else {}

    def config_for(self, catalog_path: Path) -> Config:
        if self._given is not None:
            return self._given
        folder = catalog_path.resolve().parent
        if folder not in self._settings_file:
            self._settings_file[folder] = config_module.find_config_file(folder)
        found = self._settings_file[folder]
        if found not in self._found:
            if found is None:
                self._found[found] = config_module.from_data({}, None, self._overrides())
            else:
                self._found[found] = config_module.parse(found, self._overrides())
        return self._found[found]

    def excluded(self, path: Path) -> bool:
        """Does the `exclude` setting of the file's settings leave it out?"""
        config = self.config_for(path)
        if not config.settings.exclude:
            return False
        try:
            relative = path.resolve().relative_to(config.base.resolve())
        except ValueError:
            relative = Path(*path.parts[path.is_absolute():])
        return matches_exclude(relative, config.settings.exclude)

    def find_catalogs(self, paths: Iterable[Path]) -> list[Path]:
        """Files as given; folders searched for catalogs, skipping hidden folders, Excel lock files, what git
        ignores and what the settings exclude (`--force-exclude` applies `exclude` to named files too)."""
        found: list[Path] = []
        for path in paths:
            if path == STDIN:
                found.append(path)
            elif path.is_dir():
                candidates = []
                for candidate in sorted(path.rglob("*")):
                    parts = candidate.relative_to(path).parts
                    if (candidate.is_file() and is_catalog_name(candidate) and not candidate.name.startswith("~$")
                            and not is_aelint_copy(candidate) and not any(p.startswith(".") for p in parts)):
                        candidates.append(candidate)
                ignored = _git_ignored(path, candidates)
                found.extend(c for c in candidates if c.resolve() not in ignored and not self.excluded(c))
            elif not (self.run.force_exclude and self.excluded(path)):
                found.append(path)
        return found

    def lint(self, paths: Iterable[Path],
             on_diagnostics: Callable[[list[Diagnostic]], None] | None = None) -> Report:
        """Lint every catalog found under `paths`. With `on_diagnostics`, each catalog's diagnostics are
        handed to it as soon as they are known (a streaming reporter writes them) and only counted in the
        report; else they are kept in `report.diagnostics`, in file and row order."""
        report = Report(fail_on=self.run.fail_on or "error")
        found = self.find_catalogs(paths)
        for path in found:  # every settings file first: a bad one ends the run before anything is written
            self.config_for(Path(self.run.stdin_filename or "-") if path == STDIN else path)
        for path in found:
            if path == STDIN:
                self._lint_stdin(report, on_diagnostics)
                continue
            display = str(path)
            config = self.config_for(path)
            report.file_fail_on[display] = config.settings.fail_on
            if not path.exists():
                report.failures.append(Failure(display, _("no such file")))
                continue
            self._lint_file(report, path, path, display, config, on_diagnostics)
        return report

    def _lint_stdin(self, report: Report, on_diagnostics: Callable[[list[Diagnostic]], None] | None) -> None:
        """`-`: the catalog comes from standard input; --stdin-filename says its name (settings, images, type)."""
        name = self.run.stdin_filename or "-"
        pretend = Path(name)
        config = self.config_for(pretend)
        report.file_fail_on[name] = config.settings.fail_on
        if sys.stdin is None or sys.stdin.isatty():
            report.failures.append(Failure(name, _("`-` reads a catalog from standard input, which is a terminal: "
                                                   "pipe one in (aelint - < feed.csv)")))
            return
        data = sys.stdin.buffer.read()
        suffix = pretend.suffix.lower() if is_catalog_name(pretend) else _sniff_suffix(data)
        with tempfile.TemporaryDirectory(prefix="aelint-stdin-") as folder:
            copy = Path(folder) / f"stdin{suffix}"
            copy.write_bytes(data)
            self._lint_file(report, copy, pretend, name, config, on_diagnostics)

    def _lint_file(self, report: Report, path: Path, where: Path, display: str, config: Config,
                   on_diagnostics: Callable[[list[Diagnostic]], None] | None = None) -> None:
        """Read `path` (shown as `display`; settings and images found from `where`) and lint each of its
        product sheets: streamed in batches of products, or whole where the HTML report keeps the catalogs
        or a product's rows are not adjacent (ProductSplit)."""
        if not self.run.keep_catalogs:
            with paused_gc():  # until a streaming reporter has taken the diagnostics (see _Streamed.add_to)
                try:
                    streamed = self._lint_streamed(path, where, display, config)
                except CatalogError as error:
                    report.failures.append(Failure(error.path, error.reason))
                    return
                except ProductSplit:
                    streamed = None  # read it again, whole
                if streamed is not None:
                    streamed.add_to(report, display, on_diagnostics)
                    return
        try:
            reading = read_catalogs(path, display, config.settings.columns, self.run.sheet,
                                    config.settings.language)
        except CatalogError as error:
            report.failures.append(Failure(error.path, error.reason))
            return
        self._lint_reading(report, reading, where, display, config, on_diagnostics)

    def lint_rows(self, rows: Iterable[Sequence], name: str) -> Report:
        """Lint a table handed over in memory (header row first) as if it were the CSV file `name` (its
        settings, images and type are found from that name; rows are numbered as that file's lines)."""
        where = Path(name)
        config = self.config_for(where)
        report = Report(fail_on=self.run.fail_on or "error", file_fail_on={name: config.settings.fail_on})
        try:
            reading = read_rows(rows, name, config.settings.columns, config.settings.language)
        except CatalogError as error:
            report.failures.append(Failure(error.path, error.reason))
            return report
        self._lint_reading(report, reading, where, name, config)
        return report

    def lint_frame(self, frame, name: str) -> Report:
        """Lint a polars DataFrame handed over in memory as `lint_rows` lints its column names and rows; one of
        `columnar_from` rows or more streamed in batches as a large CSV file is (`_lint_streamed`,
        reader.stream_frame): the same Report. Read whole by `lint_rows` where a file is too (keep_catalogs,
        ProductSplit) and when small (the columns cost more than they save on a few rows)."""
        rows = chain([list(frame.columns)], frame.iter_rows())
        if self.run.keep_catalogs or frame.height < self.run.columnar_from:
            return self.lint_rows(rows, name)
        config = self.config_for(Path(name))
        report = Report(fail_on=self.run.fail_on or "error", file_fail_on={name: config.settings.fail_on})
        reading = Reading([])
        try:
            streamed = self._lint_stream(stream_frame(frame, name, config.settings.columns, config.settings.language,
                                                      self.run.batch_products, reading, from_columns=not self.run.images),
                                         reading, Path(name), config)
        except CatalogError as error:
            report.failures.append(Failure(error.path, error.reason))
            return report
        except ProductSplit:
            return self.lint_rows(rows, name)
        streamed.add_to(report, name)
        return report

    def _lint_reading(self, report: Report, reading: Reading, where: Path, display: str, config: Config,
                      on_diagnostics: Callable[[list[Diagnostic]], None] | None = None) -> None:
        """Lint each catalog (sheet) of what one file gave (see `lint` for `on_diagnostics`)."""
        report.files += 1
        report.linted_paths.append(display)
        report.readings.append(explain_reading(reading))
        for catalog in reading.catalogs:
            report.products += catalog.product_count
            report.rows += catalog.rows
            market = marketplace_for(catalog, config, self.run)
            report.marketplaces[display] = market.name
            with paused_gc():
                diagnostics = self.lint_catalog(catalog, where, config, market)
            _hand_over(report, diagnostics, on_diagnostics)
            report.ran_codes |= catalog.ran_codes
            if self.run.keep_catalogs:
                report.catalogs.append(catalog)

    def _lint_streamed(self, path: Path, where: Path, display: str, config: Config) -> _Streamed:
        """Lint each product sheet of `path` as its products stream past in batches of `batch_products`: the
        per-product rules judge a batch, the catalog-wide rules' collectors (aelint.facts) take its facts,
        and the batch is freed. A sheet with a catalog-wide rule that has no collector is gathered whole."""
        reading = Reading([])
        # products from a CSV's columns are built on demand: not when image facts are probed (the probe and
        # the image rules then read every product)
        return self._lint_stream(stream_catalogs(path, display, config.settings.columns, self.run.sheet,
                                                 config.settings.language, self.run.batch_products, reading,
                                                 from_columns=not self.run.images), reading, where, config)

    def _lint_stream(self, stream: Iterable[tuple[Catalog, Iterable[Sequence[Product]]]], reading: Reading,
                     where: Path, config: Config) -> _Streamed:
        """`_lint_streamed`'s linting of each catalog of a stream (reader.stream_catalogs, stream_frame)."""
        streamed = _Streamed(reading)
        with paused_gc():
            for catalog, batches in stream:
                market = marketplace_for(catalog, config, self.run)
                streamed.market = market.name
                checks = selected_checks(config, self.run, market)
                if all(collector_of(c.module) for c in checks if not c.per_product):
                    streamed.diagnostics.extend(self._lint_batches(catalog, batches, checks, where, config, market))
                else:
                    catalog.products = [product for batch in batches for product in batch]
                    streamed.diagnostics.extend(self.lint_catalog(catalog, where, config, market))
                    catalog.products = []
                streamed.ran_codes |= catalog.ran_codes
        return streamed

    def _lint_batches(self, catalog: Catalog, batches: Iterable[Sequence[Product]], checks: list[Check], path: Path,
                      config: Config, market: Profile) -> list[Diagnostic]:
        """`lint_catalog` over a catalog that comes in batches (catalog.products is the batch being linted):
        the same diagnostics in the same order."""
        wanted = merge_facts(c.image_facts for c in checks)  # image field -> facts the selected rules read
        probe = self.run.images and bool(wanted)
        options = {c.code: config.options_for(c, market) for c in checks}
        catalog.ran_codes = {c.code for c in checks}
        per_product = [c for c in checks if c.per_product]
        collectors = [(c, collector_of(c.module)(catalog, options[c.code])) for c in checks if not c.per_product]
        kept = _KeptDiagnostics(self.run.compact_diagnostics_from)
        finished = None  # what the collectors said as they finished, when the last batch said it was the last
        for batch in batches:
            if probe:
                from aelint.image_probe import probe_catalog

                probe_catalog(catalog, path, config, self.run, wanted)  # this batch's references
            table = self._table_for(catalog, per_product)
            # the collectors take the batch (and finish, after a batch read from columns that knows it is the
            # last) on a second core while the per-product rules judge it
            collected = beside(partial(_collected, collectors, batch, table, getattr(batch, "last", False)),
                               "aelint-collectors")
            problems = self._per_product_problems(catalog, per_product, options, table)
            found, finished = collected()
            problems.extend(found)
            del table, found, collected  # (which holds the batch, its table and what the collectors found)
            kept.add(self._suppress(catalog, self._fields(catalog, problems, config)))
            _release(batch)
            del problems, batch  # before the reader builds the next batch
        problems = _finished(collectors) if finished is None else finished
        kept.add(self._suppress(catalog, self._fields(catalog, problems, config)))
        kept.add(self._fields(catalog, ((c, p) for c, collector in collectors if c.runs_last
                                        for p in collector.finish()), config))
        del collectors, problems, finished  # the facts (no variable holds a collector), freed before the diagnostics
        catalog.release_shared()
        return kept.diagnostics()

    def readings(self, paths: Iterable[Path]) -> tuple[list[str], list[str]]:
        """How each catalog's headers are read (as --show-columns prints it), and the files that failed."""
        readings, failures = [], []
        for path in self.find_catalogs(paths):
            config = self.config_for(path)
            try:
                reading = read_catalogs(path, str(path), config.settings.columns, self.run.sheet,
                                        config.settings.language)
            except CatalogError as error:
                failures.append(str(error))
                continue
            readings.append(explain_reading(reading))
        return readings, failures

    def lint_catalog(self, catalog: Catalog, path: Path, config: Config,
                     market: Profile | None = None) -> list[Diagnostic]:
        checks = selected_checks(config, self.run, market)
        wanted = merge_facts(c.image_facts for c in checks)  # image field -> facts the selected rules read
        if self.run.images and wanted:
            from aelint.image_probe import probe_catalog

            probe_catalog(catalog, path, config, self.run, wanted)
        options = {c.code: config.options_for(c, market) for c in checks}
        catalog.ran_codes = {c.code for c in checks}
        per_product = [c for c in checks if c.per_product]
        table = self._table_for(catalog, per_product)
        problems = self._per_product_problems(catalog, per_product, options, table)
        last = [c for c in checks if c.runs_last and not c.per_product]
        for check in checks:
            if not check.per_product and check not in last:
                problems.extend((check, p) for p in self._catalog_wide(check, catalog, options[check.code], table))
        del table
        for product in catalog.products:  # what catalog-wide rules shared through products
            product.release_shared()
        kept = _KeptDiagnostics()
        kept.add(self._suppress(catalog, self._fields(catalog, problems, config)))
        for check in last:
            kept.add(self._fields(catalog, ((check, p) for p in check.module.check(catalog, options[check.code])),
                                  config))
        catalog.release_shared()
        return kept.diagnostics()

    def _table_for(self, catalog: Catalog, per_product: list[Check]) -> CatalogTable | None:
        """The catalog (or batch) as columns, on `columnar_from` products or more, for a batch read from columns (its
        frames are made) or when a rule only judges tables; None for a small catalog, which is judged product by
        product (aelint.table)."""
        if (len(catalog.products) >= self.run.columnar_from or hasattr(catalog.products, "columns")
                or any(not hasattr(c.module, "check_product") for c in per_product)):
            from aelint.table import CatalogTable

            return CatalogTable(catalog)
        return None

    @staticmethod
    def _catalog_wide(check: Check, catalog: Catalog, options, table: CatalogTable | None) -> Iterable[Problem]:
        """A catalog-wide rule's problems over a whole catalog: its Collector fed the catalog (as columns when
        there is a table and the Collector takes them), or its `check`."""
        collector = collector_of(check.module)
        if collector is None:
            return check.module.check(catalog, options)
        found = collector(catalog, options)
        return chain(collect(found, catalog.products, table), found.finish())

    def _per_product_problems(self, catalog: Catalog, checks: list[Check], options: dict,
                              table: CatalogTable | None) -> list[tuple[Check, Problem]]:
        """Every per-product rule's problems. With a table, rules with `check_table` judge the columns and
        rules with a `prefilter` see only the products it hands them; the findings are the same either way."""
        problems: list[tuple[Check, Problem]] = []
        if not checks:
            return problems
        products = catalog.products
        if table is not None:
            for check in checks:
                if check.check_table is not None:
                    problems.extend(zip(repeat(check), check.check_table(table, options[check.code])))
        by_product = [c for c in checks if table is None or c.check_table is None]
        narrowed = {c.code for c in by_product if table is not None and c.prefilter is not None}
        per_language = [c for c in checks if c.per_language and hasattr(c.module, "check_product")]
        visits = (_visits(table, by_product, narrowed, options, bool(per_language)) if table is not None
                  else ((index, by_product) for index in range(len(products))))
        for index, rules in visits:
            product = products[index]
            for check in rules:
                check_options = _in_language(options, check, product.language)
                problems.extend((check, p) for p in check.module.check_product(product, check_options))
            for view in product.views() if per_language else ():
                for check in per_language:
                    check_options = _in_language(options, check, view.language)
                    problems.extend((check, p) for p in check.module.check_product(view, check_options))
            product.release_shared()
        return problems

    @staticmethod
    def _fields(catalog: Catalog, problems: Iterable[tuple[Check, Problem]], config: Config) -> list[tuple]:
        """Each problem's Diagnostic as the tuple of its fields (made into one by _KeptDiagnostics). What is
        the same for the whole catalog (path, sheet, a column's number) is looked up once, not per problem."""
        path, sheet, multi_sheet = catalog.path, catalog.sheet, catalog.multi_sheet
        overrides = config.settings.severity
        numbers: dict[str | None, int | None] = {}  # column -> its number
        made = []
        for check, (message, product, sku, cell, fix, severity) in problems:
            if product is None and sku is not None:
                product = sku.product
            if cell is not None:
                field_name, value, row, column = cell
                if column not in numbers:
                    numbers[column] = _column_number(catalog, column)
                number = numbers[column]
            else:
                row = sku.row if sku is not None else product.row if product is not None else None
                column = field_name = value = number = None
            code = check.code
            made.append((code, check.name, overrides.get(code) or severity or check.severity, message, path, sheet,
                         row, column, field_name, product.values.get("product_id") if product is not None else None,
                         (sku.sku_code or None) if sku is not None else None, fix, multi_sheet,
                         number, value))
        return made

    @staticmethod
    def _suppress(catalog: Catalog, diagnostics: list[tuple]) -> list[tuple]:
        """Drop diagnostics (their `_fields`) on rows whose aelint_ignore cell names their code; remember what
        was used."""
        if not catalog.suppressions:
            return diagnostics
        kept = []
        for fields in diagnostics:
            row, code = fields[_ROW], fields[_CODE]
            hit = next((c for c in catalog.suppressions.get(row or 0, ()) if code.startswith(c)), None)
            if hit is None:
                kept.append(fields)
            else:
                catalog.used_suppressions.add((row, hit))
        return kept


@dataclass
class _Streamed:
    """What linting one file in batches gave, added to the Report only once the whole file is read."""

    reading: Reading
    diagnostics: list[Diagnostic] = field(default_factory=list)
    ran_codes: set[str] = field(default_factory=set)
    market: str | None = None

    def add_to(self, report: Report, display: str,
               on_diagnostics: Callable[[list[Diagnostic]], None] | None = None) -> None:
        """Count the file in the report and hand its diagnostics over (see `Engine.lint`). Handed to a streaming
        reporter, they are freed here: under the lint's paused garbage collector, which would otherwise scan
        every one once (the first collection after a pause scans all it made that is still alive: 45 ms on
        the 100k-row CSV's 60,771 findings)."""
        report.files += 1
        report.linted_paths.append(display)
        report.readings.append(explain_reading(self.reading))
        report.products += sum(c.product_count for c in self.reading.catalogs)
        report.rows += sum(c.rows for c in self.reading.catalogs)
        diagnostics, self.diagnostics = self.diagnostics, []
        _hand_over(report, diagnostics, on_diagnostics)
        report.ran_codes |= self.ran_codes
        if self.market:
            report.marketplaces[display] = self.market


_CODE, _ROW = 0, 6  # positions in a Diagnostic's fields (Engine._fields)


class _KeptDiagnostics:
    """A catalog's diagnostics (their `Engine._fields`) from its first batch to the final sort. Up to
    `compact_from` of them are kept as tuples; the batches after that are kept pickled and compressed, about
    30 bytes a diagnostic instead of 450 (the message, the cell's text), so a million-row catalog does not
    hold its findings' text while its catalog-wide rules finish. `diagnostics()` makes them Diagnostics, in
    row, code and column order (a stable sort: ties keep the order they were added in)."""

    def __init__(self, compact_from: int | None = None):
        self.compact_from = compact_from
        self.parts: list[list[tuple] | bytes] = []
        self.count = 0

    def add(self, diagnostics: list[tuple]) -> None:
        self.count += len(diagnostics)
        if self.compact_from is not None and self.count > self.compact_from and diagnostics:
            import pickle
            import zlib

            self.parts.append(zlib.compress(pickle.dumps(diagnostics, pickle.HIGHEST_PROTOCOL), 1))
        else:
            self.parts.append(diagnostics)

    def diagnostics(self) -> list[Diagnostic]:
        made: list[Diagnostic] = []
        self.parts.reverse()
        while self.parts:  # a part at a time, each dropped once made
            part = self.parts.pop()
            if isinstance(part, bytes):
                import pickle
                import zlib

                part = pickle.loads(zlib.decompress(part))
            made.extend(map(Diagnostic._make, part))
        made.sort(key=lambda d: (d.row or 0, d.code, d.column or ""))
        return made


def _hand_over(report: Report, diagnostics: list[Diagnostic],
               on_diagnostics: Callable[[list[Diagnostic]], None] | None) -> None:
    """Keep a catalog's diagnostics in the report, or count them and hand them to a streaming reporter."""
    if on_diagnostics is None:
        report.diagnostics.extend(diagnostics)
    else:
        report.pass_on(diagnostics)
        on_diagnostics(diagnostics)


def _collected(collectors: list[tuple[Check, Any]], batch: Sequence[Product], table: CatalogTable | None,
               last: bool) -> tuple[list[tuple[Check, Problem]], list[tuple[Check, Problem]] | None]:
    """What the catalog-wide rules' collectors report as they take one batch, rule by rule, and, after the
    catalog's `last` batch, what they report as they finish (None before)."""
    found = [(check, problem) for check, collector in collectors for problem in collect(collector, batch, table)]
    return found, _finished(collectors) if last else None


def _finished(collectors: list[tuple[Check, Any]]) -> list[tuple[Check, Problem]]:
    """What the collectors report as they finish, rule by rule; those that run last (they see which suppressions
    the others used) are left to finish after them."""
    return [(check, problem) for check, collector in collectors if not check.runs_last
            for problem in collector.finish()]


def _release(batch: Sequence[Product]) -> None:
    """A linted batch's products, freed as soon as the reader lets go of them (the garbage collector is
    paused, so the product <-> SKU cycles are broken here); a batch read from columns frees what it built."""
    if hasattr(batch, "release"):
        batch.release()
        return
    for product in batch:
        product.release_shared()
        product.skus = []


def _column_number(catalog: Catalog, column: str | None) -> int | None:
    """A workbook column letter's number, or a CSV header's position."""
    if not column:
        return None
    if catalog.sheet is not None:
        return column_number(column) if column.isascii() and column.isalpha() and column.isupper() else None
    return catalog.column_numbers.get(column)


def _visits(table, checks: list[Check], narrowed: set[str], options: dict, views: bool) -> list[tuple[int, list[Check]]]:
    """The products the per-product pass must visit, in catalog order, each with the rules to call on it:
    every rule without a prefilter, and each prefiltered rule where its prefilter holds (or, for rules
    judging title and description columns, where the product has other texts or a language other than the
    options'). With `views`, products with other texts are visited even with no rule to call (their views
    are judged). The few distinct sets of rules are built once, not once per product."""
    import numpy as np
    import polars as pl

    products = table.products
    has_views = products["views"].to_numpy() > 0
    if not checks:  # every rule judges the columns: only products with views are visited (for their views)
        return [(index, []) for index in np.flatnonzero(has_views).tolist()] if views else []
    languages = products["language"]
    wanted = np.ones((len(products), len(checks)), dtype=bool)  # product x rule
    expressions = {c.code: c.prefilter(table, options[c.code]).alias(c.code) for c in checks if c.code in narrowed}
    chosen = products.select(*expressions.values()) if expressions else pl.DataFrame()
    for position, check in enumerate(checks):
        if check.code in narrowed:
            mask = chosen[check.code].fill_null(True).to_numpy()
            if check.per_language:
                mask = mask | has_views
                language = getattr(options[check.code], "language", None)
                if language is not None:
                    mask = mask | languages.ne(language).fill_null(False).to_numpy()
            wanted[:, position] = mask
    visited = np.flatnonzero(wanted.any(axis=1) | has_views) if views else np.flatnonzero(wanted.any(axis=1))
    if not len(visited):
        return []
    wanted = wanted[visited]
    packed = np.packbits(wanted, axis=1)  # each product's rules as bytes (np.unique by rows sorts 10x slower)
    _, first, which = np.unique(packed.view(f"V{packed.shape[1]}").ravel(), return_index=True, return_inverse=True)
    rules = [[checks[k] for k in np.flatnonzero(wanted[row])] for row in first]
    return list(zip(visited.tolist(), [rules[k] for k in which.ravel().tolist()]))


def _sniff_suffix(data: bytes) -> str:
    """The file type of a catalog piped in without --stdin-filename: a zip is a workbook, OLE an .xls."""
    if data.startswith(b"PK\x03\x04"):
        return ".xlsx"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return ".xls"
    return ".csv"


def _in_language(options: dict, check: Check, language: str | None):
    """A per-language rule's options for a text the header says is in `language` (judged in its own
    language); the configured options otherwise. Copies are kept in `options` under (code, language)."""
    configured = options[check.code]
    if not check.per_language or not language or getattr(configured, "language", language) == language:
        return configured
    key = (check.code, language)
    if key not in options:
        options[key] = configured.model_copy(update={"language": language})
    return options[key]


__all__ = ["Engine", "RunOptions", "Report", "Failure", "ConfigError", "CatalogError", "enabled"]
