"""--format html: a self-contained page; hostile catalog text stays text; checked in headless Chromium."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from aelint.cli import main
from devtools import chromium, find_chromium

HOSTILE = "<img src=x onerror=\"document.title='pwned'\"><script>document.title='pwned'</script></title> Mug"
SELECT = "AE101,AE102,AE104,AE107,AE305"
WORDS = ["Ceramic", "Bamboo", "Linen", "Wool", "Cotton", "Leather", "Glass", "Steel", "Silk", "Oak"]
NOUNS = ["Mug", "Board", "Towel", "Scarf", "Socks", "Belt", "Vase", "Bottle", "Shirt", "Table"]


def make_catalog(folder: Path, products: int = 60) -> Path:
    """Products with errors (AE102 repeated words), warnings (AE107 spaces, AE305 small images), some clean,
    a hostile title, and images inside and outside the catalog's folder."""
    (folder / "images").mkdir(parents=True)
    for i, colour in enumerate(["red", "green", "blue"]):
        Image.new("RGB", (400 + i, 400), colour).save(folder / "images" / f"p{i}.png")
    Image.new("RGB", (900, 900), "black").save(folder.parent / "outside.png")
    path = folder / "catalog.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Product ID", "Title", "Price", "Main Images"])
        writer.writerow(["P000", HOSTILE, "5", "../outside.png"])
        for i in range(1, products):
            title = f"{WORDS[i % 10]} {NOUNS[i // 10 % 10]} for Home and Office Daily Use Model {i}"
            if i % 3 == 0:
                title += f" {NOUNS[i // 10 % 10]}"  # AE102
            if i % 4 == 0:
                title = title.replace(" for ", "  for ")  # AE107
            writer.writerow([f"P{i:03d}", title, "9.5", f"images/p{i % 3}.png" if i % 5 else ""])
    return path


def lint(path: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, [str(path), "--select", SELECT, "--no-cache", "--exit-zero", *args],
                                catch_exceptions=False)
    return result.exit_code, result.output


def page_payload(page: str) -> dict:
    match = re.search(r'<script id="aelint-data" type="application/json">(.*?)</script>', page, re.S)
    return json.loads(match[1])


@pytest.fixture
def report(tmp_path):
    catalog = make_catalog(tmp_path / "shop")
    html_path = tmp_path / "report.html"
    code, out = lint(catalog, "--format", "html", "--output", str(html_path))
    assert code == 0, out
    _code, json_out = lint(catalog, "--format", "json")
    return html_path, json.loads(json_out)["diagnostics"]


def test_page_is_self_contained_and_catalog_text_stays_text(report):
    html_path, diagnostics = report
    page = html_path.read_text(encoding="utf-8")
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)  # nothing fetched
    assert "<link" not in page and "@import" not in page and "url(" not in page
    assert "<img" not in page and "<script>document" not in page and "</title> Mug" not in page
    data = page_payload(page)
    assert data["products"][0][2] == HOSTILE  # the exact title, as data
    shown = sum(len(p[5]) for p in data["products"])
    assert shown == len(diagnostics)
    assert data["summary"]["error"] == sum(d["severity"] == "error" for d in diagnostics)
    for code, rule in data["rules"].items():
        assert rule["count"] == sum(d["code"] == code for d in diagnostics)
        assert "What it does" in rule["doc"] and rule["summary"]
    assert data["rules"]["AE107"]["fixable"] and not data["rules"]["AE305"]["fixable"]
    messages = sorted(data["strings"][d[5]] for p in data["products"] for d in p[5])
    assert messages == sorted(d["message"] for d in diagnostics)


def test_thumbnails_only_for_images_inside_the_catalog_folder_made_once_and_small(report):
    html_path, _ = report
    data = page_payload(html_path.read_text(encoding="utf-8"))
    assert len(data["thumbs"]) == 3  # p0, p1, p2: each file once, however many products show it
    assert all(uri.startswith("data:image/jpeg;base64,") and len(uri) < 8000 for uri in data["thumbs"])
    outside = next(p for p in data["products"] if p[1] == "P000")
    assert outside[4] == []  # ../outside.png is reported by the image rules, never embedded
    with_images = [p for p in data["products"] if p[4]]
    assert with_images and all(len(p[4]) <= 3 for p in with_images)


chromium_binary = find_chromium()


