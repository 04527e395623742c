"""The `aelint` command: lint catalogs, list rules, explain one rule."""

from __future__ import annotations

import copy
import errno
import os
import sys
import traceback
from dataclasses import replace
from pathlib import Path

import click

from aelint import __version__, baseline, fixer
from aelint import config as config_module
from aelint.config import ConfigError, rule_matches, unknown_code
from aelint.engine import Engine, Report, RunOptions
from aelint.i18n import (LANGUAGES, N_, N_plural, _, choose_language, command_line, ljust, severity_label, switch_to,
                         translate_doc, translate_summary, width, wrap)
from aelint.model import SEVERITIES
from aelint.output import (THE_FIXED_COPY, Interrupted, OutputError, input_files, refuse_inputs, report_stream,
                           write_report, write_stdout)
from aelint.profiles import marketplace_keys, profile
from aelint.registry import CheckError, find_check, load_checks
from aelint.reporters import RENDERERS, STREAM_WRITERS, escape, render_statistics, render_text

FORMATS = ("text", *RENDERERS)


LANG_OPTION = click.option("--lang", type=click.Choice(LANGUAGES),  # read before parsing: TranslatedHelp.main
                           help=N_("Language of messages and rule docs (default: the `lang` setting, else LANGUAGE, "
                                   "LC_ALL, LC_MESSAGES or LANG, else en)."))
# Click's own texts a seller meets: its usage errors and their hint, the help option's text. Click asks gettext
# for them as it writes them; inside the command line's run aelint.i18n.command_line answers from aelint's
# catalog. Marked here for the catalogs (tests/test_i18n_usage_errors.py checks click still asks for each).
HELP_OPTION_HELP = N_("Show this message and exit.")
CLICK_TEXTS = (
    HELP_OPTION_HELP, N_("Error: {message}"), N_("Try '{command} {option}' for help."),
    N_("No such option {name!r}."), N_plural("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"),
    N_("Invalid value for {param_hint}: {message}"), N_("Invalid value: {message}"),
    N_plural("{value!r} is not {choice}.", "{value!r} is not one of {choices}."),
    N_("{value} is not in the range {range}."), N_("{value!r} is not a valid {number_type}."),
    N_plural("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."),
    N_("Option {name!r} does not take a value."), N_("Missing argument"),
    N_plural("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"))


# Help in the run's language. Click writes help from the English texts it was given (marked N_() here for the
# catalogs); these commands translate them as the help is written: the command's text, each option's, the
# section titles and the usage prefix. What click itself adds (metavars, "[x>=1]") is syntax and stays.
# The language is chosen before click parses the command line (TranslatedHelp.main), so that the help and
# click's usage errors speak it however early they come.

class HelpFormatter(click.HelpFormatter):
    """Click's help layout; a definition list holding Chinese is wrapped by terminal columns (a Chinese
    character takes two; click counts characters, and breaks lines only at spaces, which Chinese lacks)."""

    def write_dl(self, rows, col_max: int = 30, col_spacing: int = 2) -> None:
        rows = list(rows)
        if all(width(text) == len(text) for _term, text in rows):
            return super().write_dl(rows, col_max, col_spacing)
        first_col = min(max(len(term) for term, _text in rows), col_max) + col_spacing
        indent = " " * (first_col + self.current_indent)
        for term, text in rows:
            self.write(f"{'':>{self.current_indent}}{term}")
            self.write(" " * (first_col - len(term)) if len(term) <= first_col - col_spacing else "\n" + indent)
            # 4 columns spare: up to two closing marks (）。) stay at the end of a line rather than start one
            lines = wrap(text, max(self.width - first_col - 6, 10)).splitlines() or [""]
            self.write("".join([f"{lines[0]}\n", *(f"{indent}{line}\n" for line in lines[1:])]))


class HelpContext(click.Context):
    formatter_class = HelpFormatter


