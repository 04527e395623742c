"""AE106 title-all-caps: the title is written mostly in capital letters.

What it does:
    Looks at the title's words of four or more letters that contain no digit, and reports the title
    when at least `all_caps_ratio` (0.6) of their letters are upper case and at least three of them are
    all capitals. Acronyms and model codes do not count: short words (USB, LED, EVA, 4K) and words with
    digits (NEWX200, RTX4090) are left out, so an English title full of model numbers stays silent.

Why is this bad:
    Marketplace title rules (Wish, Joom; AliExpress's title guidance in FAQ 37) reject "shouting"
    titles: capitals read as spam, are harder to scan and look unprofessional next to other listings.

Example:
    "WOMEN SUMMER FLORAL DRESS CASUAL BEACH" fires; "ZANZEA Women Summer Dress" does not (one brand in
    capitals); "USB LED Lamp RGB 5V DC12V" does not (acronyms and codes).

Options:
    thresholds.all_caps_ratio (float, default 0.6).

Source: Wish/Joom title rules; seller FAQ 37 (optimal titles).
"""

from collections.abc import Iterator

from pydantic import BaseModel, ConfigDict

from aelint.i18n import _
from aelint.model import Problem, Product
from aelint.text import WORD_RE

CODE = "AE106"
NAME = "title-all-caps"
SEVERITY = "warning"
MIN_LETTERS = 4
MIN_CAPS_WORDS = 3


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)  # validator built on first use
    all_caps_ratio: float = 0.6


def check_product(product: Product, options: Options) -> Iterator[Problem]:
    title = product.title
    if not title or title.islower() or sum(map(str.isupper, title)) < MIN_CAPS_WORDS * MIN_LETTERS:
        return
    letters = upper = caps_words = 0
    for word in WORD_RE.findall(title):
        if not _judged(word):
            continue
        count = sum(map(str.isupper, word))
        letters += len(word)
        upper += count
        if word.isupper():
            caps_words += 1
    if caps_words >= MIN_CAPS_WORDS and letters and upper / letters >= options.all_caps_ratio:
        yield Problem(_("title is {share} capital letters; write it in sentence or title case").format(
                          share=f"{upper / letters:.0%}"),
                      product, cell=product.cell("title"))


def _judged(word: str) -> bool:
    """A word of four or more letters, apostrophes aside, and no digit or other sign."""
    return len(word) >= MIN_LETTERS and word.replace("'", "").replace("’", "").isalpha()


def prefilter(table, options: Options):
    """Only a title with three judged words in capitals can be mostly capitals."""
    import numpy as np

    caps = table.title_totals(lambda chunk: sum(_judged(word) and word.isupper() for word in WORD_RE.findall(chunk)))
    return table.products_among(np.flatnonzero(caps >= MIN_CAPS_WORDS))
