"""Catalog-wide rules (AE601, AE603-AE607) and AE509 split-variants: blocking, judgement calls, real files."""

from __future__ import annotations

import random
from itertools import combinations
from pathlib import Path

import pytest
from rapidfuzz import fuzz

from aelint import similar
from aelint.checks import (
    catalog_too_small,
    description_forbidden_html,
    duplicate_listing,
    invalid_logistics,
    price_outlier,
    split_variants,
)
from aelint.config import from_data
from aelint.engine import Engine, RunOptions
from aelint.reader import read_catalog
from aelint.text import words
from conftest import shared_file

SYLLABLES = "ka lo mi ra ne tu sa vo pe li zu da fo ri ma te no si ga bu re".split()


def lint(path: Path, codes: list[str], settings: dict | None = None):
    return Engine(RunOptions(select=codes, images=False, cache=False, jobs=1),
                  from_data(settings or {}, None)).lint([path])


def write_csv(tmp_path: Path, header: str, rows: list[str], name: str = "catalog.csv") -> Path:
    path = tmp_path / name
    path.write_text(header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


# --- blocking: every pair within two changed words per side is a candidate ---------------------------------

def _random_titles(rng: random.Random, count: int) -> list[list[str]]:
    vocabulary = sorted({"".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))) for _ in range(600)})
    titles = []
    for _ in range(count):
        title = rng.sample(vocabulary, rng.randint(3, 12))
        titles.append(title)
        if rng.random() < 0.4:  # a near copy: up to two words replaced, maybe one added, shuffled
            copy = list(title)
            for _ in range(rng.randint(0, 2)):
                copy[rng.randrange(len(copy))] = rng.choice(vocabulary)
            if rng.random() < 0.5:
                copy.append(rng.choice(vocabulary))
            rng.shuffle(copy)
            titles.append(copy)
    return titles


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_blocking_finds_every_pair_with_at_most_two_changed_words_per_side(seed):
    # (and two words in common: the bucket keys are pairs of words)
    rng = random.Random(seed)
    titles = _random_titles(rng, 300)
    groups = [rng.randrange(3) for _ in titles]
    found = set(similar.candidate_pairs(titles, groups, lambda i: " ".join(sorted(titles[i]))).tolist())
    n = len(titles)
    expected = set()
    for i in range(n):
        for j in range(i + 1, n):
            a, b = set(titles[i]), set(titles[j])
            if groups[i] == groups[j] and len(a - b) <= 2 and len(b - a) <= 2 and len(a & b) >= 2:
                expected.add(i * n + j)
    assert expected, "the generator planted no near copies"
    assert expected <= found


def test_blocking_never_pairs_titles_of_different_groups():
    titles = [["soft", "cotton", "towel"]] * 4
    pairs = similar.candidate_pairs(titles, [0, 1, 2, 3], lambda i: "")
    assert pairs.tolist() == []
    assert len(similar.candidate_pairs(titles, [0, 0, 1, 1], lambda i: "")) == 2


def test_a_large_bucket_of_common_words_is_compared_as_a_sorted_neighbourhood():
    # 200 titles made of the same four common words plus one: one bucket of 200, over MAX_BUCKET.
    titles = [["summer", "women", "dress", "casual", f"w{i:03d}"] for i in range(200)]
    titles.append(["summer", "women", "dress", "casual", "w007"])  # an exact copy of title 7
    n = len(titles)
    found = set(similar.candidate_pairs(titles, [0] * n, lambda i: " ".join(sorted(titles[i]))).tolist())
    assert 7 * n + 200 in found
    assert len(found) < n * similar.WINDOW * 6  # not all 20,100 pairs


