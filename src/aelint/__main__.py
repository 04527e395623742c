"""`python -m aelint` runs the command line."""

from aelint.cli import main

main()
