"""Image facts: what the image probe found for each image reference, and what image rules share.

A rule that reads image facts declares them: `IMAGE_FACTS = {"marketing_image_square": ("background",)}`
maps the image fields it judges to the facts it reads there (see FACTS). The engine gives the union over
the selected rules to the probe (`aelint.image_probe`), which fills `catalog.images`: reference (as
written in the cell) -> `ImageFacts`, computing only what was asked (no decode when no rule reads a
decoded fact). Rules only read those facts; they never open files.

This module imports nothing heavy (no Pillow, numpy, sqlite3 or network code): every image rule imports
it, also in runs that probe no image (`--no-images`).
"""

from __future__ import annotations

import ipaddress
import os
import re
import stat
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from aelint.i18n import N_, _

# The facts the probe gives, each with the version of the algorithm computing it: raise a version when its
# algorithm (or the form it is stored in) changes; the cache key carries them all, so an older entry is not used.
HEADER = "header"          # found, usable, format, width x height and bytes: from the file's header, no decode
DECODE = "decode"          # whether the pixels decode (`decode_failure` says why not)
BACKGROUND = "background"  # the share of near-white border around the product (decodes the pixels)
HASH = "hash"              # perceptual hashes of the product, its colour and thumbnail, the bytes' digest (decodes)
FACTS = {HEADER: 3, DECODE: 1, BACKGROUND: 1, HASH: 1}  # header 3: reasons stored as key and values, not English
DECODED = frozenset({DECODE, BACKGROUND, HASH})
IMAGE_FIELDS = ("main_images", "variant_image", "marketing_image_square", "marketing_image_portrait")

HASH_SIDE = 128                  # the product's box is hashed from a grey square of this side
THUMB_CELLS = 12                 # ... and kept as a colour thumbnail of this side
# The hash of the whole box, then of boxes cut by 5 or 10 % at one end of each axis (left, top, right, bottom).
_AXIS_CUTS = ((0.0, 0.0), (0.05, 0.0), (0.0, 0.05), (0.05, 0.05), (0.1, 0.0), (0.0, 0.1))
HASH_CROPS = tuple((x[0], y[0], x[1], y[1]) for x in _AXIS_CUTS for y in _AXIS_CUTS)
MAX_REFERENCES_PER_FIELD = 12    # a product field's references past these are not probed (a rule counts them)

URL_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:|^//")
# The usual URL (scheme https or http, a host of letters, digits, dots and dashes with no user, port or brackets,
# printable ASCII and no space after it): check_url reads its parts (scheme, host, path up to a query or
# fragment) off this pattern as urlsplit would split them.
PLAIN_URL_RE = re.compile(r'(https?)://([A-Za-z0-9.-]+)(/[!-"$->@-~]*)?([?#][!-~]*)?')
HOST_RE = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
OTHER_EXTENSIONS = {".gif": "GIF", ".webp": "WEBP", ".bmp": "BMP", ".tif": "TIFF", ".tiff": "TIFF",
                    ".heic": "HEIC", ".avif": "AVIF", ".svg": "SVG"}
OTHER_SUFFIXES = tuple(OTHER_EXTENSIONS)
ALICDN_RESIZED_RE = re.compile(r"\.(jpe?g|png)_", re.IGNORECASE)

# Why an image is missing or unreadable: a reason is one of these keys (or a text of the system's, such
# as an OS error) with its values; it is stored so, and translated only where a message shows it.
TRUNCATED = N_("a truncated {format} file")
CORRUPT = N_("a corrupt {format} file ({error})")
BOMB = N_("a decompression bomb ({error})")
OTHER_FORMAT = N_("a {format} file")
URL_NAMES_FORMAT = N_("the URL names a {format} file")
HTTP_URL = N_("an http URL, not https")
URL_SCHEME = N_("a URL with scheme {scheme}:, not https")
HOST_NOT_PUBLIC = N_("a URL whose host {host} is not a public host name")
HOST_NOT_FOUND_BECAUSE = N_("host {host} not found ({error})")
HOST_NOT_FOUND = N_("host {host} not found")
HOST_PRIVATE = N_("host {host} is a private or loopback address: not fetched")
NOT_FETCHED_SCHEME = N_("not fetched: {scheme} URL, only https")
SERVER_ANSWERED = N_("the server answered {status} {reason}")
DOWNLOAD_LIMIT = N_("larger than the {limit} MB download limit")
DOWNLOAD_FAILED = N_("download failed ({error})")
REASON_TEMPLATES = (TRUNCATED, CORRUPT, BOMB, OTHER_FORMAT, URL_NAMES_FORMAT, URL_SCHEME, HOST_NOT_PUBLIC,
                    HOST_NOT_FOUND_BECAUSE, HOST_NOT_FOUND, HOST_PRIVATE, NOT_FETCHED_SCHEME, SERVER_ANSWERED,
                    DOWNLOAD_LIMIT, DOWNLOAD_FAILED)