def test_candidate_pairs_are_every_pair_of_a_small_bucket_and_near_neighbours_of_a_large_one():
    """The pairs `candidate_chunks` gives, bucket by bucket as `_buckets` lays them out: all pairs of a bucket
    of up to MAX_BUCKET members, members up to WINDOW places apart in a larger one (buckets of every size)."""
    rng = random.Random(7)
    vocabulary = [f"w{k}" for k in range(40)]
    weights = [1 / (k + 1) for k in range(40)]  # a few common words: large buckets beside small ones
    titles = [rng.choices(vocabulary, weights, k=rng.randint(1, 6)) for _ in range(3000)]
    groups = [rng.randrange(2) for _ in titles]
    order = lambda i: " ".join(sorted(titles[i]))  # noqa: E731
    table, size = similar._prefix_table(similar.CodedTitles(titles), similar.PREFIX)
    owners, run, run_size, large = similar._buckets(table, groups, size, order, similar.MAX_BUCKET)
    n, expected = len(titles), set()
    for bucket in range(int(run.max()) + 1):
        members = owners[run == bucket].tolist()
        reach = similar.WINDOW if len(members) > similar.MAX_BUCKET else len(members)
        expected.update(min(a, b) * n + max(a, b) for k, a in enumerate(members) for b in members[k + 1:k + 1 + reach])
    sizes = set(run_size.tolist())
    assert any(s > similar.MAX_BUCKET for s in sizes) and len([s for s in sizes if 2 < s <= similar.MAX_BUCKET]) > 5
    assert set(similar.candidate_pairs(titles, groups, order).tolist()) == expected


def test_similar_pairs_agree_with_all_pairs_rapidfuzz():
    rng = random.Random(5)
    titles = _random_titles(rng, 200)
    texts = [" ".join(sorted(t)) for t in titles]
    plain = [" ".join(t) for t in titles]
    got = {(i, j) for i, j, _ in similar.similar_pairs(titles, [0] * len(titles), 90)}
    expected = {(i, j) for i in range(len(titles)) for j in range(i + 1, len(titles))
                if max(fuzz.ratio(texts[i], texts[j]), fuzz.ratio(plain[i], plain[j])) >= 90}
    assert expected and got == expected


def _stress_titles(rng: random.Random, count: int) -> list[list[str]]:
    """Near copies among titles with digits, accents and words of one letter repeated hundreds of times
    (letter counts past 255, where the histograms are capped)."""
    vocabulary = sorted({"".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 3))) for _ in range(80)})
    vocabulary += ["14", "15", "x2", "café", "ñandú", "a" * 300, "e" * 260 + "o" * 260, "k" * 256]
    titles = []
    while len(titles) < count:
        title = rng.choices(vocabulary, k=rng.randint(1, 9))  # repeated words too
        titles.append(title)
        for _ in range(rng.randint(0, 3)):  # near copies: words replaced, added, dropped, a letter changed
            copy = list(title)
            edit = rng.randrange(4)
            if edit == 0:
                copy[rng.randrange(len(copy))] = rng.choice(vocabulary)
            elif edit == 1:
                copy.insert(rng.randrange(len(copy) + 1), rng.choice(vocabulary))
            elif edit == 2 and len(copy) > 1:
                del copy[rng.randrange(len(copy))]
            else:
                k = rng.randrange(len(copy))
                copy[k] = copy[k][:-1] + rng.choice("aeiou9")
            if rng.random() < 0.3:
                rng.shuffle(copy)
            titles.append(copy)
    return titles[:count]


@pytest.mark.parametrize("seed, threshold", [(11, 90), (12, 80), (13, 60), (14, 100), (15, 95), (16, 50)])
def test_similar_pairs_are_the_blocked_candidates_that_score_the_threshold(seed, threshold):
    # The plain definition: every candidate pair of the blocking scored by rapidfuzz, nothing filtered.
    # The filters before the scoring (coarse and full bag distance) may drop only pairs that cannot reach it.
    rng = random.Random(seed)
    titles = _stress_titles(rng, 260)
    groups = [rng.randrange(2) for _ in titles]
    texts = [" ".join(sorted(t)) for t in titles]
    plain = [" ".join(t) for t in titles]
    n = len(titles)
    candidates = similar.candidate_pairs(titles, groups, texts.__getitem__).tolist()
    expected = [(i, j) for i, j in map(lambda code: divmod(code, n), candidates)
                if max(fuzz.ratio(texts[i], texts[j]), fuzz.ratio(plain[i], plain[j])) >= threshold]
    got = similar.similar_pairs(titles, groups, threshold)
    assert len(expected) >= 5
    as_ids = similar.TitleWordIds()  # (as AE601 gives them: the title table's words)
    for title in titles:
        as_ids.append(title)
    assert similar.similar_pairs(as_ids, groups, threshold) == got
    assert [(i, j) for i, j, _ in got] == expected
    assert all(score == pytest.approx(max(fuzz.ratio(texts[i], texts[j]), fuzz.ratio(plain[i], plain[j])), abs=1e-4)
               for i, j, score in got)


