"""Marketplace profiles: the tables are consistent with the rules, Wish files are recognised, settings and
the command line choose the marketplace, thresholds override a profile, and the summary names the rules."""

from __future__ import annotations

import csv
import json

import pytest
from click.testing import CliRunner

from aelint import config as config_module
from aelint.cli import main
from aelint.engine import Engine, RunOptions
from aelint.profiles import all_profiles, detect, profile
from aelint.registry import load_checks
from aelint.ruledata import read_pack
from conftest import ROOT, shared_file

CHECKS = load_checks()
CODES = {c.code for c in CHECKS}
WISH_HEADER = "Parent Unique ID,Unique ID,Product Name,Description,Tags,Price,MSRP,Quantity,Shipping,Main Image URL\n"
TAGS_14 = '"' + ", ".join(f"tag{n}" for n in range(14)) + '"'


def run(*args):
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    return result.exit_code, result.output


def wish_file(tmp_path, *rows, name="wish.csv"):
    path = tmp_path / name
    path.write_text(WISH_HEADER + "".join(rows), encoding="utf-8")
    return path


@pytest.mark.parametrize("market", list(all_profiles().values()), ids=lambda m: m.key)
def test_profile_names_only_real_rules_parameters_and_packs(market):
    for code in (*market.rules.own, *market.rules.off):
        assert code in CODES, f"profiles/{market.key}.toml names {code}, which no rule has"
    option_names = {name for c in CHECKS for name in c.options_model.model_fields}
    for name in market.parameters:
        assert name in option_names, f"profiles/{market.key}.toml sets {name}, which no rule reads"
    list_names = {getattr(c.module, "LIST_NAME", None) for c in CHECKS}
    for list_name, choice in market.lists.items():
        assert list_name in list_names
        for pack in choice.packs:
            categories = {t["category"] for t in read_pack(pack)["terms"]}
            assert set(choice.categories.get(pack, ())) <= categories, f"{pack}: unknown category"


@pytest.mark.parametrize("market", list(all_profiles().values()), ids=lambda m: m.key)
def test_every_rules_options_build_from_the_profile_and_the_defaults(market):
    """What settings validation no longer builds for rules the settings give nothing (config._given_values)."""
    config = config_module.Config()
    for check in CHECKS:
        options = config.options_for(check, market)
        for name, value in market.parameters.items():
            if name in check.options_model.model_fields:
                assert getattr(options, name) == value, (check.code, name)


@pytest.mark.parametrize("settings, message", [
    ({"thresholds": {"duplicate_title_similarity": 20}}, "duplicate_title_similarity"),  # AE601
    ({"thresholds": {"price_max": 0}}, "price_max"),  # AE504 and AE506
    ({"epr": {"cars": "X1"}}, "unknown EPR stream"),  # AE409, an EU rule
    ({"lists": {"prohibited": ["missing.toml"]}}, "no such file"),
])
def test_settings_for_rules_that_do_not_run_are_still_refused(settings, message):
    with pytest.raises(config_module.ConfigError, match=message):
        config_module.from_data({"select": ["AE1"], **settings}, None)


def test_a_rule_is_its_own_on_one_marketplace_at_most():
    owners = [code for m in all_profiles().values() for code in m.rules.own]
    assert len(owners) == len(set(owners))


def test_aliexpress_table_equals_the_rules_defaults():
    """AliExpress's numbers live in the rules' defaults; the table names them and must not drift."""
    market = profile("aliexpress")
    for check in CHECKS:
        for name, field in check.options_model.model_fields.items():
            if name in market.parameters:
                assert market.parameters[name] == field.default, f"{check.code} {name}"


def test_wish_rules_are_off_on_aliexpress_and_aliexpress_limits_off_on_wish():
    aliexpress, wish = profile("aliexpress"), profile("wish")
    module = "aelint.checks.x"
    for code in ("AE512", "AE513", "AE609", "AE610", "AE611"):
        assert wish.applies(code, module) and not aliexpress.applies(code, module)
    for code in ("AE101", "AE302", "AE508", "AE603"):
        assert aliexpress.applies(code, module) and not wish.applies(code, module)
    assert wish.applies("AE201", module) and wish.applies("AE504", module)
    assert wish.applies("XY901", "someone_elses.checks.rule")  # a plugin's rule is not a profile's to switch off