_PLACEHOLDER_RE = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True, slots=True)
class Reason:
    """Why an image is missing or unusable: a message key (a constant marked N_(), or the system's own
    words) and the values filling its placeholders (a URL, a host, a library's error stay as they were)."""

    key: str
    values: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, key: str, **values: Any) -> Reason:
        return cls(key, tuple((name, str(value)) for name, value in values.items()))

    def __bool__(self) -> bool:
        return bool(self.key)

    def __str__(self) -> str:
        """In English."""
        return self.key.format(**dict(self.values)) if self.values else self.key

    def text(self) -> str:
        """In the run's language."""
        if not self.key:
            return ""  # gettext's "" is the catalog's header
        return _(self.key).format(**dict(self.values)) if self.values else _(self.key)

    def well_formed(self) -> bool:
        """The values fill exactly the key's placeholders; a key with values is one of REASON_TEMPLATES."""
        names = {name for name, _value in self.values}
        return names == set(_PLACEHOLDER_RE.findall(self.key)) and (not names or self.key in REASON_TEMPLATES)


NO_REASON = Reason("")


@dataclass(frozen=True, slots=True)
class ImageFacts:
    """What is known about one image reference.

    status: "ok" (a JPEG/PNG whose header was read), "missing" (not found or not read: `reason` says
    why), "unreadable" (found but not a usable image: `reason` says why), "format" (an image in another
    format than JPEG/PNG, which a marketplace may or may not accept: `format`, and for a GIF file its
    size; rules decide with the marketplace's `image_formats`), "remote" (a
    well-formed URL that was not fetched: nothing more is known).
    Decoded facts are only there when a selected rule asked for them (and the image could be decoded):
    background (BACKGROUND), the share (0-1) of near-white pixels on the frame's border around the
    product; for duplicates (HASH): phash, a 64-bit DCT hash of the product's box (the near-white margin
    cut away); crops, the hashes of that box cut by up to 10 % (8 bytes each, in HASH_CROPS order after
    the first); colour, the mean colour of the product's pixels; thumb, a THUMB_CELLS-square RGB
    thumbnail of the box; digest, BLAKE2b of the bytes. decode_failure: why the pixels did not decode (a
    decoded fact was asked for, and the header was sound): the header's facts and status stand, so what a
    header-only rule says never depends on whether another rule had the pixels decoded.
    """

    status: str
    reason: Reason = NO_REASON
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
    decode_failure: Reason = NO_REASON

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        for name in ("reason", "decode_failure"):
            reason = getattr(self, name)
            data[name] = {"key": reason.key, "values": dict(reason.values)}
        if self.phash is not None:
            data["phash"] = format(self.phash, "x")
        for name in ("crops", "thumb"):
            if data[name] is not None:
                data[name] = data[name].hex()
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ImageFacts:
        """Facts as `to_json` wrote them; TypeError, ValueError or KeyError when they are not."""
        known = {f.name for f in fields(cls)}
        data = {k: v for k, v in data.items() if k in known}
        for name in ("reason", "decode_failure"):
            reason = data.get(name, {"key": ""})
            data[name] = Reason(reason["key"], tuple(reason.get("values", {}).items()))
        if data.get("phash") is not None:
            data["phash"] = int(data["phash"], 16)
        if data.get("colour") is not None:
            data["colour"] = tuple(data["colour"])
        for name in ("crops", "thumb"):
            if data.get(name) is not None:
                data[name] = bytes.fromhex(data[name])
        return cls(**data)


