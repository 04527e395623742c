"""Languages: choosing one, falling back to English, complete catalogs, and the example catalog in each language."""

from __future__ import annotations

import json
import re
import string
import textwrap
import threading

import pytest
from click.testing import CliRunner

from aelint import i18n
from aelint.cli import main
from aelint.i18n import _, choose_language, language_from_environment, ngettext, using, width
from conftest import ROOT

babel = pytest.importorskip("babel", reason="the catalog tests need Babel (pip install -e '.[test]')")
from babel.messages.pofile import read_po  # noqa: E402

from aelint import translations  # noqa: E402

EXPECTED = ROOT / "tests" / "expected"
TRANSLATED = i18n.LANGUAGES[1:]


def _po(lang: str):
    with translations.po_path(lang).open("rb") as source:
        return read_po(source, locale=lang)


def _fields(text: str) -> set[str]:
    """The named placeholders of a template; rule docs are not templates and may hold lone braces."""
    try:
        return {name for _literal, name, _spec, _conv in string.Formatter().parse(text) if name is not None}
    except ValueError:
        return set(re.findall(r"\{[^{}]*\}", text))


@pytest.mark.parametrize("environ, expected", [
    ({"LANG": "zh_CN.UTF-8"}, "zh"),
    ({"LANG": "ru_RU.UTF-8"}, "ru"),
    ({"LC_ALL": "ru_RU.UTF-8", "LANG": "zh_CN.UTF-8"}, "ru"),  # LC_ALL wins over LANG
    ({"LC_ALL": "de_DE.UTF-8", "LANG": "ru_RU.UTF-8"}, "en"),  # the locale in force is one aelint lacks
    ({"LANGUAGE": "fr:ru:en", "LANG": "zh_CN.UTF-8"}, "ru"),  # LANGUAGE is a list of preferences
    ({"LANGUAGE": "fr", "LANG": "zh_CN.UTF-8"}, "zh"),
    ({"LANG": "C.UTF-8"}, "en"),
    ({"LANG": "zh_TW.UTF-8"}, "zh"),
    ({}, "en"),
])
def test_language_from_environment(environ, expected):
    assert language_from_environment(environ) == expected


def test_option_beats_setting_beats_environment():
    assert choose_language("ru", "zh", {"LANG": "en_US"}) == "ru"
    assert choose_language(None, "zh", {"LANG": "ru_RU"}) == "zh"
    assert choose_language(None, None, {"LANG": "ru_RU"}) == "ru"


def test_translation_is_per_context_and_restored():
    assert _("Options:") == "Options:"
    with using("ru"):
        assert _("Options:") != "Options:"
        seen = []
        thread = threading.Thread(target=lambda: seen.append(_("Options:")))
        thread.start()
        thread.join()
        assert seen == ["Options:"], "another thread must not see this run's language"
        with using("zh"):
            assert i18n.current_language() == "zh"
        assert i18n.current_language() == "ru"
    assert i18n.current_language() == "en" and _("Options:") == "Options:"


def test_missing_translation_falls_back_to_english():
    with using("zh"):
        assert _("a message nobody translated {n}").format(n=3) == "a message nobody translated 3"
        assert ngettext("{n} apple nobody translated", "{n} apples", 2).format(n=2) == "2 apples"
    i18n.translation.cache_clear()
    assert isinstance(i18n.translation("xx"), i18n.gettext.NullTranslations)


def test_russian_plural_forms():
    with using("ru"):
        forms = [ngettext("{n} error", "{n} errors", n).format(n=n) for n in (1, 2, 5, 21)]
    assert forms == ["1 ошибка", "2 ошибки", "5 ошибок", "21 ошибка"]


def test_template_is_up_to_date_with_the_sources():
    with translations.TEMPLATE.open("rb") as source:
        committed = {m.id for m in read_po(source) if m.id}
    current = {m.id for m in translations.template() if m.id}
    assert current - committed == set(), "new messages: run python -m aelint.translations and translate them"
    assert committed - current == set(), "stale messages: run python -m aelint.translations"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_message_is_translated_with_its_placeholders(lang):
    with translations.TEMPLATE.open("rb") as source:
        wanted = {m.id for m in read_po(source) if m.id}
    catalog = _po(lang)
    problems = []
    for message_id in sorted(wanted, key=str):
        message = catalog.get(message_id)
        ids = message_id if isinstance(message_id, tuple) else (message_id,)
        strings = message.string if message and isinstance(message.string, tuple) else (message.string,) if message else ("",)
        if message is None or message.fuzzy or not all(strings):
            problems.append(f"untranslated: {ids[0][:70]!r}")
            continue
        for text in strings:
            if _fields(text) != _fields(ids[-1]) and _fields(text) != _fields(ids[0]):
                problems.append(f"placeholders differ: {ids[0][:70]!r} -> {text[:70]!r}")
    assert not problems, f"{lang}: {len(problems)} problems:\n" + "\n".join(problems[:40])


