"""AE101 title-too-long: the title is longer than AliExpress accepts.

What it does:
    Counts the characters of each product title and reports titles longer than `title_max_length`
    (128 by default, the limit of the `subject` field of AliExpress's product API). Every character
    counts, whatever its script, stray spaces included (the title is uploaded as written); when the
    title fits once its leading, trailing and repeated spaces are removed, the message says so, and
    AE107's fix does exactly that.

Why is this bad:
    AliExpress rejects a title over 128 characters at upload (FAQ 37 asks for concise titles), so the
    whole listing fails review until it is shortened.

Example:
    "2020 Summer Vintage Flamingo Print Pajamas Set Casual Loose T Shirt Top And Elastic Shorts Women
    Sleepwear Night Wear Loungewear Sets" (131 characters) fires; shorten it by dropping repeated or
    filler words.

Options:
    thresholds.title_max_length (int, default 128): the longest title allowed.

Source: AliExpress product API `subject` (1-128 characters); seller FAQ 37.
"""

from collections.abc import Iterator

from pydantic import BaseModel, ConfigDict

from aelint.i18n import _
from aelint.model import Problem, Product

CODE = "AE101"
NAME = "title-too-long"
SEVERITY = "error"


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)  # validator built on first use
    title_max_length: int = 128


def check_product(product: Product, options: Options) -> Iterator[Problem]:
    title = product.title
    length = len(title)
    if length <= options.title_max_length:
        return
    message = _("title is {length} characters; AliExpress allows {limit}").format(
        length=length, limit=options.title_max_length)
    tidy = len(" ".join(title.split()))
    if tidy <= options.title_max_length:
        message += _(" ({length} without its stray spaces: apply AE107's fix)").format(length=tidy)
    yield Problem(message, product, cell=product.cell("title"))


def prefilter(table, options: Options):
    """Only titles longer than the limit can be too long."""
    return table.text("title").str.len_chars() > options.title_max_length
