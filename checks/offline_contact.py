"""AE203 offline-contact: a phone number, e-mail address, messenger handle or outside web address in the listing.

What it does:
    Reads the title and the description's visible text (HTML tags dropped) for contact details that take
    the buyer off AliExpress:
    - e-mail addresses, also written out ("sales at shop dot com", "sales(at)shop(dot)com");
    - phone numbers: international ("+86 138 0013 8000", "0086-138..."), local numbers in groups
      ("(555) 123-4567", "06 12 34 56 78", "555.123.4567") and any 7-15 digit number right after a
      contact word ("Tel:", "call", "WhatsApp");
    - messenger handles and invitations: WhatsApp, WeChat, QQ, Telegram, Skype, Line, Viber, Instagram,
      also in sellers' slang, Cyrillic and Chinese ("VX", "WX", "V信", "微信", "WA", "TG", "тг", "телеграм",
      "ватсап", "IG", "insta"), followed by a handle or number ("WeChat: shop888", "VX: shop8888", "Line
      ID: abc", "wechat id abc123", "IG @shop", "QQ 1234567890", "微信 abc123"), or named in an invitation
      ("contact us on WhatsApp", "follow us on Instagram", "пишите в телеграм", "加我微信"); wa.me and t.me
      links;
    - web addresses ("https://...", "www...") and bare domains ("myshop.com"), except AliExpress's own
      (aliexpress.com and its country sites, alicdn.com).
    Not fired by: model numbers ("XR-2000", "A1234-5678"), dimensions ("10 x 20 x 30 cm"), dates
    ("2024-05-01", "01/05/2024"), EAN/GTIN barcodes (8-14 digits in one run, with no contact word before
    them), prices ("$1,299.00"), a messenger named as a feature ("Skype certified headset",
    "Instagram-worthy dress") or look-alike codes without a colon, @ or number ("VX-500 model", "QQ plush
    toy", "IG 2000 gauge").

Why is this bad:
    FAQ 65 lists "incitement to offline commerce" among the transaction violations that cost penalty
    points; AliExpress keeps buyer and seller talking in its own chat (FAQ 64), and the product API allows
    description links only to aliexpress.com.

Example:
    "Wholesale price, WhatsApp +86 138 0013 8000" in a description fires: `offline contact: phone number
    "+86 138 0013 8000" in description (FAQ 65: incitement to offline commerce)`.

Options:
    none.

Source: seller FAQ 65 (transactions: incitement to offline commerce); FAQ 64; AliExpress product API
(description links only to aliexpress.com).
"""

import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from aelint.checks._listed_terms import whole_text
from aelint.i18n import N_, _
from aelint.model import Problem, Product
from aelint.terms import text_chunks
from aelint.text import entities_decoded, strip_html

if TYPE_CHECKING:
    import numpy as np

CODE = "AE203"
NAME = "offline-contact"
SEVERITY = "error"

# Messengers as sellers write them, in Latin and Cyrillic letters (whole words) and in Chinese (no word
# boundaries there): WhatsApp, WeChat ("VX", "WX", "V信", "微信"), QQ, Telegram ("TG", "тг"), Skype, Viber,
# Line, Instagram ("IG", "insta").
_MESSENGER_WORDS = (r"(?:whats\s?app|wats\s?app|wechat|we\s?chat|weixin|vx|wx|qq|telegram|tg|skype|viber|line|wa"
                    r"|instagram|insta|ig|ватсап|вацап|вотсап|ватс\s?апп?|телеграмм?|тг|вайбер|вичат|инстаграм|инста)")
_MESSENGER_CJK = r"(?:微信|[vV]信|威信|薇信)"
MESSENGERS = r"(?:\b" + _MESSENGER_WORDS + r"\b|" + _MESSENGER_CJK + ")"
TLDS = (r"(?:com|net|org|info|biz|shop|store|online|site|top|xyz|io|co|me|cn|hk|tw|ru|de|fr|uk|es|it|nl|pl"
        r"|br|in|us|ca|au|jp|kr|tr|eu|ly|link|app)")
OWN_DOMAIN_RE = re.compile(r"(?:^|\.)(?:aliexpress\.(?:com|us|ru)|alicdn\.com|aliexpress-media\.com)$", re.I)

EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}\b", re.I)
SPELLED_EMAIL_RE = re.compile(
    r"\b[\w.+-]+\s*(?:\(at\)|\[at\]|\{at\}|\sat\s)\s*[\w-]+\s*(?:\(dot\)|\[dot\]|\{dot\}|\sdot\s)\s*" + TLDS + r"\b",
    re.I)