class TranslatedHelp:
    """A click command mixin: the command line's run, help and usage errors included, in the language aelint
    picks for output."""

    context_class = HelpContext

    def main(self, args=None, *more, **extra):
        """--lang wherever it stands on the command line (click handles --help, and fails on a bad option, before
        it reaches a --lang written after them), else the settings file found from the current folder, else the
        environment; a `check` run switches to its catalog's settings file once it knows it (check_command)."""
        words = sys.argv[1:] if args is None else args
        with command_line(_command_language(_lang_option(words))):
            return super().main(args, *more, **extra)

    def get_help_option(self, ctx):
        """Click's -h/--help with its text in English: click makes the option once per command and keeps it,
        so the text is translated where the help is written (_write_options), in each run's language."""
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = HELP_OPTION_HELP
        return option

    def format_usage(self, ctx, formatter):
        formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)), prefix=_("Usage: "))

    def format_help_text(self, ctx, formatter):
        if self.help:
            formatter.write_paragraph()
            with formatter.indentation():
                formatter.write_text(_(self.help))

    def format_options(self, ctx, formatter):
        _write_options(ctx, formatter, _("Options"), self.get_params(ctx))


class AelintCommand(TranslatedHelp, click.Command):
    pass


def _lang_option(args) -> str | None:
    """The value of --lang wherever it stands on the command line (the last one, as click takes it); None
    without one, or with a language aelint does not speak (click then says so)."""
    lang = None
    for index, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--lang" and index + 1 < len(args):
            lang = args[index + 1]
        elif arg.startswith("--lang="):
            lang = arg.partition("=")[2]
    return lang if lang in LANGUAGES else None


def _help_in_a_language(args: list[str]) -> bool:
    """Whether the command line asks only for help, with a --lang: `aelint --lang ru --help`."""
    rest = [arg for index, arg in enumerate(args) if not (arg == "--lang" or arg.startswith("--lang=")
                                                           or index and args[index - 1] == "--lang")]
    return len(rest) < len(args) and bool(rest) and all(arg in ("--help", "-h") for arg in rest)


def _translated(item):
    """A copy of a click parameter or command with its help texts in the run's language."""
    translated = copy.copy(item)
    for name in ("help", "short_help"):
        if getattr(item, name, None):
            setattr(translated, name, _(getattr(item, name)))
    return translated


def _write_options(ctx: click.Context, formatter: click.HelpFormatter, title: str, params) -> None:
    records = [record for param in params if isinstance(param, click.Option)
               and (record := _translated(param).get_help_record(ctx))]
    if records:
        with formatter.section(title):
            formatter.write_dl(records)


class CodeList(click.ParamType):
    """A comma-separated list of rule codes or prefixes (AE1, AE201); an unknown one is a usage error (exit 2)."""

    name = "codes"

    def convert(self, value, param, ctx):
        if isinstance(value, list):
            return value
        codes = [c.strip() for c in str(value).split(",") if c.strip()]
        if not codes:
            self.fail(_("give at least one rule code or prefix (`aelint rules` lists them)"), param, ctx)
        try:
            checks = load_checks()
        except CheckError as error:
            _fail(str(error))
        for code in codes:
            if not rule_matches(code.upper(), checks):
                self.fail(unknown_code(code, checks), param, ctx)
        return [c.upper() for c in codes]


class AelintGroup(TranslatedHelp, click.Group):
    """`aelint PATH...` lints; `aelint rules` and `aelint rule CODE` are subcommands. `aelint --help` lists
    the lint options too (they belong to the hidden `check` command)."""

    command_class = AelintCommand
    uses = (("aelint [OPTIONS] PATH...", N_("lint catalogs (.xlsx .xlsm .xls .ods .csv .tsv files or folders)")),
            ("aelint rules", N_("list every rule (--marketplace wish: those that apply on Wish)")),
            ("aelint rule AE101", N_("explain one rule")))

    def parse_args(self, ctx, args):
        if _help_in_a_language(args):  # `aelint --lang ru --help`: this help, in that language (TranslatedHelp.main)
            return click.Group.parse_args(self, ctx, ["--help"])
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h", "--version"):
            args = ["check", *args]
        elif not args:
            args = ["check"]
        return super().parse_args(ctx, args)

    def format_usage(self, ctx, formatter):
        formatter.write_usage(ctx.command_path, "[OPTIONS] PATH... | COMMAND [ARGS]...", prefix=_("Usage: "))

    def format_help_text(self, ctx, formatter):
        super().format_help_text(ctx, formatter)
        formatter.write_paragraph()
        with formatter.indentation():
            formatter.write_text("\b\n" + "\n".join(f"{use:<27}{_(text)}" for use, text in self.uses))

    def format_options(self, ctx, formatter):
        super().format_options(ctx, formatter)
        self.format_commands(ctx, formatter)
        _write_options(ctx, formatter, _("Lint options (aelint [OPTIONS] PATH...)"),
                       self.commands["check"].get_params(ctx))

    def format_commands(self, ctx, formatter):
        shown = [(name, _translated(command)) for name, command in self.commands.items() if not command.hidden]
        limit = formatter.width - 6 - max(len(name) for name, _command in shown)
        with formatter.section(_("Commands")):
            formatter.write_dl([(name, command.get_short_help_str(limit)) for name, command in sorted(shown)])


