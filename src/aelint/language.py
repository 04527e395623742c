"""The language of a title: a script check first, then a statistical detector only where it can decide.

Everything is answered once per distinct title (module-level caches), in this order:

- `foreign_scripts(title, language)`: letters of a writing system the configured language does not use
  (Chinese characters in an English title). A plain Unicode-range scan, no model. Latin letters are
  allowed in every language (brand names and model codes are written in Latin everywhere); full-width
  punctuation such as "（" or "，" is punctuation, not Chinese letters (AE107 reports it).
- `plainly_in(title, language)`: the title uses function words only that language has ("for", "with")
  and none only another has ("pour", "para", "für"): accepted without a model (most English titles).
- `detect(title)`: the title's language probabilities, or None when the title has too little ordinary
  text to judge. Model numbers, units, acronyms and one-word brand names are removed before the model
  sees the title, so "Xiaomi Redmi Note 13 Pro 5G 256GB" is not judged at all (two words are left)
  instead of being called Slovenian. A title is judged by how unlikely the configured language is,
  not by the winner's share alone: "Damen Sommer Mode ... Baumwolle Kleid" is German 50%, Dutch 49%,
  English 1%, which is plainly not English.
- `foreign_words(title, language, other)`: the title's words that are more likely `other` than
  `language` (each word judged alone, once per distinct word), for titles that mix a brand and a few
  English words into another language ("ZANZEA Femme Casual Beach Col V Manche Courte ...").
- `convincing(title, detection, language)`: a short title (under 8 ordinary words) must also use a
  function word of the detected language, so a borrowed phrase ("Café Crème Brûlée Mug") is not French.

The detector is py3langid restricted to the marketplace languages. Measured in bench/bench_language.py
on 709 labelled short titles: py3langid 97.0% right at ~40 us/title, lingua (low accuracy) 94.8% at
~75 us and it called 3 of 15 brand/model-heavy English titles German with >0.9 confidence, lingua (high
accuracy) 96.5% at ~157 us, langdetect 91.3% at ~3,000 us (Chinese 50%).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from aelint.i18n import N_
from aelint.text import TEXT_CACHE_SIZE, fold

# AliExpress marketplace languages a title may be written in (site languages of the platform).
MARKET_LANGUAGES = ("en", "fr", "es", "pt", "de", "it", "nl", "pl", "tr", "ru", "uk")
# Names as messages say them (N_: translated where shown, with _(name_of(code))).
LANGUAGE_NAMES = {
    "en": N_("English"), "fr": N_("French"), "es": N_("Spanish"), "pt": N_("Portuguese"), "de": N_("German"),
    "it": N_("Italian"), "nl": N_("Dutch"), "pl": N_("Polish"), "tr": N_("Turkish"), "ru": N_("Russian"),
    "uk": N_("Ukrainian"), "zh": N_("Chinese"), "ja": N_("Japanese"), "ko": N_("Korean"), "ar": N_("Arabic"),
    "he": N_("Hebrew"), "th": N_("Thai"), "vi": N_("Vietnamese"), "id": N_("Indonesian"), "el": N_("Greek"),
}

# Unicode blocks of the scripts a title may contain (Latin and common punctuation are not listed); the names
# are identifiers here and translated where a message shows them.
_SCRIPT_RANGES: tuple[tuple[int, int, str], ...] = (
    (0x0370, 0x03FF, N_("Greek")),
    (0x0400, 0x052F, N_("Cyrillic")),
    (0x0590, 0x05FF, N_("Hebrew")),
    (0x0600, 0x06FF, N_("Arabic")), (0x0750, 0x077F, N_("Arabic")),
    (0x0900, 0x097F, N_("Devanagari")),
    (0x0E00, 0x0E7F, N_("Thai")),
    (0x1100, 0x11FF, N_("Hangul")),
    (0x3040, 0x30FF, N_("Kana")),
    (0x3400, 0x4DBF, N_("Han")), (0x4E00, 0x9FFF, N_("Han")), (0xF900, 0xFAFF, N_("Han")), (0x20000, 0x2FA1F, N_("Han")),
    (0xAC00, 0xD7AF, N_("Hangul")), (0x3130, 0x318F, N_("Hangul")),
    (0xFB50, 0xFDFF, N_("Arabic")), (0xFE70, 0xFEFF, N_("Arabic")),
)
_SCRIPT_STARTS = [r[0] for r in _SCRIPT_RANGES]

# Scripts each language is written in, besides Latin (always allowed).
LANGUAGE_SCRIPTS: dict[str, frozenset[str]] = {
    "ru": frozenset({"Cyrillic"}), "uk": frozenset({"Cyrillic"}), "zh": frozenset({"Han"}),
    "ja": frozenset({"Han", "Kana"}), "ko": frozenset({"Hangul", "Han"}), "ar": frozenset({"Arabic"}),
    "he": frozenset({"Hebrew"}), "th": frozenset({"Thai"}), "el": frozenset({"Greek"}),
}
# Script -> the language a title in it is most likely in, to name it in a message.
SCRIPT_LANGUAGE = {"Han": "zh", "Kana": "ja", "Hangul": "ko", "Cyrillic": "ru", "Arabic": "ar",
                   "Hebrew": "he", "Thai": "th", "Greek": "el", "Devanagari": "hi"}


def _script_of(code: int) -> str | None:
    for start, end, name in _SCRIPT_RANGES:
        if start <= code <= end:
            return name
    return None


@lru_cache(maxsize=TEXT_CACHE_SIZE)
def scripts(title: str) -> frozenset[str]:
    """Non-Latin scripts whose letters occur in the title ({} for an ASCII or Latin-only title)."""
    if title.isascii():
        return frozenset()
    found = set()
    for ch in title:
        code = ord(ch)
        if code >= 0x0370 and ch.isalpha():
            name = _script_of(code)
            if name:
                found.add(name)
    return frozenset(found)


def foreign_scripts(title: str, language: str) -> list[str]:
    """Scripts in the title that `language` is not written in, sorted (empty for most titles)."""
    found = scripts(title)
    if not found:
        return []
    return sorted(found - LANGUAGE_SCRIPTS.get(language.lower(), frozenset()))


def first_char_of(title: str, script: str) -> str:
    """The first character of `script` in the title, to quote in a message."""
    for ch in title:
        if ch.isalpha() and _script_of(ord(ch)) == script:
            return ch
    return ""


@dataclass(frozen=True, slots=True)
class Detection:
    language: str  # the most likely language
    confidence: float  # its probability
    words: int  # ordinary words the judgement rests on
    probabilities: tuple[tuple[str, float], ...] = ()  # every marketplace language, most likely first

    def probability(self, language: str) -> float:
        return next((p for name, p in self.probabilities if name == language), 0.0)

    def likeliest_other(self, language: str) -> tuple[str, float]:
        """The most likely language other than `language`, with its probability."""
        return next(((name, p) for name, p in self.probabilities if name != language), (language, 0.0))


# Tokens for the detector: letters only; tokens with digits are model codes or sizes.
_TOKEN_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*|\S*\d\S*")
MIN_WORDS = 3
MIN_LETTERS = 15


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(MARKET_LANGUAGES))
    return identifier


@lru_cache(maxsize=1)
def _known_names() -> frozenset[str]:
    """Folded one-word brand names of the trademark pack: not evidence of a language."""
    from aelint.ruledata import read_pack

    names = set()
    for entry in read_pack("trademarks").get("terms", []):
        term = entry["term"]
        if " " not in term and len(term) > 2:  # "Xiaomi", "iPhone"; not the words of "Coach Bag"
            names.add(fold(term))
    return frozenset(names)


def text_for_detection(title: str) -> tuple[str, int]:
    """The title's ordinary words (no numbers, codes, acronyms or brand names) and how many there are."""
    brands = _known_names()
    if not title.isascii():
        title = unicodedata.normalize("NFKC", title)  # full-width letters and punctuation -> ASCII forms
    kept = []
    for token in _TOKEN_RE.findall(title):
        if any(ch.isdigit() for ch in token):
            continue
        if len(token) > 1 and token.isupper():  # acronyms and model names: USB, LED, EVA, PRO
            continue
        if fold(token) in brands:
            continue
        kept.append(token)
    return " ".join(kept), len(kept)


