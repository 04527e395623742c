"""The wheel ships the checks as aelint.checks, with their data packs and the entry point."""

from __future__ import annotations

import subprocess
import sys
import zipfile

from conftest import ROOT


def test_wheel_holds_checks_data_and_entry_point(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q",
                    "-w", str(tmp_path), str(ROOT)], check=True, capture_output=True)
    wheel = next(tmp_path.glob("aelint-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {p.name for p in (ROOT / "checks").glob("*.py")} | {p.name for p in (ROOT / "checks").glob("*.toml")}
    assert {f"aelint/checks/{n}" for n in shipped} <= names
    assert "aelint/cli.py" in names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "[aelint.checks]\naelint = aelint.checks" in text and "aelint = aelint.__main__:command" in text
