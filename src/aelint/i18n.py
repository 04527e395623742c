"""Languages of aelint's own texts: messages, summaries, rule docs (English, Simplified Chinese, Russian).

The language is chosen once per run (`--lang`, else the `lang` setting, else LANGUAGE / LC_ALL /
LC_MESSAGES / LANG, else English) and held in a context variable, so nothing is baked in at import:
`_()` and `ngettext()` translate with whatever translation the current run activated (`using(lang)`).
A message without a translation stays English. Catalogs are gettext .po/.mo files under
`aelint/locale/<lang>/LC_MESSAGES/aelint.mo`; `python -m aelint.i18n` re-extracts and compiles them.

Messages are constant templates with named placeholders, `_("title is {length} characters").format(...)`,
so translators can move the placeholders; values quoted from the catalog are placeholder values and stay
as the seller wrote them. Texts defined at import time are marked with `N_()` and translated where used.
"""

from __future__ import annotations

import gettext
import re
import sys
import textwrap
import unicodedata
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path

DOMAIN = "aelint"
LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES = ("en", "zh", "ru")
ENVIRONMENT_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")  # after LANGUAGE, in gettext's order

_translation: ContextVar[gettext.NullTranslations] = ContextVar("aelint_translation")
_click_speaks: ContextVar[bool] = ContextVar("aelint_click_speaks", default=False)  # inside command_line()


@lru_cache(maxsize=len(LANGUAGES))
def translation(lang: str) -> gettext.NullTranslations:
    """The compiled catalog of `lang` (English, or a missing catalog: messages as written)."""
    if lang == "en":
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=[lang], fallback=True)


def _active() -> gettext.NullTranslations:
    return _translation.get(None) or translation("en")


def _(message: str) -> str:
    """`message` in the run's language (English when it has no translation)."""
    return _active().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of `singular`/`plural` for the count `n`, in the run's language."""
    return _active().ngettext(singular, plural, n)


def plural_forms(singular: str, plural: str) -> dict[str, str]:
    """Every form of a counted message in the run's language, keyed by the CLDR plural category a browser's
    Intl.PluralRules gives (one, few, many, other): what the HTML report's script chooses from."""
    samples = {"one": 1, "few": 2, "many": 5, "other": 5 if current_language() == "ru" else 2}
    return {category: ngettext(singular, plural, n) for category, n in samples.items()}


def N_(message: str) -> str:
    """Mark a text defined at import time for extraction; translate it with `_()` where it is used."""
    return message


def N_plural(singular: str, plural: str) -> tuple[str, str]:
    """Mark a counted text defined at import time for extraction; translate it with `ngettext()` where used."""
    return singular, plural


SEVERITY_LABELS = {"error": N_("error"), "warning": N_("warning"), "info": N_("info")}


def severity_label(severity: str) -> str:
    """'error' / 'warning' / 'info' as people read it in the run's language (machines keep the English)."""
    return _(SEVERITY_LABELS[severity])


def current_language() -> str:
    active = _translation.get(None)
    return next((lang for lang in LANGUAGES if translation(lang) is active), "en")


@contextmanager
def using(lang: str) -> Iterator[None]:
    """Translate into `lang` inside the block (one run, one thread or task)."""
    token = _translation.set(translation(lang))
    try:
        yield
    finally:
        _translation.reset(token)


def switch_to(lang: str) -> None:
    """Translate into `lang` from here to the end of the enclosing `using()` or `command_line()` block, which
    then restores the language from before it: for a choice made part-way through a run (the command line's,
    once the catalog's settings file is known) that must also hold for the error the run ends with."""
    _translation.set(translation(lang))


# Click's own words (usage errors, "Error:", "Try ... for help."). Click marks them for gettext and asks for
# each as it writes it, through the names `_` and `ngettext` its modules bound to gettext.gettext and
# gettext.ngettext on import, which read gettext's process-wide domain and the locale's environment variables.
# The command line does not set those (a library user and any other click program in the process would see
# them, and --lang would have to be written into the environment); it rebinds the two names in click's modules
# to delegates that answer from aelint's catalog inside `command_line()` and call gettext's functions
# everywhere else, so outside an aelint command line click is unchanged.

def _delegate(original, translated):
    def delegate(*args):
        return translated(*args) if _click_speaks.get() else original(*args)
    return delegate


def _let_click_speak() -> None:
    """Rebind `_` and `ngettext` in click's loaded modules (once: a delegate is not gettext's function)."""
    pairs = (("_", gettext.gettext, _), ("ngettext", gettext.ngettext, ngettext))
    for name, module in list(sys.modules.items()):
        if name == "click" or name.startswith("click."):
            for attribute, original, translated in pairs:
                if getattr(module, attribute, None) is original:
                    setattr(module, attribute, _delegate(original, translated))