@lru_cache(maxsize=TEXT_CACHE_SIZE)
def detect(title: str) -> Detection | None:
    """The title's language with the detector's confidence, or None when there is too little text to judge."""
    if scripts(title) - {"Cyrillic"}:
        return None  # decided by the script check
    cleaned, count = text_for_detection(title)
    if count < MIN_WORDS or sum(ch.isalpha() for ch in cleaned) < MIN_LETTERS:
        return None
    ranked = tuple((name, float(p)) for name, p in _identifier().rank(cleaned.lower()))
    return Detection(ranked[0][0], ranked[0][1], count, ranked)


def detect_many(titles: Iterable[str]) -> dict[str, Detection | None]:
    """`detect` of each distinct title, in one pass with the model loaded once (what AE105 asks of a
    large catalog: only the titles the script check and the function words leave undecided)."""
    return {title: detect(title) for title in dict.fromkeys(titles)}


@lru_cache(maxsize=50_000)
def _word_probabilities(word: str) -> tuple[float, ...]:
    """The detector's probability of each marketplace language (MARKET_LANGUAGES order) for one word."""
    ranked = dict(_identifier().rank(word))
    return tuple(float(ranked.get(name, 0.0)) for name in MARKET_LANGUAGES)


_MARKET_INDEX = {name: i for i, name in enumerate(MARKET_LANGUAGES)}


