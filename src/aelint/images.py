"""Image facts: one probe per distinct image file or URL, before the checks run.

The engine calls `probe_catalog` when image checks are selected. It fills `catalog.images`: image
reference (as written in the cell) -> `ImageFacts`. Checks only read those facts; they never open files.

Safety: references come from untrusted catalogs. A local path is resolved against the image root
(`Config.image_root`) and is never opened when it leaves that folder (`..`, an absolute path elsewhere,
a symbolic link pointing outside), or when it is not a regular file (device, FIFO, folder). Only JPEG
and PNG files are handed to Pillow (the format is sniffed from the first bytes); Pillow's
decompression-bomb guard stays on and its warning is an error (its other warnings, about odd
metadata, are not printed); decoding is only done where a rule needs it, on a reduced JPEG draft,
and never for images over `DECODE_MAX_PIXELS` or more than `DECODE_MAX_RATIO` times longer than wide.

Pixels: the picture is judged by its product, not its frame. `product_box` finds the box holding what
is not near-white background; AE309 judges the border outside it, AE311 hashes inside it.

Speed: the header (format, size) costs ~0.04 ms; a decode costs 5-60 ms. Header-only probes run in
this process (a process pool makes them slower); decodes (AE309 background, AE311 hash) go to a
process pool of `--jobs` workers when there are enough of them. Facts are cached between runs in
`.aelint_cache/` (or `$AELINT_CACHE_DIR`), keyed by `FACTS_VERSION` (raise it whenever a fact's
algorithm changes), the real path, size and modification time.

URLs are checked for form only (https, a host name, an image extension); with `--fetch-images`
they are downloaded (https only, time limits, a byte cap, public addresses only unless
`--allow-private-hosts`) and probed like files; the result is cached for a day.
"""

from __future__ import annotations

import concurrent.futures
import hashlib
import http.client
import io
import ipaddress
import json
import math
import os
import re
import socket
import sqlite3
import ssl
import stat
import sys
import time
import warnings
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import urljoin, urlsplit

import numpy as np
from PIL import Image

from aelint.i18n import N_, _

CACHE_VERSION = 2  # 2: other formats are status "format", GIF files with their size (Wish accepts GIF)
FACTS_VERSION = 2                # the facts' algorithm: cached facts of another version are not used
CACHE_DIR_NAME = ".aelint_cache"
URL_CACHE_SECONDS = 24 * 3600

# Why an image is missing or unreadable. Facts, and so the cache, hold the reason in English: a constant
# marked N_() or one of these templates filled in; `reason_text` translates it where a message shows it.
TRUNCATED = N_("a truncated {format} file")
CORRUPT = N_("a corrupt {format} file ({error})")
BOMB = N_("a decompression bomb ({error})")
URL_SCHEME = N_("a URL with scheme {scheme}:, not https")
HOST_NOT_PUBLIC = N_("a URL whose host {host} is not a public host name")
HOST_NOT_FOUND_BECAUSE = N_("host {host} not found ({error})")
HOST_NOT_FOUND = N_("host {host} not found")
HOST_PRIVATE = N_("host {host} is a private or loopback address: not fetched")
NOT_FETCHED_SCHEME = N_("not fetched: {scheme} URL, only https")
SERVER_ANSWERED = N_("the server answered {status} {reason}")
DOWNLOAD_LIMIT = N_("larger than the {limit} MB download limit")
DOWNLOAD_FAILED = N_("download failed ({error})")
OTHER_FORMAT = N_("a {format} file")  # last: the other templates with a format are more specific
REASON_TEMPLATES = (TRUNCATED, CORRUPT, BOMB, URL_SCHEME, HOST_NOT_PUBLIC, HOST_NOT_FOUND_BECAUSE, HOST_NOT_FOUND,
                    HOST_PRIVATE, NOT_FETCHED_SCHEME, SERVER_ANSWERED, DOWNLOAD_LIMIT, DOWNLOAD_FAILED, OTHER_FORMAT)

NEED_BACKGROUND = 1
NEED_HASH = 2