@contextmanager
def command_line(lang: str) -> Iterator[None]:
    """The command line's run: aelint's texts and click's own (usage errors, help) in `lang` inside the block."""
    _let_click_speak()
    speaking = _click_speaks.set(True)
    try:
        with using(lang):
            yield
    finally:
        _click_speaks.reset(speaking)


def supported(code: str | None) -> str | None:
    """'zh_CN.UTF-8' -> 'zh', 'ru' -> 'ru', 'C' -> 'en'; None for a language aelint does not speak."""
    if not code:
        return None
    base = re.split(r"[_.@-]", code.strip(), maxsplit=1)[0].lower()
    if base in ("c", "posix"):
        return "en"
    return base if base in LANGUAGES else None


def language_from_environment(environ: Mapping[str, str]) -> str:
    """gettext's order: the first language of LANGUAGE aelint speaks, else the locale that is set."""
    for code in environ.get("LANGUAGE", "").split(":"):
        if found := supported(code):
            return found
    for name in ENVIRONMENT_VARIABLES:
        if environ.get(name):
            return supported(environ[name]) or "en"
    return "en"


def choose_language(option: str | None, setting: str | None, environ: Mapping[str, str]) -> str:
    """--lang, else the `lang` setting, else the environment, else English."""
    return option or setting or language_from_environment(environ)


# Rule documentation: a check's docstring translated paragraph by paragraph.

DOC_HEADINGS = (N_("What it does:"), N_("Why is this bad:"), N_("Example:"), N_("Options:"))
SOURCE_HEADING = N_("Source:")


def doc_paragraphs(doc: str) -> list[tuple[str, str]]:
    """A rule docstring as (heading, text) pairs; heading is '' for the summary line, text has single spaces.

    The first pair is the summary ('AE101 title-too-long: ' removed); 'Source:' is a heading of its own.
    """
    blocks = [b for b in re.split(r"\n\s*\n", doc.strip()) if b.strip()]
    pairs: list[tuple[str, str]] = []
    for index, block in enumerate(blocks):
        first, _sep, rest = block.partition("\n")
        if index == 0:
            pairs.append(("", " ".join((first.split(":", 1)[-1] + " " + rest).split())))
        elif first.strip() in DOC_HEADINGS:
            pairs.append((first.strip(), " ".join(rest.split())))
        elif first.startswith(SOURCE_HEADING):
            pairs.append((SOURCE_HEADING, " ".join(block.removeprefix(SOURCE_HEADING).split())))
        else:
            pairs.append(("", " ".join(block.split())))
    return pairs


def width(text: str) -> int:
    """Terminal columns: wide and full-width characters (CJK) take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def ljust(text: str, columns: int) -> str:
    """Pad to `columns` terminal columns, counting wide characters twice."""
    return text + " " * max(0, columns - width(text))


NO_LINE_START = frozenset("，。、；：！？）」』】》”’,.;:!?)")  # punctuation a CJK line may not start with


def wrap(text: str, columns: int, indent: str = "") -> str:
    """Wrap at `columns` terminal columns; text without spaces (Chinese) may break between any two characters."""
    if " " in text and not any(unicodedata.east_asian_width(ch) in "WF" for ch in text):
        return textwrap.fill(text, columns, initial_indent=indent, subsequent_indent=indent)
    lines: list[str] = []
    line = indent
    for token in re.findall(r"[\x21-\x7e\u00a0-\u10ff]+|\s|.", text):
        if width(line) + width(token) > columns and line.strip() and token not in NO_LINE_START:
            lines.append(line.rstrip())
            line = indent
            if token.isspace():
                continue
        line += token
    lines.append(line.rstrip())
    return "\n".join(lines)


def translate_doc(code: str, name: str, doc: str) -> str:
    """A rule's docstring in the run's language (English as written)."""
    if _active() is translation("en"):
        return doc
    out: list[str] = []
    for index, (heading, text) in enumerate(doc_paragraphs(doc)):
        if index == 0:
            out.append(f"{code} {name}: {_(text)}")
        elif heading == SOURCE_HEADING:
            label = _(heading)
            out.append(wrap(label + ("" if label.endswith("：") else " ") + _(text), 104))
        elif heading:
            out.append(f"{_(heading)}\n{wrap(_(text), 104, '    ')}")
        else:  # a further paragraph of the section above
            out.append(wrap(_(text), 104, "    "))
    return "\n\n".join(out)


def translate_summary(summary: str) -> str:
    """A rule's summary line in the run's language."""
    text = " ".join(summary.split())
    return _(text)
