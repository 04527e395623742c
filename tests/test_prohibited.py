"""AE201-AE203 beyond the fixtures: real recall titles, the scanner's evasion handling, contact details."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from conftest import shared_file
from hypothesis import given, settings
from hypothesis import strategies as st

from aelint import config as config_module
from aelint.checks._listed_terms import hosts_for, listed_matches, scanner_for
from aelint.checks import offline_contact
from aelint.checks.offline_contact import _HANDLE_STARTS, _INVITE_STARTS, HANDLE_RE, INVITE_RE, _matches, findings
from aelint.engine import Engine, RunOptions
from aelint.ruledata import load_terms
from aelint.terms import TermIndex, TextScanner, near_miss
from aelint.text import entities_decoded, strip_html


def lint_titles(tmp_path: Path, titles: list[str], code: str) -> dict[str, list[str]]:
    """Messages of one rule for a catalog of one product per title, by title."""
    path = tmp_path / "catalog.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["product_id", "title"])
        writer.writerows([f"P{n}", title] for n, title in enumerate(titles))
    report = Engine(RunOptions(select=[code], cache=False, jobs=1), config_module.from_data({}, None)).lint([path])
    assert not report.failures
    found: dict[str, list[str]] = {title: [] for title in titles}
    for d in report.diagnostics:
        found[titles[d.row - 2]].append(d.message)
    return found


def test_cpsc_magnet_ball_recalls_are_flagged(tmp_path):
    path = shared_file("cpsc_recalls_recent/cpsc_recalls.csv")
    with path.open(encoding="utf-8") as handle:
        titles = [row["title"] for row in csv.DictReader(handle)
                  if re.search(r"\bmagnet(?:ic)?\s+balls?\b", row["title"], re.I)]
    assert len(titles) >= 2, "the recall file should name magnet ball toys"
    found = lint_titles(tmp_path, titles, "AE202")
    for title, messages in found.items():
        assert messages, f"not flagged: {title}"
        assert any("strong magnetic balls and cubes" in m and "AliExpress recall notices" in m
                   and re.search(r"magnet(ic)? ball", m, re.I) for m in messages), messages


def test_message_names_text_category_and_source(tmp_path):
    found = lint_titles(tmp_path, ["Disposable Vape Pen Mint", "Tazer Flashlight"], "AE201")
    assert found["Disposable Vape Pen Mint"] == [
        "prohibited item (e-cigarettes: Disposable Vape, Vape Pen) - AliExpress ban rules"]
    assert found["Tazer Flashlight"] == [
        'prohibited item (weapons: Tazer (read as "taser")) - AliExpress ban rules; FAQ 65']


def test_every_pack_entry_has_category_and_source_and_matches_itself():
    for pack, covered in (("prohibited", 16), ("recalled", 7)):
        entries = load_terms(pack)
        assert len({e.category for e in entries}) == covered
        scanner = scanner_for(pack)
        for entry in entries:
            assert entry.category and entry.source
            term = "Zo" + entry.term[1:] if entry.term.startswith("*") else entry.term  # "*sartan": "Zosartan"
            text = f"New {term} 2024 {' '.join(entry.needs[:1])}"
            assert any(m.value[1] is entry for m in listed_matches(scanner, text)), entry.term


def test_scanner_reads_evasions_and_keeps_spans():
    scanner = TextScanner([("disposable vape", "e"), ("perfume", "p"), ("marijuana", "d"), ("e cig", "e"),
                           ("stun gun", "w"), ("taser", "w")])
    text = "Best Disposable V@pe and P3rfume, Mar1juana; E-CIG, stungun, tasser"
    found = {(m.text, m.phrase) for m in scanner.scan(text)}
    assert found == {("Disposable V@pe", "disposable vape"), ("P3rfume", "perfume"), ("Mar1juana", "marijuana"),
                     ("E-CIG", "e cig"), ("stungun", "stun gun"), ("tasser", "taser")}
    for m in scanner.scan(text):
        assert text[m.start:m.end] == m.text


def test_scanner_options_switch_off_evasions_and_near_misses():
    strict = TextScanner([("vape", 1), ("taser", 2)], evasions=False, near_misses=False)
    assert strict.scan("V@pe Tazer") == []
    assert [m.text for m in strict.scan("Vapes and TASERS")] == ["Vapes", "TASERS"]


def test_near_misses_are_plausible_misspellings_only():
    assert near_miss("tazer", "taser")
    assert near_miss("canabis", "cannabis")
    assert near_miss("mairjuana", "marijuana")
    assert near_miss("perfum", "perfume")
    for word, term in (("laser", "taser"), ("power", "powder"), ("firming", "firing"), ("match", "matcha"),
                       ("around", "round"), ("taser", "taser")):
        assert not near_miss(word, term), (word, term)
    scanner = TextScanner([("heroin", 1), ("pistol", 2)])
    assert scanner.scan("Superhero Heroine Costume, pistil and stamen") == []


def test_prefilter_never_hides_a_match():
    entries = load_terms("prohibited") + load_terms("recalled")
    fast = TextScanner([(e.term, e.term) for e in entries])
    slow = TextScanner([(e.term, e.term) for e in entries])
    slow.may_match = lambda text: bool(text)  # type: ignore[method-assign]
    texts = ["Cologne for Men 100ml", "Black Tea 250g", "Women Black Dress", "Tea Bag 100 Pcs", "CBD-Oil",
             "Loose Leaf Tea", "magnetic neodymium balls", "P3rfume", "stun/gun", "e.cig", "Pepper\u00a0Spray",
             "Cannabis\u2022Seeds", "VAPE!", "(Bong)"]
    for text in texts:
        assert [(m.start, m.end, m.value) for m in fast.scan(text)] == \
            [(m.start, m.end, m.value) for m in slow.scan(text)], text
    assert all(fast.scan(t) for t in texts if t != "Women Black Dress")


def test_the_cheap_test_reads_the_entities_of_raw_html():
    """`entities_decoded(raw)` (the description the cheap tests read) passes wherever the description's
    visible text (`strip_html`) has a match: an entity may spell a letter, a tag only adds words."""
    entries = load_terms("prohibited") + load_terms("recalled")
    scanner = TextScanner([(e.term, e.term) for e in entries])
    descriptions = ["<p>disposable v&aacute;pe</p>", "<p>V&Aacute;PE pen</p>", "pepper&nbsp;spray", "b&ocirc;ng",
                    "<b>stun</b>&#32;<i>gun</i>", "&lt;p&gt;magnetic balls&lt;/p&gt;", "e&#45;cig&#x61;rette",
                    "Cannabis&bull;Seeds", "v&#97;pe&amp;co"]
    for raw in descriptions:
        assert scanner.scan(strip_html(raw)), raw
        assert scanner.may_match(entities_decoded(raw)), raw
    assert entities_decoded("Caf&eacute;&nbsp;<b>mug</b> &amp; cup") == "Café <b>mug</b> & cup"
    assert entities_decoded("plain <b>text</b>") == "plain <b>text</b>"


def test_prefilter_switches_itself_off_when_it_filters_nothing():
    scanner = TextScanner([("nylon dress", 1), ("vape", 2)])
    assert not scanner.may_match("summer dress")  # "dress" triggers, "nylon" is missing
    for n in range(2000):
        scanner.may_match("nylon dress" if n % 3 else f"silk dress {n}")  # two thirds pass
    assert scanner.may_match("summer dress")  # switched off: every text goes word by word
    assert [m.value for m in scanner.scan("Vape and Nylon Dress")] == [2, 1]
    assert scanner.scan("summer dress") == []


def test_a_broken_user_pack_is_a_settings_error(tmp_path):
    from pydantic import ValidationError

    from aelint.checks import prohibited_item
    bad = tmp_path / "ours.toml"
    bad.write_text('[[terms]]\nterm = "x"\n', encoding="utf-8")
    try:
        prohibited_item.Options(extra_lists=[str(bad)])
    except ValidationError as error:
        assert "ours.toml" in str(error) and "category" in str(error)
    else:
        raise AssertionError("a pack entry without category and source was accepted")


def test_term_index_api_is_unchanged():
    index = TermIndex([("Free Shipping", "promo"), ("hot sale", "promo")])
    matches = index.find(["hot", "sales", "free", "shipping"])
    assert [(m.start, m.end, m.value) for m in matches] == [(0, 2, "promo"), (2, 4, "promo")]


def test_offline_contact_finds_details_and_ignores_numbers():
    assert findings("Call +1 (555) 123-4567 or mail a.b@shop.co") == [
        ("phone number", "+1 (555) 123-4567"), ("e-mail address", "a.b@shop.co")]
    assert findings("sales[at]shop[dot]com, Telegram: @shopbot") == [
        ("e-mail address", "sales[at]shop[dot]com"), ("messenger handle", "Telegram: @shopbot")]
    for harmless in ("EAN 4006381333931", "Model KX-TG6812 1.5m", "12.5 x 20 cm", "2024/12/31",
                     "$12.99 - $15.49", "https://aliexpress.com/item/1.html", "fr.aliexpress.com", "A-line dress"):
        assert findings(harmless) == [], harmless


MESSENGER_NAMES = ["WhatsApp", "whats app", "WATSAPP", "we chat", "WeChat", "weixin", "wx", "VX", "qq", "QQ", "tg",
                   "Telegram", "skype", "Viber", "line", "LINE", "wa", "Insta", "instagram", "IG", "ſkype", "微信",
                   "ватсап", "contact", "Add", "message", "msg", "chat", "text", "call", "reach", "DM", "ping",
                   "find", "follow", "join", "write", "online", "big", "wa.me/8613800138000", "t.me/shop"]
CONTACT_GLUE = ["", " ", ": ", "：", " id ", " ID: ", " = ", " #", " us ", " me", " on ", " via our ", "\n", "-", "_"]
HANDLES = ["", "@shop", "shop888", "+86", "1234567", "abc", "us", "me"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(MESSENGER_NAMES), st.sampled_from(CONTACT_GLUE), st.sampled_from(HANDLES),
                          st.sampled_from([" ", ", ", "", "\n"])), max_size=6).map(
    lambda parts: "".join("".join(part) for part in parts)))
def test_contact_patterns_tried_where_they_can_start_find_what_finditer_finds(text):
    """`offline_contact._matches` tries the messenger patterns only where a match can start, and finds what
    `finditer` finds, in ASCII text and beyond."""
    for regex, starts in ((HANDLE_RE, _HANDLE_STARTS), (INVITE_RE, _INVITE_STARTS)):
        assert [m.span() for m in _matches(regex, starts, text)] == [m.span() for m in regex.finditer(text)]


def test_contact_pattern_starts_cover_every_ascii_messenger_name():
    """Each ASCII name in `_MESSENGER_WORDS` starts with one of `_MESSENGER_STARTS` (a name added to the
    pattern and not to the starts would never be tried in ASCII text)."""
    names = offline_contact._MESSENGER_WORDS.removeprefix("(?:").removesuffix(")").split("|")
    heads = [re.match(r"[^\\(\[?]*", name).group() for name in names]
    assert all(head for head in heads)
    for head in filter(str.isascii, heads):
        assert head.startswith(offline_contact._MESSENGER_STARTS), head


def test_contact_patterns_tried_where_they_can_start_every_name_and_glue():
    for name in MESSENGER_NAMES:
        for glue in CONTACT_GLUE:
            for text in (f"x {name}{glue}shop888", f"{name}{glue}WhatsApp 1234567", f"Ok,{name}{glue}@shop."):
                for regex, starts in ((HANDLE_RE, _HANDLE_STARTS), (INVITE_RE, _INVITE_STARTS)):
                    assert [m.span() for m in _matches(regex, starts, text)] == \
                        [m.span() for m in regex.finditer(text)], text


def test_user_pack_adds_lookalikes_hosts_needs_and_endings(tmp_path):
    ours = tmp_path / "ours.toml"
    ours.write_text('lookalikes = ["frog lamp"]\nhosts = ["cozy"]\n'
                    '[[terms]]\nterm = "frog"\ncategory = "frogs"\nsource = "ours"\nunless = ["plush"]\n'
                    '[[terms]]\nterm = "elixir"\ncategory = "potions"\nsource = "ours"\nneeds = ["mg"]\n'
                    '[[terms]]\nterm = "*zoline"\ncategory = "potions"\nsource = "ours"\n', encoding="utf-8")
    extra = (str(ours),)
    scanner, hosts = scanner_for("prohibited", extra), hosts_for("prohibited", extra)

    def found(text: str) -> list[str]:
        return [m.text for m in listed_matches(scanner, text, hosts) if m.value[1].source == "ours"]
    assert found("Green Frog Figurine") == ["Frog"]
    assert found("Frog Lamp Night Light") == []  # look-alike
    assert found("Frog Cozy for Teapots") == []  # host noun
    assert found("Frog Plush Pillow") == []  # unless
    assert found("Love Elixir 500mg") == ["Elixir"] and found("Love Elixir 50ml") == []  # needs, "500mg" split
    assert found("Oxymetazoline nasal") == ["Oxymetazoline"] and found("Zoline") == []  # an ending, 2+ more letters
    assert scanner_for("prohibited") is not scanner  # the built-in pack alone keeps its own scanner


def test_hosts_and_lookalikes_of_the_built_in_packs():
    scanner, hosts = scanner_for("prohibited"), hosts_for("prohibited")
    for text in ("Cooktop Fire Suppressor", "Black Powder Coated Shelf", "Coffee Bean Roaster",
                 "Portable Butane Gas Stove", "Ammo Tabs Desiccant", "Eye Drop Dispenser Aid"):
        assert listed_matches(scanner, text, hosts) == [], text
    for text in ("Pepper Spray Keychain", "Stun Gun Flashlight", "Butane Gas Refill for Stove", "Gun Suppressor"):
        assert listed_matches(scanner, text, hosts), text
