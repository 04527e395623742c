"""The pre-commit hooks, run for real: the README's snippet, pointed at a snapshot of this working tree."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(shutil.which("git") is None, reason="pre-commit needs git")]

HEADER = "Title,SKU,Price,Main Images\n"
GOOD = HEADER + "Ceramic Coffee Mug 350ml,MUG-1,12.5,images/mug.png\n"
BAD = HEADER + "Ceramic Mug Ceramic Mug Ceramic Mug,MUG-1,12.5,\n"
GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.invalid", "GIT_AUTHOR_DATE": "2026-01-01T00:00:00Z",
           "GIT_COMMITTER_DATE": "2026-01-01T00:00:00Z"}


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True,
                          env={**os.environ, **GIT_ENV}).stdout.strip()


def readme_snippet() -> str:
    """The `.pre-commit-config.yaml` block of the README's pre-commit section."""
    section = ROOT.joinpath("README.md").read_text(encoding="utf-8").split("### As a pre-commit hook", 1)[1]
    return re.search(r"```yaml\n(.*?)```", section, re.S)[1]


@pytest.fixture(scope="module")
def hook_source(tmp_path_factory) -> tuple[Path, str, dict]:
    """This working tree committed into a scratch repository (what `pre-commit try-repo` does), its commit,
    and an environment whose PRE_COMMIT_HOME is scratch too (one hook install for the whole module)."""
    if not (ROOT / ".git").exists():
        pytest.skip("the hooks are installed from this project as a git repository")
    snapshot = tmp_path_factory.mktemp("aelint-snapshot")
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT, check=True,
                            capture_output=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (snapshot / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, snapshot / name)
    git(snapshot, "init", "-q")
    git(snapshot, "add", "-A")
    git(snapshot, "commit", "-q", "-m", "snapshot")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path_factory.mktemp("pre-commit-home"))}
    return snapshot, git(snapshot, "rev-parse", "HEAD"), env


@pytest.fixture
def catalogs(tmp_path, hook_source):
    """A repository of catalogs whose .pre-commit-config.yaml is the README's, pinned to the snapshot."""
    snapshot, commit, _ = hook_source
    repo = tmp_path / "catalogs"
    repo.mkdir()
    git(repo, "init", "-q")
    config = re.sub(r"(?m)^(\s*- repo:).*$", rf"\1 {snapshot}", readme_snippet())
    config = re.sub(r"(?m)^(\s*rev:).*$", rf"\1 {commit}", config)
    (repo / ".pre-commit-config.yaml").write_text(config)
    (repo / "aelint.toml").write_text('select = ["AE101", "AE102", "AE304"]\n')
    (repo / "images").mkdir()
    from PIL import Image

    Image.new("RGB", (1000, 1000), "white").save(repo / "images" / "mug.png")
    (repo / "good.csv").write_text(GOOD)
    return repo


def pre_commit(repo: Path, env: dict, *args: str) -> subprocess.CompletedProcess:
    git(repo, "add", "-A")
    executable = shutil.which("pre-commit") or str(Path(sys.executable).parent / "pre-commit")
    return subprocess.run([executable, "run", *args], cwd=repo, capture_output=True, text=True, timeout=900,
                          env=env)


def hook_output(result: subprocess.CompletedProcess, hook: str) -> str:
    return result.stdout.split(f"- hook id: {hook}", 1)[-1] if f"- hook id: {hook}" in result.stdout else ""


