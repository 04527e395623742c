"""aelint's built-in checks: one module per rule, loaded through the `aelint.checks` entry point like any plugin."""