# A word counts for one of two languages when the detector gives it at least this share of the pair.
WORD_DECISIVE = 0.6
MIN_WORD_LETTERS = 3


def foreign_words(title: str, language: str, other: str) -> tuple[list[str], int]:
    """The title's ordinary words that are more likely `other` than `language` (two marketplace languages; each
    word judged alone) and how many are more likely `language`; words of under 3 letters and undecided words
    count for neither."""
    cleaned, _ = text_for_detection(title)
    foreign, own = [], 0
    for word in cleaned.split():
        if len(word) < MIN_WORD_LETTERS:
            continue
        probabilities = _word_probabilities(word.lower())
        mine, theirs = probabilities[_MARKET_INDEX[language]], probabilities[_MARKET_INDEX[other]]
        if mine + theirs <= 0:
            continue
        if theirs / (mine + theirs) >= WORD_DECISIVE:
            foreign.append(word)
        elif mine / (mine + theirs) >= WORD_DECISIVE:
            own += 1
    return foreign, own


def likeliest_language(words: list[str], besides: str) -> str:
    """The language other than `besides` that the words, each judged alone, most likely belong to
    (German rather than Dutch for "Wanderschuhe Wasserdicht Leicht Schuhe")."""
    totals: dict[str, float] = {}
    for word in words:
        for name, p in zip(MARKET_LANGUAGES, _word_probabilities(word.lower())):
            if name != besides:
                totals[name] = totals.get(name, 0.0) + p
    return max(totals, key=totals.__getitem__) if totals else besides


_LETTERS_RE = re.compile(r"[^\W\d_]+")
CONVINCING_WORDS = 8


@lru_cache(maxsize=32)
def function_words(language: str) -> frozenset[str]:
    """Folded function words of a language (the stop-words pack), empty for a language it lacks."""
    from aelint.ruledata import read_pack

    table = read_pack("stopwords").get(language, {})
    return frozenset(fold(w) for w in table.get("words", ()) if len(w) > 1 or w.isalpha())


def convincing(title: str, found: Detection, configured: str) -> bool:
    """Whether a detection is more than a borrowed phrase ("Café Crème Brûlée Mug"): a long title, or one
    that uses function words of the detected language which the configured language does not have."""
    if found.words >= CONVINCING_WORDS:
        return True
    own = function_words(found.language) - function_words(configured)
    return bool(own) and any(w in own for w in _LETTERS_RE.findall(fold(title)))


@lru_cache(maxsize=32)
def _specific_function_words(language: str) -> tuple[frozenset[str], frozenset[str]]:
    """Function words (2+ letters) only `language` uses, and those only the other catalog languages use."""
    from aelint.ruledata import read_pack

    pack = read_pack("stopwords")
    others = {fold(w) for name, table in pack.items() if name in LANGUAGE_NAMES and name != language
              for w in table.get("words", ()) if len(w) > 1}
    own = {w for w in function_words(language) if len(w) > 1}
    return frozenset(own - others - _WEAK_EVIDENCE), frozenset(others - own)


# Stop-words that also stand as product words in other languages' titles ("Set", "New", "One Size").
_WEAK_EVIDENCE = frozenset({"new", "set", "one", "off", "out", "up", "all", "over", "amp", "inc", "etc", "vs",
                            "own", "same", "down", "other", "only", "just", "most", "more", "very", "via"})


@lru_cache(maxsize=TEXT_CACHE_SIZE)
def plainly_in(title: str, language: str) -> bool:
    """A title that uses function words only `language` has and none that only other languages have
    ("Vintage Dress for Women with Pockets" is plainly English): no model needed to accept it. Words
    several languages share ("a", "plus", "in") are no evidence either way."""
    own, foreign = function_word_evidence(title, language)
    return own and not foreign


def function_word_evidence(text: str, language: str) -> tuple[bool, bool]:
    """Whether the text uses a function word only `language` has (never for a language without a
    stop-words table), and whether it uses one that only other languages have. Words do not span a
    space, so a title's evidence is that of its space-separated pieces put together."""
    own, foreign = _specific_function_words(language)
    if not own:
        return False, False
    words = _LETTERS_RE.findall(fold(text))
    return any(w in own for w in words), any(w in foreign for w in words)


def name_of(language: str) -> str:
    return LANGUAGE_NAMES.get(language.lower(), language)