@pytest.mark.parametrize("lang", TRANSLATED)
def test_compiled_catalog_matches_its_po(lang):
    assert translations.mo_path(lang).read_bytes() == translations.compiled(lang), (
        f"{translations.mo_path(lang)} is stale: run python -m aelint.translations compile")


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_example_catalog_in_each_language(lang, request, monkeypatch):
    """The whole text report of examples/catalog.csv, pinned per language (review the diff)."""
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(main, ["examples/catalog.csv", "--no-images", "--no-cache", "--lang", lang],
                                env={"NO_COLOR": "1"}, catch_exceptions=False)
    assert result.exit_code == 1
    expected = EXPECTED / f"example.{lang}.txt"
    if request.config.getoption("--update-fixtures"):
        expected.write_text(result.output, encoding="utf-8")
    assert result.output == expected.read_text(encoding="utf-8")
    if lang != "en":
        assert '"Dress"' in result.output, "catalog text quoted in a message stays as the seller wrote it"
        assert "AE102" in result.output and "examples/catalog.csv:4:2: AE102" in result.output


def test_machine_formats_keep_their_english_structure(monkeypatch):
    monkeypatch.chdir(ROOT)
    runner = CliRunner()
    english = runner.invoke(main, ["examples/catalog.csv", "--no-images", "--format", "json", "--lang", "en"])
    chinese = runner.invoke(main, ["examples/catalog.csv", "--no-images", "--format", "json", "--lang", "zh"])
    import json

    en, zh = json.loads(english.output), json.loads(chinese.output)
    assert en["summary"] == zh["summary"]
    assert [(d["code"], d["rule"], d["severity"], d["row"]) for d in en["diagnostics"]] == \
        [(d["code"], d["rule"], d["severity"], d["row"]) for d in zh["diagnostics"]]
    assert [d["message"] for d in en["diagnostics"]] != [d["message"] for d in zh["diagnostics"]]


@pytest.mark.parametrize("lang, script", [("zh", r"[\u4e00-\u9fff]"), ("ru", r"[а-яА-Я]")])
def test_catalog_wide_rules_speak_the_report_language_from_their_thread(monkeypatch, lang, script):
    """The catalog-wide rules' collectors take each batch on a second thread (aelint.threads.beside, two cores
    forced here): their messages are in the report's language all the same."""
    from aelint import threads
    from aelint.registry import load_checks

    monkeypatch.setattr(threads, "cores", lambda: 2)
    monkeypatch.chdir(ROOT)
    catalog_wide = {check.code for check in load_checks() if not check.per_product}
    output = CliRunner().invoke(main, ["examples/catalog.csv", "--no-images", "--format", "json", "--lang", lang]).output
    said = [d["message"] for d in json.loads(output)["diagnostics"] if d["code"] in catalog_wide]
    assert len(said) >= 10, "the example catalog has findings of several catalog-wide rules"
    assert all(re.search(script, message) for message in said), said


def test_version_in_the_run_language():
    """--version speaks the run's language, from --lang or the environment."""
    from aelint import __version__

    runner = CliRunner()
    chinese = {"LANG": "zh_CN.UTF-8", "LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": ""}
    said = [runner.invoke(main, ["--version"], env={"LANG": "en_US.UTF-8", "LANGUAGE": "", "LC_ALL": ""}),
            runner.invoke(main, ["--lang", "ru", "--version"]),
            runner.invoke(main, ["--version"], env=chinese)]
    assert [(r.exit_code, r.output) for r in said] == [
        (0, f"aelint, version {__version__}\n"), (0, f"aelint, версия {__version__}\n"),
        (0, f"aelint，版本 {__version__}\n")]


