"""A small run imports only what it needs: no image, array, database, network or language-model code when
nothing in the catalog asks for it (bench/README.md has the start-up times)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from PIL import Image

HEAVY = ("PIL", "numpy", "sqlite3", "ssl", "http.client", "polars", "py3langid")
# Runs the command line as `aelint` does and prints, after it, its exit code and which HEAVY modules it imported.
WRAPPER = """
import json, sys
from aelint.__main__ import run
sys.argv = ["aelint", *sys.argv[1:]]
try:
    run()
except SystemExit as end:
    code = end.code
print(json.dumps({"code": code, "imported": sorted(m for m in %r if m in sys.modules)}))
""" % (HEAVY,)

CATALOG = ("product_id,title,description,price,stock,main_images\n"
           "P1,Red Ceramic Coffee Mug with Handle for Tea 350ml,A red ceramic mug for coffee and tea.,9.90,5,mug.jpg\n"
           "P2,Blue Glass Water Bottle with Bamboo Lid for Travel,A blue glass bottle with a bamboo lid.,12.50,8,"
           "bottle.jpg\n")  # plainly English titles ("with", "for"): no language model


def lint(folder: Path, *args: str) -> tuple[dict, str]:
    result = subprocess.run([sys.executable, "-c", WRAPPER, "catalog.csv", "--no-cache", *args], cwd=folder,
                            capture_output=True, text=True, timeout=120)
    *output, last = result.stdout.splitlines()
    assert "Traceback" not in result.stderr, result.stderr
    return json.loads(last), "\n".join(output)


def test_a_small_english_catalog_without_images_imports_nothing_heavy(tmp_path):
    (tmp_path / "catalog.csv").write_text(CATALOG, encoding="utf-8")
    outcome, output = lint(tmp_path, "--no-images")
    assert outcome["imported"] == [], outcome
    assert "AE303" not in output and "Found" in output and "2 products" in output
    assert outcome["code"] in (0, 1)


def test_with_images_the_probe_is_imported_and_works(tmp_path):
    (tmp_path / "catalog.csv").write_text(CATALOG, encoding="utf-8")
    Image.new("RGB", (300, 300), (200, 30, 30)).save(tmp_path / "mug.jpg")
    outcome, output = lint(tmp_path)
    assert "PIL" in outcome["imported"] and "numpy" in outcome["imported"]  # AE311 hashes the main images
    assert "'mug.jpg' is 300x300" in output  # AE305
    assert "main image 'bottle.jpg' not found: no such file" in output  # AE303
    assert not {"ssl", "http.client", "polars", "py3langid"} & set(outcome["imported"]), outcome
    header_only, output = lint(tmp_path, "--select", "AE305")
    assert header_only["imported"] == ["PIL", "sqlite3"] and "'mug.jpg' is 300x300" in output  # no decode: no numpy
