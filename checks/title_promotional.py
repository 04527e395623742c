"""AE108 title-promotional: the title carries promotional or irrelevant words.

What it does:
    Finds phrases of the promotional pack (checks/promotional.toml) in the title: shipping claims
    (free shipping), price claims (best price, cheapest, discount, promotion), urgency (limited time),
    sales pitch (hot sale, best seller), newness claims (new arrival, and a year next to "new": "2024
    New", "New 2025"), and other marketplaces' names (Amazon, eBay, Wish, Temu, Shein...), in English,
    French, Spanish, Portuguese, German and Russian. Whole words only, after folding case, accents and
    plurals, so "NEW" inside a model code ("NEWX200") or "Wishbone" are not matches; phrases listed as
    benign for a term ("make a wish", "wish bracelet", "Amazon parrot", "ground clearance") are skipped.

Why is this bad:
    Titles must describe the product. Wish and Joom reject promotional titles, and AliExpress's FAQ 65
    counts words that mislead search (another marketplace's name, claims unrelated to the product)
    as listing offences; prices and shipping belong in their own fields.

Example:
    "Summer Dress Free Shipping Hot Sale" fires; "2024 New Summer Dress" fires; "Wish Bracelet Gold"
    and "Headphones Amazon Parrot Pattern" do not.

    On Wish the profile adds checks/wish_promotional.toml, the words Wish's title guidance names ("cheap",
    "hot", "new", with benign phrases such as "hot water bottle", "New York", "New Year"), and leaves
    "free shipping" and its translations to AE611, which reports them as the upload error they are there.

Options:
    lists.promotional: extra TOML packs of phrases (same format as checks/promotional.toml).
    packs: which built-in packs and categories apply, set by the marketplace profile.

Source: Wish/Joom title rules; Wish merchant FAQ 1260805100070 ("Cheap, Hot, New, Free Shipping,
Promotion, Discount cannot be used"); seller FAQ 65 (misleading searches).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from pydantic import BaseModel, ConfigDict

from aelint.checks._title_terms import matcher
from aelint import text
from aelint.model import Problem, Product
from aelint.profiles import PackChoice

CODE = "AE108"
NAME = "title-promotional"
SEVERITY = "warning"
LIST_NAME = "promotional"

YEAR_NEW_RE = re.compile(r"\b(?:20[1-3]\d\s+new|new\s+20[1-3]\d)\b", re.IGNORECASE)


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid")
    extra_lists: list[str] = []
    packs: PackChoice = PackChoice(packs=(LIST_NAME,))


def check_product(product: Product, options: Options) -> Iterator[Problem]:
    title = product.title
    if not title:
        return
    found = _promotional(title, options.packs, tuple(options.extra_lists))
    if found:
        yield Problem("title has promotional or irrelevant words: " + ", ".join(found),
                      product, cell=product.cell("title"))


@lru_cache(maxsize=100_000)
def _promotional(title: str, packs: PackChoice, extra_lists: tuple[str, ...]) -> tuple[str, ...]:
    words = text.words(title)
    found = [f'"{" ".join(words[m.start:m.end])}" ({entry.category})'
             for m, entry in matcher(packs, extra_lists).find(words)]
    year = YEAR_NEW_RE.search(title)
    if year:
        found.append(f'"{year.group(0)}" (newness claim)')
    return tuple(dict.fromkeys(found))