def _show_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    """--version: the version, in the run's language (click's own message is English only)."""
    if value and not ctx.resilient_parsing:
        click.echo(_("{program}, version {version}").format(program="aelint", version=__version__))
        ctx.exit()


def _version_option(hidden: bool = False):
    """The --version flag; `aelint --lang zh --version` reaches the lint command, which takes it too (hidden)."""
    return click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_show_version,
                        hidden=hidden, help=N_("Show the version and exit."))


@click.group(cls=AelintGroup, context_settings={"help_option_names": ["-h", "--help"]},
             help=N_("aelint: find what AliExpress (or Wish) will reject in a product catalog, before you upload it."))
@_version_option()
def main() -> None:
    pass  # the commands below do the work; AelintGroup sends `aelint PATH...` to `check`


@main.command("check", hidden=True, context_settings={"help_option_names": ["-h", "--help"]},
              help=N_("Lint catalogs (files or folders; `-` reads one from standard input)."))
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@_version_option(hidden=True)
@click.option("--config", "config_file", type=click.Path(path_type=Path), help=N_("Settings file (default: "
              "nearest aelint.toml or pyproject.toml [tool.aelint] from the catalog upwards)."))
@click.option("--select", type=CodeList(),
              help=N_("Rule codes or prefixes to run, comma-separated (replaces the config's)."))
@click.option("--extend-select", type=CodeList(), default=[], help=N_("Rule codes or prefixes to add."))
@click.option("--ignore", type=CodeList(), default=[], help=N_("Rule codes or prefixes to skip."))
@click.option("--format", "--output-format", "output_format", type=click.Choice(FORMATS), default="text",
              help=N_("Report format.  [default: text]"))
@click.option("--stdin-filename", help=N_("With `-` as the path: the name of the catalog read from standard input "
              "(its type, and where settings and images are found)."))
@click.option("--force-exclude", is_flag=True, help=N_("Apply the settings' `exclude` to files named on the command "
              "line too (as pre-commit passes them)."))
@click.option("--output", type=click.Path(path_type=Path), help=N_("Write the report to this file."))
@click.option("--fail-on", type=click.Choice(["error", "warning", "info"]),
              help=N_("Lowest severity that fails the run (default: error)."))
@click.option("--exit-zero", is_flag=True, help=N_("Exit 0 even with diagnostics (2 still means aelint failed)."))
@click.option("--statistics", is_flag=True, help=N_("Counts per rule instead of each diagnostic."))
@click.option("--no-images", is_flag=True, help=N_("Do not open image files (nor run the rules that need them)."))
@click.option("--jobs", type=click.IntRange(min=1), help=N_("Worker processes for image checks (default: all cores)."))
@click.option("--no-cache", is_flag=True, help=N_("Do not read or write the image cache."))
@click.option("--fetch-images", is_flag=True, help=N_("Download https image URLs to check them."))
@click.option("--allow-private-hosts", is_flag=True,
              help=N_("With --fetch-images: allow private and loopback addresses."))
@click.option("--sheet", help=N_("Which sheet of a workbook to read."))
@click.option("--marketplace", type=click.Choice(marketplace_keys(), case_sensitive=False),
              help=N_("Whose rules to apply (default: the settings' marketplace, else Wish for a file in a Wish "
                   "upload layout, else aliexpress)."))
@click.option("--show-columns", is_flag=True, help=N_("Print how each file's headers were understood (field, "
              "level, language, unit, ignored columns) and exit."))
