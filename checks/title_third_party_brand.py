"""AE109 title-third-party-brand: the title names another company's trademark.

What it does:
    Finds well-known trademarks (checks/trademarks.toml: several hundred marks that counterfeiters
    abuse in sportswear, luxury, electronics, toys and characters, cosmetics, cars, sports clubs) in the
    title, whole words after folding case, accents and plurals. A mark is allowed when:
    - it is the listing's own brand: named in `authorized_brands` or in the product's brand field (a
      mark of the same owner counts too: authorising "Nike" allows "Air Max");
    - it is named in compatibility form, after "for", "compatible with", "fits", "replacement for",
      "suitable for" or their French/Spanish/German/Portuguese/Russian equivalents, with only model
      words, numbers and other marks between ("Case for iPhone 15 Pro Max and Samsung Galaxy S24");
    - it stands inside one of the entry's benign phrases ("Puma plush toy", "croc embossed").
    Common words that are also brands are listed only in their brand phrases, so "Apple Green Ceramic
    Bowl" and "Sports Coach Whistle" are silent while "Apple Watch Band" and "Coach Bag" fire.

Why is this bad:
    Using a registered trademark without the owner's authorisation is an intellectual property
    infringement (FAQ 65): AliExpress removes the products, restricts the store and closes the account
    after repeated serious infringements. Brands must be registered under My Brands before upload (FAQ 14).

Example:
    "Nike Air Max Running Shoes Men" fires; "Phone Case for iPhone 15" and "Strap Compatible with Apple
    Watch" do not; "Nike Air Max" does not when authorized_brands = ["Nike"].

Options:
    authorized_brands (top-level key); lists.trademarks: extra packs of marks (same format as
    checks/trademarks.toml).

Source: seller FAQ 14 (brand registration), FAQ 65 (trademark infringement).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import lru_cache

from pydantic import BaseModel, ConfigDict

from aelint.checks._title_terms import compatibility, matcher, titles_with_terms
from aelint.text import TEXT_CACHE_SIZE
from aelint import text
from aelint.i18n import _
from aelint.model import Problem, Product
from aelint.ruledata import TermEntry
from aelint.terms import term_key

CODE = "AE109"
NAME = "title-third-party-brand"
SEVERITY = "error"
LIST_NAME = "trademarks"

NO_BRAND = frozenset({"", "nobrand", "no brand", "none", "generic", "unbranded", "n/a", "na", "sans marque",
                      "sin marca", "без бренда", "oem"})
OWNER_PREFIX = "registered trademark of "


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)  # validator built on first use
    authorized_brands: list[str] = []
    extra_lists: list[str] = []


def _contains(haystack: tuple[str, ...], needle: tuple[str, ...]) -> bool:
    n = len(needle)
    return n > 0 and any(haystack[i:i + n] == needle for i in range(len(haystack) - n + 1))


@lru_cache(maxsize=4096)
def _owner_key(source: str) -> tuple[str, ...]:
    at = source.find(OWNER_PREFIX)
    return term_key(source[at + len(OWNER_PREFIX):]) if at >= 0 else ()


def _authorised(entry: TermEntry, brands: Sequence[tuple[str, ...]]) -> bool:
    term = term_key(entry.term)
    owner = _owner_key(entry.source)
    return any(_contains(term, b) or _contains(owner, b) or term == b for b in brands)


def _compatible(words: Sequence[str], start: int, marks: frozenset[int]) -> bool:
    """Whether a compatibility phrase stands before words[start], with only model words, numbers and
    other marks (word positions in `marks`) between."""
    phrases, between = compatibility()
    j = start - 1
    while j >= 0:
        word = words[j]
        for size in (3, 2, 1):
            if j - size + 1 >= 0 and tuple(words[j - size + 1:j + 1]) in phrases:
                return True
        if word in between or j in marks or any(ch.isdigit() for ch in word):
            j -= 1
            continue
        return False
    return False


def check_product(product: Product, options: Options) -> Iterator[Problem]:
    title = product.title
    if not title:
        return
    marks = _marks(title, tuple(options.extra_lists))
    if not marks:
        return
    brands = [term_key(b) for b in options.authorized_brands]
    own = product.get("brand").strip()
    if own.casefold() not in NO_BRAND:
        brands.append(term_key(own))
    brands = [b for b in brands if b]
    named = [entry for entry in marks if not (brands and _authorised(entry, brands))]
    if not named:
        return
    listed = ", ".join(f'"{entry.term}" ({_owner_text(entry)})' for entry in named)
    message = (_('title names the trademark {marks}, not an authorised brand of this listing; name it only as '
                 '"for <brand model>" or register the brand') if len(named) == 1 else
               _('title names the trademarks {marks}, not an authorised brand of this listing; name it only as '
                 '"for <brand model>" or register the brand'))
    yield Problem(message.format(marks=listed),
                  product, cell=product.cell("title"))


def prefilter(table, options: Options):
    """Only a title holding a mark of the packs (its first two words, for a longer one) can name one."""
    return table.products_among(titles_with_terms(table, matcher(LIST_NAME, tuple(options.extra_lists))))


@lru_cache(maxsize=TEXT_CACHE_SIZE)
def _marks(title: str, extra_lists: tuple[str, ...]) -> tuple[TermEntry, ...]:
    """Marks the title names other than in compatibility form, each once (once per distinct title)."""
    words = text.words(title)
    found = matcher(LIST_NAME, extra_lists).find(words)
    if not found:
        return ()
    positions = frozenset(i for match, _ in found for i in range(match.start, match.end))
    named: dict[str, TermEntry] = {}
    for match, entry in found:
        if entry.term not in named and not _compatible(words, match.start, positions):
            named[entry.term] = entry
    return tuple(named.values())


def _owner_text(entry: TermEntry) -> str:
    at = entry.source.find(OWNER_PREFIX)
    return entry.source[at + len(OWNER_PREFIX):] if at >= 0 else entry.category
