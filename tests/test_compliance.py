"""Authorisation and compliance rules (AE401-AE407): what the settings switch on and off, and real listings."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from aelint import config as config_module
from aelint.config import ConfigError
from aelint.engine import Engine, RunOptions
from aelint.model import Diagnostic
from conftest import shared_file

FIELDS = ["product_id", "title", "category", "brand", "description"]


def write_catalog(folder: Path, rows: list[dict[str, str]]) -> Path:
    path = folder / "catalog.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, FIELDS)
        writer.writeheader()
        for row in rows:
            writer.writerow({k: row.get(k, "") for k in FIELDS})
    return path


def lint(path: Path, select: list[str], **settings) -> list[Diagnostic]:
    config = config_module.from_data(settings, None)
    report = Engine(RunOptions(select=select, cache=False, jobs=1, images=False), config).lint([path])
    assert not report.failures, report.failures
    return report.diagnostics


def codes(diagnostics: list[Diagnostic]) -> list[tuple[str, int | None]]:
    return [(d.code, d.row) for d in diagnostics]


EARBUDS = {"product_id": "P1", "title": "Wireless Bluetooth Earbuds with Charging Case", "brand": "NoBrand",
           "description": "Long battery life."}


# --- markets switch AE404-AE406 on and off ------------------------------------------------------------------


@pytest.mark.parametrize("markets, expected", [
    ([], []),
    (["US", "BR", "GB"], []),
    (["DE"], ["AE404", "AE406"]),            # EU member, but not France: no French EPR
    (["fr"], ["AE404", "AE405", "AE405", "AE406"]),  # codes are case-insensitive; EEE + packaging
    (["EU"], ["AE404", "AE405", "AE405", "AE406"]),  # the whole EU includes France
])
def test_markets_switch_the_eu_rules(tmp_path, markets, expected):
    path = write_catalog(tmp_path, [EARBUDS])
    found = sorted(d.code for d in lint(path, ["AE404", "AE405", "AE406"], markets=markets))
    assert found == expected


def test_eu_settings_silence_the_eu_rules(tmp_path):
    path = write_catalog(tmp_path, [{**EARBUDS, "description": "Certification: CE/FCC"}])
    found = lint(path, ["AE404", "AE405", "AE406"], markets=["FR"], eu_responsible_person="Acme EU GmbH, Berlin",
                 epr={"packaging": "FR123456_01ABCD", "DEEE": "FR111111_02XXXX", "batteries": "FR2"})
    assert found == []


def test_epr_blank_number_counts_as_missing(tmp_path):
    path = write_catalog(tmp_path, [EARBUDS])
    found = lint(path, ["AE405"], markets=["FR"], epr={"packaging": "FR1", "eee": "  "})
    assert [d.message.split(":")[0] for d in found] == [
        'selling in France and "wireless" falls in the EPR stream electrical and electronic equipment (EEE), '
        "with no EPR number for it"]


def test_unknown_epr_stream_is_a_config_error():
    with pytest.raises(ConfigError, match="unknown EPR stream 'plastics'"):
        config_module.from_data({"epr": {"plastics": "FR1"}}, None)


def test_ce_evidence_rules():
    from aelint.checks.ce_marking import has_ce_evidence
    assert has_ce_evidence("Certification: CE")
    assert has_ce_evidence("CE/FCC/RoHS")
    assert has_ce_evidence("Marquage CE conforme")
    assert has_ce_evidence("EU declaration of conformity included")
    assert not has_ce_evidence("Ce produit est livré avec une notice")
    assert not has_ce_evidence("CE PRODUIT EST LIVRE AVEC UNE NOTICE EN FRANCAIS")
    assert has_ce_evidence("PRODUIT AVEC MARQUAGE CE ET NOTICE EN FRANCAIS")
    assert not has_ce_evidence("PIECE of cake")


def test_ce_evidence_in_a_mapped_certification_column(tmp_path):
    path = tmp_path / "catalog.csv"
    path.write_text("product_id,title,Certification\nP1,Wireless Bluetooth Earbuds,CE\nP2,Wireless Mouse,\n",
                    encoding="utf-8")
    found = lint(path, ["AE404"], markets=["IT"], columns={"Certification": "attr:Certification"})
    assert codes(found) == [("AE404", 3)]


# --- approved special categories (AE401) ----------------------------------------------------------------------


SPECIAL = [
    {"product_id": "P1", "title": "Multivitamin Gummies for Adults 60 Pcs"},
    {"product_id": "P2", "title": "Ultra Thin Condoms 12 Pcs"},
    {"product_id": "P3", "title": "Hoverboard 6.5 Inch Self Balancing Scooter"},
]


def test_special_categories_fire_until_approved(tmp_path):
    path = write_catalog(tmp_path, SPECIAL)
    assert codes(lint(path, ["AE401"])) == [("AE401", 2), ("AE401", 3), ("AE401", 4)]
    approved = ["Vitamins & Dietary Supplements", "CONDOMS", "hoverboards"]
    assert lint(path, ["AE401"], approved_special_categories=approved) == []
    assert codes(lint(path, ["AE401"], approved_special_categories=["vitamins"])) == [("AE401", 3), ("AE401", 4)]


@pytest.mark.parametrize("spelling", ["DVDs/CDs/Blu-ray", "dvds, cds and blu-rays", "CD", "Blu-ray",
                                      "fertility/pregnancy tests", "Pregnancy Tests", "women's contraceptives",
                                      "Self-Balancing Scooters", "e-scooters", "Food"])
def test_accepted_spellings_of_special_categories(spelling):
    from aelint.checks.special_category import CATEGORIES, canonical_category
    assert canonical_category(spelling) in CATEGORIES


def test_unknown_special_category_is_a_config_error():
    with pytest.raises(ConfigError, match="unknown special category 'scooters'"):
        config_module.from_data({"approved_special_categories": ["scooters"]}, None)


def test_user_special_category_list(tmp_path):
    extra = tmp_path / "ours.toml"
    extra.write_text('terms = [{term = "kombucha", category = "food", source = "our review"}]\n', encoding="utf-8")
    settings = tmp_path / "aelint.toml"
    settings.write_text('[lists]\nspecial_categories = ["ours.toml"]\n', encoding="utf-8")
    path = write_catalog(tmp_path, [{"product_id": "P1", "title": "Organic Kombucha 6 Bottles"}])
    report = Engine(RunOptions(select=["AE401"], cache=False, jobs=1), config_module.parse(settings)).lint([path])
    assert [(d.code, d.message.split(" needs")[0]) for d in report.diagnostics] == [
        ("AE401", 'special category "food" ("kombucha")')]


# --- authorised brands (AE402) ----------------------------------------------------------------------------------


def test_brands_fire_until_authorized(tmp_path):
    rows = [{"product_id": "P1", "title": "Vitamin E", "brand": "Solimo"},
            {"product_id": "P2", "title": "Earbuds", "brand": "Anker"},
            {"product_id": "P3", "title": "Storage Box", "brand": "No Brand"},
            {"product_id": "P4", "title": "Mug", "brand": ""}]
    path = write_catalog(tmp_path, rows)
    assert codes(lint(path, ["AE402"])) == [("AE402", 2), ("AE402", 3)]
    assert codes(lint(path, ["AE402"], authorized_brands=["SOLIMO"])) == [("AE402", 3)]
    assert lint(path, ["AE402"], authorized_brands=["solimo", "anker"]) == []


# --- real listings ------------------------------------------------------------------------------------------------


def abo_values(text: str, key: str) -> list[str]:
    """The `value=` parts of one key of an ABO metadata.txt ('brand': '[{language_tag=fr_FR, value=Solimo}]')."""
    match = re.search(rf"'{key}': [\"'](.*?)[\"'],\n", text, re.S)
    return re.findall(r"value=([^}]*)\}", match[1]) if match else []


def test_real_vitamin_supplement(tmp_path):
    text = shared_file("abo_sample_products/samples/B07GTFSCHB/metadata.txt").read_text(encoding="utf-8")
    bullets = abo_values(text, "bullet_point")
    brand = abo_values(text, "brand")[0]
    assert brand == "Solimo" and bullets[0].startswith("La vitamine E")
    # The metadata has no title: a seller's title would lead with the first bullet point.
    path = write_catalog(tmp_path, [{"product_id": "B07GTFSCHB", "title": bullets[0], "brand": brand,
                                     "description": " ".join(bullets)}])
    found = lint(path, ["AE401", "AE402", "AE403"])
    assert [(d.code, d.field) for d in found] == [("AE401", "title"), ("AE402", "brand")]
    assert '"vitamins and dietary supplements" ("vitamine")' in found[0].message
    assert lint(path, ["AE401", "AE402"], approved_special_categories=["vitamins and dietary supplements"],
                authorized_brands=["Solimo"]) == []


def test_real_dropship_sheet_cervical_traction_device():
    """AE403 fires on the traction device (a therapeutic claim) and on nothing else of the sheet."""
    path = shared_file("aliexpress_dropship_variants/report_copy3.csv")
    found = lint(path, ["AE401", "AE403"])
    assert [(d.code, d.field) for d in found] == [("AE403", "title")]
    assert found[0].row == 86  # "Neck Shoulder Stretcher Relaxer Cervical Chiropractic Traction Device Pillow..."
    assert '"traction device" is a medical device' in found[0].message


def test_real_dropship_sheet_eu_rules():
    path = shared_file("aliexpress_dropship_variants/report_copy3.csv")
    found = lint(path, ["AE404", "AE405", "AE407"], markets=["FR"], epr={"packaging": "FR1"})
    messages = [(d.code, d.row, d.message.split(",")[0]) for d in found]
    # Shoes and the dish towel are textiles; jewelry that names the bikini or dress it goes with is not.
    assert [m for m in messages if m[0] == "AE405"] == [
        ("AE405", 56, 'selling in France and "sneaker" falls in the EPR stream textiles'),
        ("AE405", 87, 'selling in France and "sandals" falls in the EPR stream textiles'),
        ("AE405", 400, 'selling in France and "slippers" falls in the EPR stream textiles'),
        ("AE405", 505, 'selling in France and "towel" falls in the EPR stream textiles')]
    assert [m[0] for m in messages if m[0] != "AE405"] == ["AE407"]  # an anxiety fidget ring is not a toy
    assert found[0].message.startswith("18 products look like jewelry and accessories")


def test_real_fda_recalls_medical_devices_and_special_categories():
    """FDA recalls 2017-2021, descriptions read as titles: AE403 fires only on rows typed as medical devices."""
    path = shared_file("fda_recalls_2017_2021/recalls.csv")
    rows = {}  # by the physical line each record starts on (diagnostics count lines, not records)
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        last_line = 1
        for record in reader:
            rows[last_line + 1], last_line = record, reader.line_num
    found = lint(path, ["AE401", "AE403"], columns={"Product-Description": "title", "Product-Types": "category"})
    medical = [rows[d.row] for d in found if d.code == "AE403"]
    # devices that FDA filed under drugs (reviewed): a heart pump, test strips, auto-injectors
    filed_as_drugs = {"Left Ventricular Assist Device", "Roche CoaguChek test strips",
                      "EpiPen (epinephrine injection, USP) and EpiPen Jr® (epinephrine injection, USP) Auto-Injectors"}
    assert len(medical) >= 20 and all("Devices" in r["Product-Types"] or r["Product-Description"] in filed_as_drugs
                                      for r in medical)
    special = {rows[d.row]["Product-Description"] for d in found if d.code == "AE401"}
    assert "Colored contact lenses" in special and "Protein Bars" in special
    assert not any("Injection" in title for title in special)  # medicines are AE201's, not special categories


def test_real_wish_summer_clothes_look_alikes():
    """Wish summer listings: a hat with "electric embroidery" is not electrical, a snorkel mask not a cosmetic."""
    path = shared_file("wish_summer_clothes/summer-products-with-rating-and-performance_2020-08.csv")
    found = lint(path, ["AE404", "AE407"], markets=["DE"])
    rows = {d.row: d.message for d in found}
    assert 118 not in rows  # "...double-sided electric embroidery small daisy pattern ... fisherman hat"
    assert not any('"face mask"' in m for m in rows.values())  # "Full Face Mask Surface Diving Snorkel"
    assert '("usb")' in rows[776]  # "Personal Fan USB Rechargeable Hands Free Neckband Fan"
    assert '("toy")' in rows[878]  # "... Blow Up Balloon Toy Fun Party Game Summer Gift For Kids"


@pytest.mark.parametrize(("title", "parts"), [
    ("Phone Holder for Xiaomi Electric Scooter, Black / Red", (0, 0, 0, 0, 0, 0, 1, 2)),
    ("Lace Front Wig: 13x4 | Human Hair+Gift", (0, 0, 0, 1, 2, 2, 3)),
    ("Wig Stand - Black (2 pcs) it's", (0, 0, 1, 2, 2, 3)),
    ("a,,b; ", (0, 2)),
    ("Necklace", (0,)),
    ("", ()),
])
def test_text_parts_number_the_pieces_between_separators(title, parts):
    from aelint.checks._compliance import Text
    from aelint.text import words

    assert Text(title, words(title)).parts == parts
