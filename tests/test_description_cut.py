"""AE604's prefilter measures each description's first characters first (`_cut`, per product): that count
must never exceed the whole description's, wherever the cut falls (inside a tag, a character reference, a run of
spaces), or a description that should fire could be passed by.

Hypothesis writes descriptions from pieces at those boundaries and checks every cut of each one, and that
`may_fire` keeps every product `_judge` reports when the descriptions are longer than the cut.
"""

from __future__ import annotations

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aelint.checks import description_quality
from aelint.model import Catalog, Product, Sku
from aelint.table import CatalogTable

PIECES = ["<p>", "</p>", "<div class='a b'>", "<img src=x.jpg>", "<", ">", "<<", "&amp;", "&amp", "&#97;",
          "&#x4F;", "&#X4f", "&#", "&#x", "&", ";", "#", "x", "word", "é", "中文", " ", "  ", "\n", "\t", "\x1c",
          "\u3000", "\xa0", "Mug"]
descriptions = st.lists(st.sampled_from(PIECES), min_size=1, max_size=60).map("".join)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(descriptions)
def test_the_start_of_a_description_never_counts_more_than_the_whole(text):
    cuts = range(len(text) + 1)
    starts = pl.Series([text[:cut] for cut in cuts], dtype=pl.String)
    counted = description_quality._visible_from_below(starts, pl.Series([cut < len(text) for cut in cuts]))
    whole = description_quality._visible_from_below(pl.Series([text]), pl.Series([False]))[0]
    assert counted[-1] == whole  # uncut, the text is measured as before
    assert counted.max() <= whole, [t for t, n in zip(starts, counted) if n > whole][0]


def catalog_of(rows: list[tuple[str, str]]) -> Catalog:
    catalog = Catalog(path="generated.csv", sheet=None, header_row=1,
                      columns={f: f for f in ("product_id", "title", "description")})
    for number, (title, description) in enumerate(rows):
        product = Product(catalog, f"P{number}", number + 2)
        product.values = {"product_id": f"P{number}", "title": title, "description": description}
        product.skus = [Sku(product, number + 2, {}, {})]
        catalog.products.append(product)
    return catalog


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(["Mug", "Ceramic Mug 350 ml", "Кружка", "ǅ" * 40]),
                          st.lists(descriptions, min_size=1, max_size=12).map("".join)), min_size=1, max_size=5),
       st.sampled_from([0, 20, 100, 150]))
def test_may_fire_keeps_every_description_judged_short(rows, least):
    options = description_quality.Options(description_min_length=least)
    cuts = [max(64, 2 * least, 2 * (len(title) if title.isascii() else 3 * len(title))) for title, _ in rows]
    padded = [(title, text * max(1, 2 * cut // max(len(text), 1) // 3))
              for cut, (title, text) in zip(cuts, rows)]  # about two thirds of `_cut` and longer: cuts anywhere
    catalog = catalog_of(padded)
    kept = description_quality.may_fire(CatalogTable(catalog), options).to_list()
    for product, may in zip(catalog.products, kept):
        if not may:
            reported = list(description_quality._judge([product], options))
            assert not reported, f"may_fire dropped {product.values!r}: {reported[0].message}"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(descriptions, st.booleans()), min_size=1, max_size=8), st.lists(st.integers(0, 7),
                                                                                          max_size=80))
def test_descriptions_measured_once_per_distinct_start_count_as_measured_each(pieces, picks):
    # a few distinct (start, cut) pairs repeated (measured once each), or mostly distinct ones (measured all)
    rows = [pieces[k % len(pieces)] for k in picks] or pieces
    texts, cuts = pl.Series([t for t, _ in rows], dtype=pl.String), pl.Series([c for _, c in rows])
    measured = []

    def measure(texts, cut):
        measured.append(len(texts))
        return description_quality._visible_from_below(texts, cut)

    found = description_quality._each_distinct(measure, texts, cuts)
    assert found.to_list() == description_quality._visible_from_below(texts, cuts).to_list()
    distinct = len(set(rows))
    assert measured == [distinct if distinct <= 0.75 * len(rows) else len(rows)]