def missing(reason: str, source: str, **values: Any) -> ImageFacts:
    return ImageFacts("missing", Reason.of(reason, **values), source)


# ------------------------------------------------------------------------------------ what rules need

def image_facts_of(declared: Mapping[str, Iterable[str]], where: str) -> dict[str, frozenset[str]]:
    """A rule's IMAGE_FACTS checked and normalised: image field -> facts (HEADER always among them).
    ValueError naming `where` for an unknown field or fact."""
    if not isinstance(declared, Mapping):
        raise ValueError(f"{where}: IMAGE_FACTS must map image fields to facts, not {declared!r}")
    wanted: dict[str, frozenset[str]] = {}
    for name, facts in declared.items():
        facts = (facts,) if isinstance(facts, str) else tuple(facts)
        if name not in IMAGE_FIELDS:
            raise ValueError(f"{where}: IMAGE_FACTS names {name!r}, not one of {', '.join(IMAGE_FIELDS)}")
        unknown = [f for f in facts if f not in FACTS]
        if unknown:
            raise ValueError(f"{where}: IMAGE_FACTS asks for {unknown[0]!r}, not one of {', '.join(FACTS)}")
        wanted[name] = frozenset((HEADER, *facts))
    return wanted


def merge_facts(declarations: Iterable[Mapping[str, frozenset[str]]]) -> dict[str, frozenset[str]]:
    """The union of several rules' image facts: image field -> facts."""
    merged: dict[str, frozenset[str]] = {}
    for declared in declarations:
        for name, facts in declared.items():
            merged[name] = merged.get(name, frozenset()) | facts
    return merged


def probed_cells(product, name: str) -> list:
    """The image cells of a product field that are probed and judged: the first
    MAX_REFERENCES_PER_FIELD (AliExpress keeps 6 main images; a cell holding thousands of references
    is reported as such, not probed reference by reference)."""
    return product.image_cells(name)[:MAX_REFERENCES_PER_FIELD]


def image_references(catalog, wanted: Mapping[str, frozenset[str]]) -> dict[str, frozenset[str]]:
    """Every image reference of the catalog's fields in `wanted` (field -> facts) with the facts wanted of it."""
    refs: dict[str, frozenset[str]] = {}
    fields = list(wanted.items())
    for product in catalog.products:
        for name, facts in fields:
            if name == "variant_image":
                values = [value for value in (sku.values.get("variant_image") for sku in product.skus) if value]
            elif name == "main_images":
                values = [cell.value for cell in probed_cells(product, name)]
            else:  # a marketing image: the field's cell, as `Product.image_cells` gives it
                values = [product.values[name]] if name in product.values else ()
            for value in values:
                known = refs.get(value)
                if known is None:
                    refs[value] = facts
                elif not facts <= known:
                    refs[value] = known | facts
    return refs


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
        return None, os_reason(error)
    if stat.S_ISDIR(info.st_mode):
        return None, N_("a folder, not a file")
    if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode):
        return None, N_("a device file: not read")
    if stat.S_ISFIFO(info.st_mode):
        return None, N_("a FIFO (named pipe): not read")
    if not stat.S_ISREG(info.st_mode):
        return None, N_("not a regular file: not read")
    return real, ""


def os_reason(error: OSError) -> str:
    if isinstance(error, FileNotFoundError | NotADirectoryError):
        return N_("no such file")
    if isinstance(error, PermissionError):
        return N_("permission denied")
    return (error.strerror or str(error)).lower()


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def is_url(ref: str) -> bool:
    return bool(URL_RE.match(ref.strip()))