@pytest.mark.skipif(chromium_binary is None, reason="chromium is not installed (apt-get install chromium)")
def test_page_in_headless_chromium_loads_filters_searches_and_pages(report, tmp_path):
    html_path, diagnostics = report
    with chromium(chromium_binary) as page:
        seconds = page.open(html_path.as_uri())
        assert seconds < 20
        assert page.errors() == []
        assert page.evaluate("document.title").startswith("aelint report")
        assert page.evaluate("document.querySelectorAll('img[src=x]').length") == 0
        assert page.evaluate("document.scripts.length") == 2  # the data and the report's own script
        titles = page.evaluate("[...document.querySelectorAll('.title')].map(e => e.textContent)")
        assert HOSTILE in titles  # shown as text
        products_with_findings = len({d["product_id"] for d in diagnostics})

        def status():
            return page.evaluate("document.getElementById('status').textContent")

        def visible():
            return page.evaluate("[...document.querySelectorAll('#products .diag')].map("
                                 "r => [r.querySelector('.badge').textContent, r.querySelector('a').textContent])")

        assert status() == f"{products_with_findings} products, {len(diagnostics)} findings shown"
        drawn = page.evaluate("document.querySelectorAll('#products .product').length")
        assert drawn == min(50, products_with_findings)
        assert page.evaluate("document.querySelector('.page-number').textContent") == "Page 1 of 2"

        # Severity filter: errors only.
        page.evaluate("for (const s of ['warning', 'info']) { const box = document.getElementById('show-' + s);"
                      " box.checked = false; box.dispatchEvent(new Event('change')); }")
        errors = [d for d in diagnostics if d["severity"] == "error"]
        assert status() == f"{len({d['product_id'] for d in errors})} products, {len(errors)} findings shown"
        assert {badge for badge, _code in visible()} == {"error"}

        # Rule filter, all severities again.
        page.evaluate("for (const s of ['warning', 'info']) { const box = document.getElementById('show-' + s);"
                      " box.checked = true; box.dispatchEvent(new Event('change')); }"
                      "const pick = document.getElementById('rule-filter'); pick.value = 'AE107';"
                      "pick.dispatchEvent(new Event('change'));")
        spaces = [d for d in diagnostics if d["code"] == "AE107"]
        assert status() == f"{len(spaces)} products, {len(spaces)} findings shown"
        assert {code for _badge, code in visible()} == {"AE107"}

        # Search (all rules): one product's id.
        page.evaluate("const pick2 = document.getElementById('rule-filter'); pick2.value = '';"
                      "pick2.dispatchEvent(new Event('change'));"
                      "const box = document.getElementById('search'); box.value = 'p012';"
                      "box.dispatchEvent(new Event('input'));")
        page.evaluate("new Promise(done => setTimeout(done, 400))")
        mine = [d for d in diagnostics if d["product_id"] == "P012"]
        assert len(mine) == 3  # AE102 and AE107 (its title has both), AE305 (its image)
        assert status() == "1 product, 3 findings shown"

        # Each rule links to its explanation in the page.
        for code in {d["code"] for d in diagnostics}:
            text = page.evaluate(f"document.getElementById('rule-{code}').textContent")
            assert text.startswith(code) and "Why is this bad" in text
        assert page.errors() == []
        png = page.screenshot()
    assert png.startswith(b"\x89PNG") and len(png) > 10_000
    (tmp_path / "report.png").write_bytes(png)


def test_files_that_could_not_be_read_are_named_in_the_page(tmp_path):
    good = tmp_path / "good.csv"
    good.write_text("Product ID,Title,Price\nP1,Wool  Scarf for Men Winter,5\n", encoding="utf-8")
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a workbook at all")
    page = tmp_path / "report.html"
    result = CliRunner().invoke(main, [str(good), str(broken), "--select", "AE107", "--format", "html",
                                       "--output", str(page)])
    assert result.exit_code == 2
    data = page_payload(page.read_text(encoding="utf-8"))
    assert len(data["summary"]["failures"]) == 1 and str(broken) in data["summary"]["failures"][0]
    assert [d[0] for p in data["products"] for d in p[5]] == ["AE107"]


GLYPHS_DIFFER = """(() => {
  const canvas = document.createElement('canvas'); canvas.width = 48; canvas.height = 48;
  const pen = canvas.getContext('2d');
  const drawn = ch => { pen.clearRect(0, 0, 48, 48); pen.font = '36px sans-serif'; pen.fillText(ch, 4, 40);
                        return Array.from(pen.getImageData(0, 0, 48, 48).data).join(); };
  return [drawn(%s) !== drawn(%s), drawn(%s).split(',').some(v => v !== '0')];
})()"""


@pytest.mark.skipif(chromium_binary is None, reason="chromium is not installed (apt-get install chromium)")
@pytest.mark.parametrize("lang, html_lang, heading, glyphs", [
    ("zh", "zh-CN", "aelint 检查报告", ("检", "查")),  # a missing CJK font draws both as the same empty box
    ("ru", "ru", "Отчёт aelint", ("Д", "Ж")),
])
def test_page_in_the_sellers_language(tmp_path, lang, html_lang, heading, glyphs):
    catalog = make_catalog(tmp_path / "shop", products=12)
    html_path = tmp_path / "report.html"
    code, out = lint(catalog, "--format", "html", "--output", str(html_path), "--lang", lang)
    assert code == 0, out
    diagnostics = json.loads(lint(catalog, "--format", "json", "--lang", lang)[1])["diagnostics"]
    with chromium(chromium_binary) as page:
        page.open(html_path.as_uri())
        assert page.errors() == []
        assert page.evaluate("document.documentElement.lang") == html_lang
        assert page.evaluate("document.querySelector('h1').textContent") == heading
        assert page.evaluate("document.title").startswith(heading)
        status = page.evaluate("document.getElementById('status').textContent")
        assert str(len(diagnostics)) in status and "shown" not in status and "products" not in status
        titles = page.evaluate("[...document.querySelectorAll('.title')].map(e => e.textContent)")
        assert HOSTILE in titles  # catalog text stays as the seller wrote it
        messages = page.evaluate("[...document.querySelectorAll('#products .diag td:last-child')].map("
                                 "e => e.firstChild.textContent)")
        assert messages and set(messages) <= {d["message"] for d in diagnostics}  # the translated messages
        badges = set(page.evaluate("[...document.querySelectorAll('.badge')].map(e => e.textContent)"))
        assert badges and not badges & {"error", "warning", "info"}
        doc = page.evaluate("document.getElementById('rule-AE102').textContent")
        assert doc.startswith("AE102 title-duplicate-words: ") and "What it does" not in doc
        first, second = (json.dumps(g) for g in glyphs)
        differ, inked = page.evaluate(GLYPHS_DIFFER % (first, second, first))
        assert differ and inked, f"no font draws {glyphs}: install fonts-noto-cjk"
        png = page.screenshot()
    assert png.startswith(b"\x89PNG") and len(png) > 10_000
    (tmp_path / f"report.{lang}.png").write_bytes(png)
