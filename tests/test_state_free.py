"""A rule says the same thing alone and among all the others, with a cold or a warm image cache.

Every rule runs alone and in the full set over the example catalog (with its image files) and every
fixture case (with the case's own settings); each rule's findings must be the same in all of them, so
what a rule reports never depends on which other rules are selected, on the order they run in, or on
what an earlier run left in the image cache.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from aelint import config as config_module
from aelint.engine import Engine, RunOptions
from aelint.registry import load_checks
from aelint.testing import diagnostic_line, fixture_cases
from conftest import FIXTURES, ROOT

# AE608 reports suppressions that no rule that ran used: the selection is what it is about.
ABOUT_THE_SELECTION = {"AE608"}
EXAMPLE = ROOT / "examples" / "catalog.csv"


def case_config(case: Path) -> config_module.Config:
    """The case's own settings (`<case>.toml`), or none: read once per case, the same input for every run."""
    settings = case.with_suffix(".toml")
    return config_module.parse(settings) if settings.exists() else config_module.from_data({}, None)


def findings(case: Path, codes: list[str], cache: bool, config: config_module.Config | None = None
             ) -> dict[str, list[str]]:
    """Each code's diagnostics (as fixture lines) from one run with only `codes` selected."""
    config = config or case_config(case)
    report = Engine(RunOptions(select=codes, cache=cache, jobs=1), config).lint([case])
    assert not report.failures, report.failures
    by_code: dict[str, list[str]] = {code: [] for code in codes}
    for diagnostic in report.diagnostics:  # a case's settings may extend the selection
        by_code.setdefault(diagnostic.code, []).append(diagnostic_line(diagnostic))
    return by_code


