"""aelint as a library: `aelint.lint(path_or_paths, settings=None, **options) -> Report`.

One call lints one catalog file (or several, or a folder) the way `aelint check` does and returns the
`Report`: diagnostics, counts, files that could not be read and the exit code the CLI would give. Nothing
is printed and nothing is kept between calls, so a job runner (a process pool, Dask, Ray, Spark) can call
it once per file in any worker; the Report pickles.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from aelint import config as config_module
from aelint.config import Config, ConfigError
from aelint.engine import Engine, Report, RunOptions

PathLike = str | os.PathLike
OPTIONS = tuple(f.name for f in dataclasses.fields(RunOptions) if f.name not in ("config_file", "progress"))


def lint(path_or_paths: PathLike | Iterable[PathLike], settings: PathLike | Mapping[str, Any] | Config | None = None,
         **options: Any) -> Report:
    """Lint catalog files (or folders of them) and return the Report.

    `settings`: None finds each file's aelint.toml (or pyproject.toml) as the CLI does; a path reads that
    settings file; a mapping holds the same keys as aelint.toml (relative paths in it resolve against the
    current folder). `options` are the command line's: select, extend_select, ignore (lists of codes or
    prefixes, or one comma-separated string), fail_on, sheet, marketplace, images, jobs, cache,
    fetch_images, allow_private_hosts, force_exclude; keep_catalogs=True keeps the catalogs as read in
    `report.catalogs`.
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
    if isinstance(path_or_paths, (str, os.PathLike)):
        paths = [Path(path_or_paths)]
    else:
        paths = [Path(p) for p in path_or_paths]
    return Engine(run, given).lint(paths)


__all__ = ["lint", "Report", "ConfigError"]