@pytest.mark.parametrize("headers, layout", [
    (["Parent Unique ID", "Unique ID", "Product Name", "Description", "Tags", "Price", "Quantity", "Shipping",
      "Main Image URL"], "legacy merchant CSV"),
    (["Unique ID", "Product Name", "Main Image URL", "Price"], "legacy merchant CSV"),
    (["Parent SKU", "SKU", "Title", "Description", "Main Image", "Extra Images", "Currency"], "2021 CSV"),
    (["*Product Name", "*Unique ID", "*Tags", "*MSRP", "*Product Main Image URL", "Shipping weight"], "ERP export"),
])
def test_wish_layouts_are_recognised(headers, layout):
    found = detect(headers)
    assert found is not None and found[0].key == "wish" and found[1] == layout


@pytest.mark.parametrize("headers", [
    ["Product ID", "Title", "Price", "Stock", "Main Images"],
    ["Handle", "Title", "Body (HTML)", "Variant SKU", "Variant Price", "Image Src", "Tags"],  # Shopify: has Tags
    ["SKU", "Title", "Main Image", "Price"],  # one Wish-like column is not a layout
])
def test_other_layouts_are_not_wish(headers):
    found = detect(headers)
    assert found is None or found[0].key != "wish"


def test_the_wish_scrape_is_not_a_wish_upload_layout():
    """The Kaggle file is a scrape of wish.com pages (title_orig, product_color...), nobody's upload format:
    it is linted with the default rules unless the user says --marketplace wish."""
    path = shared_file("wish_summer_clothes/summer-products-with-rating-and-performance_2020-08.csv")
    with path.open(newline="", encoding="utf-8") as handle:
        headers = next(csv.reader(handle))
    assert detect(headers) is None


def test_a_wish_file_is_linted_with_wish_rules_and_the_summary_says_so(tmp_path):
    path = wish_file(tmp_path, f"P1,P1-1,Cotton Shirt Navy,A cotton shirt for men with a crew neck.,{TAGS_14},10,8,5,2,"
                               "https://img.example.com/a.jpg\n")
    code, out = run(path, "--no-images")
    assert code == 1
    assert "AE609 [warning] 14 tags" in out and "AE512 [error] MSRP 8 is below the price 10" in out
    assert out.rstrip().endswith("; Wish rules)")
    code, out = run(path, "--no-images", "--marketplace", "aliexpress")
    assert "AE609" not in out and "AE512" not in out and out.rstrip().endswith("; AliExpress rules)")


def test_settings_choose_the_marketplace_and_unknown_ones_are_refused(tmp_path):
    plain = tmp_path / "plain.csv"
    plain.write_text(f"product_id,title,tags,price,stock\nP1,Cotton Shirt Navy,{TAGS_14},10,5\n", encoding="utf-8")
    (tmp_path / "aelint.toml").write_text('marketplace = "wish"\n', encoding="utf-8")
    code, out = run(plain, "--select", "AE609")
    assert code == 0 and "AE609 [warning] 14 tags" in out and "Wish rules" in out
    (tmp_path / "aelint.toml").write_text('marketplace = "amazon"\n', encoding="utf-8")
    code, out = run(plain)
    assert code == 2 and "marketplace" in out and "amazon" in out


def test_the_command_line_marketplace_beats_the_settings(tmp_path):
    path = wish_file(tmp_path, f"P1,P1-1,Cotton Shirt Navy,A shirt.,{TAGS_14},10,,5,2,https://img.example.com/a.jpg\n")
    (tmp_path / "aelint.toml").write_text('marketplace = "wish"\n', encoding="utf-8")
    code, out = run(path, "--no-images", "--marketplace", "AliExpress", "--select", "AE609")
    assert code == 0 and "AE609" not in out and "AliExpress rules" in out


