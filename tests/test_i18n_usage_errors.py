"""Click's own words in the run's language: usage errors, their usage line and hint, in Chinese and Russian;
English exactly as click writes it; and nothing changed for anyone else in the process."""

from __future__ import annotations

import gettext
import os
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from aelint import i18n
from aelint.cli import CLICK_TEXTS, main
from aelint.i18n import _, ngettext, using
from conftest import ROOT

EXPECTED = ROOT / "tests" / "expected"
NO_LANGUAGE = {"LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": "", "LANG": ""}
LOCALES = {"en": "C.UTF-8", "zh": "zh_CN.UTF-8", "ru": "ru_RU.UTF-8"}
# A command line per usage error a seller can make; none reads a file (x.csv does not exist).
USAGE_ERRORS = (
    ["--nosuch"],                            # unknown option, one suggestion
    ["--no"],                                # unknown option, several suggestions
    ["x.csv", "-Z"],                         # unknown short option, no suggestion
    ["check", "--format", "nope", "x.csv"],  # not one of the choices
    ["x.csv", "--jobs", "0"],                # out of range
    ["x.csv", "--jobs", "many"],             # not a number
    ["x.csv", "--format"],                   # option without its value
    ["x.csv", "--no-images=yes"],            # flag given a value
    ["rule"],                                # missing argument
    ["rule", "AE101", "extra"],              # extra argument
    ["x.csv", "--select", "ZZ9"],            # aelint's own message inside click's "Invalid value for"
    ["check"],                               # aelint's own usage error
    ["rules", "--marketplace", "ebay"],
)
# What click writes in English around and inside a usage error: none of it may be left in a translated run.
CLICK_ENGLISH = ("Usage:", "Try '", "for help", "Error:", "No such option", "Did you mean", "Invalid value",
                 "is not one of", "not in the range", "is not a valid", "Missing argument", "unexpected extra",
                 "requires an argument", "does not take a value")


def _run(args, tmp_path, monkeypatch, **environ):
    monkeypatch.chdir(tmp_path)  # no settings file: the environment chooses
    return CliRunner().invoke(main, args, env={**NO_LANGUAGE, **environ}, prog_name="aelint", terminal_width=78)


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_usage_errors_in_each_language(lang, tmp_path, monkeypatch, request):
    """Each usage error as the seller sees it, pinned per language; the English file is click's output from
    before click's words were translated, kept byte for byte (review the diff)."""
    runs = {tuple(args): _run(args, tmp_path, monkeypatch, LANG=LOCALES[lang]) for args in USAGE_ERRORS}
    assert {result.exit_code for result in runs.values()} == {2}, "a usage error exits 2 in every language"
    assert all(result.stdout == "" for result in runs.values()), "usage errors go to standard error"
    text = "".join(f"$ aelint {' '.join(args)}\n{result.stderr}\n" for args, result in runs.items())
    expected = EXPECTED / f"usage_errors.{lang}.txt"
    if request.config.getoption("--update-fixtures") and lang != "en":  # English is the pin, never rewritten
        expected.write_text(text, encoding="utf-8")
    assert text == expected.read_text(encoding="utf-8")
    if lang != "en":
        left = sorted({words for words in CLICK_ENGLISH if words in text})
        assert not left, f"{lang}: click's English left in usage errors: {left}"
        assert "'--nosuch'" in text and "'--no-cache'" in text and "'nope'" in text, "what the seller typed stays"


@pytest.mark.parametrize("lang, usage, error, hint", [
    ("zh", "用法：aelint check", "错误：没有选项 '--nosuch'。", "查看帮助"),
    ("ru", "Использование: aelint check", "Ошибка: Нет такого параметра '--nosuch'.", "Справка:"),
])
def test_lang_option_chooses_wherever_it_stands(lang, usage, error, hint, tmp_path, monkeypatch):
    """A usage error in the language of --lang, read from the whole command line before click parses it:
    before or after the bad option."""
    for args in (["--lang", lang, "--nosuch"], ["--nosuch", f"--lang={lang}"],
                 ["x.csv", "--nosuch", "--lang", lang]):
        result = _run(args, tmp_path, monkeypatch, LANG="C.UTF-8")
        assert result.exit_code == 2, args
        assert result.stderr.startswith(usage) and hint in result.stderr and error in result.stderr, args