URL_RE = re.compile(r"\b(?:https?://|www\.)[^\s<>\"']+", re.I)
DOMAIN_RE = re.compile(r"(?<![@\w.-])((?:[a-z0-9-]*[a-z][a-z0-9-]*\.)+" + TLDS + r")\b(?![.-]?\w)", re.I)
_ID_WORD = r"(?:id|account|number|no\.?|#|号|ник)"
HANDLE_RE = re.compile(
    # "WeChat: shop888", "VX：shop8888", "Line ID: abc"; after an id word the colon may go when the handle
    # has a digit or an @ ("wechat id abc123"); "IG @shop", "Telegram @shopbot"; "微信 abc123"; "QQ 1234567890"
    MESSENGERS + r"\s*(?:" + _ID_WORD + r"?\s*[:：=]\s*[@+]?[\w.\-]{3,}"
    r"|" + _ID_WORD + r"\s*(?:@[\w.\-]{3,}|\+?(?=[\w.\-]*\d)[\w.\-]{3,})"
    r"|@[\w.]{3,})"
    r"|" + _MESSENGER_CJK + r"\s*[A-Za-z0-9_.\-]{5,}"
    r"|\bqq\s*[:：]?\s*[1-9]\d{4,10}\b"
    r"|\b(?:wa\.me|t\.me)/[\w+]+", re.I)
_INVITE_VERBS = ("contact", "add", "message", "msg", "chat", "text", "call", "reach", "dm", "ping", "find", "follow",
                 "join", "write")
INVITE_RE = re.compile(
    r"\b(?:" + "|".join(_INVITE_VERBS) + r")\s+(?:us|me|our|my)?\s*"
    r"(?:on|via|at|through|by|in|with)?\s*(?:our|my)?\s*" + MESSENGERS +
    r"|\b" + _MESSENGER_WORDS + r"\s+(?:us|me)\b"
    # Russian: "пишите в телеграм", "напишите нам в ватсап"; Chinese: "加微信", "加我微信", "联系微信"
    r"|\b(?:пиши|напиши|пишите|напишите|звоните|свяжитесь|добавь|добавьте|найдите)\s+(?:(?:нам|мне|нас|с\s+нами)\s+)?"
    r"(?:в|во|на|через)\s+" + MESSENGERS +
    r"|(?:加|联系|添加)(?:我们?)?(?:的)?" + _MESSENGER_CJK, re.I)
# Phone numbers. A contact word before any 7-15 digit number; an international prefix; or local groups.
CUE = r"(?:tel|phone|mobile|mob|cell|call|whats\s?app|wechat|viber|telegram|contact|hotline|fax)"
CUED_PHONE_RE = re.compile(r"\b" + CUE + r"\b\.?\s*(?:no\.?|number|us|me|at|on)?\s*[:：#]?\s*(\+?\d[\d\s().-]{5,20}\d)",
                           re.I)
INTL_PHONE_RE = re.compile(r"(?<![\w+])(?:\+|00)[1-9]\d{0,2}[\s.-]?\(?\d{1,4}\)?(?:[\s.-]?\d{2,4}){2,4}(?![\w.,-]?\d)")
LOCAL_PHONE_RE = re.compile(
    r"(?<![\w.,/+-])(?:\(\d{2,4}\)\s?\d{3,4}[\s.-]\d{4}"  # (555) 123-4567
    r"|\d{3}[.-]\d{3}[.-]\d{4}|\d{3}\s\d{3}\s\d{4}"  # 555.123.4567, 555 123 4567
    r"|0\d(?:[\s.]\d{2}){4}"  # 06 12 34 56 78
    r"|1[3-9]\d[\s-]\d{4}[\s-]\d{4})"  # 138 0013 8000
    r"(?![\w.,/-]?\d)(?!\s?(?:mm|cm|m|in|inch|pcs|g|kg|ml|mah|w|v)\b)", re.I)
DATE_RE = re.compile(r"^\d{1,4}[./-]\d{1,2}[./-]\d{1,4}$")
# What a match of SPELLED_EMAIL_RE and of DOMAIN_RE must hold (with the same case folds): a text without it
# is not scanned with the slower whole pattern.
_SPELLED_DOT_RE = re.compile("dot", re.I)
_DOT_LETTER_RE = re.compile(r"\.[a-z]", re.I)


# How each match of HANDLE_RE and INVITE_RE starts in an ASCII text (lower-cased): a messenger's name
# ("we" for WeChat, "we chat" and Weixin), "qq", "wa.me", "t.me", or an invitation's verb. The other
# starts (Cyrillic and Chinese words) are not ASCII.
_MESSENGER_STARTS = ("whats", "wats", "we", "vx", "wx", "qq", "telegram", "tg", "skype", "viber", "line", "wa",
                     "insta", "ig")
_HANDLE_STARTS = (*_MESSENGER_STARTS, "t.me")
_INVITE_STARTS = (*_MESSENGER_STARTS, *_INVITE_VERBS)


