"""The image probe: one look per distinct image file or URL, before the rules run, computing only the facts
the selected rules declared (`aelint.images`: HEADER, BACKGROUND, HASH).

Safety: references come from untrusted catalogs. A local path is resolved against the image root
(`Config.image_root`) and is never opened when it leaves that folder (`..`, an absolute path elsewhere,
a symbolic link pointing outside), or when it is not a regular file (device, FIFO, folder). Only JPEG
and PNG files are handed to Pillow (the format is sniffed from the first bytes); Pillow's
decompression-bomb guard stays on and its warning is an error (its other warnings, about odd
metadata, are not printed); decoding is only done where a rule asks for a decoded fact, on a reduced
JPEG draft, and never for images over `DECODE_MAX_PIXELS` or more than `DECODE_MAX_RATIO` times longer
than wide.

Speed: the header (format, size) costs ~0.04 ms; a decode costs 5-60 ms. Header-only probes run in
this process (a process pool makes them slower); decodes go to a process pool of `--jobs` workers when
there are enough of them. Facts are cached between runs in `.aelint_cache/` (or `$AELINT_CACHE_DIR`),
keyed by the facts' algorithm versions (`images.FACTS`), the real path, size and modification time;
an entry says which facts it holds, and one lacking a fact a rule needs is probed again.

URLs are checked for form only (https, a host name, an image extension); with `--fetch-images`
they are downloaded (`aelint.image_fetch`) and probed like files; the result is cached for a day.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import sqlite3
import stat
import sys
import time
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from PIL import Image

from aelint.i18n import N_
from aelint.images import (BOMB, CORRUPT, DECODED, FACTS, HASH, HASH_CROPS, OTHER_FORMAT, THUMB_CELLS, TRUNCATED,
                           ImageFacts, Reason, check_url, image_references, is_url, missing, os_reason, resolve_local)

CACHE_DIR_NAME = ".aelint_cache"
CACHE_FILE = "images.sqlite"
FACTS_KEY = " ".join(f"{name}{version}" for name, version in sorted(FACTS.items()))  # in every cache key
URL_CACHE_SECONDS = 24 * 3600
DECODE_MAX_PIXELS = 40_000_000   # larger images keep their header facts but are not decoded ...
DECODE_MAX_RATIO = 20            # ... nor are images more than 20 times longer than wide
WORK_SIDE = 256                  # decodes work on a thumbnail of at most this side
POOL_MIN_DECODES = 16            # fewer decodes than this run in-process (pool start-up costs more)
FETCH_THREADS = 8


@dataclass
class ProbeStats:
    """What a probe run did: how many files it opened, how many came from the cache, and time."""

    references: int = 0
    files: int = 0
    opened: int = 0
    decoded: int = 0
    cached: int = 0
    fetched: int = 0
    pooled: bool = False
    seconds: float = 0.0


# ---------------------------------------------------------------------------------------------- probing

def _sniff(head: bytes) -> str | None:
    """The image format from the first bytes: JPEG, PNG, or the name of another format."""
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "GIF"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    if head[:2] == b"BM":
        return "BMP"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "TIFF"
    if head[4:8] == b"ftyp":
        return "HEIC/AVIF"
    return None


def _complete(fp: BinaryIO, fmt: str, size: int) -> bool:
    """Cheap truncation check without decoding: a JPEG ends with its EOI marker, a PNG with IEND."""
    tail = min(size, 1024)
    fp.seek(size - tail)
    data = fp.read(tail)
    if fmt == "PNG":
        return b"IEND" in data[-64:]
    return b"\xff\xd9" in data


# What Pillow raises on a file it cannot read (a bad header, broken data, a decompression bomb).
PILLOW_ERRORS = (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError,
                 Image.DecompressionBombWarning)


def probe_stream(fp: BinaryIO, size: int, needs: frozenset[str], source: str = "") -> tuple[ImageFacts, bool]:
    """Facts about an open image stream of `size` bytes: the header's, and the decoded facts in `needs`;
    (facts, whether pixels were decoded)."""
    head = fp.read(16)
    fmt = _sniff(head)
    if fmt is None:
        kind = N_("an empty file") if size == 0 else N_("not an image file")
        return ImageFacts("unreadable", Reason(kind), source, bytes=size), False
    if fmt == "GIF":  # the logical screen size: bytes 6-9 of the header, little-endian
        width, height = int.from_bytes(head[6:8], "little"), int.from_bytes(head[8:10], "little")
        return ImageFacts("format", Reason.of(OTHER_FORMAT, format=fmt), source, format=fmt, width=width,
                          height=height, bytes=size), False
    if fmt not in ("JPEG", "PNG"):
        return ImageFacts("format", Reason.of(OTHER_FORMAT, format=fmt), source, format=fmt, bytes=size), False
    fp.seek(0)
    decoded = False
    measured = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Pillow's notes on odd metadata (EXIF...) are not ours to print
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(fp, formats=["JPEG", "PNG"])
        except PILLOW_ERRORS as error:
            return _unreadable(error, fmt, source, size), False
        with image:
            width, height = image.size
            if not _complete(fp, fmt, size):
                return ImageFacts("unreadable", Reason.of(TRUNCATED, format=fmt), source, format=fmt,
                                  width=width, height=height, bytes=size), False
            if needs & DECODED and decodable(width, height):
                decoded = True
                try:
                    measured = _decoded_facts(image, fp, fmt, needs)
                except PILLOW_ERRORS as error:  # the header's facts and status stand
                    measured = {"decode_failure": _unreadable(error, fmt, source, size).reason}
    return ImageFacts("ok", source=source, format=fmt, width=width, height=height, bytes=size, **measured), decoded


def _unreadable(error: Exception, fmt: str, source: str, size: int) -> ImageFacts:
    """The facts of an image Pillow refused."""
    if isinstance(error, Image.DecompressionBombError | Image.DecompressionBombWarning):
        return ImageFacts("unreadable", Reason.of(BOMB, error=error), source, format=fmt, bytes=size)
    text = str(error) or type(error).__name__
    reason = Reason.of(TRUNCATED, format=fmt) if "truncated" in text else Reason.of(CORRUPT, format=fmt, error=text)
    return ImageFacts("unreadable", reason, source, format=fmt, bytes=size)


def _decoded_facts(image: Image.Image, fp: BinaryIO, fmt: str, needs: frozenset[str]) -> dict:
    """The decoded facts in `needs` of an opened image, as ImageFacts fields."""
    from aelint.image_pixels import measures

    fp.seek(0)
    if fmt == "JPEG":
        image.draft("RGB" if image.mode != "L" else "L", (WORK_SIDE, WORK_SIDE))
    image.load()
    image.thumbnail((WORK_SIDE, WORK_SIDE), Image.Resampling.BOX)  # in place: no copy
    measured = measures(image, needs)
    if HASH in needs:
        fp.seek(0)
        measured["digest"] = hashlib.file_digest(fp, "blake2b").hexdigest()[:32]
    return measured


def decodable(width: int, height: int) -> bool:
    """Whether pixels of this size are decoded at all: not too many, and not absurdly thin (a 1-pixel
    line 40 million long costs a gigabyte to decode and has no background or product to judge)."""
    return width * height <= DECODE_MAX_PIXELS and max(width, height) <= DECODE_MAX_RATIO * min(width, height)


def probe_file(real: str, needs: frozenset[str]) -> tuple[ImageFacts, bool]:
    """Facts about a local file already resolved inside the image root (re-checked here: no links, regular)."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(real, flags)
    except OSError as error:
        return missing(os_reason(error), real), False
    with os.fdopen(fd, "rb") as fp:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return missing(N_("not a regular file: not read"), real), False
        return probe_stream(fp, info.st_size, needs, real)


