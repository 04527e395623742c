"""The image probe: safety with hostile references, the cache, opt-in fetching, and real photos."""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from PIL import Image

from aelint import config as config_module
from aelint import image_fetch, image_probe, images
from aelint.engine import Engine, RunOptions
from conftest import shared_file


HEADER_ONLY = frozenset({images.HEADER})
FULL = frozenset(images.FACTS)


def write_catalog(folder: Path, rows: list[tuple[str, str]], field: str = "main_images") -> Path:
    path = folder / "catalog.csv"
    lines = [f"product_id,title,{field}"] + [f'{pid},Product {pid},"{ref}"' for pid, ref in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def lint(path: Path, select: list[str], **run) -> list:
    options = RunOptions(select=select, jobs=run.pop("jobs", 1), cache=run.pop("cache", False), **run)
    report = Engine(options, config_module.from_data({}, None)).lint([path])
    assert not report.failures, report.failures
    return report.diagnostics


def square(path: Path, side: int = 64, colour=(200, 30, 30)) -> Path:
    Image.new("RGB", (side, side), colour).save(path)
    return path


# ------------------------------------------------------------------------------------------------ safety

def test_hostile_references_are_reported_and_never_opened(tmp_path, monkeypatch):
    root = tmp_path / "shop"
    root.mkdir()
    square(root / "ok.jpg")
    os.mkfifo(root / "pipe.jpg")
    secret = tmp_path / "secret.jpg"
    square(secret)
    (root / "link.jpg").symlink_to(secret)
    (root / "zero.jpg").symlink_to("/dev/zero")
    (root / "inner.jpg").symlink_to(root / "ok.jpg")  # a link that stays inside: fine
    opened: list[str] = []
    real_open = os.open

    def spy(path, *args, **kwargs):
        opened.append(str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(image_probe.os, "open", spy)
    refs = ["../../etc/passwd", "/etc/passwd", "/dev/zero", "pipe.jpg", "link.jpg", "zero.jpg",
            str(secret), "ok.jpg", "inner.jpg"]
    path = write_catalog(root, [(f"P{i}", ref) for i, ref in enumerate(refs)])
    started = time.monotonic()
    found = {d.message.split("'")[1]: d.message for d in lint(path, ["AE303"])}
    assert time.monotonic() - started < 5  # the FIFO was not opened (opening it would block)
    # a long reference is shown shortened in the middle (the test folder's path may be long: xdist, CI)
    assert set(found) == {images.shown(ref)[1:-1] for ref in refs} - {"ok.jpg", "inner.jpg"}
    assert "outside the image folder" in found["../../etc/passwd"]
    assert "outside the image folder" in found["/dev/zero"]
    assert "FIFO" in found["pipe.jpg"]
    assert "link pointing outside" in found["link.jpg"]
    assert "link pointing outside" in found["zero.jpg"]
    assert opened == [str(root / "ok.jpg")]  # one probe for the two references to ok.jpg


def test_device_file_inside_the_root_is_not_opened(tmp_path):
    # The root itself may hold a device file when image_root is /dev: still refused.
    real, reason = images.resolve_local("zero", Path("/dev"))
    assert real is None and reason == "a device file: not read"


def test_huge_png_header_is_a_decompression_bomb_without_decoding(tmp_path):
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    (tmp_path / "huge.png").write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 30000, 30000, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(b"\x00" * 1000)) + chunk(b"IEND", b""))
    path = write_catalog(tmp_path, [("P1", "huge.png")], "marketing_image_square")
    started = time.monotonic()
    diagnostics = lint(path, ["AE304", "AE309"])
    assert time.monotonic() - started < 5
    assert [d.code for d in diagnostics] == ["AE304"]
    assert "decompression bomb" in diagnostics[0].message
    assert Image.MAX_IMAGE_PIXELS is not None  # the guard is still on


