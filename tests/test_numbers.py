"""Numbers as sellers write them: what is clear is read, what could mean two things is flagged."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aelint.numbers import currency_code, format_number, parse_amount, parse_length_cm, parse_weight_kg


@pytest.mark.parametrize("text, value, note", [
    ("12.50", 12.5, ""),
    ("12,50", 12.5, "decimal comma"),
    ("$14.06", 14.06, "currency symbol"),
    ("14.06$", 14.06, "currency symbol"),
    ("US $12.50", 12.5, "currency symbol"),
    ("R$ 12,50", 12.5, "currency symbol, decimal comma"),
    ("12,50 EUR", 12.5, "currency symbol, decimal comma"),
    ("1.250,00 €", 1250.0, "currency symbol, decimal comma"),
    ("£1,250.00", 1250.0, "currency symbol"),
    ("1,250.00", 1250.0, ""),
    ("1 250,00", 1250.0, "decimal comma"),
    ("1\u00a0250,00", 1250.0, "decimal comma"),
    ("1'250.00", 1250.0, ""),
    ("1,250,000", 1250000.0, ""),
    ("1.250.000", 1250000.0, ""),
    ("1.250.000,50", 1250000.5, "decimal comma"),
    ("0,250", 0.25, "decimal comma"),  # no one writes a thousands group after a 0
    ("1,2500", 1.25, "decimal comma"),
    ("1234,567", 1234.567, "decimal comma"),  # 4 digits before: not thousands grouping
    (".99", 0.99, ""),
    ("-5", -5.0, ""),
    ("+3", 3.0, ""),
    ("1e-05", 1e-05, "scientific notation"),  # how a spreadsheet shows a tiny float
    ("3.65275E+11", 365275000000.0, "scientific notation"),
])
def test_clear_numbers_are_read_as_meant(text, value, note):
    amount = parse_amount(text)
    assert amount.value == pytest.approx(value)
    assert amount.note == note
    assert not amount.ambiguous


@pytest.mark.parametrize("text, value, alternative", [
    ("1,250", 1250.0, 1.25),
    ("1.250", 1.25, 1250.0),
    ("12,500", 12500.0, 12.5),
    ("999.999", 999.999, 999999.0),
    ("-1,250", -1250.0, -1.25),
    ("€1.250", 1.25, 1250.0),
])
def test_three_digits_after_a_single_separator_are_ambiguous(text, value, alternative):
    amount = parse_amount(text)
    assert amount.ambiguous
    assert amount.value == pytest.approx(value)
    assert amount.alternative == pytest.approx(alternative)
    assert "could be" in amount.describe(text)


@pytest.mark.parametrize("text", ["abc", "12-15", "10%", "1.2.3", "1,25,000", "1,250.000.5", "12 5",
                                  "500 pcs", ".", "12.", "1.250,000,00", "N/A", "--5"])
def test_not_numbers(text):
    amount = parse_amount(text)
    assert amount.value is None and amount.note == "not a number"


def test_empty():
    assert parse_amount("  ").value is None and parse_amount("").note == "empty"


def test_decimals_and_cents():
    assert parse_amount("12.5").decimals == 1
    assert parse_amount("12,999").ambiguous  # 12999 or 12.999
    assert parse_amount("1234.567").decimals == 3 and not parse_amount("1234.567").cents_exact
    # float noise from a formula's cached value is not a third decimal
    assert parse_amount("12.990000000000002").cents_exact
    assert parse_amount("0.001").decimals == 3 and not parse_amount("0.001").cents_exact
    assert parse_amount("1e-05").decimals == 5


def test_whole():
    assert parse_amount("12").whole and parse_amount("12,0").whole and parse_amount("1.000.000").whole
    assert not parse_amount("12.5").whole and not parse_amount("x").whole


def test_parsing_is_cached_by_text():
    assert parse_amount("77,70") is parse_amount("77,70")


def test_measures():
    assert parse_weight_kg("1 Pound") == pytest.approx(0.45359237)
    assert parse_weight_kg("500g") == pytest.approx(0.5)
    assert parse_weight_kg("0,5") == pytest.approx(0.5)
    assert parse_length_cm("12.5 cm") == pytest.approx(12.5)
    assert parse_length_cm("10 furlongs") is None


def test_format_number():
    assert format_number(1250.0) == "1250" and format_number(1.25) == "1.25" and format_number(None) == "?"


@given(st.decimals(min_value=0, max_value=10_000_000, places=2, allow_nan=False, allow_infinity=False))
def test_us_and_european_formatting_round_trip(number):
    """Any amount with two decimals written the US way or the European way reads back as itself."""
    us = f"{number:,.2f}"
    european = us.replace(",", " ").replace(".", ",").replace(" ", ".")
    for text in (us, european, f"${us}", f"{european} €"):
        amount = parse_amount(text)
        assert amount.value == pytest.approx(float(number)), text
        assert not amount.ambiguous


@given(st.integers(min_value=0, max_value=10**9))
def test_integers_round_trip(number):
    for text in (str(number), f"{number:,}", f"{number:,}".replace(",", ".")):
        amount = parse_amount(text)
        if amount.ambiguous:  # exactly one separator: 1,250 / 1.250
            assert 1000 <= number < 1_000_000
            assert float(number) in (amount.value, amount.alternative)
        else:
            assert amount.value == number, text


@pytest.mark.parametrize("text, code", [
    ("EUR", "EUR"), (" eur ", "EUR"), ("RMB", "CNY"), ("rmb", "CNY"), ("EGP", "EGP"),  # any three letters
    ("Euro", None), ("€", None), ("US$", None), ("EU", None), ("ＥＵＲ", None), ("", None), ("E U R", None),
])
def test_currency_code(text, code):
    assert currency_code(text) == code