@click.option("--quiet", "-q", is_flag=True, help=N_("Print diagnostics only, no summary."))
@click.option("--verbose", "-v", is_flag=True, help=N_("Also print how each file was read (as --show-columns) on "
              "standard error, and tracebacks of internal errors."))
@click.option("--fix", is_flag=True,
              help=N_("Write a corrected copy, NAME.fixed.EXT beside the input (safe fixes only)."))
@click.option("--fix-output", type=click.Path(path_type=Path),
              help=N_("Where --fix writes the corrected copy (one catalog)."))
@click.option("--in-place", is_flag=True,
              help=N_("With --fix: replace the input itself, after writing NAME.backup.EXT."))
@click.option("--diff", is_flag=True, help=N_("Print what --fix would change (cell, before, after); write nothing."))
@click.option("--baseline", "baseline_file", type=click.Path(path_type=Path),
              help=N_("Report only findings not recorded in this baseline file."))
@click.option("--write-baseline", type=click.Path(path_type=Path),
              help=N_("Record the current findings in this baseline file (and report none)."))
@LANG_OPTION
def check_command(lang: str | None, **options) -> None:
    paths, stdin_filename = options["paths"], options["stdin_filename"]
    first = Path(stdin_filename or ".") if paths and paths[0] == Path("-") else paths[0] if paths else None
    settings_file = options["config_file"] or (config_module.find_config_file(_folder_of(first)) if first else None)
    switch_to(choose_language(lang, config_module.lang_setting(settings_file), os.environ))  # to the run's end
    _check(**options)


def _folder_of(path: Path) -> Path:
    return (path if path.is_dir() else path.parent).resolve()


def _check(paths, config_file, select, extend_select, ignore, output_format, stdin_filename, force_exclude, output,
           fail_on, exit_zero, statistics, no_images, jobs, no_cache, fetch_images, allow_private_hosts, sheet,
           marketplace, show_columns, quiet, verbose, **seller_options) -> None:
    if not paths:
        raise click.UsageError(_("give at least one catalog file or folder"))
    if paths.count(Path("-")) > 1:
        raise click.UsageError(_("`-` (standard input) can be given once"))
    _check_seller_options(Path("-") in paths, **seller_options)
    if show_columns:
        _show_columns(paths, config_file, sheet)
    run = RunOptions(config_file=config_file, select=select, extend_select=extend_select, ignore=ignore,
                     fail_on=fail_on, sheet=sheet, images=not no_images, jobs=jobs, cache=not no_cache,
                     fetch_images=fetch_images, allow_private_hosts=allow_private_hosts,
                     marketplace=marketplace.lower() if marketplace else None,
                     progress=sys.stderr.isatty() and not quiet and not os.environ.get("CI"),
                     stdin_filename=stdin_filename, force_exclude=force_exclude)
    run.keep_catalogs = output_format == "html"
    targets = [(output, N_("the report")), (seller_options["fix_output"], THE_FIXED_COPY),
               (seller_options["write_baseline"], N_("the baseline"))]
    if any(target for target, _ in targets):
        try:
            inputs = input_files([p for p in paths if p != Path("-")], config_file)
            for target, what in targets:
                if target is not None:
                    refuse_inputs(target, inputs, what)
        except OutputError as error:
            _fail(escape(str(error)))
        except OSError as error:
            _fail(_os_error(error))
    engine = Engine(run)
    if output_format in STREAM_WRITERS and not any(seller_options.values()):
        # Written as each catalog's diagnostics come, kept nowhere: nothing else needs them.
        try:
            with report_stream(output) as out:
                writer = STREAM_WRITERS[output_format](out)
                report = _lint(engine, paths, verbose, writer.write)
                _tell(report, verbose)
                writer.finish(report)
        except CheckError as error:
            _fail(str(error))
        except OutputError as error:
            _fail(escape(str(error)))
    else:
        report = _lint(engine, paths, verbose)
        _tell(report, verbose)
        ended = _seller_steps(engine, report, quiet, **seller_options)
        if ended is not None:
            raise SystemExit(ended)
        _write(_render(report, output_format, statistics, quiet, output), output)
    code = report.exit_code
    raise SystemExit(0 if exit_zero and code == 1 else code)