def test_lang_setting_and_environment_reach_the_command(tmp_path):
    catalog = tmp_path / "catalog.csv"
    catalog.write_text((ROOT / "examples" / "catalog.csv").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "aelint.toml").write_text('lang = "ru"\n', encoding="utf-8")
    runner = CliRunner()
    from_setting = runner.invoke(main, [str(catalog), "--no-images", "--no-cache"], env={"LANG": "zh_CN.UTF-8"})
    assert "Найдено" in from_setting.output.splitlines()[-1]
    (tmp_path / "aelint.toml").write_text("", encoding="utf-8")
    from_environment = runner.invoke(main, [str(catalog), "--no-images", "--no-cache"],
                                     env={"LANG": "zh_CN.UTF-8", "LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": ""})
    assert "发现" in from_environment.output.splitlines()[-1]


def test_settings_errors_follow_the_language(tmp_path):
    (tmp_path / "aelint.toml").write_text('lang = "zh"\nselect = ["ZZ9"]\n', encoding="utf-8")
    catalog = tmp_path / "catalog.csv"
    catalog.write_text("Product ID,Title\n1,A title\n", encoding="utf-8")
    result = CliRunner().invoke(main, [str(catalog), "--no-images"])
    assert result.exit_code == 2
    assert "'ZZ9'" in result.output and "未知" in result.output


@pytest.mark.parametrize("lang", TRANSLATED)
def test_rule_docs_are_translated(lang):
    english = CliRunner().invoke(main, ["rule", "AE101", "--lang", "en"]).output
    translated = CliRunner().invoke(main, ["rule", "AE101", "--lang", lang]).output
    assert translated.startswith("AE101 title-too-long: ")
    assert "What it does" in english and "What it does" not in translated
    assert "title_max_length" in translated, "option names stay as written"


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_rules_columns_line_up_with_wide_characters(lang):
    lines = CliRunner().invoke(main, ["rules", "--lang", lang]).output.splitlines()
    starts = {width(m[1]) for m in (re.match(r"(AE\d{3}  \S+ +\S+ +)\S", line) for line in lines)}
    assert len(lines) > 40 and len(starts) == 1, f"{lang}: summaries start at columns {sorted(starts)}"


