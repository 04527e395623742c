"""aelint as a library: `aelint.lint(path_or_table, settings=None, **options) -> Report`.

One call lints one catalog file (or several, or a folder), or a table of rows already in memory (a polars
or pandas DataFrame, a pyarrow Table, a list of dicts), the way `aelint check` does and returns the
`Report`: diagnostics, counts, files that could not be read and the exit code the CLI would give. Nothing
is printed and nothing is kept between calls, so a job runner (a process pool, Dask, Ray, Spark) can call
it once per file or per batch of rows in any worker; the Report pickles.
"""

from __future__ import annotations

import dataclasses
import itertools
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from aelint import config as config_module
from aelint.config import Config, ConfigError
from aelint.engine import Engine, Report, RunOptions

PathLike = str | os.PathLike
OPTIONS = tuple(f.name for f in dataclasses.fields(RunOptions) if f.name not in ("config_file", "progress"))


def lint(path_or_table: PathLike | Iterable[PathLike] | Any, settings: PathLike | Mapping[str, Any] | Config | None = None,
         *, name: str = "table.csv", **options: Any) -> Report:
    """Lint catalog files (or folders of them), or one table of rows, and return the Report.

    A table (polars or pandas DataFrame, pyarrow Table, list of dicts) has the catalog's headers as
    column names and is read as the CSV file `name` would be: its rows are numbered from 2 (the header is
    line 1), and settings and image files are found from `name`. A polars DataFrame of `columnar_from`
    rows or more is linted in batches as a large CSV file is (Engine.lint_frame), the same findings.

    `settings`: None finds each file's aelint.toml (or pyproject.toml) as the CLI does; a path reads that
    settings file; a mapping holds the same keys as aelint.toml (relative paths in it resolve against the
    current folder). `options` are the command line's: select, extend_select, ignore (lists of codes or
    prefixes, or one comma-separated string), fail_on, sheet, marketplace, images, jobs, cache,
    fetch_images, allow_private_hosts, force_exclude; keep_catalogs=True keeps the catalogs as read in
    `report.catalogs` (else a file is linted in batches of batch_products products, 50,000 by default).
    Bad settings or options raise ConfigError (a ValueError for an unknown option); a file that cannot
    be read is in `report.failures`, as the CLI's exit code 2.
    """
    unknown = sorted(set(options) - set(OPTIONS))
    if unknown:
        raise ValueError(f"unknown option {unknown[0]!r} (known: {', '.join(OPTIONS)})")
    for key in ("select", "extend_select", "ignore"):
        if isinstance(options.get(key), str):
            options[key] = [code.strip() for code in options[key].split(",") if code.strip()]
    run = RunOptions(**options)
    given: Config | None
    if settings is None or isinstance(settings, Config):
        given = settings
    elif isinstance(settings, Mapping):
        given = config_module.from_data(dict(settings), None, {"fail_on": run.fail_on} if run.fail_on else None)
    else:
        given = config_module.parse(Path(settings), {"fail_on": run.fail_on} if run.fail_on else None)
    if _is_polars(path_or_table):
        return Engine(run, given).lint_frame(path_or_table, name)
    rows = _rows_of(path_or_table)
    if rows is not None:
        return Engine(run, given).lint_rows(rows, name)
    if isinstance(path_or_table, (str, os.PathLike)):
        paths = [Path(path_or_table)]
    else:
        paths = [Path(p) for p in path_or_table]
    return Engine(run, given).lint(paths)


def _is_polars(table: Any) -> bool:
    """A polars DataFrame: linted in batches, from its columns where it can be (Engine.lint_frame)."""
    return hasattr(table, "iter_rows") and hasattr(table, "columns") and not isinstance(table, (str, os.PathLike))


def _rows_of(table: Any) -> Iterator[Sequence[Any]] | None:
    """Header, then rows, of a pandas or pyarrow table or a list of dicts; None for a path or paths."""
    if isinstance(table, (str, os.PathLike)):
        return None
    if hasattr(table, "column_names") and hasattr(table, "to_batches"):  # pyarrow
        return itertools.chain([list(table.column_names)], (
            row for batch in table.to_batches() for row in zip(*(c.to_pylist() for c in batch.columns))))
    if hasattr(table, "itertuples") and hasattr(table, "columns"):  # pandas: NaN is a blank cell
        return itertools.chain([[str(c) for c in table.columns]], (
            [None if v != v else v for v in row] for row in table.itertuples(index=False, name=None)))
    if isinstance(table, Sequence) and table and all(isinstance(row, Mapping) for row in table):
        header = list(dict.fromkeys(key for row in table for key in row))
        return itertools.chain([header], ([row.get(key) for key in header] for row in table))
    return None


__all__ = ["lint", "Report", "ConfigError"]