@pytest.mark.parametrize("kind", ["random", "counts near 255"])
def test_the_coarse_histograms_distance_is_at_most_the_bag_distance(kind):
    import numpy as np

    if kind == "random":
        titles = _stress_titles(random.Random(3), 300)
    else:  # two letters 125-130 times each: a group holding both sums past 255 on one side only
        titles = [[first * 130 + second * count] for first, second in combinations("abcdefghijklmnopqrstuvwxyz", 2)
                  for count in (125, 130)]
    histogram, _ = similar._title_histograms(similar.CodedTitles(titles))
    coarse = similar._coarse_histograms(histogram)
    left, right = np.divmod(np.arange(len(titles) ** 2), len(titles))
    bag = similar._byte_distances(histogram, left, right)
    assert (similar._byte_distances(coarse, left, right) <= bag).all()
    assert (similar._byte_distances(coarse, left, right) < bag).any()  # (a coarser, not the same, distance)
    sample = slice(0, len(left), 211)
    counts = [np.abs(histogram[i].astype(int) - histogram[j]).sum() for i, j in zip(left[sample], right[sample])]
    assert bag[sample].tolist() == counts


def test_title_histograms_are_the_joined_texts_letter_and_space_counts_capped_at_255():
    titles = _stress_titles(random.Random(4), 300) + [["b" * 200, "b" * 100], ["é" * 300, "z"], ["zz"] * 130,
                                                      ["a"] * 300]
    histogram, size = similar._title_histograms(similar.CodedTitles(titles))
    texts = [" ".join(t) for t in titles]
    assert any(len(text) > 255 for text in texts) and any(len(text) <= 255 for text in texts)
    assert size.tolist() == [len(text) for text in texts]
    assert (histogram[:, :36] == similar._histograms(texts)).all() and not histogram[:, 37:].any()
    assert histogram[:, 36].tolist() == [min(text.count(" "), 255) for text in texts]


def test_title_words_keep_titles_as_ids():
    titles = _stress_titles(random.Random(9), 150)
    kept = similar.TitleWordIds()
    for title in titles[:50]:
        kept.append(title)
    import numpy as np

    vocabulary = sorted({w for t in titles[50:] for w in t}, reverse=True)  # ids of another vocabulary
    ids = np.array([vocabulary.index(w) for t in titles[50:] for w in t], dtype=np.int64)
    kept.extend(vocabulary, ids, np.array([len(t) for t in titles[50:]], dtype=np.int64))
    assert len(kept) == len(titles) and list(kept) == [tuple(t) for t in titles]
    assert kept[-1] == tuple(titles[-1])
    assert kept.words_of([0, 7, 50, 149]) == [titles[0], titles[7], titles[50], titles[149]]
    assert kept.words_of([]) == []
    with pytest.raises(IndexError):
        kept[len(titles)]
    with pytest.raises(IndexError):
        kept[-len(titles) - 1]
    one = similar.TitleWordIds()
    one.append(["mug"])
    one.append([])
    assert list(one) == [("mug",), ()]
    coded, plain = similar.CodedTitles(kept), similar.CodedTitles(titles)
    assert coded.vocabulary == plain.vocabulary
    assert coded.ids.tolist() == plain.ids.tolist() and coded.lengths.tolist() == plain.lengths.tolist()
    flagged = [len(w) > 5 for w in kept.vocabulary]
    expected = [i for i, t in enumerate(titles) if any(len(w) > 5 for w in t)]
    assert kept.titles_with(flagged) == expected  # (150 titles: numpy)
    small = similar.TitleWordIds()
    for title in titles[:40]:
        small.append(title)
    assert small.titles_with([len(w) > 5 for w in small.vocabulary]) == expected[:sum(i < 40 for i in expected)]


# --- variant words and distinct products --------------------------------------------------------------------

def keys(title: str) -> tuple[str, ...]:
    from aelint.text import singular
    return tuple(singular(w) for w in words(title))