def test_truncated_jpeg_is_unreadable_with_and_without_decoding(tmp_path):
    image = Image.effect_noise((300, 300), 60).convert("RGB")
    image.save(tmp_path / "full.jpg", quality=90)
    data = (tmp_path / "full.jpg").read_bytes()
    (tmp_path / "cut.jpg").write_bytes(data[: len(data) * 2 // 3])
    for needs in (HEADER_ONLY, FULL):
        facts, _ = image_probe.probe_file(str(tmp_path / "cut.jpg"), needs)
        assert facts.status == "unreadable" and "truncated" in str(facts.reason)
        good, _ = image_probe.probe_file(str(tmp_path / "full.jpg"), needs)
        assert good.status == "ok" and (good.width, good.height) == (300, 300)
    # A truncated PNG too: header-only (no IEND) and decoding.
    image.save(tmp_path / "full.png")
    png = (tmp_path / "full.png").read_bytes()
    (tmp_path / "cut.png").write_bytes(png[: len(png) // 2])
    for needs in (HEADER_ONLY, frozenset({images.HEADER, images.HASH})):
        facts, _ = image_probe.probe_file(str(tmp_path / "cut.png"), needs)
        assert facts.status == "unreadable" and "truncated" in str(facts.reason)


def test_url_form_is_checked_without_network():
    assert images.check_url("https://ae01.alicdn.com/kf/Habc.jpg").status == "remote"
    assert images.check_url("https://ae01.alicdn.com/kf/H1/x.jpg_1500x1500.jpg_.webp").status == "remote"
    assert "https" in str(images.check_url("http://ae01.alicdn.com/kf/Habc.jpg").reason)
    assert images.check_url("https://localhost/x.jpg").status == "missing"
    assert images.check_url("https://10.0.0.1/x.jpg").status == "missing"
    assert images.check_url("https://user:pw@ae01.alicdn.com/x.jpg").status == "missing"
    webp = images.check_url("https://shop.example.com/x.webp")
    assert (webp.status, webp.format) == ("format", "WEBP")  # AE304 decides with the marketplace's formats


def urls_of_many_forms() -> list[str]:
    """URLs of every form check_url meets: the usual ones and odd schemes, hosts, paths, spaces and case."""
    schemes = ("https://", "http://", "HTTPS://", "Https://", "ftp://", "file://", "//", "https:", "https:///")
    hosts = ("ae01.alicdn.com", "AE01.AliCDN.Com", "shop.example.com", "10.0.0.1", "[::1]", "localhost", "a",
             "-a.com", "a..com", "a.com.", "user@x.com", "user:pw@x.com", "x.com:443", "bücher.de", "a_b.com", "")
    tails = ("", "/", "/kf/Habc.jpg", "/x.GIF", "/kf/H1/x.jpg_1500x1500.jpg_.webp", "/x.webp", "/.gif", "?q=.gif",
             "#x.gif", "/a.gif?x=1", "/a.jpg#b.gif", "/a.jpg?b.gif#c.webp", "/a b.gif", "/a\t.gif", "/ü.gif",
             "/a.svg/", "/x.tiff", "\\x.gif")
    return [scheme + host + tail + end for scheme in schemes for host in hosts for tail in tails for end in ("", " ")]


def test_the_usual_url_is_split_as_urlsplit_splits_it():
    """check_url reads a usual URL's parts off PLAIN_URL_RE instead of calling urlsplit: they are urlsplit's."""
    matched = 0
    for url in urls_of_many_forms():
        plain = images.PLAIN_URL_RE.fullmatch(url.strip())
        if plain is None:
            continue
        matched += 1
        parts = urlsplit(url.strip())
        assert (plain[1], plain[2].lower(), plain[3] or "") == (parts.scheme, parts.hostname, parts.path)
        assert parts.username is None and parts.password is None and parts.port is None
    assert matched >= 200


def test_url_facts_are_the_same_with_each_host_worked_out_once():
    hosts: dict[str, tuple[bool, bool]] = {}
    for url in urls_of_many_forms():
        for local_ok in (False, True):
            assert images.check_url(url, local_ok, hosts) == images.check_url(url, local_ok), url
    assert hosts["ae01.alicdn.com"] == (False, True) and hosts["10.0.0.1"] == (True, False)
    assert images.check_url("https://shop.example.com/a.jpg?x=.gif").status == "remote"  # a query is no name
    assert images.check_url("https://shop.example.com/a.gif#x.jpg").format == "GIF"
    assert images.check_url("HTTPS://SHOP.example.com/a.GIF").format == "GIF"  # through urlsplit
    assert images.check_url("https://shop.example.com/a b.webp").format == "WEBP"


# ------------------------------------------------------------------------------------------------- cache

@pytest.fixture
def probe_stats():
    """The ProbeStats of each probe_references call, newest last (the probe keeps no state of its own)."""
    calls: list[image_probe.ProbeStats] = []
    real = image_probe.probe_references

    def recording(*args, **kwargs):
        calls.append(real(*args, **kwargs))
        return calls[-1]

    with pytest.MonkeyPatch.context() as patch:  # its own patch: the test's monkeypatch.undo() keeps it
        patch.setattr(image_probe, "probe_references", recording)
        yield calls


def test_warm_cache_reopens_no_image(tmp_path, monkeypatch, probe_stats):
    monkeypatch.setenv("AELINT_CACHE_DIR", str(tmp_path / "cache"))
    for i in range(3):
        square(tmp_path / f"i{i}.png", 100 + i)
    refs = [(f"P{i}", f"i{i}.png") for i in range(3)]
    path = write_catalog(tmp_path, refs, "marketing_image_square")
    cold = lint(path, ["AE310", "AE309"], cache=True)
    assert probe_stats[-1].opened == 3 and probe_stats[-1].cached == 0
    assert (tmp_path / "cache" / ".gitignore").read_text().strip().endswith("*")

    def refuse(*args, **kwargs):
        raise AssertionError("an image was opened on a warm run")

    monkeypatch.setattr(image_probe, "probe_file", refuse)
    monkeypatch.setattr(image_probe.Image, "open", refuse)
    warm = lint(path, ["AE310", "AE309"], cache=True)
    assert warm == cold and len(warm) == 6  # solid red squares: AE309 and AE310 each
    assert probe_stats[-1].opened == 0 and probe_stats[-1].cached == 3
    monkeypatch.undo()

    # A changed file (new size and mtime) is probed again; --no-cache never reads the cache.
    monkeypatch.setenv("AELINT_CACHE_DIR", str(tmp_path / "cache"))
    square(tmp_path / "i0.png", 900)
    os.utime(tmp_path / "i0.png", ns=(1, 1))
    lint(path, ["AE310"], cache=True)
    assert probe_stats[-1].opened == 1 and probe_stats[-1].cached == 2
    lint(path, ["AE310"], cache=False)
    assert probe_stats[-1].opened == 3


def test_cache_entry_without_the_needed_decode_is_probed_again(tmp_path, monkeypatch, probe_stats):
    monkeypatch.setenv("AELINT_CACHE_DIR", str(tmp_path / "cache"))
    square(tmp_path / "a.png", 100)
    path = write_catalog(tmp_path, [("P1", "a.png")], "marketing_image_square")
    lint(path, ["AE310"], cache=True)          # header only
    lint(path, ["AE309"], cache=True)          # needs the background: probed again
    assert probe_stats[-1].opened == 1 and probe_stats[-1].decoded == 1
    lint(path, ["AE309", "AE310"], cache=True)
    assert probe_stats[-1].cached == 1 and probe_stats[-1].opened == 0


def test_process_pool_gives_the_same_facts(tmp_path):
    for i in range(6):
        Image.effect_noise((120, 120), 40 + i).convert("RGB").save(tmp_path / f"n{i}.jpg")
    refs = {f"n{i}.jpg": FULL for i in range(6)}
    serial: dict = {}
    pooled: dict = {}
    image_probe.probe_references(refs, tmp_path, serial, image_probe.Cache(None), jobs=1)
    stats = image_probe.probe_references(refs, tmp_path, pooled, image_probe.Cache(None), jobs=2, force_pool=True)
    assert stats.pooled and stats.opened == 6
    assert serial == pooled


# ---------------------------------------------------------------------------------- facts the rules declare

def probed_facts(path: Path, select: list[str], tmp_path: Path) -> dict:
    """catalog.images after the probe, for a run with `select`."""
    from aelint.reader import read_catalog

    config = config_module.from_data({}, None)
    catalog = read_catalog(path, str(path))
    Engine(RunOptions(select=select, cache=False, jobs=1), config).lint_catalog(catalog, path, config)
    return catalog.images


def test_the_probe_computes_only_the_facts_the_selected_rules_declare(tmp_path):
    square(tmp_path / "main.png", 300)
    Image.effect_noise((300, 300), 50).convert("RGB").save(tmp_path / "square.jpg")
    path = tmp_path / "catalog.csv"
    path.write_text("product_id,title,main_images,marketing_image_square\nP1,Red Mug,main.png,square.jpg\n",
                    encoding="utf-8")
    alone = probed_facts(path, ["AE305"], tmp_path)  # main and SKU images, their headers only
    assert set(alone) == {"main.png"} and alone["main.png"].width == 300
    assert (alone["main.png"].background, alone["main.png"].phash, alone["main.png"].digest) == (None, None, None)
    background = probed_facts(path, ["AE309"], tmp_path)  # the 1:1 marketing image, decoded for its background
    assert set(background) == {"square.jpg"} and background["square.jpg"].background is not None
    assert background["square.jpg"].phash is None
    hashed = probed_facts(path, ["AE311"], tmp_path)  # main images, hashed
    assert set(hashed) == {"main.png"} and hashed["main.png"].phash is not None
    assert hashed["main.png"].background is None
    both = probed_facts(path, ["AE305", "AE309", "AE311"], tmp_path)
    assert both == {**hashed, **background}
    assert probed_facts(path, ["AE101"], tmp_path) == {}  # no image rule: no probe


def test_a_header_only_run_imports_no_pixel_code(tmp_path):
    square(tmp_path / "main.png", 300)
    write_catalog(tmp_path, [("P1", "main.png")])
    script = ("import sys; from aelint.cli import main\n"
              "try:\n    main([sys.argv[1], '--select', 'AE305,AE306', '--no-cache', '--jobs', '1'])\n"
              "except SystemExit as end:\n    print(end.code, 'numpy' in sys.modules, 'aelint.image_pixels' in sys.modules,"
              " 'PIL.Image' in sys.modules, 'ssl' in sys.modules)\n")
    result = subprocess.run([sys.executable, "-c", script, str(tmp_path / "catalog.csv")], capture_output=True,
                            text=True, timeout=60)
    assert "AE305" in result.stdout and "300x300" in result.stdout, result.stdout + result.stderr
    assert result.stdout.splitlines()[-1] == "0 False False True False", result.stdout + result.stderr  # warnings: 0


def test_image_rules_declare_their_facts_and_the_probe_names_no_rule():
    from aelint.registry import CheckError, _load_check, load_checks

    declared = {c.code: {name: sorted(facts) for name, facts in c.image_facts.items()} for c in load_checks()
                if c.image_facts}
    assert declared["AE309"] == {"marketing_image_square": ["background", "header"]}
    assert declared["AE311"] == {"main_images": ["hash", "header"]}
    assert declared["AE305"] == {"main_images": ["header"], "variant_image": ["header"]}
    assert declared["AE304"]["main_images"] == ["decode", "header"] and declared["AE304"]["variant_image"] == ["header"]
    assert set(declared) == {"AE303", "AE304", "AE305", "AE306", "AE307", "AE309", "AE310", "AE311"}
    for name in ("images", "image_probe", "image_pixels", "image_fetch"):
        source = (Path(images.__file__).parent / f"{name}.py").read_text(encoding="utf-8")
        assert not re.search(r"\bAE\d{3}\b", source), f"{name}.py names a rule"
        assert "aelint.engine" not in source and "registry" not in source, f"{name}.py imports the engine"

    class Bad:
        __name__ = "bad_rule"
        CODE, NAME, SEVERITY = "AE399", "bad-rule", "error"
        Options = images_options()

        @staticmethod
        def check_product(product, options):
            return iter(())

    for facts, complaint in (({"main_images": ("pixels",)}, "asks for 'pixels'"),
                             ({"gallery": ("header",)}, "names 'gallery'"), (("header",), "must map")):
        Bad.IMAGE_FACTS = facts
        with pytest.raises(CheckError, match=complaint):
            _load_check(Bad)


def images_options():
    from pydantic import BaseModel

    return type("Options", (BaseModel,), {})


# ------------------------------------------------------------------------------------------------- fetch

@pytest.fixture
def local_server(tmp_path):
    folder = tmp_path / "www"
    folder.mkdir()
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield folder, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def test_fetch_from_a_local_server(tmp_path, local_server, monkeypatch):
    folder, base = local_server
    square(folder / "small.jpg", 300)
    square(folder / "big.jpg", 1000)
    monkeypatch.setenv("AELINT_CACHE_DIR", str(tmp_path / "cache"))
    refs = {f"{base}/small.jpg": HEADER_ONLY, f"{base}/big.jpg": HEADER_ONLY, f"{base}/gone.jpg": HEADER_ONLY}
    # Without permission, a loopback host is refused before any connection.
    with pytest.raises(image_fetch.FetchError, match="private or loopback"):
        image_fetch.fetch(f"{base}/small.jpg".replace("http:", "https:"))
    with pytest.raises(image_fetch.FetchError, match="only https"):
        image_fetch.fetch(f"{base}/small.jpg")
    out: dict = {}
    cache = image_probe.Cache(tmp_path / "cache")
    stats = image_probe.probe_references(refs, tmp_path, out, cache, fetch_images=True, allow_private=True)
    cache.close()
    assert stats.fetched == 3
    assert (out[f"{base}/small.jpg"].width, out[f"{base}/big.jpg"].width) == (300, 1000)
    assert out[f"{base}/gone.jpg"].status == "missing" and "404" in str(out[f"{base}/gone.jpg"].reason)
    # Cached: a second run fetches nothing.
    out2: dict = {}
    cache = image_probe.Cache(tmp_path / "cache")
    stats = image_probe.probe_references(refs, tmp_path, out2, cache, fetch_images=True, allow_private=True)
    assert stats.fetched == 0 and stats.cached == 3 and out2 == out
    # The byte cap stops a download early.
    with pytest.raises(image_fetch.FetchError, match="download limit"):
        image_fetch.fetch(f"{base}/big.jpg", allow_private=True, max_bytes=1000)


# ------------------------------------------------------------------------------------------ real photos

def test_real_grocery_thumbnails_fire_image_too_small(tmp_path):
    source = shared_file("grocery_iconic_images/dataset/iconic-images-and-descriptions")
    photos = sorted(source.rglob("*_Iconic.jpg"))[:20]
    assert photos
    root = tmp_path / "shop"
    root.mkdir()
    for photo in photos:
        shutil.copy(photo, root / photo.name)
    path = write_catalog(root, [(f"P{i}", p.name) for i, p in enumerate(photos)])
    diagnostics = lint(path, ["AE305"])
    assert len(diagnostics) == len(photos)
    assert all("198x198" in d.message for d in diagnostics)


def test_real_1024px_photos_do_not_fire_image_too_small(tmp_path):
    source = shared_file("abo_sample_products/samples")
    photos = sorted(source.rglob("*.jpg"))
    big = [p for p in photos if min(Image.open(p).size) >= 800]
    assert big
    root = tmp_path / "shop"
    root.mkdir()
    for photo in big:
        shutil.copy(photo, root / photo.name)
    path = write_catalog(root, [(f"P{i}", p.name) for i, p in enumerate(big)])
    assert lint(path, ["AE305"]) == []
    # And the square white packshot passes the marketing background rule.
    path = write_catalog(root, [("P1", "844a1cce.jpg")], "marketing_image_square")
    assert lint(path, ["AE309"]) == []


# ------------------------------------------------------------------------ AE311 on real product photos

def real_photos() -> list[Path]:
    data = shared_file("grocery_iconic_images")
    photos = sorted(data.rglob("*.jpg")) + sorted(shared_file("abo_sample_products").rglob("*.jpg"))
    assert len(photos) >= 90
    return photos


def on_white(photo: Image.Image, share: float, side: int = 600) -> Image.Image:
    """The photo with its longer side `share` of a white square frame, centred."""
    factor = side * share / max(photo.size)
    small = photo.resize((max(1, round(photo.width * factor)), max(1, round(photo.height * factor))),
                         Image.Resampling.LANCZOS)
    frame = Image.new("RGB", (side, side), (255, 255, 255))
    frame.paste(small, ((side - small.width) // 2, (side - small.height) // 2))
    return frame


def cut(image: Image.Image, share: float, centred: bool) -> Image.Image:
    """`share` of the width and of the height cut away: half at each side, or all at the top left."""
    dx, dy = round(image.width * share), round(image.height * share)
    if centred:
        return image.crop((dx // 2, dy // 2, image.width - (dx - dx // 2), image.height - (dy - dy // 2)))
    return image.crop((dx, dy, image.width, image.height))


def named_products(diagnostics) -> dict[str, str]:
    """product id -> the product id an AE311 finding names as the earlier one."""
    return {d.product_id: d.message.split("of product ")[1].split(" (row")[0] for d in diagnostics}


def test_real_photos_on_white_give_no_false_duplicate(tmp_path):
    # 93 distinct real photos, each small on a white square frame: before the product was hashed
    # instead of the frame, 74 / 53 / 11 of them were "duplicates" at 20 / 30 / 50 %.
    photos = [Image.open(p).convert("RGB") for p in real_photos()]
    for share in (0.2, 0.3, 0.5, 0.85):
        folder = tmp_path / f"at{round(share * 100)}"
        folder.mkdir()
        for i, photo in enumerate(photos):
            on_white(photo, share).save(folder / f"p{i}.jpg", quality=90)
        path = write_catalog(folder, [(f"P{i}", f"p{i}.jpg") for i in range(len(photos))])
        assert named_products(lint(path, ["AE311"])) == {}, f"false pairs at {share:.0%}"


@pytest.mark.parametrize("kind, floor", [
    ("resized to 60 %", 0.95), ("JPEG quality 50", 0.95), ("small on a white frame", 0.95),
    ("cropped 10 % centred", 0.92), ("cropped 10 % at the top left", 0.92)])
def test_real_photo_copies_are_found(tmp_path, kind, floor):
    # Measured (bench/bench_duplicate_image.py): 92, 92, 90, 90 and 89 of the 93 copies found; before
    # the product was hashed instead of the frame: 91, 92, -, 3 and 0.
    make = {
        "resized to 60 %": lambda im: im.resize((round(im.width * 0.6), round(im.height * 0.6))),
        "JPEG quality 50": lambda im: im,
        "small on a white frame": lambda im: on_white(im, 0.3),
        "cropped 10 % centred": lambda im: cut(im, 0.1, True),
        "cropped 10 % at the top left": lambda im: cut(im, 0.1, False),
    }[kind]
    photos = [Image.open(p).convert("RGB") for p in real_photos()]
    rows = []
    for i, photo in enumerate(photos):
        photo.save(tmp_path / f"o{i}.jpg", quality=90)
        make(photo).save(tmp_path / f"c{i}.jpg", quality=50 if kind == "JPEG quality 50" else 90)
        rows += [(f"O{i}", f"o{i}.jpg"), (f"C{i}", f"c{i}.jpg")]
    named = named_products(lint(write_catalog(tmp_path, rows), ["AE311"]))
    wrong = {pid: other for pid, other in named.items() if other != "O" + pid[1:]}
    assert wrong == {}  # a copy is never paired with another photo, nor two originals with each other
    found = sum(named.get(f"C{i}") == f"O{i}" for i in range(len(photos)))
    assert found >= floor * len(photos), f"{kind}: {found} of {len(photos)} copies found"


# ------------------------------------------------------------------------ AE309 on real product photos

ABO_DETAIL_SHOTS = {"95f7ee92.jpg", "a8a14cd2.jpg"}  # the bag's inside and its fabric, filling the frame


def test_real_white_packshots_pass_the_marketing_background_with_a_margin(tmp_path):
    # The old whole-border measure gave these 71-100 % against the 70 % threshold; now 80-100 %.
    abo = sorted(shared_file("abo_sample_products").rglob("*.jpg"))
    packshots = [p for p in abo if p.name not in ABO_DETAIL_SHOTS]
    assert len(packshots) == 10
    for photo in abo:
        shutil.copy(photo, tmp_path / photo.name)
    shares = {}
    for photo in abo:
        facts, _ = image_probe.probe_file(str(tmp_path / photo.name), frozenset({images.HEADER, images.BACKGROUND}))
        shares[photo.name] = facts.background
    assert min(shares[p.name] for p in packshots) >= 0.8, shares
    assert max(shares[name] for name in ABO_DETAIL_SHOTS) < 0.6, shares  # close-ups are no packshots
    path = write_catalog(tmp_path, [(f"P{i}", p.name) for i, p in enumerate(abo)], "marketing_image_square")
    fired = {d.message.split("'")[1] for d in lint(path, ["AE309"])}
    assert fired == ABO_DETAIL_SHOTS


def test_real_photos_touching_the_edge_on_white_pass_and_coloured_backdrops_fire(tmp_path):
    photos = [Image.open(p).convert("RGB") for p in real_photos()[::4]]
    rows = []
    for i, photo in enumerate(photos):
        # Large and flush against the left edge, or against the left and bottom edges, on white.
        for name, corner in (("left", (0, 40)), ("corner", (0, 40 + 60))):
            frame = Image.new("RGB", (600, 600), (255, 255, 255))
            frame.paste(photo.resize((560, round(560 * photo.height / photo.width))), corner)
            frame.save(tmp_path / f"{name}{i}.jpg", quality=90)
            rows.append((f"{name}{i}", f"{name}{i}.jpg"))
        for j, colour in enumerate(((255, 214, 0), (205, 205, 205), (150, 100, 60), (210, 230, 250))):
            frame = Image.new("RGB", (600, 600), colour)
            frame.paste(photo.resize((360, round(360 * photo.height / photo.width))), (120, 120))
            frame.save(tmp_path / f"colour{i}_{j}.jpg", quality=90)
            rows.append((f"colour{i}_{j}", f"colour{i}_{j}.jpg"))
    path = write_catalog(tmp_path, rows, "marketing_image_square")
    fired = {d.product_id for d in lint(path, ["AE309"])}
    assert fired == {pid for pid, _ in rows if pid.startswith("colour")}


# ------------------------------------------------------------------- AE312 on the real dropshipping sheet

@pytest.mark.parametrize("name", ["aliexpress.csv", "report_copy3.csv"])
def test_real_dropshipping_sheet_gives_no_false_missing_variant_image(name):
    # Every row of these sheets has its own Image_link_1 (the first row of a product included):
    # before, 1 and 28 findings, all false.
    path = shared_file(f"aliexpress_dropship_variants/{name}")
    options = RunOptions(select=["AE312"], jobs=1, cache=False, images=False)
    report = Engine(options, config_module.from_data({}, None)).lint([path])
    assert not report.failures and report.products > 0
    assert report.diagnostics == []


# ----------------------------------------------------------------- hardening: cache, huge cells, Pillow

def run_aelint(*args: str, env: dict | None = None, cwd: Path | None = None) -> tuple[int, str, str, float, int]:
    """(exit code, stdout, stderr, seconds, peak memory in MB) of a real `aelint` run."""
    probe = ("import resource, subprocess, sys, time; t = time.monotonic(); "
             "r = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
             "print(r.returncode, time.monotonic() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); "
             "print(r.stdout, end='\\0'); print(r.stderr, end='')")
    result = subprocess.run([sys.executable, "-c", probe, sys.executable, "-m", "aelint", *args],
                            capture_output=True, text=True, env={**os.environ, **(env or {})}, cwd=cwd, timeout=120)
    head, _, rest = result.stdout.partition("\n")
    stdout, _, stderr = rest.partition("\0")
    code, seconds, peak_kb = head.split()
    return int(code), stdout, stderr, float(seconds), int(peak_kb) // 1024


def files_of(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def cached_shop(tmp_path_factory):
    """A catalog of two images, its first run (exit code, stdout, stderr) and the cache that run filled."""
    shop = tmp_path_factory.mktemp("shop")
    square(shop / "a.png", 300)
    Image.effect_noise((300, 300), 50).convert("RGB").save(shop / "b.jpg")
    path = write_catalog(shop, [("P1", "a.png"), ("P2", "b.jpg")])
    cache = tmp_path_factory.mktemp("cache")
    first = run_aelint(str(path), "--jobs", "1", env={"AELINT_CACHE_DIR": str(cache)})
    assert first[0] == 1
    return path, first[:3], cache


@pytest.mark.parametrize("column, value", [
    ("value", "[]"), ("value", "null"), ("value", '"text"'), ("value", '{"status": "ok", "width": "wide"}'),
    ("value", '{"status": "ok", "width": 9, "height": 9, "bytes": 9, "crops": "00"}'),
    ("value", '{"status": "missing", "reason": "no such file"}'),  # a reason in English, as an older cache has it
    ("value", '{"status": "missing", "reason": {"key": "host {host} not found", "values": {}}}'),
    ("value", '{"status": "missing", "reason": {"key": "{0.__class__}", "values": {"0": "x"}}}'),
    ("value", '{"status": "missing", "reason": {"key": "no such file", "values": {"host": 1}}}'),
    ("done", "3"), ("done", None), ("stamp", "yesterday")])
def test_damaged_cache_rows_are_ignored(tmp_path, cached_shop, column, value):
    import shutil
    import sqlite3

    path, first, filled = cached_shop
    cache = shutil.copytree(filled, tmp_path / "cache")  # the first run's cache, damaged here
    with sqlite3.connect(cache / image_probe.CACHE_FILE) as db:
        assert db.execute(f"UPDATE facts SET {column} = ?", (value,)).rowcount == 2
    again = run_aelint(str(path), "--jobs", "1", env={"AELINT_CACHE_DIR": str(cache)})
    assert again[:3] == first
    assert "internal error" not in again[2] and "Traceback" not in again[2]


@pytest.mark.parametrize("link", [image_probe.CACHE_FILE, f"{image_probe.CACHE_FILE}-journal", ".gitignore", "folder"])
def test_cache_never_writes_through_a_link(tmp_path, link):
    shop = tmp_path / "shop"
    shop.mkdir()
    square(shop / "a.png", 300)
    path = write_catalog(shop, [("P1", "a.png")])
    outside = tmp_path / "outside"
    outside.mkdir()
    cache = shop / ".aelint_cache"
    if link == "folder":
        cache.symlink_to(outside, target_is_directory=True)
    else:
        cache.mkdir()
        (cache / link).symlink_to(outside / "target")  # dangling: following it would create the target
    before = files_of(shop)
    code, stdout, stderr, _, _ = run_aelint(str(path), "--jobs", "1", cwd=shop)
    assert code == 1 and "AE305" in stdout and "Traceback" not in stderr
    assert list(outside.iterdir()) == []
    assert {k: v for k, v in files_of(shop).items() if not k.startswith(".aelint_cache")} == \
        {k: v for k, v in before.items() if not k.startswith(".aelint_cache")}


def test_thin_png_of_forty_million_pixels_is_not_decoded(tmp_path):
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    width = 40_000_000  # one row of 1-bit grey: 5 MB of pixels, a few kB of file
    pixels = zlib.compress(b"\x00" + b"\xaa" * (width // 8), 9)
    (tmp_path / "line.png").write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, 1, 1, 0, 0, 0, 0))
                                        + chunk(b"IDAT", pixels) + chunk(b"IEND", b""))
    assert (tmp_path / "line.png").stat().st_size < 20_000
    path = tmp_path / "catalog.csv"
    path.write_text("product_id,title,main_images,marketing_image_square\nP1,Red Ceramic Coffee Mug,line.png,line.png\n",
                    encoding="utf-8")
    before = files_of(tmp_path)
    code, stdout, stderr, seconds, peak = run_aelint(str(path), "--no-cache", "--jobs", "1")
    assert code == 1 and "Traceback" not in stderr and "internal error" not in stderr
    assert "40000000x1" in stdout  # its header was read (AE305/AE306), its pixels were not
    assert "AE309" not in stdout and "AE311" not in stdout
    assert peak < 250 and seconds < 20, (peak, seconds)  # before: 1.07 GB
    assert files_of(tmp_path) == before


def test_megabytes_of_image_references_in_one_cell_are_capped(tmp_path):
    refs = ";".join(f"img/p{i}.jpg" for i in range(1_300_000))  # 20 MB in one cell
    path = tmp_path / "catalog.csv"
    path.write_text(f'product_id,title,main_images\nP1,Red Ceramic Coffee Mug,"{refs}"\n', encoding="utf-8")
    before = files_of(tmp_path)
    code, stdout, stderr, seconds, peak = run_aelint(str(path), "--no-cache", "--jobs", "1")
    assert code == 1 and "Traceback" not in stderr and "internal error" not in stderr
    assert "AE302" in stdout  # far more than the 6 main images AliExpress keeps
    assert stdout.count("AE303") == images.MAX_REFERENCES_PER_FIELD  # not one line per reference
    assert seconds < 20, seconds  # before: a 6 MB cell took 39 s, 50 MB over 30 s
    assert files_of(tmp_path) == before


def test_malformed_exif_warnings_are_not_printed(tmp_path):
    import io
    import struct

    buffer = io.BytesIO()
    Image.new("RGB", (900, 900), (200, 30, 30)).save(buffer, format="JPEG", quality=80)
    data = buffer.getvalue()
    # An EXIF block whose XResolution value points past its end: Pillow warns "Truncated File Read".
    tiff = (b"II*\x00" + struct.pack("<I", 8) + struct.pack("<H", 2) + struct.pack("<HHII", 0x0128, 3, 1, 2)
            + struct.pack("<HHII", 0x011A, 5, 1, 5000) + struct.pack("<I", 0))
    app1 = b"Exif\x00\x00" + tiff
    (tmp_path / "exif.jpg").write_bytes(data[:2] + b"\xff\xe1" + struct.pack(">H", len(app1) + 2) + app1 + data[2:])
    path = tmp_path / "catalog.csv"
    path.write_text("product_id,title,main_images,marketing_image_square\nP1,Red Ceramic Coffee Mug,exif.jpg,exif.jpg\n",
                    encoding="utf-8")
    code, stdout, stderr, _, _ = run_aelint(str(path), "--no-cache", "--jobs", "1")
    assert code == 1 and "AE309" in stdout  # decoded and judged (a red square is not on white)
    assert stderr == ""
