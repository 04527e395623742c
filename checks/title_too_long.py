"""AE101 title-too-long: the title is longer than AliExpress accepts.

What it does:
    Counts the characters of each product title and reports titles longer than `title_max_length`
    (128 by default, the limit of the `subject` field of AliExpress's product API). Leading, trailing
    and repeated spaces are not counted (AE107 reports and fixes them), so a title is not called too
    long because of a stray space; every other character counts, whatever its script.

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

from aelint.model import Problem, Product

CODE = "AE101"
NAME = "title-too-long"
SEVERITY = "error"


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title_max_length: int = 128


def check_product(product: Product, options: Options) -> Iterator[Problem]:
    title = product.title
    if len(title) <= options.title_max_length:
        return
    length = len(" ".join(title.split()))
    if length > options.title_max_length:
        yield Problem(f"title is {length} characters; AliExpress allows {options.title_max_length}",
                      product, cell=product.cell("title"))