def _lint(engine: Engine, paths, verbose: bool, on_diagnostics=None) -> Report:
    """The run's report; exit 2 with one line when the settings, a rule, the file system or the report's
    target fail (a traceback only for aelint's own bugs, with --verbose)."""
    try:
        return engine.lint(paths, on_diagnostics)
    except (ConfigError, CheckError) as error:
        _fail(str(error))
    except OutputError as error:
        _fail(escape(str(error)))
    except OSError as error:  # a folder nested past the path-length limit, a loop of links
        _fail(_os_error(error))
    except KeyboardInterrupt:
        _fail(_("interrupted"))
    except Exception as error:  # an aelint bug: say so in one line unless --verbose
        if isinstance(error.__cause__, Interrupted):  # SIGINT in a class body, which Python 3.11 wraps
            raise
        if verbose:
            traceback.print_exc()
        _fail(_("internal error: {error} (run with --verbose for details)").format(
            error=f"{type(error).__name__}: {escape(str(error))}"))


def _tell(report: Report, verbose: bool) -> None:
    """On standard error: how each file was read (--verbose), the files that could not be, or that none was found."""
    if verbose:
        for reading in report.readings:
            _echo_lines(reading, err=True)
    for failure in report.failures:
        click.echo(_("aelint: error: {message}").format(message=escape(str(failure))), err=True)
    if not report.files and not report.failures:
        click.echo(_("aelint: warning: no catalog files found ({suffixes})").format(
            suffixes=".xlsx .xlsm .xls .ods .csv .tsv"), err=True)


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
        click.echo(_("aelint: error: {message}").format(message=escape(failure)), err=True)
    raise SystemExit(2 if failures else 0)


def _check_seller_options(stdin: bool, fix, fix_output, in_place, diff, baseline_file, write_baseline) -> None:
    if stdin and (fix or fix_output or diff):
        raise click.UsageError(_("--fix and --diff work on catalog files, not on standard input (`-`)"))
    if in_place and not fix:
        raise click.UsageError(_("--in-place replaces the input with its fixed version: give it with --fix"))
    if in_place and fix_output:
        raise click.UsageError(_("--in-place and --fix-output exclude each other"))
    if write_baseline and (fix or fix_output or diff):
        raise click.UsageError(_("--write-baseline records the findings as they are: not with --fix or --diff"))


def _seller_steps(engine: Engine, report: Report, quiet: bool, fix, fix_output, in_place, diff, baseline_file,
                  write_baseline) -> int | None:
    """--write-baseline and --diff (which end the run: their exit code), --fix, then --baseline."""
    def relint(original: Path, copy: Path, codes: set[str]):
        again = Engine(replace(engine.run, select=sorted(codes), extend_select=[], ignore=[], images=False,
                               progress=False, keep_catalogs=False), engine.config_for(original))
        return again.lint([copy]).diagnostics

    try:
        if write_baseline:
            fixer.write_copy(baseline.render(report.diagnostics).encode("utf-8"), write_baseline)
            click.echo(_("aelint: recorded {count} findings in {path}").format(
                count=len(report.diagnostics), path=escape(str(write_baseline))), err=True)
            return 2 if report.failures else 0
        if diff:
            plans = fixer.fix_report(report, relint, write=False)
            _write(fixer.render_diff(plans), None)
            return 2 if report.failures else 1 if any(p.changes for p in plans) else 0
        if fix or fix_output:
            plans = fixer.fix_report(report, relint, fix_output=fix_output, in_place=in_place)
            for result in plans:
                for reason in result.skipped:
                    click.echo(_("aelint: warning: {message}").format(message=escape(reason)), err=True)
                if result.target is not None and not quiet:
                    backup = (_(" (the original is kept as {path})").format(path=escape(str(result.backup)))
                              if result.backup else "")
                    click.echo(_("aelint: wrote {path}: {count} cells fixed{backup}").format(
                        path=escape(str(result.target)), count=len(result.changes), backup=backup), err=True)
            fixed = {result.path.as_posix(): result for result in plans if result.target is not None}
            kept = [d for d in report.diagnostics
                    if not (Path(d.path).as_posix() in fixed and fixed[Path(d.path).as_posix()].fixed(d))]
            report.fixed = len(report.diagnostics) - len(kept)
            report.diagnostics = kept
        if baseline_file:
            new, resolved = baseline.new_findings(report.diagnostics, baseline.load(baseline_file))
            report.baseline_known = len(report.diagnostics) - len(new)
            report.baseline_resolved = resolved
            report.diagnostics = new
    except (fixer.FixError, baseline.BaselineError, OutputError) as error:
        _fail(escape(str(error)))
    except OSError as error:
        _fail(f"{escape(str(error.filename or ''))}: {error.strerror or error}")
    return None


