"""The `aelint` command and `python -m aelint`: SIGINT is handled before anything heavy is imported."""

import contextlib
import os
import signal
import sys


def command() -> None:
    """The console script and `python -m aelint`: `run`, then the end without the interpreter's teardown."""
    signal.signal(signal.SIGINT, _interrupted_while_starting)
    # numpy's OpenBLAS starts a thread per core when it loads, and each spins a while waiting for work: ~45 ms
    # of CPU (90 ms wall) per large run, which does no linear algebra worth a second thread. A value the user
    # set is kept; the library (aelint.lint) leaves its host's environment alone.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    try:
        run()
    except SystemExit as end:
        hard_exit(end.code)


def run() -> None:
    """The command line, ending with SystemExit as click does (for callers that want to carry on)."""
    from aelint.output import run_ending_cleanly_on_interrupt

    run_ending_cleanly_on_interrupt(_main)


def _main() -> None:
    from aelint.cli import main

    main()


def _interrupted_while_starting(signum, frame) -> None:
    """SIGINT before `run_ending_cleanly_on_interrupt` takes over (while aelint's first modules load): nothing is
    written yet, so the run ends at once with the same line and exit code."""
    os.write(2, b"aelint: error: interrupted\n")
    os._exit(2)


def hard_exit(code: int | str | None) -> None:
    """End the process as SystemExit(code) would, without the interpreter's teardown: it frees every
    object one by one (the last catalog, whose reference cycles need a full garbage collection, rule
    tables, caches: 3-6 s of CPU after a 100k-row run) in a process that is ending anyway. Everything
    aelint writes is complete by then (reports are committed, the image cache closed); the standard
    streams are flushed here."""
    if isinstance(code, str):
        sys.stderr.write(code + "\n")
        code = 1
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(code or 0)


if __name__ == "__main__":
    command()
