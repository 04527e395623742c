"""AE102 title-duplicate-words: a content word appears twice in the title.

What it does:
    Counts the title's content words case-, accent- and plural-insensitively ("Dress" and "dresses" are one
    word, "Women's" and "Women" too, "d'été" and "Été" too). Not counted: stop-words of the catalog
    languages (for, and, with, de, pour...), numbers, model codes and sizes with digits (5G, 256GB, S-5XL),
    units (cm, pcs, size, taille), counters right after a number ("5 Colors ... Solid Color"), and a slogan
    in quotation marks (the text printed on a T-shirt). Compounds are one word: "T-Shirt" (or "T Shirt")
    is not "Shirt", and "Shorts" (the garment) is not "Short". The fix removes the later repetitions, and is offered only
    when each repetition is the same word as its first use apart from case and accents, and not a plain
    spelling of a first use in capitals: "Dress ... dresses", "Women's ... Women" or "HOT SALE ... Hot For 12
    Hours" may be two meanings, so those are reported without a fix.

Why is this bad:
    AliExpress's seller FAQ 37 says titles must have "no duplicate words, as this can lead to offenses":
    repetition is treated as keyword manipulation and can cost ranking or penalties.

Example:
    "Summer Dress Women Floral Dress" fires ("dress" twice); the fix is "Summer Dress Women Floral".
    "Case for iPhone 15 for Women" does not ("for" is a stop-word), nor "Short Sleeve Blouse and Shorts
    Set" ("Shorts" is the garment), nor "T-Shirt Dress with Shirt Collar" ("T-Shirt" is its own word).

Options:
    none (the stop-words are checks/stopwords.toml).

Source: seller FAQ 37.
"""

from collections.abc import Iterator, Sequence
from functools import lru_cache

from pydantic import BaseModel, ConfigDict

from aelint.i18n import _, current_language, ngettext
from aelint.model import Fix, Problem, Product
from aelint.stopwords import content_words, titles_content_words
from aelint.text import TEXT_CACHE_SIZE, fold

CODE = "AE102"
NAME = "title-duplicate-words"
SEVERITY = "error"
LISTED_WORDS = 10  # the message names this many repeated words, then counts the rest


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid")


def check_product(product: Product, options: Options) -> Iterator[Problem]:
    found = _duplicates(product.title, current_language())
    if found is not None:
        yield _problem(product, found)


def check_table(table, options: Options) -> Iterator[Problem]:
    """check_product's findings: the titles' content words read as columns (`titles_content_words`), the
    titles repeating a key found by sorting, and only those described; titles with quotation marks are
    read product by product."""
    import numpy as np

    words = titles_content_words(table)
    codes = np.sort(words.product * max(len(words.keys), 1) + words.key)
    repeating = np.unique(codes[1:][codes[1:] == codes[:-1]] // max(len(words.keys), 1))
    starts = np.searchsorted(words.product, repeating).tolist()
    ends = np.searchsorted(words.product, repeating, side="right").tolist()
    keys, texts = words.keys, words.texts
    key, text, start, end = words.key.tolist(), words.text.tolist(), words.start.tolist(), words.end.tolist()
    spans = dict(zip(repeating.tolist(), zip(starts, ends)))
    for index in sorted(spans.keys() | set(words.quoted.tolist())):
        product = table.product(index)
        if index not in spans:
            yield from check_product(product, options)
            continue
        first, last = spans[index]
        found = _report(product.title, [(keys[key[k]], texts[text[k]], start[k], end[k]) for k in range(first, last)])
        if found is not None:
            yield _problem(product, found)


def _problem(product: Product, found: tuple[str, str | None]) -> Problem:
    message, fixed = found
    return Problem(message, product, cell=product.cell("title"), fix=Fix("title", fixed) if fixed is not None else None)


@lru_cache(maxsize=TEXT_CACHE_SIZE)
def _duplicates(title: str, language: str) -> tuple[str, str | None] | None:
    """The message (in `language`) and the fixed title (None where a repetition is spelt differently), or None
    (computed once per distinct title)."""
    return _report(title, content_words(title))


def _report(title: str, words: Sequence[tuple[str, str, int, int]]) -> tuple[str, str | None] | None:
    """The message and the fixed title (see `_duplicates`) for a title's content words: (key, text, start,
    end) each, as `content_words` gives them."""
    if len(words) < 2 or len({key for key, *_rest in words}) == len(words):
        return None
    seen: dict[str, str] = {}  # key -> first spelling
    repeats: dict[str, int] = {}
    later: list[tuple[int, int]] = []  # spans of repetitions to cut
    exact = True  # every repetition spelt as the first use: removing it cannot change what the title says
    for key, text, start, end in words:
        if key in seen:
            repeats[key] = repeats.get(key, 1) + 1
            later.append((start, end))
            exact = exact and _same_spelling(seen[key], text)
        else:
            seen[key] = text
    repeated = _('"{word}" ({count}x)')
    listed = ", ".join(repeated.format(word=seen[k], count=n) for k, n in list(repeats.items())[:LISTED_WORDS])
    if len(repeats) > LISTED_WORDS:
        more = len(repeats) - LISTED_WORDS
        listed = ngettext("{words} and {count} more word", "{words} and {count} more words", more).format(
            words=listed, count=more)
    if not exact:
        return _("title repeats {words}").format(words=listed), None
    kept, position = [], 0  # the title without the repetitions, in one pass (linear in the title)
    for start, end in later:
        kept.append(title[position:start])
        position = end
    kept.append(title[position:])
    # spaces collapsed and stripped (str.split() splits where text.SPACE_RE matches: every str.isspace())
    return _("title repeats {words}").format(words=listed), _tidy(" ".join("".join(kept).split()))


def _same_spelling(first: str, repeat: str) -> bool:
    """Whether removing the repeat cannot change what the title says: the same letters apart from case and
    accents, and not "HOT" (emphasis, often a promotion) repeated as "Hot" (another meaning)."""
    return fold(first) == fold(repeat) and (repeat.isupper() or not first.isupper())


def _tidy(value: str) -> str:
    """Punctuation left hanging by a removed word: ' ,' -> ',' and ', ,' -> ','."""
    value = value.replace(" ,", ",")
    while ",," in value or ", ," in value:
        value = value.replace(", ,", ",").replace(",,", ",")
    return value.strip(" ,")