def assert_independent(case: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("AELINT_CACHE_DIR", str(tmp_path / "cache"))
    checks = [c for c in load_checks() if c.code not in ABOUT_THE_SELECTION]
    codes = [c.code for c in checks]
    config = case_config(case)
    cold = findings(case, codes, cache=True, config=config)  # the cache folder is new: every image fact computed
    warm = findings(case, codes, cache=True, config=config)  # every image fact from the cache
    assert warm == cold, f"{case.name}: a warm cache changes the findings"
    for check in checks:
        code = check.code
        alone_warm = findings(case, [code], cache=True, config=config)[code]
        assert alone_warm == cold[code], f"{case.name}: {code} alone (warm cache) differs from the full set"
        if check.needs_images or check.runs_without_images:  # the image cache is all a run without it changes
            alone_uncached = findings(case, [code], cache=False, config=config)[code]
            assert alone_uncached == cold[code], f"{case.name}: {code} alone (no cache) differs from the full set"


IMAGE_CODES = ("AE303", "AE304", "AE305", "AE306", "AE307", "AE309", "AE310", "AE311")


def image_catalog(folder: Path) -> Path:
    """A catalog on real image files on which every image rule fires, each next to look-alikes that must not:
    photos and copies, small, wide, large, truncated and corrupt files, a GIF, a missing file, marketing images
    on white and on colour, of the right and the wrong size."""
    import struct
    import zlib

    from PIL import Image, ImageDraw

    def photo(seed: int, size=(900, 900), background=(255, 255, 255)) -> Image.Image:
        image = Image.new("RGB", size, background)
        draw = ImageDraw.Draw(image)
        w, h = size
        draw.ellipse((w // 4, h // 5, 3 * w // 4, 4 * h // 5), fill=(40 + seed * 50 % 200, 90, 160 - seed * 30 % 150))
        draw.rectangle((w // 3, h // 3, w // 2 + seed * 20, h // 2), fill=(200, 60 + seed * 40 % 190, 30))
        return Image.blend(image, Image.effect_noise(size, 25).convert("RGB"), 0.08)

    photo(1).save(folder / "mug.jpg", quality=90)
    photo(1).resize((850, 850)).save(folder / "mug-copy.jpg", quality=60)  # AE311: looks the same
    photo(2).save(folder / "bottle.png")                                    # AE307 with the low limit below
    photo(3, (300, 300)).save(folder / "small.jpg")                          # AE305
    photo(4, (1000, 800)).save(folder / "wide.jpg")                          # AE306
    photo(5).save(folder / "vase.jpg", quality=90)
    data = (folder / "vase.jpg").read_bytes()
    (folder / "cut.jpg").write_bytes(data[: len(data) // 2])                 # AE304: truncated
    photo(6, (40, 40)).save(folder / "anim.gif")                             # AE304: a GIF on AliExpress

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    # A PNG whose header and end are sound and whose pixel data is not: only a decode finds it.
    (folder / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 900, 900, 8, 2, 0, 0, 0))
                                        + chunk(b"IDAT", b"\x78\x9c" + bytes(range(256)) * 8) + chunk(b"IEND", b""))
    photo(7).save(folder / "square-white.jpg", quality=90)
    photo(8, background=(250, 200, 30)).save(folder / "square-colour.jpg", quality=90)  # AE309
    photo(9, (500, 500)).save(folder / "square-small.jpg", quality=90)                   # AE310
    photo(10, (750, 1000)).save(folder / "portrait.jpg", quality=90)
    rows = [("P1", "mug.jpg", "square-white.jpg", "portrait.jpg"), ("P2", "mug-copy.jpg", "square-colour.jpg", ""),
            ("P3", "bottle.png;small.jpg", "square-small.jpg", ""), ("P4", "wide.jpg;cut.jpg", "broken.png", ""),
            ("P5", "anim.gif;missing.jpg;broken.png", "", "http://img.example.com/p.jpg"),
            ("P6", "vase.jpg", "square-white.jpg", "")]
    path = folder / "catalog.csv"
    path.write_text("product_id,title,main_images,marketing_image_square,marketing_image_portrait\n" + "".join(
        f"{pid},Product {pid} with Handle for Tea,{main},{square},{portrait}\n" for pid, main, square, portrait in rows),
        encoding="utf-8")
    path.with_suffix(".toml").write_text("[thresholds]\nimage_max_bytes = 300000\n", encoding="utf-8")
    return path


def test_image_rules_on_real_image_files_alone_and_together_cold_and_warm(tmp_path, monkeypatch):
    folder = tmp_path / "shop"
    folder.mkdir()
    case = image_catalog(folder)
    monkeypatch.chdir(folder)
    assert_independent(case, tmp_path / "sweep", monkeypatch)
    monkeypatch.setenv("AELINT_CACHE_DIR", str(tmp_path / "full"))
    codes = [c.code for c in load_checks() if c.code not in ABOUT_THE_SELECTION]
    full = findings(case, codes, cache=True)
    fired = {code for code in IMAGE_CODES if full[code]}
    assert fired == set(IMAGE_CODES), f"not every image rule fires: {sorted(set(IMAGE_CODES) - fired)}"
    for code in IMAGE_CODES:  # a rule alone fills the cache with its own facts first; the full set reads them
        monkeypatch.setenv("AELINT_CACHE_DIR", str(tmp_path / f"first-{code}"))
        assert findings(case, [code], cache=True)[code] == full[code], f"{code} alone, cold cache"
        assert findings(case, codes, cache=True) == full, f"the full set after {code} alone filled the cache"


def test_the_example_catalog_with_its_images(tmp_path, monkeypatch):
    monkeypatch.chdir(EXAMPLE.parent)
    assert_independent(EXAMPLE, tmp_path, monkeypatch)


def first_fires_cases() -> list[Path]:
    """Every rule's first fires case: the quick loop's share of the sweep."""
    firsts: dict[str, Path] = {}
    for case in fixture_cases(FIXTURES):
        if case.stem.startswith("fires"):
            firsts.setdefault(case.parent.name, case)
    return list(firsts.values())


FIRST_FIRES_CASES = first_fires_cases()
CASE_ID = {"ids": lambda p: f"{p.parent.name}/{p.name}"}


def test_the_quick_sweep_covers_the_rules():
    assert len(FIRST_FIRES_CASES) >= 40


@pytest.mark.parametrize("case", FIRST_FIRES_CASES, **CASE_ID)
def test_each_rules_first_fires_case(case, tmp_path, monkeypatch):
    """The quick loop's sweep (`-m 'not slow'`): every rule's first fires case, all rules alone and together."""
    assert_independent(case, tmp_path, monkeypatch)


@pytest.mark.slow
@pytest.mark.parametrize("case", [c for c in fixture_cases(FIXTURES) if c not in FIRST_FIRES_CASES], **CASE_ID)
def test_every_other_fixture_case(case, tmp_path, monkeypatch):
    """The rest of the sweep: with the cases above, every fixture case once."""
    assert_independent(case, tmp_path, monkeypatch)


def _module_containers() -> dict[str, object]:
    """Every dict, list, set or bytearray a module of aelint (core and checks) holds at module level."""
    import sys

    found = {}
    for name, module in list(sys.modules.items()):
        if name == "aelint" or name.startswith("aelint."):
            for attribute, value in vars(module).items():
                if type(value) in (dict, list, set, bytearray):
                    found[f"{name}.{attribute}"] = value
    return found


def test_a_run_changes_no_module_level_state(tmp_path, monkeypatch):
    monkeypatch.chdir(EXAMPLE.parent)
    monkeypatch.setenv("AELINT_CACHE_DIR", str(tmp_path / "cache"))
    findings(EXAMPLE, [c.code for c in load_checks()], cache=True)  # every module imported
    before = {name: repr(value) for name, value in _module_containers().items()}
    assert len(before) > 10
    for case in [EXAMPLE, *fixture_cases(FIXTURES)[:20]]:
        findings(case, [c.code for c in load_checks()], cache=True)
    after = {name: repr(value) for name, value in _module_containers().items()}
    assert after == before


def test_a_products_shared_work_is_dropped_after_its_rules():
    from aelint.reader import read_catalog

    catalog = read_catalog(EXAMPLE, str(EXAMPLE))
    config = config_module.from_data({}, None)
    Engine(RunOptions(images=False), config).lint_catalog(catalog, EXAMPLE, config)
    assert all(product._shared is None for product in catalog.products)
    calls = []
    product = catalog.products[0]

    def build(p):
        calls.append(p)
        return len(p.skus)

    assert product.shared(build) == product.shared(build) == len(product.skus) and calls == [product]


def test_a_text_scanner_forgets_what_it_read_when_its_memo_is_full(monkeypatch):
    from aelint import terms

    phrases = [("stun gun", "weapon"), ("black tea", "tea")]
    texts = [f"word{i} other{i} Stun-Gun {i}" if i % 7 == 0 else f"plain{i} text{i} black tea" for i in range(600)]
    expected = [[(m.start, m.end, m.value) for m in terms.TextScanner(phrases).scan(t)] for t in texts]
    monkeypatch.setattr(terms, "MEMO_LIMIT", 100)
    small = terms.TextScanner(phrases)
    got = []
    for text in texts:
        got.append([(m.start, m.end, m.value) for m in small.scan(text)])
        assert len(small._chunks) <= 101 + 4 and len(small._canon) <= 101 + 4
    assert got == expected and sum(map(len, got)) >= 600


def test_no_images_runs_no_rule_that_needs_the_files():
    config = config_module.from_data({}, None)
    report = Engine(RunOptions(images=False, cache=False), config).lint([EXAMPLE])
    needing = {c.code for c in load_checks() if c.needs_images and not c.runs_without_images}
    assert needing == {"AE303", "AE304", "AE305", "AE306", "AE307", "AE309", "AE310"}
    assert not report.ran_codes & needing and "AE311" in report.ran_codes
    with_images = Engine(RunOptions(images=True, cache=False), config).lint([EXAMPLE])
    assert needing <= with_images.ran_codes


def test_pausing_the_collector_keeps_nothing_alive():
    import gc
    import weakref

    from aelint.gcpause import paused_gc

    class Node:
        pass

    assert gc.isenabled()
    with paused_gc():
        assert not gc.isenabled()
        node = Node()
        node.self = node  # a cycle, like a catalog and its products
        alive = weakref.ref(node)
        del node
    assert gc.isenabled()
    gc.collect()
    assert alive() is None


def test_small_catalogs_find_the_same_similar_titles_without_numpy():
    import random

    from aelint import similar

    rng = random.Random(16)
    vocabulary = ["summer", "dress", "women", "beach", "floral", "red", "blue", "casual", "short", "sleeve",
                  "dres", "mug", "ceramic", "coffee", "350ml", "kids", "men", "case", "iphone", "15"]
    compared = found = 0
    for _ in range(300):
        n = rng.randint(2, similar.MAX_BUCKET)
        base = [rng.sample(vocabulary, rng.randint(1, 8)) for _ in range(max(1, n // 4))]
        titles = []
        for _ in range(n):
            words = list(rng.choice(base))
            if rng.random() < 0.5 and words:
                words[rng.randrange(len(words))] = rng.choice(vocabulary)
            if rng.random() < 0.3:
                rng.shuffle(words)
            titles.append(words)
        groups = [rng.randint(0, 2) for _ in titles]
        threshold = rng.choice([70, 80, 90])

        def sorted_text(i, titles=titles):
            return " ".join(sorted(titles[i]))

        small = similar._small_similar_pairs(titles, groups, threshold, sorted_text)
        assert small == similar._array_similar_pairs(titles, groups, threshold)
        compared += 1
        found += len(small)
    assert compared == 300 and found > 1000
