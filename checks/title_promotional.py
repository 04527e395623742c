"""AE108 title-promotional: the title carries promotional or irrelevant words.

What it does:
    Finds phrases of the promotional pack (checks/promotional.toml) in the title: shipping claims
    (free shipping), price claims (best price, cheapest, discount, promotion), urgency (limited time),
    sales pitch (hot sale, best seller), newness and quality claims (new arrival, brand new, high
    quality), and other marketplaces' names (Amazon, eBay, Wish, Temu, Shein...), in English, French,
    Spanish, Portuguese, German and Russian. Whole words only, after folding case, accents and plurals,
    so "NEW" inside a model code ("NEWX200") or "Wishbone" are not matches; phrases listed as benign for
    a term ("make a wish", "Amazon parrot", "ground clearance", "high quality sound") are skipped.
    Two claims are judged in context rather than listed:
    - a stale year: a year before the current one used as a newness or season label, that is next to
      new/latest/hot/fashion/style/a season ("2018 New", "Summer 2019") or opening the title ("2019
      Women Casual Dress", not "2012 Pcs Rubber Bands"). The current year ("2026 New") and the next are accepted, and a year elsewhere
      (a model year: "for Honda Civic 2018") is not a claim.
    - a standalone HOT: written in capitals in a title that is not all capitals ("Maxi Dress HOT"), or
      "Hot" opening the title or next to new/latest/fashion/style ("Hot Summer Women Tops", "New Hot
      Bikini"), but not where hot names the product ("Hot Water Bottle", "Hot Pink Dress", "Hot Shorts").

Why is this bad:
    Titles must describe the product. Wish and Joom reject promotional titles, and AliExpress's FAQ 65
    counts words that mislead search (another marketplace's name, claims unrelated to the product)
    as listing offences; prices and shipping belong in their own fields. FAQ 37 gives the title's
    structure as brand + model + product type + characteristics + category keywords: "HOT", "Brand
    New", "High Quality" or last year's "2018 New" are none of these ("high quality" is the grade
    AliExpress's Product Diagnostic Center gives a listing, not the seller's to claim).

Example:
    With the year 2026: "Summer Dress Free Shipping Hot Sale", "2018 New Summer Dress", "HOT Women Tank
    Top" and "Brand New High Quality Phone Case" fire; "2026 New Summer Dress", "Hot Water Bottle
    Rubber 2L", "Hot Pink Maxi Dress", "Headphones with High Quality Sound" and "Wish Bracelet Gold"
    do not.

    On Wish the profile adds checks/wish_promotional.toml, words Wish's title guidance names ("cheap",
    and "new" alone, with benign phrases such as "New York", "New Year"; "Hot" is judged as above), and
    leaves "free shipping" and its translations to AE611, which reports them as the upload error they are
    there.

Options:
    lists.promotional: extra TOML packs of phrases (same format as checks/promotional.toml);
    thresholds.current_year (int, default: the year of the computer's clock) for stale years.
    packs: which built-in packs and categories apply, set by the marketplace profile.

Source: Wish/Joom title rules; Wish merchant FAQ 1260805100070 ("Cheap, Hot, New, Free Shipping,
Promotion, Discount cannot be used"); seller FAQ 37 (title structure) and FAQ 65 (misleading searches).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from functools import lru_cache

from pydantic import BaseModel, ConfigDict, Field

from aelint.text import TEXT_CACHE_SIZE
from aelint import text
from aelint.checks._title_terms import matcher
from aelint.i18n import _, current_language
from aelint.model import Problem, Product
from aelint.profiles import PackChoice
from aelint.ruledata import read_pack
from aelint.stopwords import counter_words
from aelint.terms import term_key

CODE = "AE108"
NAME = "title-promotional"
SEVERITY = "warning"
LIST_NAME = "promotional"

FIRST_YEAR = 2010  # earlier four-digit numbers are counts ("2000 Pcs"), not this decade's labels
# Words that make a year next to them a newness or season label ("2018 New", "Summer 2019").
YEAR_LABEL_WORDS = frozenset({
    "new", "newest", "latest", "hot", "spring", "summer", "autumn", "fall", "winter", "fashion", "style",
    "collection", "arrival", "trend", "trendy", "season", "design", "nouveau", "nouvelle", "neu", "nuevo",
    "nueva", "novo", "nova", "ete", "verano", "sommer",
})
# Words next to which "Hot" is a sales pitch ("New Hot Bikini", "Hot Fashion Tops").
HOT_PITCH_WORDS = frozenset({"new", "newest", "latest", "fashion", "style", "trend", "trendy", "popular"})
# Words after "hot" that make it the product or its property, not a pitch.
HOT_PRODUCT_WORDS = frozenset({
    "pink", "red", "water", "wheels", "sauce", "glue", "air", "tub", "plate", "dog", "pot", "shoe", "rod",
    "stamping", "stamp", "melt", "cold", "spring", "springs", "chocolate", "comb", "tool", "tools", "knife",
    "press", "wire", "swap", "swappable", "roller", "rollers", "stone", "stones", "yoga", "pants", "pant",
    "shorts", "short", "tea", "drink", "cup", "pad", "pack", "bath", "sauna", "fix", "foil", "oil", "brush",
    "gun", "bag", "bottle", "tap", "lunch", "food", "cocoa", "sauces", "pepper", "chili", "chilli",
    "drilling", "drill", "rhinestone", "rhinestones", "diamond", "diamonds", "compress", "therapy", "and",
    "toddy", "wings", "spot", "seat", "plates", "mat", "blast", "wax", "towel", "towels", "dip", "iron",
})


def _clock_year() -> int:
    return date.today().year


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)  # validator built on first use
    extra_lists: list[str] = []
    current_year: int = Field(default_factory=_clock_year)
    packs: PackChoice = PackChoice(packs=(LIST_NAME,))


def check_product(product: Product, options: Options) -> Iterator[Problem]:
    title = product.title
    if not title:
        return
    found = _promotional(title, options.packs, tuple(options.extra_lists), options.current_year, current_language())
    if found:
        yield Problem(_message(found), product, cell=product.cell("title"))


def check_table(table, options: Options) -> list[Problem]:
    """check_product's findings, each distinct pattern of the words that matter judged once
    (`CatalogTable.title_patterns`): what a title is reported for depends only on the words of terms and
    benign phrases it holds, its years and "hot"s with the label and counter words beside them, where those
    stand and which stand side by side (a run of other words reads as one placeholder), and on whether it is
    all capitals. Terms and years are judged apart, except in titles with "hot" (a "hot" inside a term is no
    sales pitch)."""
    import numpy as np

    packs, extra_lists, current_year = options.packs, tuple(options.extra_lists), options.current_year
    vocabulary: dict[str, int] = {}  # words as written
    products, words = table.title_values(lambda chunk: [vocabulary.setdefault(w, len(vocabulary))
                                                        for w in text.WORD_RE.findall(chunk)])
    raws = list(vocabulary)
    folded = [text.fold(w) for w in raws]
    names = _named_words(packs, extra_lists)
    named = np.array([text.singular(w) in names for w in folded], dtype=bool)[words]
    kinds = np.array([_kind(w, current_year) for w in folded], dtype=np.int8)[words]
    trigger = (kinds == YEAR) | (kinds == HOT)
    same_title = products[1:] == products[:-1]
    beside = np.zeros(len(words), dtype=bool)  # beside a year or "hot" of its title
    beside[1:] = trigger[:-1] & same_title
    beside[:-1] |= trigger[1:] & same_title
    near = trigger | (kinds == CONTEXT) & beside
    with_hot = np.zeros(len(table.catalog.products), dtype=bool)
    with_hot[products[kinds == HOT]] = True
    hot = with_hot[products]  # the words of titles with "hot"

    def judged(titles, kept, judge) -> tuple[np.ndarray, list]:
        """Each product's pattern (-1: none) of the `kept` words of the `titles` words, and `judge(raw
        words)` of each pattern."""
        indices, which, patterns = table.title_patterns(products[titles], np.where(kept, words, -1)[titles])
        numbers = np.full(len(table.catalog.products), -1, dtype=np.int64)
        numbers[indices] = which
        return numbers, [judge([raws[w] if w >= 0 else OTHER_WORDS for w in p]) for p in patterns]

    terms, term_findings = judged(~hot, named, lambda raw: _terms([text.fold(w) for w in raw], packs, extra_lists)[0])
    years, year_findings = judged(~hot, near, lambda raw: _stale_years(raw, [text.fold(w) for w in raw], current_year))
    hots, hot_findings = judged(hot, named | near, lambda raw: (
        _judge(raw, False, packs, extra_lists, current_year),
        _judge(raw, True, packs, extra_lists, current_year) if _SHOUTED_HOT in raw else None))
    messages: list[str] = []  # each title's message, by number (-1: none)
    numbered: dict[tuple[str, ...], int] = {}

    def number(found: tuple[str, ...]) -> int:
        """The number of the message naming `found`, -1 for nothing found."""
        if not found:
            return -1
        if found not in numbered:
            numbered[found] = len(messages)
            messages.append(_message(found))
        return numbered[found]

    message = np.full(len(terms), -1, dtype=np.int64)
    # titles without "hot": their terms and stale years, judged once per distinct pair of patterns
    pairs = np.flatnonzero((hots < 0) & ((terms >= 0) | (years >= 0)))
    codes = (terms[pairs] + 1) * (len(year_findings) + 1) + years[pairs] + 1
    distinct, which = np.unique(codes, return_inverse=True)
    term_codes, year_codes = divmod(distinct, len(year_findings) + 1)
    numbers = [number(tuple(dict.fromkeys((term_findings[term - 1] if term else [])
                                          + (year_findings[year - 1] if year else []))))
               for term, year in zip(term_codes.tolist(), year_codes.tolist())]
    message[pairs] = np.array(numbers, dtype=np.int64)[which.ravel()]
    for index in np.flatnonzero(hots >= 0).tolist():  # titles with "hot", and their capitals
        lower, upper = hot_findings[hots[index]]
        message[index] = number(upper if upper is not None and table.product(index).title.isupper() else lower)
    reported = np.flatnonzero(message >= 0)
    return table.problems("title", reported.tolist(), map(messages.__getitem__, message[reported].tolist()))


def _message(found: tuple[str, ...]) -> str:
    return _("title has promotional or irrelevant words: {words}").format(words=", ".join(found))


@lru_cache(maxsize=TEXT_CACHE_SIZE)
def _promotional(title: str, packs: PackChoice, extra_lists: tuple[str, ...], current_year: int,
                 language: str) -> tuple[str, ...]:
    """The promotional words of a title, described in `language` (computed once per distinct title)."""
    return _judge(text.WORD_RE.findall(title), title.isupper(), packs, extra_lists, current_year)


def _judge(raw: list[str], all_capitals: bool, packs: PackChoice, extra_lists: tuple[str, ...],
           current_year: int) -> tuple[str, ...]:
    """The promotional words of a title's words as written (`raw`), described in the run's language."""
    words = [text.fold(word) for word in raw]  # text.words(title), the title read once
    found, covered = _terms(words, packs, extra_lists)
    found += _stale_years(raw, words, current_year)
    found += _standalone_hot(all_capitals, raw, words, covered)
    return tuple(dict.fromkeys(found))


def _terms(words: list[str], packs: PackChoice, extra_lists: tuple[str, ...]) -> tuple[list[str], set[int]]:
    """The terms of the packs in a title's folded words, described, and the places of the words they cover."""
    matches = matcher(packs, extra_lists).find(words)
    found = [_('"{words}" ({kind})').format(words=" ".join(words[m.start:m.end]), kind=_(entry.category))
             for m, entry in matches]
    return found, {i for m, _entry in matches for i in range(m.start, m.end)}


OTHER_WORDS = " "  # stands for a run of words that no test below reads (no word holds a space)
OTHER, YEAR, HOT, CONTEXT = range(4)  # what a word is to check_table's year and "hot" tests
_SHOUTED_HOT = "HOT"


def _kind(folded: str, current_year: int) -> int:
    """YEAR: a year before the current one; HOT: "hot"; CONTEXT: a word the year and "hot" tests look for
    beside one of those (read only there); OTHER: the rest (folded words)."""
    if folded == "hot":
        return HOT
    if len(folded) == 4 and folded.isdecimal() and FIRST_YEAR <= int(folded) < current_year:
        return YEAR
    return CONTEXT if folded in _context_words() else OTHER


@lru_cache(maxsize=16)
def _named_words(packs: PackChoice, extra_lists: tuple[str, ...]) -> frozenset[str]:
    """Every word (as matched: folded, singular) of the packs' terms and their benign phrases."""
    entries = matcher(packs, extra_lists).entries
    return frozenset(w for e in entries for phrase in (e.term, *e.benign) for w in term_key(phrase))


@lru_cache(maxsize=1)
def _context_words() -> frozenset[str]:
    """The folded words the year and "hot" tests compare the words beside a year or "hot" with."""
    return YEAR_LABEL_WORDS | HOT_PITCH_WORDS | HOT_PRODUCT_WORDS | _count_words()


@lru_cache(maxsize=1)
def _count_words() -> frozenset[str]:
    """Units and counters (checks/stopwords.toml): after a four-digit number they make it a count."""
    return frozenset(text.fold(w) for w in read_pack("stopwords")["units"]["words"]) | counter_words()


def _stale_years(raw: list[str], words: list[str], current_year: int) -> list[str]:
    """Years before the current one used as a newness or season label."""
    for i, word in enumerate(words):
        if len(word) != 4 or not word.isdecimal() or not FIRST_YEAR <= int(word) < current_year:
            continue
        before = words[i - 1] if i > 0 else ""
        after = words[i + 1] if i + 1 < len(words) else ""
        if after in YEAR_LABEL_WORDS:
            shown = f"{raw[i]} {raw[i + 1]}"
        elif before in YEAR_LABEL_WORDS:
            shown = f"{raw[i - 1]} {raw[i]}"
        elif i == 0 and after and after not in _count_words():  # "2019 Women ...", not "2012 Pcs", "2016 Colors"
            shown = raw[i]
        else:
            continue
        return [_('"{words}" (stale year: it is {year})').format(words=shown, year=current_year)]  # one is enough
    return []


def _standalone_hot(all_capitals: bool, raw: list[str], words: list[str], covered: set[int]) -> list[str]:
    """"HOT" in capitals, or "Hot" opening the title or next to new/fashion/style, unless it names the product."""
    found = []
    for i, word in enumerate(words):
        if word != "hot" or i in covered:
            continue
        after = words[i + 1] if i + 1 < len(words) else ""
        if after in HOT_PRODUCT_WORDS:
            continue
        before = words[i - 1] if i > 0 else ""
        shouted = raw[i] == "HOT" and not all_capitals
        if shouted or i == 0 or before in HOT_PITCH_WORDS or after in HOT_PITCH_WORDS:
            found.append(_('"{word}" (sales pitch)').format(word=raw[i]))
    return found
