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

from collections.abc import Iterator
from functools import lru_cache

from pydantic import BaseModel, ConfigDict

from aelint.i18n import _, current_language, ngettext
from aelint.model import Fix, Problem, Product
from aelint.stopwords import TITLE_WORD_RE, content_words, counted_key
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
        message, fixed = found
        fix = Fix("title", fixed) if fixed is not None else None
        yield Problem(message, product, cell=product.cell("title"), fix=fix)


@lru_cache(maxsize=TEXT_CACHE_SIZE)
def _duplicates(title: str, language: str) -> tuple[str, str | None] | None:
    """The message (in `language`) and the fixed title (None where a repetition is spelt differently), or None
    (computed once per distinct title)."""
    words = content_words(title)
    if len(words) < 2 or len({w.key for w in words}) == len(words):
        return None
    seen: dict[str, str] = {}  # key -> first spelling
    repeats: dict[str, int] = {}
    later: list[tuple[int, int]] = []  # spans of repetitions to cut
    exact = True  # every repetition spelt as the first use: removing it cannot change what the title says
    for word in words:
        if word.key in seen:
            repeats[word.key] = repeats.get(word.key, 1) + 1
            later.append((word.start, word.end))
            exact = exact and _same_spelling(seen[word.key], word.text)
        else:
            seen[word.key] = word.text
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


def prefilter(table, options: Options):
    """Only a title with two counted words whose keys end alike can repeat a word. A word joined to a
    letter before it ("T Shirt") is counted as "t-shirt", which ends like "shirt" and like "T-Shirt", so
    each word stands for the last part of its key; words in quotation marks are not left out here."""
    import numpy as np

    tails: dict[str, int] = {}
    products, tail = table.title_values(lambda chunk: [tails.setdefault(t, len(tails)) for t in _key_tails(chunk)])
    codes = np.sort(products.astype(np.int64) * max(len(tails), 1) + tail)
    repeated = codes[1:][codes[1:] == codes[:-1]]
    return table.products_among(repeated // max(len(tails), 1))


def _key_tails(chunk: str) -> list[str]:
    """The last part (after a hyphen) of the key of each word of a title chunk that may be counted."""
    keys = (counted_key(raw) for raw in TITLE_WORD_RE.findall(chunk))
    return [key.rpartition("-")[2] for key in keys if key is not None]


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
