"""A large CSV's read started in a background thread while the run loads its settings and rules.

Reading a CSV of COLUMNAR_MIN_BYTES or more (catalog_files.open_csv: the file's bytes, polars' parse, the line
search over the bytes) spends much of its time outside Python's global lock, while loading the settings and
importing the rule modules spend theirs inside it. Started first, the read runs beside that loading on a
second core: the run takes less wall time, the same CPU time. The work is overlapped, not removed.

The thread only reads: the records (or the CatalogError the read raised) are handed to the caller that would
have called open_csv itself, which re-raises the error there, so a file that cannot be read is reported exactly
as it would be without the thread (in the run's language: the thread runs in a copy of the caller's context). `close()` waits for the thread, whatever ended the run (an error in the
settings, Ctrl-C): no thread outlives the `with` block.
"""

from __future__ import annotations

import contextvars
import os
import stat
import threading
from pathlib import Path

from aelint import catalog_files
from aelint.catalog_files import CsvRecords

SUFFIXES = (".csv", ".tsv", ".txt")


class ReadAhead:
    """open_csv(path, display) running in a thread; `records()` waits for it and gives its outcome."""

    def __init__(self, path: Path, display: str):
        self.path = path
        self._outcome: CsvRecords | BaseException | None = None
        # in a copy of the caller's context: an error's message in the run's language (aelint.i18n)
        self._thread = threading.Thread(target=contextvars.copy_context().run, args=(self._read, path, display),
                                        name="aelint-read-ahead", daemon=True)
        self._thread.start()

    @classmethod
    def worth_it(cls, path: Path) -> bool:
        """A regular CSV/TSV file that open_csv reads whole with polars (from COLUMNAR_MIN_BYTES to
        COLUMNAR_MAX_BYTES): a small file is read quicker than a thread starts, a larger one streams."""
        if path.suffix.lower() not in SUFFIXES:
            return False
        try:
            found = os.stat(path)
        except OSError:
            return False  # the reader itself says why
        return stat.S_ISREG(found.st_mode) and (
            catalog_files.COLUMNAR_MIN_BYTES <= found.st_size < catalog_files.COLUMNAR_MAX_BYTES)

    def _read(self, path: Path, display: str) -> None:
        try:
            self._outcome = catalog_files.open_csv(path, display, tab=path.suffix.lower() == ".tsv")
        except BaseException as error:  # re-raised by records(), in the caller's thread
            self._outcome = error

    def records(self) -> CsvRecords:
        """The file's records as open_csv gives them, or open_csv's error raised here. Taken once.

        While the thread reads, this thread imports numpy and polars, which the read needs once it has the
        bytes (and the lint after it): the imports hold the interpreter's lock, the OS read and the line
        search over the bytes do not, so each runs beside the other instead of after it."""
        import numpy  # noqa: F401
        import polars  # noqa: F401

        self._thread.join()
        outcome, self._outcome = self._outcome, None
        if isinstance(outcome, BaseException):
            raise outcome
        assert outcome is not None, "records() taken twice"
        return outcome

    def close(self) -> None:
        """Wait for the thread and let its records go (when they were not taken)."""
        self._thread.join()
        self._outcome = None

    def __enter__(self) -> ReadAhead:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()