def test_user_thresholds_override_the_profile(tmp_path):
    rows = [f"P1,P1-1,Cotton Shirt Navy,A shirt.,{TAGS_14},10,,5,2,https://img.example.com/a.jpg\n"]
    path = wish_file(tmp_path, *rows)
    config = config_module.from_data({"thresholds": {"tags_max_count": 14}}, None)
    report = Engine(RunOptions(select=["AE609"], images=False), config).lint([path])
    assert report.diagnostics == [] and report.marketplaces == {str(path): "Wish"}
    config = config_module.from_data({"thresholds": {"tags_max_count": 13}}, None)
    report = Engine(RunOptions(select=["AE609"], images=False), config).lint([path])
    assert [d.code for d in report.diagnostics] == ["AE609"]


def test_a_rule_absent_on_the_marketplace_does_not_run_even_when_selected(tmp_path):
    long_title = "Cotton Shirt Navy " * 10
    path = wish_file(tmp_path, f"P1,P1-1,{long_title},A shirt.,shirt,10,,5,2,https://img.example.com/a.jpg\n")
    report = Engine(RunOptions(select=["AE101"], images=False), config_module.from_data({}, None)).lint([path])
    assert report.diagnostics == [] and "AE101" not in report.ran_codes


def test_files_of_both_marketplaces_in_one_run(tmp_path):
    wish = wish_file(tmp_path, "P1,P1-1,Cotton Shirt Navy,A shirt.,shirt,10,,5,2,https://img.example.com/a.jpg\n")
    plain = tmp_path / "plain.csv"
    plain.write_text("product_id,title,price,stock\nP1,Cotton Shirt Navy,10,5\n", encoding="utf-8")
    code, out = run(wish, plain, "--select", "AE609", "--no-images")
    assert "(2 products, 2 rows; Wish rules: 1 file, AliExpress rules: 1 file)" in out


def test_rules_lists_what_applies_on_a_marketplace():
    code, out = run("rules", "--marketplace", "wish")
    listed = {line.split()[0] for line in out.splitlines()}
    assert code == 0 and {"AE201", "AE504", "AE609", "AE611"} <= listed and not {"AE101", "AE302"} & listed
    code, out = run("rules", "--marketplace", "aliexpress")
    listed = {line.split()[0] for line in out.splitlines()}
    assert "AE609" not in listed and "AE101" in listed
    code, out = run("rules")
    lines = {line.split()[0]: line for line in out.splitlines()}
    assert len(lines) == len(CHECKS)
    assert lines["AE609"].endswith("[Wish only]") and lines["AE302"].endswith("[AliExpress only]")
    assert not lines["AE201"].endswith("only]")
    code, out = run("rule", "AE611")
    assert "Applies on: Wish" in out


def test_the_wish_example_shows_each_wish_rule_once_or_more():
    data = json.loads(run(ROOT / "examples" / "wish-catalog.csv", "--format", "json", "--no-images")[1])
    codes = {d["code"] for d in data["diagnostics"]}
    assert {"AE107", "AE108", "AE201", "AE504", "AE512", "AE513", "AE605", "AE609", "AE610", "AE611"} <= codes
    messages = [d["message"] for d in data["diagnostics"]]
    assert not any("perfume" in m.lower() for m in messages)  # banned on AliExpress, not on Wish


def test_an_empty_description_on_wish_is_one_error_not_also_a_warning(tmp_path):
    path = wish_file(tmp_path, "P1,P1-1,Ceramic Coffee Mug White,,mug,6.50,,10,2,https://img.example.com/b.jpg\n")
    report = Engine(RunOptions(select=["AE602", "AE604"], images=False), config_module.from_data({}, None)).lint([path])
    assert [(d.code, d.message) for d in report.diagnostics] == [("AE602", "description is empty")]
    # AE604 leaves it to AE602 whether or not AE602 runs: a rule's findings do not depend on the selection.
    report = Engine(RunOptions(select=["AE604"], images=False), config_module.from_data({}, None)).lint([path])
    assert report.diagnostics == []
