"""Maintaining the translation catalogs: `python -m aelint.translations` (needs Babel: pip install -e '.[i18n]').

    python -m aelint.translations            extract, update every .po, compile every .mo (the usual run)
    python -m aelint.translations extract    write locale/aelint.pot from the sources and rule docstrings
    python -m aelint.translations update     merge the template into each locale/<lang>/LC_MESSAGES/aelint.po
    python -m aelint.translations compile    compile each .po into its .mo (fuzzy entries are left out)

Messages come from `_()`, `N_()`, `ngettext()` and `N_plural()` calls in src/aelint and checks/; rule documentation comes
from each check's docstring, one message per paragraph (see `aelint.i18n.doc_paragraphs`).
"""

from __future__ import annotations

import ast
import io
import sys
import tomllib
from datetime import datetime, timezone
from pathlib import Path

from aelint.i18n import DOMAIN, LANGUAGES, LOCALE_DIR, doc_paragraphs
from aelint.registry import CODE_RE

PACKAGE_DIR = Path(__file__).parent
CHECKS_DIR = PACKAGE_DIR.parents[1] / "checks"  # the source tree's checks/ (installed as aelint.checks)
TEMPLATE = LOCALE_DIR / f"{DOMAIN}.pot"
# Fixed so that extracting again changes the files only when the messages change.
TEMPLATE_DATE = datetime(2026, 1, 1, tzinfo=timezone.utc)
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "N_plural": (1, 2), "plural_forms": (1, 2)}
# Rule data packs whose entries' `category` is shown in messages (translated with _() where shown). The
# special categories stay English: they are the names a user writes in approved_special_categories.
PACKS_WITH_SHOWN_CATEGORIES = ("promotional", "prohibited", "recalled", "medical_devices", "ce_scope",
                               "authorization_categories")


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(lang: str) -> Path:
    return po_path(lang).with_suffix(".mo")


def _source_dirs() -> list[Path]:
    if not CHECKS_DIR.is_dir():
        raise SystemExit(f"{CHECKS_DIR}: not found; run this from a source checkout (pip install -e .)")
    return [PACKAGE_DIR, CHECKS_DIR]


def template():
    """Every message of the sources and every paragraph of every rule docstring, as a Babel catalog."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_file

    catalog = Catalog(project="aelint", domain=DOMAIN, creation_date=TEMPLATE_DATE, fuzzy=False,
                      copyright_holder="aelint contributors")
    for folder in _source_dirs():
        for path in sorted(folder.glob("*.py")):
            where = f"{folder.name}/{path.name}"
            for lineno, message, comments, context in extract_from_file("python", path, keywords=KEYWORDS):
                catalog.add(message, locations=[(where, lineno)], auto_comments=comments, context=context)
            if folder == CHECKS_DIR:
                _add_docstring(catalog, path, where)
    for pack in PACKS_WITH_SHOWN_CATEGORIES:
        data = tomllib.loads((CHECKS_DIR / f"{pack}.toml").read_text(encoding="utf-8"))
        for category in sorted({entry["category"] for entry in data.get("terms", []) if entry.get("category")}):
            catalog.add(category, locations=[(f"checks/{pack}.toml", 1)], auto_comments=["rule data category"])
    return catalog


def _add_docstring(catalog, path: Path, where: str) -> None:
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
    code = (doc or "").split(" ", 1)[0]
    if not doc or not CODE_RE.match(code):
        return
    for index, (heading, text) in enumerate(doc_paragraphs(doc)):
        if text:
            what = f"{code} {heading.rstrip(':') or ('summary' if index == 0 else 'paragraph')}"
            catalog.add(text, locations=[(where, 1)], auto_comments=[f"rule doc: {what}"])


def extract() -> None:
    from babel.messages.pofile import write_po

    catalog = template()  # before the file is opened: a source that does not parse leaves the old template
    TEMPLATE.parent.mkdir(parents=True, exist_ok=True)
    with TEMPLATE.open("wb") as out:
        write_po(out, catalog, width=110, include_lineno=False, sort_output=True)


def update() -> None:
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po, write_po

    with TEMPLATE.open("rb") as source:
        pot = read_po(source)
    for lang in LANGUAGES[1:]:
        path = po_path(lang)
        if path.exists():
            with path.open("rb") as source:
                catalog = read_po(source, locale=lang)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            catalog = Catalog(locale=lang, domain=DOMAIN, project="aelint", creation_date=TEMPLATE_DATE,
                              revision_date=TEMPLATE_DATE, copyright_holder="aelint contributors",
                              last_translator="aelint contributors", language_team=f"aelint {lang}",
                              fuzzy=False)
        catalog.update(pot, update_creation_date=False)
        with path.open("wb") as out:
            write_po(out, catalog, width=110, include_lineno=False, sort_output=True, ignore_obsolete=True)


def compiled(lang: str) -> bytes:
    """The .mo bytes the .po of `lang` compiles to (what `compile` writes and the tests compare)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po_path(lang).open("rb") as source:
        catalog = read_po(source, locale=lang)
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def compile_all() -> None:
    for lang in LANGUAGES[1:]:
        mo_path(lang).write_bytes(compiled(lang))


def main(argv: list[str]) -> None:
    steps = {"extract": [extract], "update": [update], "compile": [compile_all],
             "all": [extract, update, compile_all]}
    command = argv[0] if argv else "all"
    if command not in steps or len(argv) > 1:
        raise SystemExit(__doc__)
    for step in steps[command]:
        step()


if __name__ == "__main__":
    main(sys.argv[1:])