def _probe_task(task: tuple[str, frozenset[str]]) -> tuple[dict, bool]:
    facts, decoded = probe_file(*task)
    return facts.to_json(), decoded


def probe_url(url: str, needs: frozenset[str], allow_private: bool) -> tuple[ImageFacts, bool]:
    from aelint.image_fetch import FetchError, fetch

    try:
        data = fetch(url, allow_private)
    except FetchError as error:
        return ImageFacts("missing", error.reason, url), False
    return probe_stream(io.BytesIO(data), len(data), needs, url)


# ----------------------------------------------------------------------------------------------- cache

def cache_dir(config_path: Path | None) -> Path:
    """$AELINT_CACHE_DIR, or .aelint_cache next to the settings file, or in the current folder."""
    env = os.environ.get("AELINT_CACHE_DIR")
    if env:
        return Path(env)
    return (config_path.parent if config_path else Path.cwd()) / CACHE_DIR_NAME


class Cache:
    """Probe results in SQLite: key -> (the facts computed, facts). Any failure just disables the cache,
    and an entry that cannot be read back as well-formed facts is probed again.

    Nothing is written through a symbolic link: when the folder, its .gitignore, the database or one
    of SQLite's side files (-journal, -wal, -shm) is a link, the cache is not used.
    """

    def __init__(self, folder: Path | None):
        self.db: sqlite3.Connection | None = None
        self.pending: list[tuple[str, str, float, str]] = []
        if folder is None:
            return
        database = folder / CACHE_FILE
        try:
            folder.mkdir(parents=True, exist_ok=True)
            if folder.is_symlink() or any(os.path.islink(f"{database}{side}")
                                          for side in ("", "-journal", "-wal", "-shm")):
                return
            _create_gitignore(folder / ".gitignore")
            self.db = sqlite3.connect(database, timeout=5)
            self.db.execute("CREATE TABLE IF NOT EXISTS facts (key TEXT PRIMARY KEY, done TEXT, "
                            "stamp REAL, value TEXT)")
        except (OSError, sqlite3.Error):
            self.db = None

    def get(self, key: str, needs: frozenset[str], max_age: float | None = None) -> ImageFacts | None:
        if self.db is None:
            return None
        try:
            row = self.db.execute("SELECT done, stamp, value FROM facts WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error:
            return None
        if row is None or not isinstance(row[0], str) or not needs <= set(row[0].split(",")):
            return None
        if max_age is not None and not (isinstance(row[1], float) and time.time() - row[1] <= max_age):
            return None
        try:
            data = json.loads(row[2])
            facts = ImageFacts.from_json(data) if isinstance(data, dict) else None
        except (ValueError, TypeError, KeyError, AttributeError):
            return None
        return facts if facts is not None and _well_formed(facts) else None

    def put(self, key: str, done: frozenset[str], facts: ImageFacts) -> None:
        if self.db is not None:
            self.pending.append((key, ",".join(sorted(done)), time.time(), json.dumps(facts.to_json())))

    def close(self) -> None:
        if self.db is None:
            return
        try:
            with self.db:
                self.db.executemany("INSERT OR REPLACE INTO facts VALUES (?, ?, ?, ?)", self.pending)
        except sqlite3.Error:
            pass
        self.db.close()
        self.db = None


def _create_gitignore(path: Path) -> None:
    """Write the cache folder's .gitignore once, never through a link (O_EXCL | O_NOFOLLOW)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags, 0o644)
    except FileExistsError:
        return
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write("# Automatically created by aelint.\n*\n")


_FACT_TYPES = {"status": str, "source": str, "format": str, "width": int, "height": int,
               "bytes": int, "background": (int, float), "phash": int, "digest": str, "crops": bytes,
               "thumb": bytes}


def _well_formed(facts: ImageFacts) -> bool:
    """Whether cached facts have the types and sizes the checks rely on (a damaged cache is ignored)."""
    for name, kind in _FACT_TYPES.items():
        value = getattr(facts, name)
        if value is not None and (not isinstance(value, kind) or isinstance(value, bool)):
            return False
    for reason in (facts.reason, facts.decode_failure):
        if not (isinstance(reason.key, str) and all(isinstance(n, str) and isinstance(v, str)
                                                    for n, v in reason.values) and reason.well_formed()):
            return False
    if facts.status not in ("ok", "missing", "unreadable", "remote", "format") or (
            facts.status == "ok" and None in (facts.width, facts.height, facts.bytes)):
        return False
    if facts.colour is not None and not (len(facts.colour) == 3 and all(
            isinstance(c, int) and not isinstance(c, bool) for c in facts.colour)):
        return False
    if facts.crops is not None and len(facts.crops) != 8 * (len(HASH_CROPS) - 1):
        return False
    return facts.thumb is None or len(facts.thumb) == 3 * THUMB_CELLS * THUMB_CELLS


def _file_key(real: str) -> str | None:
    try:
        info = os.stat(real)
    except OSError:
        return None
    return f"file\x00{FACTS_KEY}\x00{real}\x00{info.st_size}\x00{info.st_mtime_ns}"


# ------------------------------------------------------------------------------------------ the catalog

def probe_catalog(catalog, path: Path, config, run, wanted: Mapping[str, frozenset[str]]) -> ProbeStats:
    """Fill `catalog.images` for the image references of the fields in `wanted` (image field -> facts the
    selected rules read there), with those facts; `run` gives --jobs, --no-cache, --fetch-images..."""
    refs = image_references(catalog, wanted)
    cache = Cache(cache_dir(config.path) if run.cache else None)
    try:
        stats = probe_references(refs, config.image_root(path), catalog.images, cache, jobs=run.jobs,
                                 fetch_images=run.fetch_images, allow_private=run.allow_private_hosts,
                                 progress=run.progress)
    finally:
        cache.close()
    return stats


def probe_references(refs: Mapping[str, frozenset[str]], root: Path, out: dict, cache: Cache, jobs: int | None = None,
                     fetch_images: bool = False, allow_private: bool = False, progress: bool = False,
                     force_pool: bool | None = None) -> ProbeStats:
    """Probe references (ref -> the facts needed) into `out` (ref -> ImageFacts): one probe per distinct file."""
    import concurrent.futures

    started = time.perf_counter()
    stats = ProbeStats(references=len(refs))
    files: dict[str, frozenset[str]] = {}  # real path -> facts needed
    by_file: dict[str, list[str]] = {}  # real path -> refs
    urls: dict[str, frozenset[str]] = {}
    hosts: dict[str, tuple[bool, bool]] = {}  # each URL host's verdict, worked out once (check_url)
    local_ok = fetch_images and allow_private
    for ref, needs in refs.items():
        if is_url(ref):
            facts = check_url(ref, local_ok, hosts)
            if facts.status == "remote" and fetch_images:
                urls[ref.strip()] = urls.get(ref.strip(), frozenset()) | needs
                by_file.setdefault(ref.strip(), []).append(ref)
            out[ref] = facts
            continue
        real, reason = resolve_local(ref, root)
        if real is None:
            out[ref] = missing(reason, ref)
            continue
        files[real] = files.get(real, frozenset()) | needs
        by_file.setdefault(real, []).append(ref)
    stats.files = len(files) + len(urls)

    def not_cached(sources: dict[str, frozenset[str]], key_of: Callable[[str], str | None],
                   max_age: float | None = None) -> list[tuple[str, frozenset[str], str | None]]:
        """Fill `out` from the cache for the sources (file or URL -> facts needed) it holds; the others, each
        with its facts needed and its cache key, are left to probe."""
        todo = []
        for source, needs in sources.items():
            key = key_of(source)
            hit = cache.get(key, needs, max_age) if key else None
            if hit is not None:
                stats.cached += 1
                for ref in by_file[source]:
                    out[ref] = hit
            else:
                todo.append((source, needs, key))
        return todo

    todo = not_cached(files, _file_key)
    url_todo = not_cached(urls, lambda url: f"url\x00{FACTS_KEY}\x00{url}", URL_CACHE_SECONDS)

    bar = _Progress(len(todo) + len(url_todo), progress)

    def record(real: str, needs: frozenset[str], key: str | None, facts: ImageFacts, decoded: bool) -> None:
        stats.opened += 1
        stats.decoded += decoded
        for ref in by_file[real]:
            out[ref] = facts
        if key:
            cache.put(key, needs, facts)
        bar.step()

    decodes = [t for t in todo if t[1] & DECODED]
    headers = [t for t in todo if not t[1] & DECODED]
    workers = jobs or os.cpu_count() or 1
    use_pool = force_pool if force_pool is not None else (workers > 1 and len(decodes) >= POOL_MIN_DECODES)
    if use_pool and workers > 1 and todo:
        stats.pooled = True
        pooled, headers = (todo, []) if force_pool else (decodes, headers)
        with concurrent.futures.ProcessPoolExecutor(workers) as pool:
            results = pool.map(_probe_task, [(t[0], t[1]) for t in pooled],
                               chunksize=max(1, min(32, len(pooled) // (workers * 4))))
            for real, needs, key in headers:  # header-only work runs here meanwhile
                record(real, needs, key, *probe_file(real, needs))
            for (real, needs, key), (data, decoded) in zip(pooled, results):
                record(real, needs, key, ImageFacts.from_json(data), decoded)
    else:
        for real, needs, key in headers + decodes:
            record(real, needs, key, *probe_file(real, needs))
    if url_todo:
        with concurrent.futures.ThreadPoolExecutor(FETCH_THREADS) as threads:
            results = threads.map(lambda t: probe_url(t[0], t[1], allow_private), url_todo)
            for (url, needs, key), (facts, decoded) in zip(url_todo, results):
                stats.fetched += 1
                record(url, needs, key, facts, decoded)
    bar.close()
    stats.seconds = time.perf_counter() - started
    return stats


class _Progress:
    """A progress bar on stderr that appears only once a scan has taken more than half a second."""

    DELAY = 0.5

    def __init__(self, total: int, enabled: bool):
        self.total = total
        self.enabled = enabled and total > 0
        self.started = time.monotonic()
        self.done = 0
        self.bar = None

    def step(self) -> None:
        self.done += 1
        if not self.enabled:
            return
        if self.bar is None:
            if time.monotonic() - self.started < self.DELAY or self.done >= self.total:
                return
            import click

            self.bar = click.progressbar(length=self.total, label="Checking images", file=sys.stderr)
            self.bar.__enter__()
            self.bar.update(self.done)
        else:
            self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


