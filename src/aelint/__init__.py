"""aelint: a pre-submission linter for AliExpress product catalogs.

`aelint.lint(path_or_paths, settings=None, **options) -> Report` is the library entry point (aelint.api);
it is imported on first use, so `import aelint` stays light.
"""

__version__ = "0.1.0"


def __getattr__(name: str):
    if name in ("lint", "Report"):
        from aelint import api

        return getattr(api, name)
    raise AttributeError(f"module 'aelint' has no attribute {name!r}")