def check_url(ref: str, local_ok: bool = False, hosts: dict[str, tuple[bool, bool]] | None = None) -> ImageFacts:
    """Facts from a URL's form alone (no network): https, a proper host name, a JPEG/PNG name.

    `local_ok` (fetching with --allow-private-hosts, as tests against a local server do) also lets
    plain http and IP-address hosts through. `hosts` (host -> what `host_kind` says of it), given by a
    caller checking many URLs, keeps each host's verdict so that it is worked out once.
    """
    url = ref.strip()
    plain = PLAIN_URL_RE.fullmatch(url)
    if plain is not None:  # urlsplit's parts of the usual URL, read off the pattern
        scheme, host, path, credentials = plain[1], plain[2].lower(), plain[3] or "", False
    else:
        try:
            parts = urlsplit(url if not url.startswith("//") else "https:" + url)
            host = (parts.hostname or "").lower()
        except ValueError:
            return missing(N_("not a valid URL"), url)
        if url.startswith("//"):
            return missing(N_("a URL without https:"), url)
        scheme, path, credentials = parts.scheme.lower(), parts.path, bool(parts.username or parts.password)
    if scheme == "file":
        return missing(N_("a file: URL: give a path relative to the catalog"), url)
    if scheme == "http" and not local_ok:
        return missing(HTTP_URL, url)
    if scheme not in ("https", "http"):
        return missing(URL_SCHEME, url, scheme=scheme)
    if not host:
        return missing(N_("a URL without a host"), url)
    kind = hosts.get(host) if hosts is not None else None
    if kind is None:
        kind = host_kind(host)
        if hosts is not None:
            hosts[host] = kind
    ip_literal, named = kind
    local = local_ok and (ip_literal or host == "localhost")
    if not local and (ip_literal or not named):
        return missing(HOST_NOT_PUBLIC, url, host=repr(host))
    if credentials:
        return missing(N_("a URL with a user name or password"), url)
    path = path.lower()
    ext = os.path.splitext(path)[1] if path.endswith(OTHER_SUFFIXES) else ""  # only those can name another format
    if ext in OTHER_EXTENSIONS and not (host.endswith("alicdn.com") and ALICDN_RESIZED_RE.search(path)):
        fmt = OTHER_EXTENSIONS[ext]
        return ImageFacts("format", Reason.of(URL_NAMES_FORMAT, format=fmt), url, format=fmt)
    return ImageFacts("remote", NO_REASON, url)


def host_kind(host: str) -> tuple[bool, bool]:
    """(whether a URL's host is an IP address, whether it is a proper host name)."""
    return _ip_literal(host), bool(HOST_RE.match(host))


def _ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
        return True
    except ValueError:
        return False


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


def products_with_facts(table, kinds: tuple[str, ...], reported: Callable[[ImageFacts], bool]):
    """A prefilter (a polars expression over `table.products`) for an image rule reading the fields `kinds`:
    true for the products with a reference there (as `image_uses` gives them) whose facts `reported` holds.
    Only references whose facts say more than "remote" are asked about (`table.image_refs_with_facts`): a
    catalog of links that are not fetched gives no product at all."""
    import polars as pl

    refs = [ref for ref, facts in table.image_refs_with_facts.items() if reported(facts)]
    if not refs:
        return pl.lit(False)
    wanted = pl.Series(refs, dtype=pl.String).implode()
    found = []
    for name in kinds:
        if name == "main_images":
            main = table.main_image_refs
            owners = main.filter((pl.col("position") < MAX_REFERENCES_PER_FIELD) & pl.col("ref").is_in(wanted))
            found.append(pl.col("index").is_in(owners["index"].implode()))
        elif name == "variant_image":
            if name in table.sku_fields:
                found.append(table.products_with(pl.col(name).is_in(wanted)))
        elif name in table.product_fields:
            found.append(pl.col(name).is_in(wanted))
    return pl.any_horizontal(found) if found else pl.lit(False)


def crop_box(side: float, cut: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    """The box of a `side`-square cut by (left, top, right, bottom) shares."""
    left, top, right, bottom = cut
    return left * side, top * side, side - right * side, side - bottom * side


def shown(ref: str, limit: int = 80) -> str:
    """A reference for a message: quoted, long URLs shortened in the middle."""
    ref = ref.strip()
    if len(ref) > limit:
        ref = ref[: limit // 2 - 1] + "…" + ref[-(limit // 2 - 1):]
    return repr(ref)