def _render(report: Report, output_format: str, statistics: bool, quiet: bool, output: Path | None) -> str:
    if statistics and output_format == "text":
        return render_statistics(report)
    if output_format == "text":
        colour = output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ
        return render_text(report, colour=colour, quiet=quiet)
    return RENDERERS[output_format](report)


def _write(text: str, output: Path | None) -> None:
    try:
        if output is None:
            write_stdout(text)
        else:
            write_report(text, output)
    except OutputError as error:
        _fail(escape(str(error)))


def _os_error(error: OSError) -> str:
    """One line naming the path (its middle cut when it is longer than a line) and the system's reason."""
    name = os.fsdecode(error.filename) if error.filename is not None else _("a catalog path")
    if len(name) > 160:
        name = _("{start}...{end} ({count} characters)").format(start=name[:60], end=name[-60:],
                                                                 count=f"{len(name):,}")
    reason = error.strerror or str(error)
    if error.errno == errno.ENAMETOOLONG:
        reason = _("{reason}: the path is longer than the system allows; move the catalogs to a shorter folder").format(
            reason=reason)
    return escape(_("cannot read {path}: {reason}").format(path=name, reason=reason))


def _fail(message: str) -> None:
    click.echo(_("aelint: error: {message}").format(message=message), err=True)
    raise SystemExit(2)


def _command_language(lang: str | None) -> str:
    """--lang, else the settings file found from the current folder, else the environment (the language of
    `rules`, `rule`, the help and usage errors)."""
    if lang:
        return lang
    try:
        settings_file = config_module.find_config_file(Path.cwd())
    except OSError:  # the current folder was removed
        settings_file = None
    return choose_language(None, config_module.lang_setting(settings_file), os.environ)


@main.command("rules", help=N_("List every rule: code, name, default severity, summary (and where it applies)."))
@click.option("--marketplace", type=click.Choice(marketplace_keys(), case_sensitive=False),
              help=N_("Only the rules that apply on this marketplace."))
@LANG_OPTION
def rules_command(marketplace: str | None, lang: str | None) -> None:  # lang: see TranslatedHelp.main
    try:
        checks = load_checks()
    except CheckError as error:
        _fail(str(error))
    markets = [profile(key) for key in marketplace_keys()]
    if marketplace:
        markets = [profile(marketplace.lower())]
    severity_width = max(width(severity_label(s)) for s in SEVERITIES) + 1
    for check in checks:
        where = [m.name for m in markets if m.applies(check.code, check.module.__name__)]
        if marketplace and not where:
            continue
        only = ""
        if not marketplace and len(where) < len(markets):
            only = " " + _("[{marketplaces} only]").format(marketplaces=", ".join(where) or _("no marketplace"))
        click.echo(f"{check.code}  {check.name:<34} {ljust(severity_label(check.severity), severity_width)}"
                   f"{translate_summary(check.summary)}{only}")


@main.command("rule", help=N_("Explain one rule (by code or name)."))
@click.argument("code")
@LANG_OPTION
def rule_command(code: str, lang: str | None) -> None:  # lang: see TranslatedHelp.main
    check = find_check(code)
    if check is None:
        _fail(_("unknown rule {code}; `aelint rules` lists them").format(code=repr(code)))
    doc = translate_doc(check.code, check.name, check.doc)
    where = [profile(k).name for k in marketplace_keys() if profile(k).applies(check.code, check.module.__name__)]
    click.echo(doc + "\n\n" + _("Default severity: {severity}").format(severity=severity_label(check.severity))
               + "\n" + _("Applies on: {marketplaces}").format(
                   marketplaces=", ".join(where) or _("no marketplace")))
