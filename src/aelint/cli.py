"""The `aelint` command: lint catalogs, list rules, explain one rule."""

from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path

import click

from aelint import __version__
from aelint.config import ConfigError, rule_matches, unknown_code
from aelint.engine import Engine, Report, RunOptions
from aelint.registry import CheckError, find_check, load_checks
from aelint.reporters import RENDERERS, escape, render_statistics, render_text

FORMATS = ("text", *RENDERERS)


class CodeList(click.ParamType):
    """A comma-separated list of rule codes or prefixes (AE1, AE201); an unknown one is a usage error (exit 2)."""

    name = "codes"

    def convert(self, value, param, ctx):
        if isinstance(value, list):
            return value
        codes = [c.strip() for c in str(value).split(",") if c.strip()]
        if not codes:
            self.fail("give at least one rule code or prefix (`aelint rules` lists them)", param, ctx)
        try:
            checks = load_checks()
        except CheckError as error:
            _fail(str(error))
        for code in codes:
            if not rule_matches(code.upper(), checks):
                self.fail(unknown_code(code, checks), param, ctx)
        return [c.upper() for c in codes]


class AelintGroup(click.Group):
    """`aelint PATH...` lints; `aelint rules` and `aelint rule CODE` are subcommands. `aelint --help` lists
    the lint options too (they belong to the hidden `check` command)."""

    def parse_args(self, ctx, args):
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h", "--version"):
            args = ["check", *args]
        elif not args:
            args = ["check"]
        return super().parse_args(ctx, args)

    def format_usage(self, ctx, formatter):
        formatter.write_usage(ctx.command_path, "[OPTIONS] PATH... | COMMAND [ARGS]...")

    def format_options(self, ctx, formatter):
        super().format_options(ctx, formatter)
        command = self.commands["check"]
        records = [r for p in command.get_params(ctx)
                   if isinstance(p, click.Option) and p.name != "help" and (r := p.get_help_record(ctx))]
        with formatter.section("Lint options (aelint [OPTIONS] PATH...)"):
            formatter.write_dl(records)


@click.group(cls=AelintGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="aelint")
def main() -> None:
    """aelint: find what AliExpress will reject in a product catalog, before you upload it.

    \b
    aelint [OPTIONS] PATH...   lint catalogs (.xlsx .xlsm .xls .ods .csv .tsv files or folders)
    aelint rules               list every rule
    aelint rule AE101          explain one rule
    """


@main.command("check", hidden=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--config", "config_file", type=click.Path(path_type=Path), help="Settings file (default: "
              "nearest aelint.toml or pyproject.toml [tool.aelint] from the catalog upwards).")
@click.option("--select", type=CodeList(), help="Rule codes or prefixes to run, comma-separated (replaces the config's).")
@click.option("--extend-select", type=CodeList(), default=[], help="Rule codes or prefixes to add.")
@click.option("--ignore", type=CodeList(), default=[], help="Rule codes or prefixes to skip.")
@click.option("--format", "--output-format", "output_format", type=click.Choice(FORMATS), default="text",
              show_default=True, help="Report format.")
@click.option("--stdin-filename", help="With `-` as the path: the name of the catalog read from standard input "
              "(its type, and where settings and images are found).")
@click.option("--force-exclude", is_flag=True, help="Apply the settings' `exclude` to files named on the command "
              "line too (as pre-commit passes them).")
@click.option("--output", type=click.Path(path_type=Path), help="Write the report to this file.")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info"]),
              help="Lowest severity that fails the run (default: error).")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even with diagnostics (2 still means aelint failed).")
@click.option("--statistics", is_flag=True, help="Counts per rule instead of each diagnostic.")
@click.option("--no-images", is_flag=True, help="Do not open image files.")
@click.option("--jobs", type=click.IntRange(min=1), help="Worker processes for image checks (default: all cores).")
@click.option("--no-cache", is_flag=True, help="Do not read or write the image cache.")
@click.option("--fetch-images", is_flag=True, help="Download https image URLs to check them.")
@click.option("--allow-private-hosts", is_flag=True, help="With --fetch-images: allow private and loopback addresses.")
@click.option("--sheet", help="Which sheet of a workbook to read.")
@click.option("--show-columns", is_flag=True, help="Print how each file's headers were understood (field, "
              "level, language, unit, ignored columns) and exit.")
