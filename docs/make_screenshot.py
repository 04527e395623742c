"""Make docs/report.png, the README's picture of the HTML report, from the shipped example catalog.

    .venv/bin/python docs/make_screenshot.py

Needs Debian's chromium; the page is drawn headless and the picture shrunk to a small palette PNG.
"""

from __future__ import annotations

import io
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from devtools import chromium, find_chromium  # noqa: E402


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "report.html"
        subprocess.run([sys.executable, "-m", "aelint", "examples/catalog.csv", "--format", "html", "--output",
                        str(page), "--exit-zero", "--no-cache"], cwd=ROOT, check=True)
        with chromium(find_chromium()) as tab:
            tab.call("Emulation.setDeviceMetricsOverride", width=1100, height=1500, deviceScaleFactor=1, mobile=False)
            tab.open(page.as_uri())
            png = tab.screenshot()
    picture = Image.open(io.BytesIO(png)).convert("RGB")
    picture = picture.resize((picture.width * 2 // 3, picture.height * 2 // 3), Image.LANCZOS)
    picture.quantize(colors=64, method=Image.Quantize.MEDIANCUT).save(ROOT / "docs" / "report.png", optimize=True)


if __name__ == "__main__":
    main()
