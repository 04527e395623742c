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
from aelint.checks._title_terms import matcher, titles_with_terms
from aelint.i18n import _, current_language
from aelint.model import Problem, Product
from aelint.profiles import PackChoice
from aelint.ruledata import read_pack
from aelint.stopwords import counter_words

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
    model_config = ConfigDict(extra="forbid")
    extra_lists: list[str] = []
    current_year: int = Field(default_factory=_clock_year)
    packs: PackChoice = PackChoice(packs=(LIST_NAME,))


def check_product(product: Product, options: Options) -> Iterator[Problem]:
    title = product.title
    if not title:
        return
    found = _promotional(title, options.packs, tuple(options.extra_lists), options.current_year, current_language())
    if found:
        yield Problem(_("title has promotional or irrelevant words: {words}").format(words=", ".join(found)),
                      product, cell=product.cell("title"))


@lru_cache(maxsize=TEXT_CACHE_SIZE)
def _promotional(title: str, packs: PackChoice, extra_lists: tuple[str, ...], current_year: int,
                 language: str) -> tuple[str, ...]:
    """The promotional words of a title, described in `language` (computed once per distinct title)."""
    raw = text.WORD_RE.findall(title)
    words = [text.fold(word) for word in raw]  # text.words(title), the title read once
    matches = matcher(packs, extra_lists).find(words)
    found = [_('"{words}" ({kind})').format(words=" ".join(words[m.start:m.end]), kind=_(entry.category))
             for m, entry in matches]
    covered = {i for m, _entry in matches for i in range(m.start, m.end)}
    found += _stale_years(raw, words, current_year)
    found += _standalone_hot(title, raw, words, covered)
    return tuple(dict.fromkeys(found))


def prefilter(table, options: Options):
    """Only a title holding a term of the packs (its first two words, for a longer one), "hot", or a year
    before the current one opening the title or next to a label word can have promotional words."""
    import numpy as np

    words = table.title_word_keys  # a number's key is the number as written (folded)
    years = words.ids(w for w in words.vocabulary
                      if len(w) == 4 and w.isdecimal() and FIRST_YEAR <= int(w) < options.current_year)
    labels = words.ids({text.singular(w) for w in YEAR_LABEL_WORDS})
    stale = np.isin(words.word, years) & ((words.previous < 0) | np.isin(words.previous, labels)
                                          | np.isin(words.next, labels))
    flagged = stale | np.isin(words.word, words.ids(["hot"]))
    found = titles_with_terms(table, matcher(options.packs, tuple(options.extra_lists)))
    return table.products_among(np.concatenate([found, words.product[flagged]]))


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


def _standalone_hot(title: str, raw: list[str], words: list[str], covered: set[int]) -> list[str]:
    """"HOT" in capitals, or "Hot" opening the title or next to new/fashion/style, unless it names the product."""
    found = []
    for i, word in enumerate(words):
        if word != "hot" or i in covered:
            continue
        after = words[i + 1] if i + 1 < len(words) else ""
        if after in HOT_PRODUCT_WORDS:
            continue
        before = words[i - 1] if i > 0 else ""
        shouted = raw[i] == "HOT" and not title.isupper()
        if shouted or i == 0 or before in HOT_PITCH_WORDS or after in HOT_PITCH_WORDS:
            found.append(_('"{word}" (sales pitch)').format(word=raw[i]))
    return found