@pytest.mark.parametrize("title, signature", [
    ("Summer Dress Navy Blue", ("navy blue",)),
    ("Summer Dress Dark Green XL", ("dark green", "xl")),
    ("Phone Stand Rose Gold", ("rose gold",)),
    ("T-Shirt Size M", ("m",)),
    ("King Size Duvet Cover", ("king",)),
    ("Storage Box 30 cm", ("30cm",)),
    ("3 in 1 USB Cable", ()),
    ("Red Wine Glass", ()),
    ("Green Tea Bags", ()),
    ("Galaxy S Pen Case", ()),
    ("Phone Case for iPhone 15", ()),
    ("Rose Bouquet Artificial Flowers", ()),
])
def test_split_variant(title, signature):
    assert similar.split_variant(keys(title)).signature == signature


@pytest.mark.parametrize("left, right, distinct", [
    ("Running Shoes Men", "Running Shoes Women", True),
    ("Case for iPhone 15", "Case for iPhone 15 Pro", True),
    ("Case for iPhone 14", "Case for iPhone 15", True),
    ("Storage Box with Lid", "Storage Box without Lid", True),
    ("Kids Pajamas Cotton", "Kiids Pajamas Cotton", False),  # a typo
    ("Summer Dress Casual", "Summer Dress Casual S-5XL", False),  # a size range, not a model
    ("Summer Dress Casual", "Summer Dress Elegant", False),
    ("Summer Dress Casual", "Casual Summer Dress", False),
])
def test_distinct_products(left, right, distinct):
    assert similar.distinct_products(keys(left), keys(right)) is distinct


# --- AE601 and AE509 together ----------------------------------------------------------------------------

def test_a_colour_only_difference_is_ae509_and_not_ae601(tmp_path):
    path = write_csv(tmp_path, "product_id,title,category,price,stock,main_images", [
        "P1,Women Summer Floral Beach Dress Casual Short Sleeve Red,Dresses,10,5,a.jpg",
        "P2,Women Summer Floral Beach Dress Casual Short Sleeve Blue,Dresses,10,5,a.jpg",
        "P3,Women Summer Floral Beach Dress Casual Short Sleeve Blue,Dresses,10,5,c.jpg",
    ])
    report = lint(path, ["AE601", "AE509"])
    got = sorted((d.code, d.row) for d in report.diagnostics)
    # P2 and P3 are other colours of P1 (AE509, even with P1's images); P3 is also a copy of P2 (AE601).
    assert got == [("AE509", 3), ("AE509", 4), ("AE601", 4)]
    ae601 = next(d for d in report.diagnostics if d.code == "AE601")
    assert "product P2 (row 3)" in ae601.message


def test_split_variants_in_a_catalog_past_the_small_path_as_in_a_small_one(tmp_path, monkeypatch):
    # Over MAX_BUCKET titles the titles with a colour or size word are found with numpy; the same groups.
    rng = random.Random(6)
    colours = ["Red", "Navy Blue", "XL", "30cm", "Rose Gold", "Black"]
    rows = []
    for k in range(150):
        base = " ".join(rng.sample(["Summer", "Cotton", "Dress", "Lamp", "Wooden", "Mug", "Soft", "Kids"], 4))
        for colour in rng.sample(colours, rng.randint(1, 3)):
            rows.append(f"P{len(rows)},{base} {colour},{rng.choice(['A', 'B'])},10,5,")
    catalog = read_catalog(write_csv(tmp_path, "product_id,title,category,price,stock,main_images", rows),
                           "catalog.csv", {}, None)
    table = similar.title_table(catalog)
    table.add(catalog.products)
    found = split_variants.variant_groups(table)
    monkeypatch.setattr(similar, "MAX_BUCKET", 10**9)
    assert len(found) > 20 and split_variants.variant_groups(table) == found


def test_duplicate_listing_reports_each_later_product_once_against_its_best_match(tmp_path):
    path = write_csv(tmp_path, "product_id,title,category,price,stock,main_images", [
        "P1,Bamboo Cutting Board Large Kitchen Chopping Block,Kitchen,10,5,a.jpg",
        "P2,Bamboo Cutting Board Large Kitchen Chopping Blocks,Kitchen,10,5,a.jpg",
        "P3,Bamboo Cutting Board Large Kitchen Chopping Block,Kitchen,10,5,a.jpg",
    ])
    report = lint(path, ["AE601"])
    assert [(d.row, d.field) for d in report.diagnostics] == [(3, "title"), (4, "title")]
    assert "product P1 (row 2)" in report.diagnostics[1].message  # 100% with P1 beats 98% with P2
    assert "100% similar" in report.diagnostics[1].message


