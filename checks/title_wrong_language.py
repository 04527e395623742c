"""AE105 title-wrong-language: the title is not in the catalog's language.

What it does:
    Checks each title against the configured `language` (default "en") in three steps:
    - error: the title has letters of a script that language is not written in (Chinese characters in
      an English title, Cyrillic in a French one). Latin letters are allowed in every language, since
      brand names and model codes are written in Latin everywhere. Full-width punctuation ("（", "，")
      is not counted as Chinese letters here (AE107 reports it).
    - warning: the detector gives `language` at most 1 - `language_min_confidence` (10%). Numbers,
      model codes, acronyms and well-known brand names are removed first, and a title left with fewer
      than 3 ordinary words (or 15 letters) is not judged, so "Xiaomi Redmi Note 13 Pro 5G 256GB" is
      never called Slovenian. A title under 8 ordinary words must also use a function word of the
      detected language ("pour", "para", "für", "с"), so a borrowed phrase ("Café Crème Brûlée
      Ceramic Mug") does not make an English title French. What counts is how unlikely `language` is,
      so a German title the detector splits between German and Dutch is still reported.
    - warning: a keyword title in another language, or one that mixes a brand and some words of
      `language` into it: at least 4 of its words, and more than those of `language`, are each more
      likely the other language, and the detector gives `language` under 50% for the whole title
      ("ZANZEA Femme Casual Beach Col V Manche Courte Loose Plage Robe",
      "Chaussures Randonnée Homme Imperméables Légères Montagne").
    Detection runs once per distinct title (and word), and only where the script check has not decided
    and the title is not plainly in `language` (it uses that language's function words, "for", "with",
    and no function word that only another language has, such as "pour", "para", "für").

Why is this bad:
    AliExpress rejects titles with Chinese characters at publishing, and a title in another language
    than the store's (the API's `language` field) is not found by the buyers searching in it.

Example:
    With language = "en": "Women Summer Dress 女装连衣裙" is an error (Han characters);
    "Robe d'été femme longue à fleurs décontractée" and "ZANZEA Damen Sommer Mode Lose Rundhals
    Baumwolle Leinen Bluse Hemd Kleid Dress" are warnings (French, German);
    "Phone Case for iPhone 15 Pro Max 256GB" and "Summer Maxi Dress Women Boho Beach Robe Femme" are
    silent. With language = "fr" the French title is silent.

Options:
    language (top-level key, default "en"); thresholds.language_min_confidence (float, default 0.9).

Source: AliExpress product API `language` field; publishing error for Chinese characters in titles.
"""

from collections.abc import Callable, Iterator

from pydantic import BaseModel, ConfigDict

from aelint import language as lang
from aelint.i18n import _
from aelint.model import Problem, Product

CODE = "AE105"
NAME = "title-wrong-language"
SEVERITY = "error"

MIN_FOREIGN_WORDS = 4  # words of another language a mixed title needs before it is reported
SHOWN_WORDS = 5
MIXED_BELOW = 0.5  # words are judged one by one only where the detector gives `language` less than this


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)  # validator built on first use
    language: str = "en"
    language_min_confidence: float = 0.9


def check_product(product: Product, options: Options) -> Iterator[Problem]:
    return _judge(product, options, lang.detect)


def check_table(table, options: Options) -> Iterator[Problem]:
    """check_product's judgement of every product, with the model run only on the distinct titles that the
    script check and the function words leave undecided, in one batch. A product whose header gives
    another language is judged in that language (as the engine does for check_product)."""
    import polars as pl

    wanted = _wanted(options.language)
    evidence = table.title_totals(lambda chunk: _evidence(chunk, wanted))
    settled = pl.Series((evidence > 0) & (evidence < UNSETTLING))
    own_language = pl.col("language").is_not_null() & (pl.col("language") != options.language)
    candidates = []
    for index, language in table.products.filter(~settled | own_language).select("index", "language").iter_rows():
        product = table.product(index)
        if product.title:
            in_language = (options if not language or language == options.language
                           else options.model_copy(update={"language": language}))
            candidates.append((product, in_language))
    undecided = (product.title for product, in_language in candidates
                 if not lang.foreign_scripts(product.title, _wanted(in_language.language))
                 and not lang.plainly_in(product.title, _wanted(in_language.language)))
    detections = lang.detect_many(undecided)
    for product, in_language in candidates:
        yield from _judge(product, in_language, detections.__getitem__)


UNSETTLING = 1 << 32  # what a chunk with a foreign function word or script counts in `_evidence` (over any title's
# number of chunks: a title's total is under it only where no chunk has either)


def _evidence(chunk: str, wanted: str) -> int:
    """What a piece of title adds to its title's evidence of being plainly in `wanted` (as `lang.plainly_in`
    reads it, settled when the total is above 0 and under UNSETTLING): 1 for a function word of `wanted`,
    UNSETTLING for a function word of another language or letters of another script."""
    own, foreign = lang.function_word_evidence(chunk, wanted)
    return UNSETTLING if foreign or lang.scripts(chunk) else int(own)


def _wanted(language: str) -> str:
    return language.lower().split("-")[0]


def _judge(product: Product, options: Options, detect: Callable[[str], lang.Detection | None]) -> Iterator[Problem]:
    """The problems of a product's title, `detect` giving the detector's verdict on it."""
    title = product.title
    if not title:
        return
    wanted = _wanted(options.language)
    foreign = lang.foreign_scripts(title, wanted)
    if foreign:
        shown = ", ".join(f"{_(s)} ({lang.first_char_of(title, s)!s})" for s in foreign)
        yield Problem(_("title has {scripts} characters, which {language} titles do not use").format(
                          scripts=shown, language=_(lang.name_of(wanted))),
                      product, cell=product.cell("title"), severity="error")
        return
    if lang.plainly_in(title, wanted):
        return
    found = detect(title)
    if found is None:
        return
    other, _probability = found.likeliest_other(wanted)
    known = wanted in lang.MARKET_LANGUAGES  # the detector knows the configured language
    not_wanted = 1 - found.probability(wanted) if known else found.confidence
    if (found.language != wanted and not_wanted >= options.language_min_confidence
            and lang.convincing(title, found, wanted)):
        yield Problem(_("title looks {language} ({confidence} confidence), not {wanted} (the configured "
                        "language)").format(language=_(lang.name_of(other)), confidence=f"{not_wanted:.0%}",
                                            wanted=_(lang.name_of(wanted))),
                      product, cell=product.cell("title"), severity="warning")
        return
    if not known or found.probability(wanted) >= MIXED_BELOW:
        return
    foreign, own = lang.foreign_words(title, wanted, other)
    if len(foreign) >= MIN_FOREIGN_WORDS and len(foreign) > own:
        shown = ", ".join(list(dict.fromkeys(foreign))[:SHOWN_WORDS])
        named = lang.likeliest_language(foreign, wanted)
        yield Problem(_("title is mostly {language} words ({count} of {judged} judged: {words}), not {wanted} "
                        "(the configured language)").format(
                          language=_(lang.name_of(named)), count=len(foreign), judged=len(foreign) + own,
                          words=shown, wanted=_(lang.name_of(wanted))),
                      product, cell=product.cell("title"), severity="warning")
