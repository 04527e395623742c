"""AE610 description-too-long: the description is longer than the marketplace accepts (Wish: 4,000 characters).

What it does:
    Counts the characters of the description as written (Wish takes plain text, so every character
    counts, line breaks included) and reports one longer than `description_max_length` (4000 on Wish).

Why is this bad:
    Wish's API documents the description as at most 4,000 characters (merchant FAQ 1260805100070): a
    longer one is refused at upload or cut off, and only its first 250 characters show on the mobile
    product page anyway, so what matters belongs at the start.

Example:
    A 4,512-character description fires; a 3,900-character one does not.

Options:
    thresholds.description_max_length (int, default 4000): the longest description allowed.

Source: Wish API docs; Wish merchant FAQ 1260805100070 ("a limit of 4000 characters"); layouts.md
"Wish listing rules".
"""

from collections.abc import Iterator

from pydantic import BaseModel, ConfigDict, Field

from aelint.i18n import _
from aelint.model import Problem, Product

CODE = "AE610"
NAME = "description-too-long"
SEVERITY = "error"


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)  # validator built on first use
    description_max_length: int = Field(4000, ge=1)
    marketplace_name: str = "Wish"


def check_product(product: Product, options: Options) -> Iterator[Problem]:
    length = len(product.get("description"))
    if length > options.description_max_length:
        yield Problem(_("description is {length} characters; {marketplace} allows {most}").format(
                          length=f"{length:,}", marketplace=options.marketplace_name,
                          most=f"{options.description_max_length:,}"), product, cell=product.cell("description"))


def prefilter(table, options: Options):
    """Only descriptions longer than the limit can be too long."""
    return table.text("description").str.len_chars() > options.description_max_length