def test_every_check_message_goes_through_the_translation():
    """A Problem's message must be a translated template (`_()`, `ngettext()`, `.format()` of one, or a
    variable holding one), never a bare string or f-string: those would stay English in every language."""
    import ast

    def literal(node) -> bool:  # English written into the message: a string, an f-string, or one added on
        return isinstance(node, (ast.JoinedStr, ast.Constant)) or (
            isinstance(node, ast.BinOp) and (literal(node.left) or literal(node.right)))

    untranslated = []
    for path in sorted((ROOT / "checks").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Problem" and node.args:
                if literal(node.args[0]):
                    untranslated.append(f"{path.name}:{node.lineno}")
    assert not untranslated, f"wrap these messages in _(): {untranslated}"


def test_wrap_counts_wide_characters_and_keeps_punctuation_off_line_starts():
    text = "以每个商品 SKU 价格的中位数作为商品价格（所以一个便宜的 SKU 不会让商品成为异常值），与同类目的商品比较。"
    lines = i18n.wrap(text, 40, "    ").splitlines()
    assert "".join(line.strip() for line in lines).replace(" ", "") == text.replace(" ", "")
    assert all(width(line) <= 42 for line in lines)  # a closing mark (two columns) may hang over
    assert not any(line.strip()[0] in i18n.NO_LINE_START for line in lines)
    assert i18n.wrap("plain english words " * 10, 30) == textwrap.fill("plain english words " * 10, 30)


def test_every_text_of_the_html_report_script_is_in_the_catalogs():
    """The report's script looks its texts up by their English: each one must be a msgid (html_report.PAGE_TEXTS)."""
    import json

    from aelint import html_report

    script = (ROOT / "src" / "aelint" / "html_report.js").read_text(encoding="utf-8")
    literal = r'"((?:[^"\\]|\\.)*)"'
    used = {json.loads(f'"{"".join(parts)}"') for parts in
            re.findall(rf"\bt\({literal}(?:\s*\+\s*{literal})?", script)}
    assert len(used) > 20
    assert used <= set(html_report.page_texts()), sorted(used - set(html_report.page_texts()))
    counted = set(re.findall(r'plural\([^,]+,\s*"(\w+)"\)', script)) | {"error", "warning", "info"}
    assert counted <= set(html_report.page_plurals())


# Files aelint cannot read (exit 2) and images it cannot use: the reasons in the run's language.

UNREADABLE = {  # file name -> (content, English reason, Chinese reason, Russian reason)
    "empty.csv": (b"", "the file is empty", "文件为空", "файл пуст"),
    "notes.xlsx": (b"sku,title\n1,Dress\n", "this is a text (CSV) file with a workbook name; rename it to .csv",
                   "这是文本（CSV）文件，却用了工作簿的扩展名", "это текстовый (CSV) файл с расширением книги Excel"),
    "orders.csv": (b"Order ID,Order Date,Buyer Name,Shipping Address\n1,2026-01-01,Ann,Moscow\n",
                   "this looks like an orders file (columns 'Order ID'", "这看起来是订单文件（列 'Order ID'",
                   "это похоже на файл заказов (столбцы 'Order ID'"),
}


@pytest.mark.parametrize("name", sorted(UNREADABLE))
def test_unreadable_file_message_in_each_language(name, tmp_path):
    content, *reasons = UNREADABLE[name]
    (tmp_path / name).write_bytes(content)
    for lang, reason in zip(i18n.LANGUAGES, reasons):
        result = CliRunner().invoke(main, [str(tmp_path / name), "--no-images", "--no-cache", "--lang", lang],
                                    env={"NO_COLOR": "1"})
        assert result.exit_code == 2, result.output
        line = result.stderr.strip()
        assert str(tmp_path / name) in line and reason in line, (lang, line)
        if lang != "en":
            assert UNREADABLE[name][1][:12] not in line, f"{lang}: still English: {line}"


def test_missing_file_in_each_language(tmp_path):
    missing = str(tmp_path / "nope.csv")
    said = {lang: CliRunner().invoke(main, [missing, "--lang", lang]).stderr.strip() for lang in i18n.LANGUAGES}
    assert said == {"en": f"aelint: error: {missing}: no such file",
                    "zh": f"aelint：错误：{missing}: 文件不存在",
                    "ru": f"aelint: ошибка: {missing}: файл не найден"}


def _shape(value):
    """The structure of a JSON document: keys and nesting, with every string, number and flag left out."""
    if isinstance(value, dict):
        return {key: _shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_shape(item) for item in value]
    return type(value).__name__


@pytest.mark.parametrize("output_format", ["json", "sarif"])
def test_unreadable_file_keeps_machine_structures(output_format, tmp_path, monkeypatch):
    """A file that cannot be read: the JSON and SARIF documents have the same shape and the same English
    keys, levels and paths in every language; only the reason's text follows --lang."""
    import json

    monkeypatch.chdir(ROOT)
    (tmp_path / "empty.csv").write_bytes(b"")
    documents = {}
    for lang in i18n.LANGUAGES:
        result = CliRunner().invoke(main, ["examples/catalog.csv", str(tmp_path / "empty.csv"), "--no-images",
                                           "--no-cache", "--format", output_format, "--lang", lang])
        assert result.exit_code == 2
        documents[lang] = json.loads(result.stdout)
    assert _shape(documents["zh"]) == _shape(documents["en"]) == _shape(documents["ru"])
    if output_format == "json":
        failures = {lang: document["failures"] for lang, document in documents.items()}
        assert [f["path"] for f in failures["zh"]] == [f["path"] for f in failures["en"]] == [str(tmp_path / "empty.csv")]
        assert (failures["en"][0]["message"], failures["zh"][0]["message"], failures["ru"][0]["message"]) == (
            "the file is empty", "文件为空", "файл пуст")
    else:
        notes = {lang: document["runs"][0]["invocations"][0]["toolExecutionNotifications"]
                 for lang, document in documents.items()}
        assert [n["level"] for n in notes["zh"]] == [n["level"] for n in notes["en"]] == ["error"]
        assert notes["zh"][0]["locations"] == notes["en"][0]["locations"] == notes["ru"][0]["locations"]
        assert notes["en"][0]["message"]["text"].endswith(": the file is empty")
        assert "文件为空" in notes["zh"][0]["message"]["text"] and "файл пуст" in notes["ru"][0]["message"]["text"]
        rules = {lang: document["runs"][0]["tool"]["driver"]["rules"] for lang, document in documents.items()}
        assert [r["id"] for r in rules["zh"]] == [r["id"] for r in rules["en"]]


def test_image_reasons_are_stored_as_keys_and_values_and_shown_translated():
    """Facts (what the cache stores) keep a reason's key and values whatever the language; a message translates
    the key and fills in the same values (a URL, a host, a library's own words stay as they were)."""
    from aelint.images import REASON_TEMPLATES, ImageFacts, Reason, check_url

    with using("zh"):
        facts = check_url("http://img.example.com/a.jpg")
        assert facts.reason == Reason("an http URL, not https") and str(facts.reason) == "an http URL, not https"
        assert facts.reason.text() == "是 http 链接，不是 https"
        bad_host = check_url("https://127.0.0.1/a.jpg").reason
        assert bad_host == Reason("a URL whose host {host} is not a public host name", (("host", "'127.0.0.1'"),))
        assert bad_host.text() == "链接的主机 '127.0.0.1' 不是公网域名"
        stored = ImageFacts.from_json(json.loads(json.dumps(check_url("https://127.0.0.1/a.jpg").to_json())))
        assert stored.reason == bad_host, "the cache gives back the key and values, not English text"
    with using("ru"):
        assert Reason.of("a truncated {format} file", format="JPEG").text() == "обрезанный файл JPEG"
        corrupt = Reason.of("a corrupt {format} file ({error})", format="PNG", error="broken {data} stream")
        assert corrupt.text() == "повреждённый файл PNG (broken {data} stream)"
        assert Reason("is a directory").text() == "is a directory", "the system's words stay as they are"
        assert Reason("").text() == ""
    for template in REASON_TEMPLATES:  # every template translated, with its values filled in
        values = {name: "JPEG" if name == "format" else f"<{name}>"
                  for _literal, name, _spec, _conv in string.Formatter().parse(template) if name}
        reason = Reason.of(template, **values)
        assert reason.well_formed() and str(reason) == reason.text() == template.format(**values)
        for lang in TRANSLATED:
            with using(lang):
                assert reason.text() == _(template).format(**values) != str(reason), (lang, template)


def test_image_reason_in_a_message(tmp_path):
    (tmp_path / "catalog.csv").write_text("product_id,title,main_images,price,stock\n"
                                          "1,Summer cotton dress,http://img.example.com/a.jpg,9.90,5\n",
                                          encoding="utf-8")
    said = {}
    for lang in i18n.LANGUAGES:
        result = CliRunner().invoke(main, [str(tmp_path / "catalog.csv"), "--select", "AE303", "--no-cache",
                                           "--lang", lang], env={"NO_COLOR": "1"})
        said[lang] = next(line for line in result.output.splitlines() if "AE303" in line)
    assert "not found: an http URL, not https (column" in said["en"]
    assert "是 http 链接，不是 https" in said["zh"] and "http://img.example.com/a.jpg" in said["zh"]
    assert "ссылка http, а не https" in said["ru"] and "http://img.example.com/a.jpg" in said["ru"]
    on_wish = CliRunner().invoke(main, [str(tmp_path / "catalog.csv"), "--select", "AE303", "--no-cache",
                                        "--marketplace", "wish"], env={"NO_COLOR": "1"})
    line = next(line for line in on_wish.output.splitlines() if "AE303" in line)
    assert "an http URL, not https" in line and "AliExpress" not in line, "no other marketplace is named on Wish"


def test_fix_errors_and_skipped_fixes_follow_the_language(tmp_path):
    """--fix's own messages (a copy that cannot be made, a fix that is not applied, the --diff summary) are
    said in the run's language like every other message."""
    from aelint import fixer
    from aelint.model import Diagnostic, Fix

    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    for path in (first, second):
        path.write_text("Product ID,Title\nP1,Wool  Scarf\n", encoding="utf-8")
    refused = {lang: CliRunner().invoke(main, [str(first), str(second), "--no-images", "--no-cache", "--fix-output",
                                               str(tmp_path / "out.csv"), "--lang", lang]).stderr
               for lang in i18n.LANGUAGES}
    assert "--fix-output names one file, but 2 catalogs were linted" in refused["en"]
    assert "--fix-output 只能指定一个文件，但检查了 2 个目录文件" in refused["zh"]
    assert "--fix-output указывает один файл, но проверено 2 каталога" in refused["ru"]
    diff = {lang: CliRunner().invoke(main, [str(first), "--no-images", "--no-cache", "--diff", "--lang", lang],
                                     env={"NO_COLOR": "1"}).output for lang in i18n.LANGUAGES}
    assert "1 cell would change in 1 file (nothing written" in diff["en"]
    assert "将修改 1 个单元格，涉及 1 个文件" in diff["zh"] and "изменения: 1 ячейка, 1 файл" in diff["ru"]
    stale = Diagnostic(code="AE107", rule="title-bad-characters", severity="warning", message="spaces",
                       path=str(first), sheet=None, row=2, column="Title", field="title", product_id="P1",
                       sku_code=None, fix=Fix("title", "Wool Hat"), cell_value="Wool  Hat")
    with using("ru"):
        result, _data = fixer.plan(first, [stale], relint=lambda copy, codes: [])
    assert result.skipped == [f"{first}:2:Title: в ячейке уже не то значение, которое прочитало правило; не исправлено"]


HELP_COMMANDS = (["--help"], ["rules", "--help"], ["rule", "--help"], ["check", "--help"])
NO_LANGUAGE = {"LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": "", "LANG": ""}


def _help(args, tmp_path, monkeypatch, **environ) -> str:
    monkeypatch.chdir(tmp_path)  # no settings file: the environment chooses
    result = CliRunner().invoke(main, args, env={**NO_LANGUAGE, **environ}, prog_name="aelint", terminal_width=78)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_help_in_each_language(lang, tmp_path, monkeypatch, request):
    """`aelint --help` and the subcommands' help in the language chosen for output, pinned per language (as an
    80-column terminal shows it: click leaves 2 columns);
    English stays as click wrote it before the help was translated (review the diff)."""
    environ = {"LANG": {"en": "C.UTF-8", "zh": "zh_CN.UTF-8", "ru": "ru_RU.UTF-8"}[lang]}
    text = "".join(f"$ aelint {' '.join(args)}\n{_help(args, tmp_path, monkeypatch, **environ)}\n"
                   for args in HELP_COMMANDS)
    expected = EXPECTED / f"help.{lang}.txt"
    if request.config.getoption("--update-fixtures"):
        expected.write_text(text, encoding="utf-8")
    assert text == expected.read_text(encoding="utf-8")
    if lang != "en":
        assert "Show this message and exit." not in text and "Lint options" not in text
        dl_lines = [line for line in text.splitlines() if line.startswith("  -") or line.startswith(" " * 20)]
        assert dl_lines and all(width(line) <= 78 for line in dl_lines), "help wrapped by terminal columns"


def test_every_help_text_is_marked_for_translation():
    """A help text not marked with N_() is never extracted, so never translated: each one must have a
    translation in every language (which also catches a mark forgotten on a new option)."""
    texts = [main.help, *(text for _use, text in main.uses)]
    for command in main.commands.values():
        texts.append(command.help)
        texts.extend(param.help for param in command.params if getattr(param, "help", None))
    for lang in TRANSLATED:
        with using(lang):
            untranslated = [text for text in texts if _(text) == text]
        assert not untranslated, f"{lang}: {untranslated}"


def test_help_language_follows_lang_setting_and_option(tmp_path, monkeypatch):
    (tmp_path / "aelint.toml").write_text('lang = "zh"\n', encoding="utf-8")
    assert _help(["rules", "--help"], tmp_path, monkeypatch, LANG="ru_RU.UTF-8").startswith("用法：aelint rules")
    for args in (["rules", "--lang", "ru", "--help"], ["rules", "--help", "--lang", "ru"],
                 ["rule", "--help", "--lang=ru"]):
        assert _help(args, tmp_path, monkeypatch).startswith("Использование: aelint rule"), args
    assert _help(["rules", "--help", "--lang", "en"], tmp_path, monkeypatch).startswith("Usage: aelint rules")


def test_top_level_help_with_a_lang_option(tmp_path, monkeypatch):
    """`aelint --lang ru --help` (or `--help --lang ru`) is the top-level help in that language, not the lint
    command's help nor "No such option"; with a path it stays the lint command's help."""
    for args in (["--lang", "ru", "--help"], ["--help", "--lang", "ru"], ["--lang=ru", "-h"]):
        assert _help(args, tmp_path, monkeypatch).startswith("Использование: aelint [OPTIONS] PATH..."), args
    assert _help(["--lang", "zh", "x.csv", "--help"], tmp_path, monkeypatch).startswith("用法：aelint check")
