"""The pre-commit hook, run for real with `pre-commit try-repo` on this repository."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT

GOOD = "Title,SKU,Price\nCeramic Coffee Mug 350ml,MUG-1,12.5\n"
BAD = "Title,SKU,Price\nCeramic Mug Ceramic Mug Ceramic Mug,MUG-1,12.5\n"


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"})


def try_repo(repo: Path, *files: str) -> subprocess.CompletedProcess:
    pre_commit = shutil.which("pre-commit") or str(Path(os.sys.executable).parent / "pre-commit")
    return subprocess.run([pre_commit, "try-repo", str(ROOT), "aelint", "--files", *files], cwd=repo,
                          capture_output=True, text=True, timeout=600)


@pytest.mark.skipif(not (ROOT / ".git").exists(), reason="try-repo needs this project as a git repository")
def test_hook_fails_on_bad_catalog_and_passes_on_clean(tmp_path):
    repo = tmp_path / "catalogs"
    repo.mkdir()
    git(repo, "init", "-q")
    (repo / "aelint.toml").write_text('select = ["AE101", "AE102"]\n')
    (repo / "good.csv").write_text(GOOD)
    (repo / "bad.csv").write_text(BAD)
    (repo / "notes.txt").write_text("Mug Mug Mug\n")
    git(repo, "add", ".")

    passed = try_repo(repo, "good.csv", "notes.txt")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "aelint" in passed.stdout and "Passed" in passed.stdout

    failed = try_repo(repo, "good.csv", "bad.csv")
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "bad.csv:2:Title: AE102 [error]" in failed.stdout
    assert "good.csv" not in failed.stdout.split("- hook id: aelint")[-1].replace("in 2 files", "")
