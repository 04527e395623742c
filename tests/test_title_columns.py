"""The title rules judge the same over columns as product by product, on generated titles.

The columnar title rules (AE102-AE109: prefilters, AE105's check_table) rest on one assumption: nothing a
title rule looks for spans an ASCII space, so a title's facts are its chunks' facts put together
(aelint.table.CatalogTable.title_chunks). Titles built from look-alike words (full-width, accents, case,
Cyrillic, Han, joined and quoted words, years, marks, promotional phrases) and separators (spaces, no-break
spaces, tabs, commas, slashes) are linted both ways and must give the same findings.
"""

from __future__ import annotations

import csv
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from test_columnar import assert_same_both_ways

WORDS = ["Dress", "dresses", "DRESS", "Ｄｒｅｓｓ", "Été", "ete", "T", "Shirt", "T-Shirt", "for", "with", "pour", "la",
         "Free", "Shipping", "ＦＲＥＥ", "hot", "HOT", "Water", "2019", "2026", "Summer", "Nike", "Nïke", "Air", "Max",
         "iPhone", "ｉＰｈｏｎｅ", "Samsung", "Huawei", "Xiaomi", "Nokia", "15", "14", "13", "12", "11", "Платье",
         "платье", "女装", "Women's", "d'été", '"Slogan', 'Quote"', "5", "Colors", "Color", "!!", "<b>", "&amp;", "★",
         "Robe", "femme", "Café", "ABC中", "USB", "WOMEN", "SUMMER", "FLORAL", "High", "Quality"]
SEPARATORS = [" ", " ", " ", "  ", "\u00a0", "\t", ", ", "/", "，", "\u3000"]
# Words each followed by a separator; some titles end in a stray space, most do not.
title = st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(SEPARATORS)), max_size=14).map(
    lambda parts: "".join(w + s for w, s in parts)).map(lambda t: t if len(t) % 3 else t.rstrip(" "))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(titles=st.lists(title, min_size=1, max_size=40))
def test_title_rules_judge_alike_over_columns(titles, tmp_path_factory):
    path = Path(tmp_path_factory.mktemp("titles")) / "catalog.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["product_id", "title"])
        writer.writerows([f"P{i}", t] for i, t in enumerate(titles))
    assert_same_both_ways(path, select=["AE1"])