def test_the_title_table_is_built_once_per_catalog(tmp_path):
    path = write_csv(tmp_path, "product_id,title,category,price,stock", ["P1,Soft Towel Blue,Home,1,1"])
    catalog = read_catalog(path, str(path), {}, None)
    assert similar.title_table(catalog) is similar.title_table(catalog)
    other = read_catalog(path, str(path), {}, None)
    assert similar.title_table(other) is not similar.title_table(catalog)


# --- AE603-AE607 details --------------------------------------------------------------------------------

def test_logistics_units_are_converted_before_the_range_check(tmp_path):
    path = write_csv(tmp_path, "product_id,title,weight,package length,package width,package height", [
        "P1,Rug,1200 lb,10,10,10",  # 544 kg
        "P2,Rug,1100 lb,10,10,10",  # 499 kg
        "P3,Rug,600,10,10,10",
        "P4,Rug,600 g,7000 mm,10,10",  # 0.6 kg; 700 cm is the limit itself
        "P5,Rug,0.5,7010 mm,10,10",  # 701 cm
    ])
    report = lint(path, ["AE603"])
    assert [(d.row, d.field) for d in report.diagnostics] == [(2, "weight_kg"), (4, "weight_kg"),
                                                               (6, "package_length_cm")]


def test_forbidden_html_findings():
    assert description_forbidden_html.findings('<p style="color:red">Form-fitting</p>') == []
    assert description_forbidden_html.findings('<a href="https://m.aliexpress.com/x">x</a>') == []
    assert description_forbidden_html.findings('<a href="//evil.example/x">x</a>') == ["a link to evil.example"]
    assert description_forbidden_html.findings('<a href="tel:+33100000000">call</a>') == ["a tel: link"]
    assert description_forbidden_html.findings("<ScRiPt>x</script><script>y</script>") == ["<script>"]


def test_price_outlier_uses_the_median_sku_price_of_a_product(tmp_path):
    rows = [f"P{i},Case {i},Cases,{price},5" for i, price in enumerate([9, 10, 11, 10, 12, 9.5, 10.5, 11.5], 1)]
    rows += ["P9,Case 9,Cases,0.01,5", "P9,Case 9,Cases,10,5", "P9,Case 9,Cases,10,5"]  # a lure SKU
    rows += ["P10,Case 10,Cases,1.00,5", "P10,Case 10,Cases,1.20,5"]  # the whole product is cheap
    path = write_csv(tmp_path, "product_id,title,category,price,stock", rows)
    report = lint(path, ["AE606"])
    assert [d.product_id for d in report.diagnostics] == ["P10"]


def test_price_outlier_options_come_from_thresholds(tmp_path):
    rows = [f"P{i},Case {i},Cases,{price},5" for i, price in enumerate([9, 10, 11, 10, 2], 1)]
    path = write_csv(tmp_path, "product_id,title,category,price,stock", rows)
    assert lint(path, ["AE606"]).diagnostics == []  # 5 products: under the default of 8
    report = lint(path, ["AE606"], {"thresholds": {"price_outlier_min_products": 5, "price_outlier_ratio": 4}})
    assert [d.product_id for d in report.diagnostics] == ["P5"]


def test_options_models_forbid_unknown_keys():
    for module in (duplicate_listing, split_variants, invalid_logistics, price_outlier, catalog_too_small):
        with pytest.raises(ValueError):
            module.Options(unknown=1)


def test_catalog_too_small_counts_products_not_rows(tmp_path):
    rows = [f"P{i // 3},Shirt {i // 3},10,5,{'SML'[i % 3]}" for i in range(27)]  # 9 products, 27 rows
    path = write_csv(tmp_path, "product_id,title,price,stock,size", rows)
    report = lint(path, ["AE607"])
    assert [d.message for d in report.diagnostics] == [
        "the catalog has 9 products: a new store opens only after 10 products are published"]


# --- real files -------------------------------------------------------------------------------------------

def test_dropship_sheet_weights_in_pounds_are_valid_logistics():
    path = shared_file("aliexpress_dropship_variants/report_copy3.csv")
    report = lint(path, ["AE603", "AE605", "AE604"])
    assert report.products == 24
    assert report.diagnostics == []  # "1 Pound" weights, plain-text descriptions of 116+ characters


