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
from operator import itemgetter

from pydantic import BaseModel, ConfigDict

from aelint.i18n import _, current_language, ngettext
from aelint.model import Fix, Problem, Product
from aelint.stopwords import content_words, titles_content_words
from aelint.table import distinct_sorted
from aelint.text import TEXT_CACHE_SIZE, fold

CODE = "AE102"
NAME = "title-duplicate-words"
SEVERITY = "error"
LISTED_WORDS = 10  # the message names this many repeated words, then counts the rest


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)  # validator built on first use


def check_product(product: Product, options: Options) -> Iterator[Problem]:
    found = _duplicates(product.title, current_language())
    if found is not None:
        yield _problem(product, found)


def check_table(table, options: Options) -> list[Problem]:
    """check_product's findings: the titles' content words read as columns (`titles_content_words`), each
    word's first use and count found by sorting, the message worked out once per distinct list of repeated
    words and the fix cut per title; titles with quotation marks are read product by product."""
    import numpy as np

    words = titles_content_words(table)
    size, spellings = len(words.key), max(len(words.texts), 1)
    codes = words.product * max(len(words.keys), 1) + words.key
    order = np.argsort(codes, kind="stable")  # by title, key and place
    first_of_key = np.ones(size, dtype=bool)
    first_of_key[1:] = codes[order][1:] != codes[order][:-1]
    key_starts = np.flatnonzero(first_of_key)
    group = np.cumsum(first_of_key) - 1
    rank, first, count = (np.empty(size, dtype=np.int64) for _ in range(3))  # by word, in title order
    rank[order] = np.arange(size) - key_starts[group]  # 0 for a key's first use, 1 for its first repetition...
    first[order] = order[key_starts[group]]  # the key's first use
    count[order] = np.diff(np.append(key_starts, size))[group]  # the key's uses in the title
    repeat = rank > 0
    pairs = words.text[first[repeat]] * spellings + words.text[repeat]  # (first spelling, repetition)
    distinct, which = np.unique(pairs, return_inverse=True)
    texts = words.texts
    same = np.array([_same_spelling(texts[p // spellings], texts[p % spellings]) for p in distinct.tolist()],
                    dtype=bool)
    inexact = words.product[repeat][~same[which.ravel()]]  # titles with a repetition spelt differently
    second = rank == 1  # each repeated key at its first repetition, in the message's order
    repeating = distinct_sorted(words.product[second])  # (in title order)
    # the message of each distinct run of (first spelling, count) of a title's repeated keys: a run compared
    # as its slice of the codes' bytes
    radix = int(count.max(initial=0)) + 1
    repeated = (words.text[first[second]] * radix + count[second]).tobytes()
    bounds = (np.searchsorted(words.product[second], repeating) * 8).tolist()
    numbers: dict[bytes, int] = {}
    numbered = [numbers.setdefault(repeated[a:b], len(numbers)) for a, b in zip(bounds, [*bounds[1:], len(repeated)])]

    def message(run: bytes) -> str:  # (its codes read as Python ints: numpy on a few numbers costs 5x more)
        return _message([(texts[code // radix], code % radix) for code in memoryview(run).cast("q").tolist()])

    messages = [message(run) for run in numbers]
    # the fix: the title without its repetitions, where each is spelt as its first use
    starts, ends = words.start[repeat].tolist(), words.end[repeat].tolist()
    cuts = np.searchsorted(words.product[repeat], repeating).tolist()
    fixes = [None if differs else Fix("title", _without(title, starts[a:b], ends[a:b]))
             for title, differs, a, b in zip(table.products["title"].gather(repeating).to_list(),
                                             np.isin(repeating, inexact).tolist(), cuts, [*cuts[1:], len(starts)])]
    indices = repeating.tolist()
    found = table.problems("title", indices, map(messages.__getitem__, numbered), fixes)
    quoted = words.quoted.tolist()
    if not quoted:
        return found
    others = [(index, problem) for index in quoted for problem in check_product(table.product(index), options)]
    return [problem for _index, problem in sorted([*zip(indices, found), *others], key=itemgetter(0))]


def _problem(product: Product, found: tuple[str, str | None]) -> Problem:
    """The problem of a title with repetitions."""
    message, fixed = found
    return Problem(message, product, cell=product.cell("title"),
                   fix=Fix("title", fixed) if fixed is not None else None)


@lru_cache(maxsize=TEXT_CACHE_SIZE)
def _duplicates(title: str, language: str) -> tuple[str, str | None] | None:
    """The message (in `language`) and the fixed title (None where a repetition is spelt differently), or None
    (computed once per distinct title)."""
    words = content_words(title)
    if len(words) < 2 or len({w.key for w in words}) == len(words):
        return None
    seen: dict[str, str] = {}  # key -> first spelling
    repeats: dict[str, int] = {}
    starts, ends = [], []  # spans of repetitions to cut
    exact = True  # every repetition spelt as the first use: removing it cannot change what the title says
    for word in words:
        if word.key in seen:
            repeats[word.key] = repeats.get(word.key, 1) + 1
            starts.append(word.start)
            ends.append(word.end)
            exact = exact and _same_spelling(seen[word.key], word.text)
        else:
            seen[word.key] = word.text
    return _message([(seen[k], n) for k, n in repeats.items()]), _without(title, starts, ends) if exact else None


def _message(repeated: list[tuple[str, int]]) -> str:
    """The message naming the repeated words (first spelling, count), in the order they are first repeated."""
    word = _('"{word}" ({count}x)')
    listed = ", ".join(word.format(word=text, count=n) for text, n in repeated[:LISTED_WORDS])
    if len(repeated) > LISTED_WORDS:
        more = len(repeated) - LISTED_WORDS
        listed = ngettext("{words} and {count} more word", "{words} and {count} more words", more).format(
            words=listed, count=more)
    return _("title repeats {words}").format(words=listed)


def _without(title: str, starts: list[int], ends: list[int]) -> str:
    """The title without the repetitions (their spans in order), in one pass (linear in the title)."""
    kept, position = [], 0
    for start, end in zip(starts, ends):
        kept.append(title[position:start])
        position = end
    kept.append(title[position:])
    # spaces collapsed and stripped (str.split() splits where text.SPACE_RE matches: every str.isspace())
    return _tidy(" ".join("".join(kept).split()))


def _same_spelling(first: str, repeat: str) -> bool:
    """Whether removing the repeat cannot change what the title says: the same letters apart from case and
    accents, and not "HOT" (emphasis, often a promotion) repeated as "Hot" (another meaning)."""
    return fold(first) == fold(repeat) and (repeat.isupper() or not first.isupper())


def _tidy(value: str) -> str:
    """Punctuation left hanging by a removed word: ' ,' -> ',' and ', ,' -> ','."""
    if "," not in value:
        return value  # (no space to strip: spaces are collapsed)
    value = value.replace(" ,", ",")
    while ",," in value or ", ," in value:
        value = value.replace(", ,", ",").replace(",,", ",")
    return value.strip(" ,")
