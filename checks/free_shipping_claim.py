"""AE611 free-shipping-claim: "free shipping" in the title, a tag or the description (refused on Wish).

What it does:
    Looks for free-shipping claims (the `free_shipping` pack, checks/free_shipping.toml: "free
    shipping", "freeshipping", "free delivery", "free postage" and their French, Spanish, Portuguese,
    German and Russian forms) in the title, the tags and the description's text, whatever their case
    or accents, and reports each place once. Words must follow each other with only spaces or hyphens
    between them: "lead free. Shipping weight 1 kg" is not a claim.

Why is this bad:
    Wish refuses "free shipping" anywhere in a title, tag or description: the upload fails with an
    error (Wish help). Shipping is a price of its own (the Shipping column), and a claim in the text
    that contradicts it misleads buyers.

Example:
    Tags "dress, summer, free shipping" fire on the tags; a description ending "Free-Shipping
    worldwide!" fires on the description. "Lead free. Shipping weight 1 kg" does not.

Options:
    [lists] free_shipping = ["mine.toml"]: extra phrases in the same `[[terms]]` format.

Source: Wish help (copy on lianlianpay 43-34406: "free shipping" refused in title, tags or description);
Wish merchant FAQ 1260805100070; layouts.md "Wish listing rules".
"""

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

from pydantic import BaseModel, ConfigDict, field_validator

from aelint.checks._listed_terms import readable_lists
from aelint.i18n import _, N_
from aelint.model import Problem, Product
from aelint.ruledata import load_terms

CODE = "AE611"
NAME = "free-shipping-claim"
SEVERITY = "error"
LIST_NAME = "free_shipping"


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)  # validator built on first use
    extra_lists: list[str] = []
    marketplace_name: str = "Wish"

    @field_validator("extra_lists")
    @classmethod
    def _loads(cls, value: list[str]) -> list[str]:
        return readable_lists(LIST_NAME, value)


@lru_cache(maxsize=8)
def claim_phrases(extra_files: tuple[str, ...]) -> list[str]:
    """Every phrase, folded, longest first."""
    return sorted({folded(e.term) for e in load_terms(LIST_NAME, extra_files)}, key=len, reverse=True)


@lru_cache(maxsize=8)
def claim_pattern(extra_files: tuple[str, ...]) -> re.Pattern[str]:
    """One regular expression for every phrase: words joined by spaces or hyphens, on folded text."""
    parts = [r"[\s\-]+".join(re.escape(w) for w in phrase.split()) for phrase in claim_phrases(extra_files)]
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)")


def folded(value: str) -> str:
    """Lower case without accents, for whole texts (aelint.text.fold caches words; descriptions are long)."""
    lowered = value.casefold()
    if lowered.isascii():
        return lowered
    return "".join(ch for ch in unicodedata.normalize("NFKD", lowered) if not unicodedata.combining(ch))


FIELD_LABELS = {"title": N_("title"), "tags": N_("tags"), "description": N_("description")}  # translated where shown


def check_product(product: Product, options: Options) -> Iterator[Problem]:
    pattern = claim_pattern(tuple(options.extra_lists))
    places = (("title", product.title), ("tags", product.get("tags")), ("description", product.description_text))
    for field, value in places:
        if not value:
            continue
        found = pattern.search(folded(value))
        if found:
            claim = " ".join(found.group(0).split())
            yield Problem(_('{field} says "{claim}": {marketplace} refuses free-shipping claims in titles, tags and '
                            "descriptions (set shipping in its own column)").format(
                              field=_(FIELD_LABELS[field]), claim=claim,
                              marketplace=options.marketplace_name),
                          product, cell=product.cell(field))


def prefilter(table, options: Options):
    """A claim in an ASCII title or tags cell, or in an ASCII description without HTML entities, holds its
    phrase's first and last word in some case (folding ASCII text only lowers it, and dropping tags cannot
    join words): the words are found in one pass and each phrase asks for its two. Other texts (non-ASCII,
    or with entities) are all candidates."""
    import polars as pl

    phrases = [phrase.split() for phrase in claim_phrases(tuple(options.extra_lists))]
    if not all(phrases):
        return pl.lit(True)  # an empty phrase matches anywhere
    plain = [words for words in phrases if "".join(words).isascii()]  # others match non-ASCII text only
    words = sorted({word for phrase in plain for word in (phrase[0], phrase[-1])})
    bits = {word: 1 << i for i, word in enumerate(words)}
    wanted = sorted({bits[phrase[0]] | bits[phrase[-1]] for phrase in plain})

    def held(text: pl.Expr) -> pl.Expr:  # the first and last words the text holds, one bit each
        return (text.str.extract_many(words, ascii_case_insensitive=True, overlapping=True)
                .list.eval(pl.element().str.to_lowercase().replace_strict(bits, return_dtype=pl.Int64))
                .list.unique().list.sum())

    texts = {"title": table.text("title"), "tags": table.text("tags"), "description": table.text("description")}
    unsure = [text.str.contains(r"[^\x00-\x7f]") for text in texts.values()]
    unsure.append(texts["description"].str.contains("&", literal=True))
    if plain and len(words) > 62:  # too many words for one bit each: any first word and any last word
        firsts, lasts = sorted({p[0] for p in plain}), sorted({p[-1] for p in plain})
        unsure += [text.str.contains_any(firsts, ascii_case_insensitive=True)
                   & text.str.contains_any(lasts, ascii_case_insensitive=True) for text in texts.values()]
    elif plain:  # each text's words found once (a column), then each phrase asks for its two
        found = table.products.select(**{name: held(text) for name, text in texts.items()})
        unsure += [pl.lit(found[name]).and_(both) == both for name in texts for both in wanted]
    return pl.any_horizontal(unsure)