def test_shopify_follow_on_rows_inherit_the_product_for_catalog_rules():
    path = shared_file("shopify_product_template/product_template.csv")
    report = lint(path, ["AE509", "AE601", "AE604", "AE605", "AE606", "AE607"])
    # 3 products in 17 rows: follow-on rows with blank titles are SKUs, not untitled duplicate listings.
    assert [(d.code, d.message) for d in report.diagnostics] == [
        ("AE607", "the catalog has 3 products: a new store opens only after 10 products are published")]


def test_wish_marketplace_titles_near_duplicates_are_real_repeats():
    path = shared_file("wish_summer_clothes/summer-products-with-rating-and-performance_2020-08.csv")
    catalog = read_catalog(path, str(path), {}, None)
    table = similar.title_table(catalog)
    table.add(catalog.products)
    pairs = duplicate_listing.title_duplicates(table, 90)
    assert len(pairs) > 100  # the scrape holds many relisted products
    for earlier, later, score in pairs:
        assert score >= 90
        # every reported pair shares most of its words (no blocking accident)
        a, b = set(table.words[earlier]), set(table.words[later])
        assert len(a & b) >= 0.6 * max(len(a), len(b))


def test_same_main_images_over_columns_as_product_by_product(tmp_path):
    # Each product's references compared as a set (any order), a repeated reference not the same as one.
    rows = ["P1,Leather Wallet,A,10,5,b.jpg;a.jpg;c.jpg", "P2,Steel Bottle,A,10,5,c.jpg;b.jpg;a.jpg",
            "P3,Garden Hose,A,10,5,a.jpg;a.jpg", "P4,Wooden Spoon,A,10,5,a.jpg", "P5,Silk Scarf,A,10,5,a.jpg;a.jpg",
            "P6,Desk Lamp,A,10,5,é.jpg;z.jpg;E.jpg", "P7,Yoga Mat,A,10,5,E.jpg;é.jpg;z.jpg;z.jpg",
            "P8,Tea Cup,A,10,5,E.jpg;z.jpg;é.jpg"]
    path = write_csv(tmp_path, "product_id,title,category,price,stock,main_images", rows)
    config = from_data({}, None)

    def found(columnar_from: int) -> list[tuple[int, str]]:
        report = Engine(RunOptions(select=["AE601"], images=False, cache=False, jobs=1, columnar_from=columnar_from),
                        config).lint([path])
        return [(d.row, d.message) for d in report.diagnostics]

    assert [row for row, _ in found(10**9)] == [3, 6, 8, 9]  # P4 (one a.jpg) is not P3 (a.jpg twice)
    assert found(0) == found(10**9)


def test_same_main_image_files_under_other_names_are_ae311s_not_ae601s(tmp_path):
    from types import SimpleNamespace

    path = write_csv(tmp_path, "product_id,title,category,price,stock,main_images", [
        "P1,Handmade Leather Wallet,Accessories,10,5,img/a.jpg",
        "P2,Genuine Cowhide Card Holder,Accessories,10,5,img/copy-of-a.jpg",
        "P3,Stainless Steel Water Bottle,Kitchen,10,5,img/a.jpg",
    ])
    catalog = read_catalog(path, str(path), {}, None)
    alone = [(p.product.product_id, p.cell.field) for p in duplicate_listing.check(catalog, duplicate_listing.Options())]
    assert alone == [("P3", "main_images")]  # the same reference; other names are not compared
    # What an image rule's probe left behind (digests of the files) changes nothing.
    catalog.images = {"img/a.jpg": SimpleNamespace(digest="d1"), "img/copy-of-a.jpg": SimpleNamespace(digest="d1")}
    assert [(p.product.product_id, p.cell.field)
            for p in duplicate_listing.check(catalog, duplicate_listing.Options())] == alone


def test_a_price_column_empty_on_every_real_row_is_one_line():
    # The dropshipping sheet's "Suggested Sale Price" is empty on all 510 SKU rows (its prices are in "Cost").
    found = lint(shared_file("aliexpress_dropship_variants/report_copy3.csv"), ["AE602"]).diagnostics
    price = [d for d in found if d.field == "price"]
    assert [(d.row, d.column, d.message.split(":")[0]) for d in price] == [
        (1, "Suggested Sale Price", "price is empty on every row (510 SKU rows)")]
    assert len(found) == 2  # and the file-level line for the columns it does not have
