"""Writing reports without harming inputs: targets that are inputs are refused, files are replaced atomically,
and text reaches any terminal or pipe encoding (what it cannot carry is escaped, never a crash).

Kept light (no click, no reader imports at module level): the command's entry point installs the interrupt
handler from here before anything else is imported.
"""

from __future__ import annotations

import contextlib
import os
import signal
import stat
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from aelint.i18n import N_, _

SETTINGS_NAMES = ("aelint.toml", "pyproject.toml")
# What an existing target may not hold: a report never starts like an image or a workbook (translated where shown).
AN_IMAGE, A_WORKBOOK = N_("an image"), N_("a workbook")
INPUT_MAGIC = {
    b"\x89PNG": AN_IMAGE, b"\xff\xd8\xff": AN_IMAGE, b"GIF8": AN_IMAGE, b"RIFF": AN_IMAGE,
    b"II*\0": AN_IMAGE, b"MM\0*": AN_IMAGE, b"BM": AN_IMAGE,
    b"PK\x03\x04": A_WORKBOOK, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1": A_WORKBOOK,
}
THE_REPORT = N_("the report")
THE_FIXED_COPY = N_("the fixed copy")
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".bmp", ".tif", ".tiff", ".avif", ".heic")


class OutputError(Exception):
    """A report target aelint refuses or cannot write; the message names it."""


INTERRUPTED = b"aelint: error: interrupted\n"


class Interrupted(BaseException):
    """SIGINT, raised where the program is; not a KeyboardInterrupt, which click turns into "Aborted!"."""


def input_files(paths: Iterable[Path], config_file: Path | None = None) -> list[Path]:
    """Every file a run over `paths` may read, without reading any: the files given, every file with a
    catalog's name in the folders given (excluded or git-ignored ones too: refusing more is safe), the
    settings file given, and every settings file a catalog's folder or its parents hold."""
    from aelint.catalog_files import is_catalog_name

    catalogs: list[Path] = []
    for path in paths:
        if path.is_dir():
            catalogs.extend(p for p in path.rglob("*") if is_catalog_name(p) and p.is_file())
        else:
            catalogs.append(path)
    found = [*catalogs, *([config_file] if config_file else [])]
    folders = {Path(os.path.abspath(c)).parent for c in catalogs}
    for folder in folders:
        for parent in (folder, *folder.parents):
            found.extend(parent / name for name in SETTINGS_NAMES if (parent / name).exists())
    return found


def refuse_inputs(target: Path, inputs: Iterable[Path], what: str = THE_REPORT) -> None:
    """Raise OutputError when writing `target` could destroy an input: it is (through any link, hard or
    symbolic) one of `inputs`, it is named like an image, or it already holds an image (a referenced image
    is only known once the catalog is read, and nothing is read before this check) or, for a report, a
    workbook. `what` names the output in the message, in English marked with N_() ("the fixed copy" may
    replace an earlier one)."""
    real = Path(os.path.realpath(target))
    for candidate in inputs:
        if real == Path(os.path.realpath(candidate)) or _same_file(real, Path(candidate)):
            kind = (_("a settings file the run reads") if Path(candidate).suffix == ".toml"
                    else _("one of the input catalogs"))
            raise OutputError(_("refusing to write {what} to {target}: it is {kind} ({path})").format(
                what=_(what), target=target, kind=kind, path=candidate))
    if real.suffix.lower() in IMAGE_SUFFIXES:
        raise OutputError(_("refusing to write {what} to {target}: it is named like an image").format(
            what=_(what), target=target))
    if real.is_file():
        try:
            with real.open("rb") as existing:
                head = existing.read(8)
        except OSError:
            return  # unreadable: writing will say why
        for magic, kind in INPUT_MAGIC.items():
            if head.startswith(magic) and (what == THE_REPORT or kind == AN_IMAGE):
                raise OutputError(_("refusing to write {what} to {target}: it holds {kind}").format(
                    what=_(what), target=target, kind=_(kind)))


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


class FileReport:
    """A report written to `target` as it comes: into a temporary file in the target's folder, which `commit`
    syncs and renames over the target, so a full disk, an error or an interrupt (`abort`) never leaves a
    partial report and leaves an earlier one as it was. Special files (/dev/null, a FIFO) are written in
    place. Errors are OutputError naming the target."""

    def __init__(self, target: Path):
        self.target = target
        self.real = Path(os.path.realpath(target))
        self.temporary: str | None = None
        try:
            self.mode = self.real.stat().st_mode
        except FileNotFoundError:
            self.mode = None
        except OSError as error:
            raise self._error(error) from None
        if self.mode is not None and stat.S_ISDIR(self.mode):
            raise OutputError(_("cannot write {target}: it is a folder").format(target=target))
        try:
            if self.mode is not None and not stat.S_ISREG(self.mode):
                self.stream = self.real.open("wb")
            else:
                handle, self.temporary = tempfile.mkstemp(dir=self.real.parent, prefix=f".{self.real.name}.",
                                                          suffix=".tmp")
                self.stream = os.fdopen(handle, "wb", buffering=1 << 20)
        except OSError as error:
            raise self._error(error) from None

    def write(self, text: str) -> None:
        try:
            self.stream.write(text.encode("utf-8", errors="backslashreplace"))  # lone surrogates of file names
        except OSError as error:
            raise self._error(error) from None

    def commit(self) -> None:
        try:
            self.stream.flush()
            if self.temporary is not None:
                os.fsync(self.stream.fileno())
            self.stream.close()
            if self.temporary is not None:
                os.chmod(self.temporary, stat.S_IMODE(self.mode) if self.mode is not None else 0o666 & ~_umask())
                os.replace(self.temporary, self.real)
                self.temporary = None
        except OSError as error:
            raise self._error(error) from None
        finally:
            self.abort()

    def abort(self) -> None:
        """Close without replacing the target; the temporary file is removed."""
        with contextlib.suppress(OSError):
            self.stream.close()
        if self.temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(self.temporary)
            self.temporary = None

    def _error(self, error: OSError) -> OutputError:
        return OutputError(_("cannot write {target}: {reason}").format(target=self.target,
                                                                       reason=error.strerror or error))