def _matches(regex: re.Pattern, starts: tuple[str, ...], text: str) -> Iterator[re.Match]:
    """`regex.finditer(text)` for a pattern whose every match in an ASCII text starts with one of `starts`
    (lower-case): the pattern is tried only there (Python's `re` tries a pattern led by a word boundary
    and many alternatives at every position, several times slower on a description)."""
    if not text.isascii():
        yield from regex.finditer(text)
        return
    lowered = text.lower()
    places = set()
    for start in starts:
        at = lowered.find(start)
        while at >= 0:
            places.add(at)
            at = lowered.find(start, at + 1)
    end = 0
    for at in sorted(places):
        if at >= end:
            m = regex.match(text, at)
            if m:
                yield m
                end = m.end()


def _digits(text: str) -> int:
    return sum(c.isdigit() for c in text)


def _external(domain: str) -> bool:
    host = domain.lower().split("/")[0].split(":")[0]
    if host.startswith("www."):
        host = host[4:]
    return not OWN_DOMAIN_RE.search(host) and not OWN_DOMAIN_RE.search("." + host)


def findings(text: str) -> list[tuple[str, str]]:
    """(kind, text) of each contact detail in a text, in order, without repeats."""
    found: list[tuple[int, str, str]] = []
    taken = bytearray(len(text))  # 1 where a finding already lies: an overlap test in the span's length

    def add(kind: str, m: re.Match, group: int = 0) -> None:
        start, end = m.span(group)
        if taken.find(1, start, end) != -1:
            return
        taken[start:end] = b"\1" * (end - start)
        found.append((start, kind, m.group(group).strip()))

    if "@" in text:
        for m in EMAIL_RE.finditer(text):
            add(N_("e-mail address"), m)
    if _SPELLED_DOT_RE.search(text):
        for m in SPELLED_EMAIL_RE.finditer(text):
            add(N_("e-mail address"), m)
    for m in URL_RE.finditer(text):
        if _external(re.sub(r"^(?:https?://)", "", m.group(), flags=re.I).rstrip(".,;)")):
            add(N_("web address"), m)
        else:
            taken[m.start():m.end()] = b"\1" * (m.end() - m.start())
    if _names_messenger(text):
        for m in _matches(HANDLE_RE, _HANDLE_STARTS, text):
            add(N_("messenger handle"), m)
        for m in _matches(INVITE_RE, _INVITE_STARTS, text):
            add(N_("messenger invitation"), m)
    for m in CUED_PHONE_RE.finditer(text):
        number = m.group(1)
        if 7 <= _digits(number) <= 15 and not DATE_RE.match(number.strip()):
            add(N_("phone number"), m, 1)
    for regex in (INTL_PHONE_RE, LOCAL_PHONE_RE):
        for m in regex.finditer(text):
            if 7 <= _digits(m.group()) <= 15:
                add(N_("phone number"), m)
    for m in DOMAIN_RE.finditer(text) if _DOT_LETTER_RE.search(text) else ():
        if _external(m.group(1)):
            add(N_("web address"), m, 1)
    found.sort()
    return list(dict.fromkeys((kind, value) for _, kind, value in found))


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)  # validator built on first use


# Cheap tests before the regular expressions run: a text that passes none holds no contact detail. Each
# is a substring test or a pattern starting with a literal (which `re` finds fast), not a scan per position.
_KEYWORDS = ("@", "dot")
# a text that names no messenger needs no messenger pattern: these substrings, and short names as whole words
_MESSENGER_HINTS = ("whats", "wats", "chat", "weixin", "telegram", "skype", "viber", "insta", "信", "wa.me", "t.me",
                    "ватс", "вацап", "вотсап", "телеграм", "вайбер", "вичат", "инста")
_SHORT_MESSENGERS = frozenset({"vx", "wx", "qq", "ig", "wa", "tg", "тг", "line"})
_DOMAIN_HINT_RE = re.compile(r"\.[a-z]{2}")
_PHONE_HINT_RE = re.compile(r"\d(?:[\s().+-]{0,3}\d){6}")
_NOT_DIGITS = str.maketrans("", "", "0123456789")


def _names_messenger(text: str) -> bool:
    lowered = text.lower()
    return any(hint in lowered for hint in _MESSENGER_HINTS) or not _SHORT_MESSENGERS.isdisjoint(text_chunks(text))


def _may_hold_contact(text: str) -> bool:
    lowered = text.lower()
    for keyword in _KEYWORDS:
        if keyword in lowered:
            return True
    if _DOMAIN_HINT_RE.search(lowered) or _names_messenger(text):
        return True
    # a phone number has 7+ digits, in one run with at most a few separators between them
    return len(lowered) - len(lowered.translate(_NOT_DIGITS)) >= 7 and _PHONE_HINT_RE.search(lowered) is not None