@click.option("--quiet", "-q", is_flag=True, help="Print diagnostics only, no summary.")
@click.option("--verbose", "-v", is_flag=True, help="Also print how each file was read (as --show-columns) on "
              "standard error, and tracebacks of internal errors.")
def check_command(paths, config_file, select, extend_select, ignore, output_format, stdin_filename,
                  force_exclude, output, fail_on, exit_zero, statistics, no_images, jobs, no_cache, fetch_images,
                  allow_private_hosts, sheet, show_columns, quiet, verbose) -> None:
    """Lint catalogs (files or folders; `-` reads one from standard input)."""
    if not paths:
        raise click.UsageError("give at least one catalog file or folder")
    if paths.count(Path("-")) > 1:
        raise click.UsageError("`-` (standard input) can be given once")
    if show_columns:
        _show_columns(paths, config_file, sheet)
    run = RunOptions(config_file=config_file, select=select, extend_select=extend_select, ignore=ignore,
                     fail_on=fail_on, sheet=sheet, images=not no_images, jobs=jobs, cache=not no_cache,
                     fetch_images=fetch_images, allow_private_hosts=allow_private_hosts,
                     progress=sys.stderr.isatty() and not quiet and not os.environ.get("CI"),
                     stdin_filename=stdin_filename, force_exclude=force_exclude)
    try:
        report = Engine(run).lint(paths)
    except (ConfigError, CheckError) as error:
        _fail(str(error))
    except KeyboardInterrupt:
        _fail("interrupted")
    except Exception as error:  # an aelint bug: say so in one line unless --verbose
        if verbose:
            traceback.print_exc()
        _fail(f"internal error: {type(error).__name__}: {escape(str(error))} (run with --verbose for details)")
    if verbose:
        for reading in report.readings:
            _echo_lines(reading, err=True)
    for failure in report.failures:
        click.echo(f"aelint: error: {escape(str(failure))}", err=True)
    if not report.files and not report.failures:
        click.echo("aelint: warning: no catalog files found (.xlsx .xlsm .xls .ods .csv .tsv)", err=True)
    _write(_render(report, output_format, statistics, quiet, output), output)
    code = report.exit_code
    raise SystemExit(0 if exit_zero and code == 1 else code)


def _echo_lines(text: str, err: bool = False) -> None:
    """Catalog text (headers) escaped line by line, so the layout's own line breaks stay."""
    for line in text.splitlines():
        click.echo(escape(line), err=err)


def _show_columns(paths, config_file: Path | None, sheet: str | None) -> None:
    """--show-columns: how each file's headers were read; exit 2 when a file could not be read."""
    try:
        readings, failures = Engine(RunOptions(config_file=config_file, sheet=sheet)).readings(paths)
    except ConfigError as error:
        _fail(str(error))
    for reading in readings:
        _echo_lines(reading)
    for failure in failures:
        click.echo(f"aelint: error: {escape(failure)}", err=True)
    raise SystemExit(2 if failures else 0)


def _render(report: Report, output_format: str, statistics: bool, quiet: bool, output: Path | None) -> str:
    if statistics and output_format == "text":
        return render_statistics(report)
    if output_format == "text":
        colour = output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ
        return render_text(report, colour=colour, quiet=quiet)
    return RENDERERS[output_format](report)


def _write(text: str, output: Path | None) -> None:
    if output is None:
        click.echo(text, nl=False, color=sys.stdout.isatty() and "NO_COLOR" not in os.environ)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as error:
        _fail(f"cannot write {output}: {error.strerror or error}")


def _fail(message: str) -> None:
    click.echo(f"aelint: error: {message}", err=True)
    raise SystemExit(2)


@main.command("rules")
def rules_command() -> None:
    """List every rule: code, name, default severity, summary."""
    try:
        checks = load_checks()
    except CheckError as error:
        _fail(str(error))
    for check in checks:
        click.echo(f"{check.code}  {check.name:<34} {check.severity:<8} {check.summary}")


@main.command("rule")
@click.argument("code")
def rule_command(code: str) -> None:
    """Explain one rule (by code or name)."""
    check = find_check(code)
    if check is None:
        _fail(f"unknown rule {code!r}; `aelint rules` lists them")
    click.echo(f"{check.doc}\n\nDefault severity: {check.severity}")
