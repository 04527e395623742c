"""AE104 title-too-short: the title is too short to tell a buyer what the product is.

What it does:
    Reports a title with fewer than `title_min_words` words (3) or fewer than `title_min_length`
    characters (20), not counting leading, trailing or repeated spaces. Numbers and model codes count
    as words. An empty title is AE602's business (missing required field), not this rule's.

Why is this bad:
    AliExpress's seller FAQ 45 names "low-quality titles" among the reasons a product gets little
    exposure: a short title carries no product type, attributes or keywords for search.

Example:
    "Dress" and "USB Cable" fire; "Women Summer Floral Dress" (4 words, 24 characters) does not.

Options:
    thresholds.title_min_words (int, default 3), thresholds.title_min_length (int, default 20).

Source: seller FAQ 45 ("low-quality titles"); FAQ 37 (title structure: brand + model + product type +
characteristics + keywords).
"""

from collections.abc import Iterator

from pydantic import BaseModel, ConfigDict

from aelint.i18n import _, ngettext
from aelint.model import Problem, Product
from aelint.text import WORD_RE

CODE = "AE104"
NAME = "title-too-short"
SEVERITY = "warning"


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)  # validator built on first use
    title_min_words: int = 3
    title_min_length: int = 20


def check_product(product: Product, options: Options) -> Iterator[Problem]:
    title = " ".join(product.title.split())
    if not title:
        return
    length = len(title)
    words = len(WORD_RE.findall(title))
    if words < options.title_min_words:
        yield Problem(ngettext("title has {count} word; write at least {least} (product type, attributes, keywords)",
                               "title has {count} words; write at least {least} (product type, attributes, keywords)",
                               words).format(count=words, least=options.title_min_words),
                      product, cell=product.cell("title"))
    elif length < options.title_min_length:
        yield Problem(_("title is {length} characters; write at least {least}").format(
                          length=length, least=options.title_min_length),
                      product, cell=product.cell("title"))


def prefilter(table, options: Options):
    """The title's words and its length without stray spaces, added up over its chunks: exactly the titles
    too short."""
    import numpy as np

    words = table.title_totals(lambda chunk: len(WORD_RE.findall(chunk)))
    pieces = table.title_totals(lambda chunk: len(chunk.split()))
    letters = table.title_totals(lambda chunk: sum(map(len, chunk.split())))
    short = (pieces > 0) & ((words < options.title_min_words) | (letters + pieces - 1 < options.title_min_length))
    return table.products_among(np.flatnonzero(short))