DECODE_MAX_PIXELS = 40_000_000   # larger images keep their header facts but are not decoded ...
DECODE_MAX_RATIO = 20            # ... nor are images more than 20 times longer than wide
WORK_SIDE = 256                  # decodes work on a thumbnail of at most this side
NEAR_WHITE = 230                 # a pixel whose darkest channel is at least this is near-white
TRIM_SHARE = 0.005               # the product's box leaves out this share of its weight at each side
BACKGROUND_MAX_BOX = 0.85        # judge the border outside the product when its box leaves that much free
HASH_SIDE = 128                  # the product's box is hashed from a grey square of this side
THUMB_CELLS = 12                 # ... and kept as a colour thumbnail of this side
# The hash of the whole box, then of boxes cut by 5 or 10 % at one end of each axis (left, top, right, bottom).
_AXIS_CUTS = ((0.0, 0.0), (0.05, 0.0), (0.0, 0.05), (0.05, 0.05), (0.1, 0.0), (0.0, 0.1))
HASH_CROPS = tuple((x[0], y[0], x[1], y[1]) for x in _AXIS_CUTS for y in _AXIS_CUTS)
MAX_REFERENCES_PER_FIELD = 12    # a product field's references past these are not probed (AE302 counts them)
POOL_MIN_DECODES = 16            # fewer decodes than this run in-process (pool start-up costs more)

FETCH_TIMEOUT = 10.0             # seconds per connection step
FETCH_DEADLINE = 30.0            # seconds per URL in all
FETCH_MAX_BYTES = 20_000_000
FETCH_MAX_REDIRECTS = 3
FETCH_THREADS = 8

URL_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:|^//")
HOST_RE = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
IMAGE_EXTENSIONS = {".jpg", ".jpeg", ".png"}
OTHER_EXTENSIONS = {".gif": "GIF", ".webp": "WEBP", ".bmp": "BMP", ".tif": "TIFF", ".tiff": "TIFF",
                    ".heic": "HEIC", ".avif": "AVIF", ".svg": "SVG"}