def test_readme_pins_a_commit_that_has_the_hooks_it_names():
    snippet = yaml.safe_load(readme_snippet())
    repo, = snippet["repos"]
    named = {hook["id"] for hook in repo["hooks"]}
    assert named == {"aelint", "aelint-all"}
    rev = str(repo["rev"])
    if not (ROOT / ".git").exists():
        pytest.skip("the README's rev is checked against this project's git history")
    shown = subprocess.run(["git", "show", f"{rev}:.pre-commit-hooks.yaml"], cwd=ROOT, capture_output=True, text=True)
    assert shown.returncode == 0, f"README's rev {rev} is not a commit of this repository with hooks"
    assert named <= {hook["id"] for hook in yaml.safe_load(shown.stdout)}
    current = {hook["id"]: hook for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert current["aelint"]["require_serial"] is True and current["aelint-all"]["pass_filenames"] is False


def test_hook_fails_on_bad_catalogs_in_one_serial_run(catalogs, hook_source):
    env = hook_source[2]
    (catalogs / "notes.txt").write_text("Mug Mug Mug\n")
    passed = pre_commit(catalogs, env, "aelint", "--files", "good.csv", "notes.txt")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert re.search(r"aelint \(AliExpress catalog lint\)\.+Passed", passed.stdout)

    for n in range(4):
        (catalogs / f"bad{n}.csv").write_text(BAD)
    names = ["good.csv", *(f"bad{n}.csv" for n in range(4))]
    failed = pre_commit(catalogs, env, "aelint", "--files", *names)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    output = hook_output(failed, "aelint")
    assert "bad0.csv:2:1: AE102 [error]" in output
    summaries = [line for line in output.splitlines() if line.startswith("Found ")]
    assert summaries == ["Found 4 errors, 0 warnings, 0 info in 5 files (5 products, 5 rows; AliExpress rules); "
                         "4 fixable with --fix"]  # one process


def test_hook_matches_every_catalog_extension_in_any_case(catalogs, hook_source):
    env = hook_source[2]
    (catalogs / "UPPER.CSV").write_text(BAD)
    (catalogs / "legacy.XLS").write_bytes(b"not a workbook at all")
    (catalogs / "calc.Ods").write_bytes(b"not a workbook at all")
    (catalogs / "tabs.tsv").write_text(BAD.replace(",", "\t"))
    result = pre_commit(catalogs, env, "aelint", "--files", "UPPER.CSV", "legacy.XLS", "calc.Ods", "tabs.tsv")
    output = hook_output(result, "aelint")
    assert result.returncode == 1 and "exit code: 2" in output, result.stdout
    assert "UPPER.CSV:2:1: AE102" in output and "tabs.tsv:2:1: AE102" in output
    assert "legacy.XLS" in output and "calc.Ods" in output  # read and refused: exit 2, never skipped


def test_whole_repository_hook_runs_when_an_image_or_the_settings_change(catalogs, hook_source):
    env = hook_source[2]
    assert pre_commit(catalogs, env, "aelint-all", "--files", "images/mug.png").returncode == 0
    (catalogs / "images" / "mug.png").write_bytes(b"a broken upload")  # AE304 image-unreadable, an error
    only_catalogs = pre_commit(catalogs, env, "aelint", "--files", "images/mug.png")
    assert only_catalogs.returncode == 0 and "no files to check" in only_catalogs.stdout
    image = pre_commit(catalogs, env, "aelint-all", "--files", "images/mug.png")
    assert image.returncode == 1 and "good.csv:2" in hook_output(image, "aelint-all") and "AE304" in image.stdout

    from PIL import Image

    Image.new("RGB", (1000, 1000), "white").save(catalogs / "images" / "mug.png")
    (catalogs / "aelint.toml").write_text('select = ["AE101"]\n[thresholds]\ntitle_max_length = 10\n')
    settings = pre_commit(catalogs, env, "aelint-all", "--files", "aelint.toml")
    assert settings.returncode == 1 and "good.csv:2:1: AE101" in hook_output(settings, "aelint-all")


def test_exclude_setting_and_gitignore_keep_non_catalogs_out(catalogs, hook_source):
    env = hook_source[2]
    (catalogs / "orders").mkdir()
    (catalogs / "orders" / "export.csv").write_text("Order,Amount\n1,3\n")  # not a catalog
    (catalogs / "build").mkdir()
    (catalogs / "build" / "copy.csv").write_text("Order,Amount\n1,3\n")
    (catalogs / ".gitignore").write_text("build/\n")  # before anything is added: tracked files are never ignored
    blocked = pre_commit(catalogs, env, "aelint", "--files", "orders/export.csv", "good.csv")
    assert blocked.returncode == 1 and "orders/export.csv: no recognisable header" in blocked.stdout
    (catalogs / "aelint.toml").write_text('select = ["AE101"]\nexclude = ["orders/*.csv"]\n')
    named = pre_commit(catalogs, env, "aelint", "--files", "orders/export.csv", "good.csv")
    assert named.returncode == 0, named.stdout
    whole = pre_commit(catalogs, env, "aelint-all", "--files", "aelint.toml")
    assert whole.returncode == 0, whole.stdout  # build/ is git-ignored, orders/ excluded
    (catalogs / ".gitignore").unlink()
    assert pre_commit(catalogs, env, "aelint-all", "--files", "aelint.toml").returncode == 1