FIELD_LABELS = {"title": N_("title"), "description": N_("description")}


def check_product(product: Product, options: Options) -> Iterator[Problem]:
    # one cheap test on the product's title, raw description and values (shared with AE201 and AE202,
    # which split it into words already), then each field
    if not _may_hold_contact(whole_text(product)):
        return
    for field in ("title", "description"):
        # the description tested with its entities decoded when it has any ('&commat;' is an @)
        tested = product.description_for_words if field == "description" else product.title
        for message in _field_messages(field, tested, lambda: product.description_text):
            yield Problem(message, product, cell=product.cell(field))


def _field_messages(field: str, tested: str, description_text: Callable[[], str]) -> list[str]:
    """A field's findings' messages: its text as tested (a description with its entities decoded) passing
    `_may_hold_contact`, the title as it is or the description's text without its markup searched."""
    if not tested or not _may_hold_contact(tested):
        return []
    return [_('offline contact: {kind} "{value}" in {field} (FAQ 65: incitement to offline commerce)').format(
                kind=_(kind), value=value, field=_(FIELD_LABELS[field]))
            for kind, value in findings(description_text() if field == "description" else tested)]


def check_table(table, options: Options) -> list[Problem]:
    """check_product's findings, read from the columns: each field's text is judged as check_product judges
    it (the test on the whole product is only a shortcut: a field passing `_may_hold_contact` makes it
    pass), on the products `_may_hold` picks, without building them."""
    from itertools import repeat
    from operator import itemgetter

    import numpy as np

    found = []  # (index, field's place, problem), each product's problems in check_product's order
    for place, field in enumerate(("title", "description")):
        chosen = np.flatnonzero(_may_hold(table, field)).tolist()
        values = table.products.select(table.text(field))[chosen].to_series().to_list()
        indices, messages = [], []
        for index, value in zip(chosen, values):
            tested = entities_decoded(value) if field == "description" else value
            found_here = _field_messages(field, tested, lambda value=value: strip_html(value))
            indices.extend(repeat(index, len(found_here)))
            messages.extend(found_here)
        found.extend(zip(indices, repeat(place), table.problems(field, indices, messages)))
    found.sort(key=itemgetter(0, 1))  # stable: a field's problems keep their order
    return [problem for _index, _place, problem in found]


# `_may_hold_contact` as one pattern for polars, on ASCII text only (where Rust's regex classes and case
# folding are Python's): other text is tested in Python. Short messenger names stand between chunk
# boundaries (`text_chunks`); control characters count as boundaries too, a superset. No match holds a '<'
# (it may end at one: a boundary, as `^` and `$` are in a piece), so descriptions are tested through their
# distinct pieces (`CatalogTable.plain_description_pieces`).
_ASCII_SEPARATORS = r"[^a-zA-Z0-9@$!|*]"
_CONTACT_HINT_PATTERN = "(?i)" + "|".join([
    *(re.escape(word) for word in (*_KEYWORDS, *_MESSENGER_HINTS) if word.isascii()),
    _DOMAIN_HINT_RE.pattern,
    f"(?:^|{_ASCII_SEPARATORS})(?:" + "|".join(sorted(w for w in _SHORT_MESSENGERS if w.isascii()))
    + f")(?:{_ASCII_SEPARATORS}|$)",
    _PHONE_HINT_RE.pattern.replace(r"\s", r"\t\n\x0b\x0c\r\x1c-\x1f ").replace(r"\d", "[0-9]"),
])


def _may_hold(table, field: str) -> "np.ndarray":
    """Per product (a numpy array by `index`): whether its title or description (`field`) may pass
    `_may_hold_contact` (a superset): text beyond ASCII, a description with an entity (decoded before the
    test), or a match of `_CONTACT_HINT_PATTERN`; a `plain_text` product's description matches where it
    holds one of the pieces that match."""
    import numpy as np
    import polars as pl

    text = table.text(field)
    may_hold = ~table.ascii(field) | text.str.contains(_CONTACT_HINT_PATTERN)
    if field == "title":
        return table.products.select(may_hold).to_series().to_numpy()
    pieces, plain = table.plain_description_pieces, table.plain_text
    hits = pieces.filter(pieces.str.contains(_CONTACT_HINT_PATTERN)).to_list()
    may = table.products.select(text.str.contains_any(hits) & plain if hits else pl.lit(False))
    may = np.resize(may.to_series().to_numpy(), len(plain))  # (a literal False: one value)
    others = (table.products.lazy().filter(~plain)  # tested whole, the few: not plain text
              .select("index", (may_hold | text.str.contains("&", literal=True)).alias("may")).collect())
    may[others["index"].to_numpy()] = others["may"].to_numpy()
    return may
