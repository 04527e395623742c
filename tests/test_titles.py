"""Title rules AE101-AE109, their data packs and language detection, on small catalogs and real titles."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from aelint import language
from aelint.config import from_data
from aelint.engine import Engine, RunOptions
from aelint.ruledata import load_terms
from aelint.stopwords import content_words
from conftest import shared_file

WISH = "wish_summer_clothes/summer-products-with-rating-and-performance_2020-08.csv"


def lint(path: Path, codes: str, settings: dict | None = None):
    config = from_data(settings or {}, None)
    report = Engine(RunOptions(select=codes.split(","), cache=False, jobs=1, images=False), config).lint([path])
    assert not report.failures, report.failures
    return report.diagnostics


def catalog(tmp_path: Path, titles: list[str], brand: str = "") -> Path:
    path = tmp_path / "catalog.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["product_id", "title", "brand"])
        writer.writerows([f"P{i}", t, brand] for i, t in enumerate(titles, 1))
    return path


# --- AE105 on the real Wish titles -------------------------------------------------------------------

@pytest.fixture(scope="module")
def wish_rows():
    with shared_file(WISH).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


# Rows whose seller's title (title_orig) is German or French (or both with English).
SELLER_FOREIGN_ROWS = [231, 811, 1301, 1420, 1496]


def test_wish_english_titles_are_not_flagged(wish_rows):
    found = lint(shared_file(WISH), "AE105", {"language": "en"})
    assert {d.field for d in found} <= {"title"}
    flagged = {d.row: d.message for d in found}
    # The only titles flagged in title_orig are the seller's German and French ones, brand first
    # ("ZANZEA Damen Sommer Mode ... Kleid Dress", "ZANZEA Femme Casual Beach Col V Manche Courte ...") and
    # one that repeats itself in French and German sentences; English titles with a foreign word or two
    # appended ("... Dresses Plus Size XS-5XL Robe Femme") stay silent.
    assert sorted(flagged) == SELLER_FOREIGN_ROWS
    assert "looks German" in flagged[1420] and "Damen Sommer Mode" in wish_rows[1420 - 2]["title_orig"]
    assert "mostly French words" in flagged[811] and "Femme" in flagged[811]
    for row in (464, 596, 1443):  # English with "Robe Femme" / "Chaussons Femme Zapatillas Hausschuhe Damen"
        assert row not in flagged, wish_rows[row - 2]["title_orig"]


def test_wish_french_titles_are_flagged_as_french(wish_rows):
    found = lint(shared_file(WISH), "AE105", {"language": "en", "columns": {"title": "title", "title_orig": "ignore"}})
    assert all(d.severity == "warning" for d in found)
    # French, or a title Wish left untranslated in the seller's German ("ZANZEA Damen Sommer Mode ...").
    assert all("French" in d.message or d.row in SELLER_FOREIGN_ROWS for d in found)
    flagged_rows = {d.row for d in found}
    first_rows = {}  # a product is reported on its first row
    for i, r in enumerate(wish_rows):
        first_rows.setdefault(r["product_id"], (i + 2, r))
    translated = [row for row, r in first_rows.values()
                  if r["title"].strip() != r["title_orig"].strip() and " pour " in r["title"]]
    assert len(flagged_rows) > 900
    # Nearly every translated title with an unmistakably French word is flagged (the misses are half-
    # translated titles such as "Sweet Beading Cami Débardeurs pour femmes Spaghetti Strap Summer Vest")...
    assert sum(row in flagged_rows for row in translated) >= 0.9 * len(translated)
    # ...and no title Wish left in English is.
    untranslated = {row for row, r in first_rows.values() if r["title"].strip() == r["title_orig"].strip()}
    assert untranslated and not (flagged_rows - set(SELLER_FOREIGN_ROWS)) & untranslated


def test_wish_french_titles_are_silent_when_language_is_fr():
    found = lint(shared_file(WISH), "AE105", {"language": "fr", "columns": {"title": "title", "title_orig": "ignore"}})
    assert found and not any("looks French" in d.message for d in found)


def test_dropship_titles_are_english():
    assert lint(shared_file("aliexpress_dropship_variants/report_copy3.csv"), "AE105") == []


# --- AE102 on real title shapes ----------------------------------------------------------------------

@pytest.mark.parametrize("title", [
    "Women's Summer New Fashion Sports Shorts Solid Color Elastic Female Slim Fit Running Short Sleeve Top",
    "Women's Cotton Sleeveless Round Neck T-Shirt Loose Fit Pattern Print Sweatshirt",
    '4 Color Women Fashion Casual Solid Color Tops Sleeveless',
    'Tank Top " I am not perfect but i am limited Edition " letter printed',
])
def test_real_title_shapes_are_not_duplicates(tmp_path, title):
    assert lint(catalog(tmp_path, [title]), "AE102") == []


def test_duplicate_fix_removes_the_later_repetition(tmp_path):
    title = "Simple Long Tassel Chain Necklace for Women Trendy Adjustable Choker Necklace 2022 Fashion Jewelry"
    (d,) = lint(catalog(tmp_path, [title]), "AE102")
    assert d.fix.value == "Simple Long Tassel Chain Necklace for Women Trendy Adjustable Choker 2022 Fashion Jewelry"


@pytest.mark.parametrize("title", [
    "HOT SALE Thermos Bottle Keeps Cold For 24 Hours And Hot For 12",  # HOT (promotion) vs Hot (temperature)
    "Summer Dresses for Women Beach Dress",  # plural and singular: maybe two products meant
])
def test_duplicate_spelt_differently_is_reported_without_a_fix(tmp_path, title):
    (d,) = lint(catalog(tmp_path, [title]), "AE102")
    assert d.fix is None


def test_dropship_duplicate_fixes_leave_no_repetition():
    found = lint(shared_file("aliexpress_dropship_variants/report_copy3.csv"), "AE102")
    assert len(found) > 10  # 13 of the 24 real titles repeat words
    for d in found:
        if d.fix is None:
            continue
        keys = [w.key for w in content_words(d.fix.value)]
        assert len(keys) == len(set(keys)), d.fix.value


def test_content_words_keys():
    keys = [w.key for w in content_words("Robe d'Été Women's Dresses T Shirt 5 Colors 256GB")]
    assert keys == ["robe", "ete", "women", "dress", "t-shirt"]


def test_content_words_places_across_spaces():
    """Words keep their places in the title whatever the spaces (the title is read piece by piece between
    ASCII spaces): a letter joins the next word across exactly one space, a quotation across several."""
    words = content_words("T Shirt  T  Shirt T\tShirt T\u00a0Shirt")
    assert [(w.key, w.text, w.start, w.end) for w in words] == [
        ("t-shirt", "T Shirt", 0, 7), ("shirt", "Shirt", 12, 17), ("shirt", "Shirt", 20, 25), ("shirt", "Shirt", 28, 33)]
    words = content_words('  Mug "Best  Dad Ever" Mugs 5  Colors')
    assert [(w.key, w.text, w.start, w.end) for w in words] == [("mug", "Mug", 2, 5), ("mug", "Mugs", 23, 27)]


# --- language module -----------------------------------------------------------------------------------

def test_script_check_decides_before_any_model():
    assert language.foreign_scripts("Women Dress 女装", "en") == ["Han"]
    assert language.foreign_scripts("Платье Xiaomi", "ru") == []
    assert language.foreign_scripts("Café Crème", "en") == []
    assert language.detect("Women Dress 女装连衣裙 Summer Beach Floral") is None


@pytest.mark.parametrize("title", ["Xiaomi Redmi Note 13 Pro 5G 256GB", "Samsung Galaxy S24 Ultra 512GB",
                                   "USB C to HDMI 4K 60Hz Adapter"])
def test_brand_and_model_heavy_titles_are_not_judged(title):
    assert language.detect(title) is None


def test_words_are_judged_one_by_one_in_a_mixed_title():
    foreign, own = language.foreign_words("VELANO Femme Robe Longue Manches Courtes Col Rond Casual Beach Dress",
                                          "en", "fr")
    assert {"Femme", "Longue", "Manches", "Courtes"} <= set(foreign) and "VELANO" not in foreign
    assert 0 < own < len(foreign)  # "Casual", "Beach" lean English
    assert language.likeliest_language(["Wanderschuhe", "Wasserdicht", "Schuhe"], "en") == "de"


def test_a_split_between_related_languages_is_still_not_english():
    found = language.detect("LUMORA Damen Sommerkleid Lang Baumwolle Leinen Strandkleid Blumen Dress")
    assert found.probability("en") < 0.1 and found.likeliest_other("en")[0] in ("de", "nl")


def test_detection_runs_once_per_distinct_title(tmp_path):
    language.detect.cache_clear()
    titles = ["Robe d'été femme longue à fleurs pour la plage"] * 40 + ["Women Summer Floral Dress Beach"] * 40
    found = lint(catalog(tmp_path, titles), "AE105")
    assert len(found) == 40
    assert language.detect.cache_info().misses == 2


# --- AE109 and the trademark pack ----------------------------------------------------------------------

def test_trademark_pack_is_large_and_sourced():
    entries = load_terms("trademarks")
    assert len(entries) >= 300
    assert {"sportswear", "luxury", "electronics", "toys", "cosmetics"} <= {e.category for e in entries}
    assert all(e.source.startswith("FAQ 14, FAQ 65") for e in entries)
    terms = {e.term.casefold() for e in entries}
    # common words that are also brands are listed only in their brand phrases, deliberately
    for word in ("apple", "coach", "galaxy", "omega", "polo", "stitch", "frozen", "supreme", "beats"):
        assert word not in terms


def test_brand_field_and_authorized_brands(tmp_path):
    path = catalog(tmp_path, ["Nike Air Max Running Shoes"], brand="Nike")
    assert lint(path, "AE109") == []
    path = catalog(tmp_path, ["Nike Air Max Running Shoes"], brand="Generic")
    assert len(lint(path, "AE109")) == 1
    assert lint(path, "AE109", {"authorized_brands": ["nike"]}) == []


@pytest.mark.parametrize("title", ["Phone Case for iPhone 15", "Charger Compatible with Samsung Galaxy S24",
                                   "Band Fits Apple Watch 45mm", "Replacement Battery for Dyson V11",
                                   "Funda para iPhone 15 Pro", "Apple Green Ceramic Bowl"])
def test_compatibility_and_look_alikes_are_silent(tmp_path, title):
    assert lint(catalog(tmp_path, [title]), "AE109") == []


# --- AE107 fix -----------------------------------------------------------------------------------------

def test_whitespace_fix_only_touches_spaces(tmp_path):
    found = lint(catalog(tmp_path, ["  Summer\u00a0 Dress ★ Women "]), "AE107")
    fixes = [d.fix.value for d in found if d.fix]
    assert fixes == ["Summer Dress ★ Women"]
    assert len(found) == 2


# --- AE108 years: judged against the clock unless thresholds.current_year is set ------------------------

def test_year_claims_follow_the_clock(tmp_path):
    from datetime import date

    year = date.today().year
    titles = [f"{year} New Summer Dress Women", f"{year - 1} New Summer Dress Women", f"New {year + 1} Wool Coat"]
    found = lint(catalog(tmp_path, titles), "AE108")
    assert [(d.row, d.message) for d in found] == [
        (3, f'title has promotional or irrelevant words: "{year - 1} New" (stale year: it is {year})')]


def test_current_year_setting_replaces_the_clock(tmp_path):
    found = lint(catalog(tmp_path, ["2020 New Summer Dress", "2019 New Summer Dress"]), "AE108",
                 {"thresholds": {"current_year": 2020}})
    assert [d.row for d in found] == [3]


def test_wish_2020_catalog_in_2020_accepts_2020_new():
    found = lint(shared_file(WISH), "AE108", {"thresholds": {"current_year": 2020}})
    stale = [d.message for d in found if "stale year" in d.message]
    assert len(stale) > 50  # "2018 New", "2019 Summer": stale in a 2020 catalog
    assert not any('"2020' in m or '2020"' in m for m in stale)


# --- AE103 and AE102: one finding, one line ------------------------------------------------------------

def test_wish_keyword_stuffing_does_not_repeat_duplicate_words():
    alone = lint(shared_file(WISH), "AE103")
    both = lint(shared_file(WISH), "AE102,AE103")
    # AE103's findings do not depend on whether AE102 runs, and repeated words are AE102's.
    assert [(d.row, d.message) for d in alone] == [(d.row, d.message) for d in both if d.code == "AE103"]
    assert alone and not any("repeats" in d.message for d in alone)
    counting = lint(shared_file(WISH), "AE103", {"thresholds": {"stuffing_word_repeats": 3}})
    repeats = [d for d in counting if "repeats" in d.message]
    assert len(repeats) > 200  # the word counts AE103 reports when asked to
    assert {d.row for d in repeats} <= {d.row for d in both if d.code == "AE102"}  # all of them AE102 findings