class StdoutReport:
    """A report written to standard output as it comes, in its encoding, escaping what it cannot carry
    (cp1252 on Windows pipes). When the reader has gone (a closed pipe: `aelint ... | head`) the rest is
    dropped quietly; OutputError when it cannot be written (`> /dev/full`)."""

    def __init__(self) -> None:
        self.gone = False

    def write(self, text: str) -> None:
        if self.gone:
            return
        stream = sys.stdout
        data = text.encode(stream.encoding or "utf-8", errors="backslashreplace")
        try:
            stream.flush()
            stream.buffer.write(data)
        except BrokenPipeError:
            self._reader_gone()
        except OSError as error:
            self._failed(error)

    def commit(self) -> None:
        if self.gone:
            return
        try:
            sys.stdout.buffer.flush()
        except BrokenPipeError:
            self._reader_gone()
        except OSError as error:
            self._failed(error)

    def abort(self) -> None:
        with contextlib.suppress(OSError):
            self.commit()

    def _reader_gone(self) -> None:
        self.gone = True
        _detach_stdout()

    def _failed(self, error: OSError) -> None:
        self.gone = True
        _detach_stdout()
        raise OutputError(_("cannot write the report to standard output: {reason}").format(
            reason=error.strerror or error)) from None


@contextlib.contextmanager
def report_stream(target: Path | None) -> Iterator[FileReport | StdoutReport]:
    """Where a report is written as it comes: standard output (None) or the file `target`, which is only
    replaced when the block ends normally (an exception, SystemExit or an interrupt leave it as it was)."""
    stream = StdoutReport() if target is None else FileReport(target)
    try:
        yield stream
    except BaseException:
        stream.abort()
        raise
    stream.commit()


def write_report(text: str, target: Path) -> None:
    """Write `text` (UTF-8) to `target` atomically (see FileReport). Raises OutputError naming the target."""
    with report_stream(target) as stream:
        stream.write(text)


def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current


def write_stdout(text: str) -> bool:
    """Write to standard output in its encoding (see StdoutReport). False when the reader has gone."""
    with report_stream(None) as stream:
        stream.write(text)
    return not stream.gone


def _detach_stdout() -> None:
    """Point standard output at /dev/null so the interpreter's final flush cannot fail a second time."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def run_ending_cleanly_on_interrupt(body: Callable[[], object]) -> None:
    """Run `body`; SIGINT anywhere inside ends the run with one line, "aelint: error: interrupted", and exit
    code 2 (the README's "aelint could not do its job"), never a traceback. Worker processes forked inside
    exit quietly and leave the message to the main process; a second SIGINT exits at once.

    The handler raises Interrupted wherever the program is, and not every place passes it on: a class body
    turns it into RuntimeError (Python 3.11 wraps whatever `__set_name__` raises, and cached_property's and
    dataclass fields' are Python code), `__del__` and weakref callbacks print and drop it, C code that
    clears errors drops it silently. So once SIGINT has come, however `body` ends, the run ends interrupted
    and nothing dropped is printed; a dropped Interrupted is raised again at the next Python call made
    while no exception is being handled. Not a context manager: the handler is installed and removed inside
    this one frame's try, so no moment between them is left uncovered."""
    main_pid = os.getpid()
    came: list[int] = []  # the SIGINT, once it has come

    def hard_exit(signum, frame):
        if os.getpid() == main_pid:
            os.write(2, INTERRUPTED)
        os._exit(2)

    def on_interrupt(signum, frame):
        if os.getpid() != main_pid:
            os._exit(2)
        came.append(signum)
        signal.signal(signal.SIGINT, hard_exit)
        sys.setprofile(raise_if_dropped)
        raise Interrupted

    def raise_if_dropped(frame, event, arg):  # a profile function that raises is removed: `dropped` sets it again
        if event == "call" and sys.exc_info()[1] is None and frame.f_code not in own_handlers:
            raise Interrupted

    def dropped(unraisable) -> None:
        if isinstance(unraisable.exc_value, Interrupted):
            sys.setprofile(raise_if_dropped)
        else:
            previous_hook(unraisable)

    own_handlers = (dropped.__code__, hard_exit.__code__)
    previous, previous_hook = signal.getsignal(signal.SIGINT), sys.unraisablehook
    try:
        sys.unraisablehook = dropped
        signal.signal(signal.SIGINT, on_interrupt)
        body()
    except BaseException:
        if not came:
            raise
    finally:  # the profile function off first (a C call, which it does not see), so that restoring the handler
        sys.setprofile(None)  # raises nothing; once SIGINT has come the handler is hard_exit: another exits at once
        signal.signal(signal.SIGINT, hard_exit if came else previous)
        sys.unraisablehook = previous_hook
    if came:
        sys.stderr.flush()
        os.write(2, INTERRUPTED)
        raise SystemExit(2)
