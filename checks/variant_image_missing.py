"""AE312 variant-image-missing: a product varies by colour but some colours have no SKU image.

What it does:
    For each product whose SKUs have two or more different colours, reports each colour none of whose
    SKU rows has a variant (SKU) image. A colour that has an image on one of its rows (Red / S) counts
    as having one for its other sizes (Red / M). The SKU image is read from the layout's per-row image
    column (`SKU image`, AliExpress `Variation Image`, Wish `Variation Image URL`, Shopify `Variant
    image URL` / `Variant Image`); in layouts without one, where every row carries its own pictures
    (the dropshipping sheet's `Image_link_1` … `Image_link_12`), a row's first picture is its SKU's
    image, the product's first row included. When the catalog has no SKU image column at all, it
    says so once for the file.

Why is this bad:
    Buyers choose a colour by its picture; seller FAQ 27 says that each colour variant gets its own
    image ("Download an image" for each new colour). A colour without a picture shows the main image
    instead, which looks like the wrong product and causes returns.

Example:
    A T-shirt in Red, Blue and Green where the Green rows have no image fires once for Green. A product
    sold in one colour only, in several sizes, does not fire.

Options:
    none.

Source: seller FAQ 27 (combining products on one product sheet).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from aelint import text
from aelint.i18n import _
from aelint.facts import detached, whole
from aelint.model import Catalog, Problem, Product

if TYPE_CHECKING:
    from aelint.table import CatalogTable

CODE = "AE312"
NAME = "variant-image-missing"
SEVERITY = "warning"


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)  # validator built on first use


def _colour_key(value: str) -> str:
    """A SKU's colour as colours are told apart (words without case or accents), "" for none."""
    colour = value.strip()
    return (" ".join(text.words(colour)) or colour.lower()) if colour else ""


def _colours(product) -> dict[str, list]:
    colours: dict[str, list] = {}
    for sku in product.skus:
        colour = _colour_key(sku.values.get("color", ""))
        if colour:
            colours.setdefault(colour, []).append(sku)
    return colours


def _has_picture(sku, rows_carry_pictures: bool) -> bool:
    """A SKU image of its own; where each row's image columns hold its picture (the dropshipping
    sheet's Image_link_N), the product's first row shows its picture as the first main image."""
    if sku.values.get("variant_image"):
        return True
    product = sku.product
    return rows_carry_pictures and sku.row == product.row and any(
        cell.row == sku.row for cell in product.image_cells("main_images"))


class Collector:
    """Products are judged as they pass. Without a SKU image column, whether some row gives a SKU picture in
    the image columns is known only at the end: until one does, findings wait (detached from the products)."""

    def __init__(self, catalog: Catalog, options: Options):
        self.rows_carry_pictures = "variant_image" not in catalog.columns
        self.has_column = not self.rows_carry_pictures  # else: once a row's image columns give a SKU picture
        self.varies_by_colour = False
        self.waiting: list[Problem] = []

    def add(self, products: list[Product]) -> Iterator[Problem]:
        if not self.has_column and any("variant_image" in sku.values for p in products for sku in p.skus):
            self.has_column = True
            yield from self.waiting
            self.waiting = []
        if self.has_column:
            yield from _judge(products, self.rows_carry_pictures)
            return
        self.varies_by_colour = self.varies_by_colour or any(len(_colours(p)) > 1 for p in products)
        self.waiting.extend(map(detached, _judge(products, self.rows_carry_pictures)))

    def add_table(self, table: CatalogTable) -> Iterator[Problem]:
        """`add` over the batch's columns: colours are keyed once per distinct value, and only the products
        with two or more colours, one of which has no SKU image on any of its rows, are judged (a colour
        whose only picture is in the first row's image columns is settled by `_judge`)."""
        import polars as pl

        if not self.has_column and "variant_image" in table.sku_fields:
            self.has_column = True
            yield from self.waiting
            self.waiting = []
        if "color" not in table.sku_fields:
            return
        colours = (table.skus.lazy()
                   .select("product", table.mapped("color", _colour_key, pl.String).alias("colour"),
                           (table.sku_text("variant_image") != "").alias("pictured"))
                   .filter(pl.col("colour") != "")
                   .group_by("product", "colour").agg(pl.col("pictured").any())
                   .group_by("product").agg(pl.len().alias("colours"), pl.col("pictured").all())
                   .filter(pl.col("colours") > 1).collect())
        if not self.has_column and len(colours):
            self.varies_by_colour = True
        products = [table.product(i) for i in colours.filter(~pl.col("pictured"))["product"].sort().to_list()]
        if self.has_column:
            yield from _judge(products, self.rows_carry_pictures)
        else:
            self.waiting.extend(map(detached, _judge(products, self.rows_carry_pictures)))

    def finish(self) -> Iterator[Problem]:
        if not self.has_column and self.varies_by_colour:
            yield Problem(_("products vary by colour but the catalog has no SKU image column: each colour needs "
                            "its own picture"))


def check(catalog: Catalog, options: Options) -> Iterator[Problem]:
    return whole(Collector, catalog, options)


def _judge(products: list[Product], rows_carry_pictures: bool) -> Iterator[Problem]:
    for product in products:
        colours = _colours(product)
        if len(colours) < 2:
            continue
        for skus in colours.values():
            if not any(_has_picture(sku, rows_carry_pictures) for sku in skus):
                first = skus[0]
                yield Problem(_("colour {colour} has no SKU image").format(colour=repr(first.values["color"].strip())),
                              product, sku=first,
                              cell=first.cell("variant_image"))
