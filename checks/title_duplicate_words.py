"""AE102 title-duplicate-words: a content word appears twice in the title.

What it does:
    Counts the title's words case-, accent- and plural-insensitively ("Dress" and "dresses" are one
    word). Stop-words (for, and, with, de, pour...), numbers, model codes with digits and units are not
    counted. The fix removes the later repetitions.

Why is this bad:
    AliExpress's seller FAQ 37 says titles must have "no duplicate words, as this can lead to offenses":
    repetition is treated as keyword manipulation and can cost ranking or penalties.

Example:
    "Summer Dress Women Floral Dress" fires ("dress" twice); the fix is "Summer Dress Women Floral".
    "Case for iPhone 15 for Women" does not ("for" is a stop-word).

Options:
    none.

Source: seller FAQ 37.
"""

from collections.abc import Iterator

from pydantic import BaseModel, ConfigDict

from aelint.model import Fix, Problem, Product
from aelint.stopwords import is_content_word
from aelint.text import SPACE_RE, WORD_RE, fold, singular

CODE = "AE102"
NAME = "title-duplicate-words"
SEVERITY = "error"


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid")


def check_product(product: Product, options: Options) -> Iterator[Problem]:
    title = product.title
    seen: dict[str, str] = {}  # key -> first spelling
    repeats: dict[str, int] = {}
    later: list[tuple[int, int]] = []  # spans of repetitions to cut
    for match in WORD_RE.finditer(title):
        word = fold(match[0])
        if not is_content_word(word):
            continue
        key = singular(word)
        if key in seen:
            repeats[key] = repeats.get(key, 1) + 1
            later.append(match.span())
        else:
            seen[key] = match[0]
    if not repeats:
        return
    listed = ", ".join(f'"{seen[k]}" ({n}x)' for k, n in repeats.items())
    fixed = title
    for start, end in reversed(later):
        fixed = fixed[:start] + fixed[end:]
    fixed = SPACE_RE.sub(" ", fixed).strip()
    yield Problem(f"title repeats {listed}", product, cell=product.cell("title"), fix=Fix("title", fixed))
