"""aelint: a pre-submission linter for AliExpress product catalogs."""

__version__ = "0.1.0"
