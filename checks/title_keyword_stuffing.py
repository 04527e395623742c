"""AE103 title-keyword-stuffing: the title stacks keywords instead of describing one product.

What it does:
    Reports three kinds of keyword stacking in a title:
    - one content word `stuffing_word_repeats` or more times, when that option is set (counted like
      AE102: case-, accent- and plural-insensitive, stop-words, numbers and units not counted). It is 0,
      off, by default: AE102 reports every repeated word with its count, so one finding is one line, and
      AE103 says the same whether or not AE102 runs;
    - a run of four or more (`stuffing_fragments`) short keyword fragments separated by commas, slashes,
      pipes or semicolons ("dish towel, dish cloth, kitchen rag, cleaning cloth"); a fragment is short
      when it has at most four content words, so a title written in clauses is not a list;
    - a long list of other brands or models: four or more (`stuffing_brands`) different well-known
      trademarks, or a run of five or more (`stuffing_models`) model numbers ("for iPhone 15 14 13 12 11").

Why is this bad:
    AliExpress's category guidance deducts traffic from titles with stacked keywords, and FAQ 65 lists
    "keyword jamming in titles" among the listing offences (misleading searches).

Example:
    "Dress Summer Dress Women Dress Beach" fires ("dress" three times) with `stuffing_word_repeats = 3`
    (by default AE102 reports "Dress" (3x) and AE103 is silent); "Case for iPhone 15 14 13 12 11"
    fires (model list); "Lenovo ThinkPad T480 i5 8GB 256GB SSD" does not (four codes, and "SSD" ends
    the run); "Spring/Summer/Autumn Jacket" does not (three fragments).

Options:
    thresholds.stuffing_word_repeats (int, default 0: off), thresholds.stuffing_fragments (int, default 4),
    thresholds.stuffing_brands (int, default 4), thresholds.stuffing_models (int, default 5).

Source: AliExpress category guidance on stacked keywords; seller FAQ 65 ("keyword jamming in titles").
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from functools import lru_cache

from pydantic import BaseModel, ConfigDict, Field

from aelint.checks._title_terms import matcher
from aelint.i18n import _, current_language
from aelint.model import Problem, Product
from aelint.stopwords import TITLE_WORD_RE, content_words, counted_key
from aelint.terms import term_key
from aelint.text import TEXT_CACHE_SIZE, words as words_of

CODE = "AE103"
NAME = "title-keyword-stuffing"
SEVERITY = "warning"

SEPARATORS = ",/|;，、"
SEPARATOR_RE = re.compile(r"\s*[,/|;，、]\s*")
TOKEN_RE = re.compile(r"[^\s,/|;，、]+")
DIGIT_RE = re.compile(r"\d")
DIGIT_GROUPS_RE = re.compile(r"\d+")
MAX_FRAGMENT_WORDS = 4


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)  # validator built on first use
    stuffing_word_repeats: int = Field(0, ge=0)  # 0: repeated words are AE102's
    stuffing_fragments: int = 4
    stuffing_brands: int = 4
    stuffing_models: int = 5


def _fragment_run(title: str) -> int:
    """The longest run of short keyword fragments between separators."""
    best = run = 0
    for fragment in SEPARATOR_RE.split(title):
        count = len(content_words(fragment))
        if 1 <= count <= MAX_FRAGMENT_WORDS:
            run += 1
            best = max(best, run)
        else:
            run = 0
    return best


def _model_run(title: str) -> int:
    """The longest run of consecutive tokens with digits (model numbers, sizes)."""
    best = run = 0
    for token in TOKEN_RE.findall(title):
        if DIGIT_RE.search(token):
            run += 1
            best = max(best, run)
        else:
            run = 0
    return best


def check_product(product: Product, options: Options) -> Iterator[Problem]:
    title = product.title
    if not title:
        return
    reasons = _stacking(title, options.stuffing_word_repeats, options.stuffing_fragments,
                        options.stuffing_brands, options.stuffing_models, current_language())
    if reasons:
        yield Problem(_("keyword stacking: title {reasons}").format(reasons=_("; ").join(reasons)), product,
                      cell=product.cell("title"))


def prefilter(table, options: Options):
    """Only a title with enough of what each kind of stacking counts can stack keywords: a word counted
    `stuffing_word_repeats` times (the last part of its key, as AE102's prefilter), `stuffing_fragments` - 1
    separators, `stuffing_brands` words that start a mark, `stuffing_models` digit groups."""
    import numpy as np

    heads = matcher("trademarks").first_words
    separators = table.title_totals(lambda chunk: sum(chunk.count(ch) for ch in SEPARATORS))
    digits = table.title_totals(lambda chunk: len(DIGIT_GROUPS_RE.findall(chunk)))
    marks = table.title_totals(lambda chunk: sum(key in heads for key in term_key(chunk)))
    words = table.title_totals(lambda chunk: 1)  # chunks: a title without any says nothing
    stacked = (words > 0) & ((separators >= max(1, options.stuffing_fragments - 1))
                             | (marks >= options.stuffing_brands) | (digits >= options.stuffing_models))
    found = np.flatnonzero(stacked)
    if options.stuffing_word_repeats:
        tails: dict[str, int] = {}
        products, tail = table.title_values(lambda chunk: [tails.setdefault(t, len(tails)) for t in _key_tails(chunk)])
        codes, counts = np.unique(products.astype(np.int64) * max(len(tails), 1) + tail, return_counts=True)
        found = np.concatenate([found, codes[counts >= options.stuffing_word_repeats] // max(len(tails), 1)])
    return table.products_among(found)


def _key_tails(chunk: str) -> list[str]:
    """The last part (after a hyphen) of the key of each word of a title chunk that may be counted (a word
    joined to a letter before it, "T Shirt", is counted as "t-shirt")."""
    keys = (counted_key(raw) for raw in TITLE_WORD_RE.findall(chunk))
    return [key.rpartition("-")[2] for key in keys if key is not None]


@lru_cache(maxsize=TEXT_CACHE_SIZE)
def _stacking(title: str, repeats: int, fragments: int, brands: int, models: int, language: str) -> tuple[str, ...]:
    """What stacks keywords in a title, in `language` (computed once per distinct title and settings);
    `repeats` 0: not counting repeated words."""
    reasons = []
    words = content_words(title)
    if repeats and len(words) - len({w.key for w in words}) >= repeats - 1:  # some key may occur `repeats` times
        counts = Counter(w.key for w in words)
        first: dict[str, str] = {}
        for w in words:
            first.setdefault(w.key, w.text)
        stacked = [_('"{word}" ({count}x)').format(word=first[k], count=n) for k, n in counts.items() if n >= repeats]
        if stacked:
            reasons.append(_("repeats {words}").format(words=", ".join(stacked)))
    if any(ch in title for ch in SEPARATORS):
        run = _fragment_run(title)
        if run >= fragments:
            reasons.append(_("lists {count} keyword fragments separated by commas/slashes").format(count=run))
    named = {entry.term for _match, entry in matcher("trademarks").find(words_of(title))}
    if len(named) >= brands:
        reasons.append(_("names {count} brands ({brands})").format(count=len(named), brands=", ".join(sorted(named))))
    run = _model_run(title) if len(DIGIT_GROUPS_RE.findall(title)) >= models else 0
    if run >= models:
        reasons.append(_("lists {count} model numbers in a row").format(count=run))
    return tuple(reasons)