def test_usage_error_follows_the_settings_file(tmp_path, monkeypatch):
    """With no --lang, the `lang` setting chooses: the current folder's for an error click finds while parsing,
    the catalog's for one found once the catalog is known; the whole message then speaks it, hint included."""
    (tmp_path / "aelint.toml").write_text('lang = "zh"\n', encoding="utf-8")
    parsing = _run(["rules", "--marketplace", "ebay"], tmp_path, monkeypatch, LANG="ru_RU.UTF-8")
    assert parsing.exit_code == 2
    assert parsing.stderr.startswith("用法：aelint rules") and "错误：" in parsing.stderr
    shop = tmp_path / "shop"
    shop.mkdir()
    (shop / "aelint.toml").write_text('lang = "ru"\n', encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    after = _run([str(shop / "x.csv"), "--in-place"], elsewhere, monkeypatch, LANG="C.UTF-8")
    assert after.exit_code == 2
    assert after.stderr.startswith("Использование: aelint check") and "Справка:" in after.stderr
    assert "Ошибка: --in-place" in after.stderr, after.stderr


def test_help_labels_of_click_are_translated(tmp_path, monkeypatch):
    """Click's help option text and the section titles, in a zh and a ru run and again in English after them
    (click keeps a command's help option: its text must not keep the first run's language; the whole help
    is pinned in test_i18n.test_help_in_each_language)."""
    for lang, labels in (("zh", ("用法：", "选项:", "显示此帮助并退出。")),
                         ("ru", ("Использование: ", "Параметры:", "Показать эту справку и выйти.")),
                         ("en", ("Usage: ", "Options:", "Show this message and exit.")),
                         ("zh", ("用法：", "选项:", "显示此帮助并退出。"))):
        result = _run(["--lang", lang, "check", "--help"], tmp_path, monkeypatch)
        assert result.exit_code == 0
        assert all(label in result.output for label in labels), (lang, result.output[:300])
        if lang != "en":
            assert not [words for words in ("Usage:", "Options:", "Show this message") if words in result.output]


def test_click_speaks_aelint_only_inside_an_aelint_run(tmp_path, monkeypatch):
    """Outside the command line's run nothing changes: click's texts stay English for a library user (even
    one translating aelint's own messages with i18n.using) and for another click program in the process;
    no gettext domain or environment variable is set."""
    domain, environment = gettext.textdomain(), dict(os.environ)
    assert _run(["--lang", "ru", "--nosuch"], tmp_path, monkeypatch).stderr.startswith("Использование:")
    assert gettext.textdomain() == domain and dict(os.environ) == environment

    @click.command()
    @click.option("--count", type=click.IntRange(min=1))
    def other(count):
        pass

    for block in (using("en"), using("ru")):
        with block:
            unknown = CliRunner().invoke(other, ["--nosuch"])
            assert unknown.exit_code == 2 and unknown.stderr == (
                "Usage: other [OPTIONS]\nTry 'other --help' for help.\n\nError: No such option '--nosuch'.\n")
            too_few = CliRunner().invoke(other, ["--count", "0"])
            assert too_few.stderr.endswith("Error: Invalid value for '--count': 0 is not in the range x>=1.\n")
            assert click.exceptions._("Error: {message}") == "Error: {message}"


def test_click_texts_are_click_s_own_and_translated():
    """Every text CLICK_TEXTS marks is one click asks gettext for (a click upgrade that renames one fails here),
    and each is translated in every language, plural forms included."""
    babel_extract = pytest.importorskip("babel.messages.extract")
    asked = set()
    for source in sorted(Path(click.__file__).parent.glob("*.py")):
        for _line, message, _comments, _context in babel_extract.extract_from_file(
                "python", source, keywords={"_": None, "ngettext": (1, 2)}):
            asked.add(message)
    assert set(CLICK_TEXTS) <= asked, sorted(map(str, set(CLICK_TEXTS) - asked))
    for lang in i18n.LANGUAGES[1:]:
        with using(lang):
            for text in CLICK_TEXTS:
                if isinstance(text, tuple):
                    assert all(ngettext(*text, n) not in text for n in (1, 2, 5)), (lang, text)
                else:
                    assert _(text) != text, (lang, text)
