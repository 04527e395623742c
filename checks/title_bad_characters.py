"""AE107 title-bad-characters: emoji, decorative symbols, shouting punctuation, HTML or stray spaces.

What it does:
    Reports, in one message per title, characters that do not belong in a product title:
    emoji and decorative symbols (★ ♥ ✔ ☀), repeated punctuation (!!, ??, ***, ~~, ....), HTML tags and
    entities (<b>, &amp;), control and invisible characters (zero-width spaces, U+FFFD from a broken
    encoding). Leading, trailing and repeated spaces (also tabs, line breaks and non-breaking spaces)
    are reported separately with a safe fix that only normalises the spaces. Full-width punctuation,
    letters and digits from a Chinese input method (（ ） 【 】 ， ！ Ａ １, the ideographic space) are
    reported with the spaces, and the fix gives their ASCII forms ("Tops（S-5XL）" -> "Tops (S-5XL)");
    not when the catalog's `language` is Chinese, Japanese or Korean, where they are ordinary.

    Where the marketplace refuses some symbols outright (`title_refused_symbols`; on Wish "! @ # $ % *",
    the "meaningless symbols" of its title guidance), each of them is reported even when it stands alone
    ("Men's Shirt #1", "Summer Dress!").

Why is this bad:
    Wish and Joom reject titles like "Best Price!!! ***CHEAP***"; AliExpress titles with symbols and
    markup look like spam, break search matching, and invisible characters make equal titles differ.

Example:
    "★ Summer Dress ★" fires (decorative symbol); "Summer Dress!!!" fires (repeated punctuation);
    "  Summer  Dress " fires with the fix "Summer Dress"; "Women Vest【Hot】，Cotton Top（S-5XL）" fires
    with the fix "Women Vest [Hot], Cotton Top (S-5XL)". "Dress, Size S/M - 100% Cotton (Blue)" does not.

Options:
    language (top-level key, default "en"): full-width characters are not reported for zh, ja and ko.
    title_refused_symbols (text): symbols refused even alone; set by the marketplace profile
    (AliExpress: none; Wish: "!@#$%*").

Source: Wish/Joom title rules ("Best Price!!! ***CHEAP***" is rejected; Wish merchant FAQ 1260805100070:
"do not add meaningless symbols such as ! @ # $ % *"); seller FAQ 37.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

from pydantic import BaseModel, ConfigDict

from aelint.text import TEXT_CACHE_SIZE
from aelint.i18n import _, current_language, ngettext
from aelint.model import Fix, Problem, Product

CODE = "AE107"
NAME = "title-bad-characters"
SEVERITY = "warning"

REPEATED_RE = re.compile(r"([!?*~#$@^=_])\1+|!\?|\?!|\.{4,}")
HTML_RE = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>|&(?:[a-zA-Z]{2,8}|#\d{2,6}|#x[0-9a-fA-F]{2,5});")
SPACE_PROBLEM_RE = re.compile(r"^\s|\s$|\s\s|[^\S ]")
# Symbols that are ordinary in titles: currency, maths, degree, registered marks are left to other rules.
ALLOWED_SYMBOLS = frozenset("°±×÷·•©®™€£$¥₽₹%&+=<>|~^`´¨¸ºª№")
INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad\ufffd")
# CJK punctuation without an ASCII compatibility form, with the ASCII a Latin-script title uses instead.
CJK_PUNCTUATION = {"、": ", ", "。": ". ", "【": " [", "】": "] ", "〔": " [", "〕": "] ", "〖": " [", "〗": "] ",
                   "「": ' "', "」": '" ', "『": ' "', "』": '" ', "《": ' "', "》": '" ', "〈": ' "', "〉": '" '}
# Full-width ASCII variants whose ASCII form needs a space on one side in a Latin-script title.
SPACED = {"（": " (", "）": ") ", "，": ", ", "；": "; ", "：": ": ", "！": "! ", "？": "? "}
CJK_LANGUAGES = frozenset({"zh", "ja", "ko"})
TIGHT_BEFORE_RE = re.compile(r"\s+([,.;:!?)\]])")
TIGHT_AFTER_RE = re.compile(r"([(\[])\s+")


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)  # validator built on first use
    language: str = "en"
    title_refused_symbols: str = ""
    marketplace_name: str = "AliExpress"


def _is_full_width(ch: str) -> bool:
    code = ord(ch)
    return 0xFF01 <= code <= 0xFF5E or code == 0x3000 or ch in CJK_PUNCTUATION


@lru_cache(maxsize=TEXT_CACHE_SIZE)
def _full_width(title: str) -> tuple[str, ...]:
    """Distinct full-width characters of the title, in order (none for most titles)."""
    if title.isascii():
        return ()
    return tuple(dict.fromkeys(ch for ch in title if ord(ch) >= 0x3000 and _is_full_width(ch)))


def _ascii_forms(title: str) -> str:
    """The title with full-width characters in their ASCII forms and spaces normalised."""
    out = []
    for ch in title:
        if ch in SPACED or ch in CJK_PUNCTUATION:
            out.append(SPACED.get(ch) or CJK_PUNCTUATION[ch])
        elif _is_full_width(ch):
            out.append(unicodedata.normalize("NFKC", ch))
        else:
            out.append(ch)
    spaced = " ".join("".join(out).split())
    return TIGHT_AFTER_RE.sub(r"\1", TIGHT_BEFORE_RE.sub(r"\1", spaced))


@lru_cache(maxsize=TEXT_CACHE_SIZE)
def _bad_characters(title: str, language: str) -> tuple[str, ...]:
    """What does not belong in a title, described in `language` (computed once per distinct title)."""
    found: list[str] = []
    if not title.isascii():
        symbols: list[str] = []
        controls = 0
        for ch in title:
            if ord(ch) < 0x2000 and ch not in INVISIBLE:
                if ord(ch) >= 0x7F and unicodedata.category(ch) == "Cc":
                    controls += 1
                continue
            if ch in INVISIBLE:
                controls += 1
                continue
            category = unicodedata.category(ch)
            if category in ("So", "Sk", "Cs", "Co") and ch not in ALLOWED_SYMBOLS:
                if ch not in symbols:
                    symbols.append(ch)
            elif category in ("Cc", "Cf"):
                controls += 1
        if symbols:
            found.append(_("emoji or symbols {symbols}").format(symbols=" ".join(symbols[:5])))
        if controls:
            found.append(ngettext("{count} invisible or control character", "{count} invisible or control characters",
                                  controls).format(count=controls))
    else:
        controls = 0 if title.isprintable() else sum(
            1 for ch in title if ord(ch) < 32 and ch not in "\t\n\r" or ord(ch) == 127)
        if controls:
            found.append(ngettext("{count} control character", "{count} control characters", controls).format(
                count=controls))
    repeated = [m.group(0) for m in REPEATED_RE.finditer(title)]
    if repeated:
        found.append(_("repeated punctuation {marks}").format(marks=" ".join(dict.fromkeys(repeated))))
    if ("<" in title or "&" in title) and HTML_RE.search(title):
        found.append(_("HTML {tags}").format(tags=" ".join(dict.fromkeys(m.group(0) for m in HTML_RE.finditer(title)))))
    return tuple(found)


# What an ASCII title must have for check_product to report it (a superset): characters outside printable
# ASCII, spaces at an end or doubled, the repeated punctuation of REPEATED_RE, the start of HTML.
SUSPECT_RE = r"[^ -~]|^ | $|  |!!|\?\?|\*\*|~~|##|\$\$|@@|\^\^|==|__|!\?|\?!|\.\.\.\.|[<&]"


def prefilter(table, options: Options):
    """Only a title with a character outside printable ASCII, stray spaces, repeated punctuation, the
    start of HTML or a refused symbol can have bad characters."""
    title = table.text("title")
    suspect = title.str.contains(SUSPECT_RE)
    for symbol in options.title_refused_symbols:
        suspect = suspect | title.str.contains(symbol, literal=True)
    return suspect


def check_product(product: Product, options: Options) -> Iterator[Problem]:
    title = product.title
    if not title:
        return
    found = _bad_characters(title, current_language())
    refused = options.title_refused_symbols
    if refused and any(ch in title for ch in refused):
        alone = HTML_RE.sub("", REPEATED_RE.sub("", title))  # runs ("!!!") and entities (&#39;) are reported already
        symbols = [ch for ch in dict.fromkeys(alone) if ch in refused]
        if symbols:
            found = (*found, _("symbols {marketplace} refuses in titles: {symbols}").format(
                marketplace=options.marketplace_name, symbols=" ".join(symbols)))
    if found:
        yield Problem(_("title has {problems}").format(problems=_("; ").join(found)), product,
                      cell=product.cell("title"))
    fixable = []
    wide = _full_width(title) if options.language.lower().split("-")[0] not in CJK_LANGUAGES else ()
    if wide:
        marks = [ch for ch in wide if not ch.isalnum() and not ch.isspace()]
        shown = " ".join(marks[:6])
        if len(marks) < len(wide):
            shown = (_("{marks} and letters, digits or spaces").format(marks=shown) if shown
                     else _("letters, digits or spaces"))
        fixable.append(_("full-width characters {characters} (from a Chinese input method)").format(characters=shown))
    if SPACE_PROBLEM_RE.search(title):
        fixable.append(_("leading, trailing or repeated spaces (or tabs/line breaks)"))
    if fixable:
        fixed = _ascii_forms(title) if wide else " ".join(title.split())
        if fixed and fixed != title:
            yield Problem(_("title has {problems}").format(problems=_("; ").join(fixable)), product,
                          cell=product.cell("title"), fix=Fix("title", fixed))