ALICDN_RESIZED_RE = re.compile(r"\.(jpe?g|png)_", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class ImageFacts:
    """What is known about one image reference.

    status: "ok" (a JPEG/PNG whose header was read), "missing" (not found or not read: AE303, `reason`
    says why), "unreadable" (found but not a usable image: AE304, `reason` says why), "format" (an image
    in another format than JPEG/PNG, which a marketplace may or may not accept: `format`, and for a GIF
    file its size; AE304 and AE305 decide with the marketplace's `image_formats`), "remote" (a
    well-formed URL that was not fetched: nothing more is known).
    background: share (0-1) of near-white pixels on the frame's border around the product; only
    computed for images that need it. For duplicates: phash, a 64-bit DCT hash of the product's box
    (the near-white margin cut away); crops, the hashes of that box cut by up to 10 % (8 bytes each,
    in HASH_CROPS order after the first); colour, the mean colour of the product's pixels; thumb, a
    THUMB_CELLS-square RGB thumbnail of the box; digest, BLAKE2b of the bytes.
    """

    status: str
    reason: str = ""
    source: str = ""             # the resolved path or the URL
    format: str | None = None    # "JPEG" or "PNG"
    width: int | None = None
    height: int | None = None
    bytes: int | None = None
    background: float | None = None
    phash: int | None = None
    digest: str | None = None
    colour: tuple[int, int, int] | None = None
    crops: bytes | None = None
    thumb: bytes | None = None

    @property
    def exists(self) -> bool:
        return self.status != "missing"

    @property
    def readable(self) -> bool:
        return self.status == "ok"

    @property
    def error(self) -> str:
        return self.reason if self.status in ("missing", "unreadable") else ""

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        if self.phash is not None:
            data["phash"] = format(self.phash, "x")
        for name in ("crops", "thumb"):
            if data[name] is not None:
                data[name] = data[name].hex()
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ImageFacts:
        known = {f.name for f in fields(cls)}
        data = {k: v for k, v in data.items() if k in known}
        if data.get("phash") is not None:
            data["phash"] = int(data["phash"], 16)
        if data.get("colour") is not None:
            data["colour"] = tuple(data["colour"])
        for name in ("crops", "thumb"):
            if data.get(name) is not None:
                data[name] = bytes.fromhex(data[name])
        return cls(**data)


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


def _on_white(image: Image.Image) -> Image.Image:
    """The image in RGB, transparent parts shown on white (as AliExpress shows them)."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        return Image.alpha_composite(Image.new("RGBA", rgba.size, (255, 255, 255, 255)), rgba).convert("RGB")
    return image.convert("RGB")


def _darkest(pixels: np.ndarray) -> np.ndarray:
    """Each pixel's darkest channel (much faster than pixels.min(axis=2))."""
    return np.minimum(np.minimum(pixels[..., 0], pixels[..., 1]), pixels[..., 2])


def _span(profile: np.ndarray) -> tuple[int, int]:
    """The index range holding all but TRIM_SHARE of a profile's mass at either end."""
    cumulative = np.cumsum(profile)
    total = cumulative[-1]
    low = int(np.searchsorted(cumulative, TRIM_SHARE * total, side="right"))
    high = int(np.searchsorted(cumulative, (1 - TRIM_SHARE) * total, side="left")) + 1
    return low, max(high, low + 1)


def product_box(pixels: np.ndarray) -> tuple[int, int, int, int] | None:
    """(left, top, right, bottom) of what is not near-white background, or None for a blank picture.

    Each pixel weighs by how far its darkest channel is below NEAR_WHITE; the box leaves out the
    TRIM_SHARE of that weight at each side, so JPEG noise, dust and soft shadow tails do not move it.
    """
    weight = np.clip(NEAR_WHITE - _darkest(pixels).astype(np.int32), 0, None)
    if not weight.any():
        return None
    left, right = _span(weight.sum(axis=0))
    top, bottom = _span(weight.sum(axis=1))
    return left, top, right, bottom


def _background(pixels: np.ndarray, box: tuple[int, int, int, int] | None) -> float:
    """Share of near-white pixels in the frame's border strip outside the product's box.

    A product touching one or two edges leaves the rest of the strip to judge; when the product's box
    covers more than BACKGROUND_MAX_BOX of the frame (a close-up, or a coloured or lifestyle background,
    which is "product" everywhere), the whole strip is judged.
    """
    h, w = pixels.shape[:2]
    k = max(1, min(h, w) // 32)
    strip = np.ones((h, w), dtype=bool)
    strip[k:h - k, k:w - k] = False
    white = _darkest(pixels) >= NEAR_WHITE
    if box is not None:
        left, top, right, bottom = box
        if (right - left) * (bottom - top) <= BACKGROUND_MAX_BOX * w * h:
            strip[top:bottom, left:right] = False
    total = int(strip.sum())
    return round(int((white & strip).sum()) / total, 4) if total else 1.0


_DCT = np.array([[math.cos(math.pi * (2 * n + 1) * k / 64) for n in range(32)] for k in range(8)])
_DCT.setflags(write=False)


def _dct_hashes(grey: Image.Image, boxes) -> list[int]:
    """64-bit DCT hashes (pHash) of regions of `grey`: the 8x8 lowest frequencies of each region
    shrunk to 32x32 grey, against their median."""
    stack = np.stack([np.asarray(grey.resize((32, 32), Image.Resampling.BOX, box=box), dtype=np.float64)
                      for box in boxes])
    coeffs = (_DCT @ stack @ _DCT.T).reshape(len(boxes), 64)
    medians = np.median(coeffs[:, 1:], axis=1)
    bits = np.packbits(coeffs > medians[:, None], axis=1)
    return [int.from_bytes(row.tobytes(), "big") for row in bits]


def _hash_facts(rgb: Image.Image, pixels: np.ndarray, box) -> tuple[int, bytes, tuple[int, int, int], bytes]:
    """(hash, crop hashes, product colour, colour thumbnail) of the product inside `box`.

    The hash is taken over the product's box, stretched to a square, so the white margin around a
    small item does not count. The crop hashes are of sub-boxes cutting up to 10 % off each side (a
    copy cropped that much matches one of them); the colour is the mean of the product's pixels; the
    thumbnail (THUMB_CELLS squared RGB pixels of the box) lets a candidate pair be compared in colour.
    """
    if box is None:
        box = (0, 0, rgb.width, rgb.height)
    left, top, right, bottom = box
    grey = rgb.convert("L").resize((HASH_SIDE, HASH_SIDE), Image.Resampling.BOX, box=box)
    region = pixels[top:bottom, left:right]
    product = region[_darkest(region) < NEAR_WHITE]
    means = (product if len(product) else region.reshape(-1, 3)).mean(axis=0)
    colour = (round(float(means[0])), round(float(means[1])), round(float(means[2])))
    hashes = _dct_hashes(grey, [crop_box(HASH_SIDE, cut) for cut in HASH_CROPS])
    crops = b"".join(value.to_bytes(8, "big") for value in hashes[1:])
    thumb = rgb.resize((THUMB_CELLS, THUMB_CELLS), Image.Resampling.BOX, box=box).tobytes()
    return hashes[0], crops, colour, thumb


def crop_box(side: float, cut: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    """The box of a `side`-square cut by (left, top, right, bottom) shares."""
    left, top, right, bottom = cut
    return left * side, top * side, side - right * side, side - bottom * side


def probe_stream(fp: BinaryIO, size: int, needs: int, source: str = "") -> tuple[ImageFacts, bool]:
    """Facts about an open image stream of `size` bytes; (facts, whether pixels were decoded)."""
    head = fp.read(16)
    fmt = _sniff(head)
    if fmt is None:
        kind = N_("an empty file") if size == 0 else N_("not an image file")
        return ImageFacts("unreadable", kind, source, bytes=size), False
    if fmt == "GIF":  # the logical screen size: bytes 6-9 of the header, little-endian
        width, height = int.from_bytes(head[6:8], "little"), int.from_bytes(head[8:10], "little")
        return ImageFacts("format", OTHER_FORMAT.format(format=fmt), source, format=fmt, width=width, height=height,
                          bytes=size), False
    if fmt not in ("JPEG", "PNG"):
        return ImageFacts("format", OTHER_FORMAT.format(format=fmt), source, format=fmt, bytes=size), False
    fp.seek(0)
    decoded = False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Pillow's notes on odd metadata (EXIF...) are not ours to print
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(fp, formats=["JPEG", "PNG"]) as image:
                width, height = image.size
                if not _complete(fp, fmt, size):
                    return ImageFacts("unreadable", TRUNCATED.format(format=fmt), source, format=fmt,
                                      width=width, height=height, bytes=size), False
                background = phash = digest = colour = crops = thumb = None
                if needs and decodable(width, height):
                    fp.seek(0)
                    if fmt == "JPEG":
                        image.draft("RGB" if image.mode != "L" else "L", (WORK_SIDE, WORK_SIDE))
                    image.load()
                    decoded = True
                    image.thumbnail((WORK_SIDE, WORK_SIDE), Image.Resampling.BOX)  # in place: no copy
                    rgb = _on_white(image)
                    pixels = np.asarray(rgb)
                    box = product_box(pixels)
                    if needs & NEED_BACKGROUND:
                        background = _background(pixels, box)
                    if needs & NEED_HASH:
                        phash, crops, colour, thumb = _hash_facts(rgb, pixels, box)
                        fp.seek(0)
                        digest = hashlib.file_digest(fp, "blake2b").hexdigest()[:32]
    except Image.DecompressionBombError as error:
        return ImageFacts("unreadable", BOMB.format(error=error), source, format=fmt, bytes=size), decoded
    except Image.DecompressionBombWarning as error:
        return ImageFacts("unreadable", BOMB.format(error=error), source, format=fmt, bytes=size), decoded
    except (OSError, SyntaxError, ValueError, Image.UnidentifiedImageError, EOFError) as error:
        text = str(error) or type(error).__name__
        if "truncated" in text:
            text = TRUNCATED.format(format=fmt)
        else:
            text = CORRUPT.format(format=fmt, error=text)
        return ImageFacts("unreadable", text, source, format=fmt, bytes=size), decoded
    return ImageFacts("ok", "", source, fmt, width, height, size, background, phash, digest, colour,
                      crops, thumb), decoded


def decodable(width: int, height: int) -> bool:
    """Whether pixels of this size are decoded at all: not too many, and not absurdly thin (a 1-pixel
    line 40 million long costs a gigabyte to decode and has no background or product to judge)."""
    return width * height <= DECODE_MAX_PIXELS and max(width, height) <= DECODE_MAX_RATIO * min(width, height)


def probe_file(real: str, needs: int) -> tuple[ImageFacts, bool]:
    """Facts about a local file already resolved inside the image root (re-checked here: no links, regular)."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(real, flags)
    except OSError as error:
        return ImageFacts("missing", _os_reason(error), real), False
    with os.fdopen(fd, "rb") as fp:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return ImageFacts("missing", N_("not a regular file: not read"), real), False
        return probe_stream(fp, info.st_size, needs, real)


def _probe_task(task: tuple[str, int]) -> tuple[dict, bool]:
    facts, decoded = probe_file(*task)
    return facts.to_json(), decoded


def _os_reason(error: OSError) -> str:
    if isinstance(error, FileNotFoundError | NotADirectoryError):
        return N_("no such file")
    if isinstance(error, PermissionError):
        return N_("permission denied")
    return (error.strerror or str(error)).lower()


def _template_pattern(template: str) -> re.Pattern[str]:
    """A regular expression matching `template` filled in, its placeholders as named groups."""
    return re.compile(re.sub(r"\\\{(\w+)\\\}",
                             lambda m: rf"(?P<{m[1]}>[A-Z/]+)" if m[1] == "format" else rf"(?P<{m[1]}>.*)",
                             re.escape(template)))


REASON_PATTERNS = tuple((template, _template_pattern(template)) for template in REASON_TEMPLATES)


def reason_text(reason: str) -> str:
    """A fact's reason in the run's language: its template translated and filled in again with the same
    values (a URL, a host, a library's own words stay as they were); a reason of the system's stays as is."""
    if not reason:
        return reason  # gettext's "" is the catalog's header
    for template, pattern in REASON_PATTERNS:
        if match := pattern.fullmatch(reason):
            return _(template).format(**match.groupdict())
    return _(reason)


# --------------------------------------------------------------------------------------- references

def resolve_local(ref: str, root: Path) -> tuple[str | None, str]:
    """(real path, "") for a file inside `root` that may be opened, or (None, why it may not)."""
    if "\x00" in ref:
        return None, N_("not a valid path")
    text = ref.replace("\\", "/")
    root_text = os.path.realpath(root)
    candidate = os.path.normpath(os.path.join(root_text, text))  # an absolute `text` replaces the root
    if not _inside(candidate, root_text):
        return None, N_("outside the image folder: not read")
    real = os.path.realpath(candidate)
    if not _inside(real, root_text):
        return None, N_("a link pointing outside the image folder: not read")
    try:
        info = os.stat(real)
    except OSError as error:
        return None, _os_reason(error)
    if stat.S_ISDIR(info.st_mode):
        return None, N_("a folder, not a file")
    if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode):
        return None, N_("a device file: not read")
    if stat.S_ISFIFO(info.st_mode):
        return None, N_("a FIFO (named pipe): not read")
    if not stat.S_ISREG(info.st_mode):
        return None, N_("not a regular file: not read")
    return real, ""


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def is_url(ref: str) -> bool:
    return bool(URL_RE.match(ref.strip()))


def check_url(ref: str, local_ok: bool = False) -> ImageFacts:
    """Facts from a URL's form alone (no network): https, a proper host name, a JPEG/PNG name.

    `local_ok` (fetching with --allow-private-hosts, as tests against a local server do) also lets
    plain http and IP-address hosts through.
    """
    url = ref.strip()
    try:
        parts = urlsplit(url if not url.startswith("//") else "https:" + url)
        host = (parts.hostname or "").lower()
    except ValueError:
        return ImageFacts("missing", N_("not a valid URL"), url)
    if url.startswith("//"):
        return ImageFacts("missing", N_("a URL without https:"), url)
    scheme = parts.scheme.lower()
    if scheme == "file":
        return ImageFacts("missing", N_("a file: URL: give a path relative to the catalog"), url)
    if scheme == "http" and not local_ok:
        return ImageFacts("missing", N_("an http URL: AliExpress needs https"), url)
    if scheme not in ("https", "http"):
        return ImageFacts("missing", URL_SCHEME.format(scheme=scheme), url)
    if not host:
        return ImageFacts("missing", N_("a URL without a host"), url)
    local = local_ok and (_ip_literal(host) or host == "localhost")
    if not local and (_ip_literal(host) or not HOST_RE.match(host)):
        return ImageFacts("missing", HOST_NOT_PUBLIC.format(host=repr(host)), url)
    if parts.username or parts.password:
        return ImageFacts("missing", N_("a URL with a user name or password"), url)
    path = parts.path.lower()
    ext = os.path.splitext(path)[1]
    if ext in OTHER_EXTENSIONS and not (host.endswith("alicdn.com") and ALICDN_RESIZED_RE.search(path)):
        fmt = OTHER_EXTENSIONS[ext]
        return ImageFacts("format", f"the URL names a {fmt} file", url, format=fmt)
    return ImageFacts("remote", "", url)


def _ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
        return True
    except ValueError:
        return False


# -------------------------------------------------------------------------------------------- fetching

class FetchError(Exception):
    pass


def _public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if getattr(ip, "ipv4_mapped", None):
        ip = ip.ipv4_mapped
    return ip.is_global and not (ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast
                                 or ip.is_reserved or ip.is_unspecified)


def _connect_address(host: str, port: int, allow_private: bool) -> str:
    """One address of `host` we may connect to; every resolved address must be public unless allowed."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise FetchError(HOST_NOT_FOUND_BECAUSE.format(host=repr(host), error=error)) from None
    addresses = [info[4][0] for info in infos]
    if not addresses:
        raise FetchError(HOST_NOT_FOUND.format(host=repr(host)))
    if not allow_private and not all(_public(a) for a in addresses):
        raise FetchError(HOST_PRIVATE.format(host=repr(host)))
    return addresses[0]


class _PinnedHTTPS(http.client.HTTPSConnection):
    """Connects to the address we checked (no second DNS lookup), verifying the certificate for `host`."""

    def __init__(self, host: str, address: str, port: int, timeout: float):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


class _PinnedHTTP(http.client.HTTPConnection):
    def __init__(self, host: str, address: str, port: int, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


def fetch(url: str, allow_private: bool = False, max_bytes: int = FETCH_MAX_BYTES) -> bytes:
    """The bytes at an https URL (plain http only together with `allow_private`, for local tests)."""
    deadline = time.monotonic() + FETCH_DEADLINE
    for _ in range(FETCH_MAX_REDIRECTS + 1):
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme != "https" and not (scheme == "http" and allow_private):
            raise FetchError(NOT_FETCHED_SCHEME.format(scheme=scheme))
        host = parts.hostname or ""
        port = parts.port or (443 if scheme == "https" else 80)
        address = _connect_address(host, port, allow_private)
        cls = _PinnedHTTPS if scheme == "https" else _PinnedHTTP
        conn = cls(host, address, port, FETCH_TIMEOUT)
        try:
            target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            conn.request("GET", target, headers={"User-Agent": "aelint", "Accept": "image/jpeg,image/png"})
            response = conn.getresponse()
            if response.status in (301, 302, 303, 307, 308) and response.getheader("Location"):
                url = urljoin(url, response.getheader("Location"))
                continue
            if response.status != 200:
                raise FetchError(SERVER_ANSWERED.format(status=response.status, reason=response.reason))
            length = response.getheader("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise FetchError(DOWNLOAD_LIMIT.format(limit=max_bytes // 1_000_000))
            chunks, total = [], 0
            while True:
                if time.monotonic() > deadline:
                    raise FetchError(N_("download took too long"))
                chunk = response.read(65536)
                if not chunk:
                    break
                total += len(chunk)
                if total > max_bytes:
                    raise FetchError(DOWNLOAD_LIMIT.format(limit=max_bytes // 1_000_000))
                chunks.append(chunk)
            return b"".join(chunks)
        except (OSError, http.client.HTTPException) as error:
            raise FetchError(DOWNLOAD_FAILED.format(error=error)) from None
        finally:
            conn.close()
    raise FetchError(N_("too many redirects"))


def probe_url(url: str, needs: int, allow_private: bool) -> tuple[ImageFacts, bool]:
    try:
        data = fetch(url, allow_private)
    except FetchError as error:
        return ImageFacts("missing", str(error), url), False
    return probe_stream(io.BytesIO(data), len(data), needs, url)


# ----------------------------------------------------------------------------------------------- cache

def cache_dir(config_path: Path | None) -> Path:
    """$AELINT_CACHE_DIR, or .aelint_cache next to the settings file, or in the current folder."""
    env = os.environ.get("AELINT_CACHE_DIR")
    if env:
        return Path(env)
    return (config_path.parent if config_path else Path.cwd()) / CACHE_DIR_NAME


class Cache:
    """Probe results in SQLite: key -> (what was computed, facts). Any failure just disables the cache.

    Nothing is written through a symbolic link: when the folder, its .gitignore, the database or one
    of SQLite's side files (-journal, -wal, -shm) is a link, the cache is not used.
    """

    def __init__(self, folder: Path | None):
        self.db: sqlite3.Connection | None = None
        self.pending: list[tuple[str, int, float, str]] = []
        if folder is None:
            return
        database = folder / f"images-v{CACHE_VERSION}.sqlite"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            if folder.is_symlink() or any(os.path.islink(f"{database}{side}")
                                          for side in ("", "-journal", "-wal", "-shm")):
                return
            _create_gitignore(folder / ".gitignore")
            self.db = sqlite3.connect(database, timeout=5)
            self.db.execute("CREATE TABLE IF NOT EXISTS facts (key TEXT PRIMARY KEY, done INTEGER, "
                            "stamp REAL, value TEXT)")
        except (OSError, sqlite3.Error):
            self.db = None

    def get(self, key: str, needs: int, max_age: float | None = None) -> ImageFacts | None:
        if self.db is None:
            return None
        try:
            row = self.db.execute("SELECT done, stamp, value FROM facts WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error:
            return None
        if row is None or (row[0] & needs) != needs:
            return None
        if max_age is not None and time.time() - row[1] > max_age:
            return None
        try:
            data = json.loads(row[2])
            facts = ImageFacts.from_json(data) if isinstance(data, dict) else None
        except (ValueError, TypeError, KeyError):
            return None
        return facts if facts is not None and _well_formed(facts) else None

    def put(self, key: str, done: int, facts: ImageFacts) -> None:
        if self.db is not None:
            self.pending.append((key, done, time.time(), json.dumps(facts.to_json())))

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


_FACT_TYPES = {"status": str, "reason": str, "source": str, "format": str, "width": int, "height": int,
               "bytes": int, "background": (int, float), "phash": int, "digest": str, "crops": bytes,
               "thumb": bytes}


def _well_formed(facts: ImageFacts) -> bool:
    """Whether cached facts have the types and sizes the checks rely on (a damaged cache is ignored)."""
    for name, kind in _FACT_TYPES.items():
        value = getattr(facts, name)
        if value is not None and (not isinstance(value, kind) or isinstance(value, bool)):
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
    return f"file\x00{FACTS_VERSION}\x00{real}\x00{info.st_size}\x00{info.st_mtime_ns}"


# ------------------------------------------------------------------------------------------ the catalog

def probed_cells(product, name: str) -> list:
    """The image cells of a product field that are probed and judged: the first
    MAX_REFERENCES_PER_FIELD (AliExpress keeps 6 main images; a cell holding thousands of references
    is reported by AE302 and not probed reference by reference)."""
    return product.image_cells(name)[:MAX_REFERENCES_PER_FIELD]


def image_references(catalog) -> dict[str, int]:
    """Every image reference of the catalog with what it needs decoded (background, hash)."""
    refs: dict[str, int] = {}
    for product in catalog.products:
        for cell in probed_cells(product, "main_images"):
            refs[cell.value] = refs.get(cell.value, 0) | NEED_HASH
        for cell in probed_cells(product, "marketing_image_square"):
            refs[cell.value] = refs.get(cell.value, 0) | NEED_BACKGROUND
        for cell in probed_cells(product, "marketing_image_portrait"):
            refs.setdefault(cell.value, 0)
        for sku in product.skus:
            value = sku.values.get("variant_image")
            if value:
                refs.setdefault(value, 0)
    return refs


def probe_catalog(catalog, path: Path, config, run) -> ProbeStats:
    """Fill `catalog.images` for every image reference of the catalog (see the module docstring)."""
    from aelint.engine import selected_checks

    codes = {c.code for c in selected_checks(config, run)}
    wanted = (NEED_BACKGROUND if "AE309" in codes else 0) | (NEED_HASH if "AE311" in codes else 0)
    refs = {ref: needs & wanted for ref, needs in image_references(catalog).items()}
    cache = Cache(cache_dir(config.path) if run.cache else None)
    try:
        stats = probe_references(refs, config.image_root(path), catalog.images, cache, jobs=run.jobs,
                                 fetch_images=run.fetch_images, allow_private=run.allow_private_hosts,
                                 progress=run.progress)
    finally:
        cache.close()
    return stats


def probe_references(refs: dict[str, int], root: Path, out: dict, cache: Cache, jobs: int | None = None,
                     fetch_images: bool = False, allow_private: bool = False, progress: bool = False,
                     force_pool: bool | None = None) -> ProbeStats:
    """Probe references (ref -> needs) into `out` (ref -> ImageFacts): one probe per distinct file."""
    started = time.perf_counter()
    stats = ProbeStats(references=len(refs))
    files: dict[str, int] = {}          # real path -> needs
    by_file: dict[str, list[str]] = {}  # real path -> refs
    urls: dict[str, int] = {}
    for ref, needs in refs.items():
        if is_url(ref):
            facts = check_url(ref, local_ok=fetch_images and allow_private)
            if facts.status == "remote" and fetch_images:
                urls[ref.strip()] = urls.get(ref.strip(), 0) | needs
                by_file.setdefault(ref.strip(), []).append(ref)
            out[ref] = facts
            continue
        real, reason = resolve_local(ref, root)
        if real is None:
            out[ref] = ImageFacts("missing", reason, ref)
            continue
        files[real] = files.get(real, 0) | needs
        by_file.setdefault(real, []).append(ref)
    stats.files = len(files) + len(urls)

    todo: list[tuple[str, int, str | None]] = []
    for real, needs in files.items():
        key = _file_key(real)
        hit = cache.get(key, needs) if key else None
        if hit is not None:
            stats.cached += 1
            for ref in by_file[real]:
                out[ref] = hit
        else:
            todo.append((real, needs, key))
    url_todo: list[tuple[str, int, str]] = []
    for url, needs in urls.items():
        key = f"url\x00{FACTS_VERSION}\x00{url}"
        hit = cache.get(key, needs, URL_CACHE_SECONDS)
        if hit is not None:
            stats.cached += 1
            for ref in by_file[url]:
                out[ref] = hit
        else:
            url_todo.append((url, needs, key))

    bar = _Progress(len(todo) + len(url_todo), progress)

    def record(real: str, needs: int, key: str | None, facts: ImageFacts, decoded: bool) -> None:
        stats.opened += 1
        stats.decoded += decoded
        for ref in by_file[real]:
            out[ref] = facts
        if key:
            cache.put(key, needs, facts)
        bar.step()

    decodes = [t for t in todo if t[1]]
    headers = [t for t in todo if not t[1]]
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


# ----------------------------------------------------------------------------------- helpers for checks

# Translated where used: _(KIND_LABELS[kind]).
KIND_LABELS = {"main_images": N_("main image"), "marketing_image_square": N_("1:1 marketing image"),
               "marketing_image_portrait": N_("3:4 marketing image"), "variant_image": N_("SKU image")}


def image_uses(product, kinds: tuple[str, ...] = tuple(KIND_LABELS)):
    """(field, cell, sku or None) for each image reference of a product, in the given fields."""
    for name in kinds:
        if name == "variant_image":
            for sku in product.skus:
                if sku.values.get("variant_image"):
                    yield name, sku.cell("variant_image"), sku
        else:
            for cell in probed_cells(product, name):
                yield name, cell, None


def shown(ref: str, limit: int = 80) -> str:
    """A reference for a message: quoted, long URLs shortened in the middle."""
    ref = ref.strip()
    if len(ref) > limit:
        ref = ref[: limit // 2 - 1] + "…" + ref[-(limit // 2 - 1):]
    return repr(ref)
