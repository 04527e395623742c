"""AE609 too-many-tags: a product has more tags than the marketplace reads (Wish: 10).

What it does:
    Splits the product's Tags cell on commas (Wish's separator), counts the non-empty tags and reports
    a product with more than `tags_max_count` (10 on Wish), naming the tags that would be dropped.

Why is this bad:
    Wish reads at most 10 tags and ignores the rest without a word (Wish API docs): the tags a seller
    put last, often the most specific ones, never reach search, and the seller does not know.

Example:
    "shirt, men, cotton, summer, casual, navy, blue, short sleeve, t-shirt, top, tee, crew neck" (12
    tags) fires: "tee" and "crew neck" are ignored. Ten tags or fewer, or an empty Tags cell (AE602's
    business where tags are required), do not.

Options:
    thresholds.tags_max_count (int, default 10): the most tags read.

Source: Wish API docs (product `tags`: at most 10, extra tags are ignored); layouts.md "Wish listing rules".
"""

from collections.abc import Iterator

from pydantic import BaseModel, ConfigDict, Field

from aelint.i18n import _
from aelint.model import Problem, Product

CODE = "AE609"
NAME = "too-many-tags"
SEVERITY = "warning"


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)  # validator built on first use
    tags_max_count: int = Field(10, ge=1)
    marketplace_name: str = "Wish"


def tags_of(product: Product) -> list[str]:
    """The product's tags as written, in order."""
    return [t.strip() for t in product.get("tags").split(",") if t.strip()]


def check_product(product: Product, options: Options) -> Iterator[Problem]:
    tags = tags_of(product)
    most = options.tags_max_count
    if len(tags) <= most:
        return
    dropped = tags[most:]
    shown = ", ".join(f'"{t}"' for t in dropped[:5]) + (", ..." if len(dropped) > 5 else "")
    yield Problem(_("{count} tags; {marketplace} reads the first {most} and ignores {tags}").format(
                      count=len(tags), marketplace=options.marketplace_name, most=most, tags=shown),
                  product, cell=product.cell("tags"))


def prefilter(table, options: Options):
    """More than `tags_max_count` tags take at least that many commas."""
    return table.text("tags").str.count_matches(",", literal=True) >= options.tags_max_count
