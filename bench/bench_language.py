"""Language detectors compared on short product titles: accuracy and time per title.

Run: .venv/bin/pip install -e '.[bench]' && .venv/bin/python bench/bench_language.py

Labelled titles: bench/language_samples.py (20 hand-written titles each in en/fr/es/pt/de/ru/zh) plus, when
../shared/data is present, 300 real Wish titles in English (`title_orig`) and their French machine translations
(`title`, where it differs from the original; many are only partly translated, so no detector reaches 100% there). Each detector is restricted to the marketplace languages where it allows it. "Our pipeline" is
aelint.language.detect: script check, brands/model numbers removed, undecided when too little text is left.
Also counted: confident (>= 0.9) non-English verdicts on brand/model-heavy English titles (should be none).
First line: what AE105 itself decides with language = "en" (English titles flagged are false alarms; other
languages flagged is its recall), on cold caches.
"""

from __future__ import annotations

import csv
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from language_samples import HARD_ENGLISH, SAMPLES  # noqa: E402

from aelint import language  # noqa: E402

WISH = ROOT.parent / "shared" / "data" / "wish_summer_clothes" / "summer-products-with-rating-and-performance_2020-08.csv"
LANGS = ["en", "fr", "es", "pt", "de", "ru", "zh"]


def labelled() -> list[tuple[str, str]]:
    items = [(lang, t) for lang, titles in SAMPLES.items() for t in titles]
    if WISH.exists():
        with WISH.open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        rows = random.Random(1).sample(rows, 300)
        # Wish shows some titles untranslated: `title` counts as French only where it differs from the original.
        items += [("en", r["title_orig"]) for r in rows]
        items += [("fr", r["title"]) for r in rows if r["title"].strip() != r["title_orig"].strip()]
    return items


def py3langid_detector():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    ident.set_languages(LANGS)
    return lambda t: ident.classify(t)


def lingua_detector(high: bool = False):
    from lingua import Language, LanguageDetectorBuilder

    wanted = [Language.ENGLISH, Language.FRENCH, Language.SPANISH, Language.PORTUGUESE, Language.GERMAN,
              Language.RUSSIAN, Language.CHINESE]
    builder = LanguageDetectorBuilder.from_languages(*wanted)
    detector = (builder if high else builder.with_low_accuracy_mode()).build()
    codes = {lang: lang.iso_code_639_1.name.lower() for lang in wanted}

    def run(t):
        values = detector.compute_language_confidence_values(t)
        if not values or values[0].value == 0:
            return ("und", 0.0)
        return (codes[values[0].language], values[0].value)
    return run


def langdetect_detector():
    from langdetect import DetectorFactory, detect_langs

    DetectorFactory.seed = 0

    def run(t):
        try:
            best = detect_langs(t)[0]
        except Exception:
            return ("und", 0.0)
        lang = best.lang.split("-")[0]
        return (lang, best.prob)
    return run


def pipeline_detector():
    def run(t):
        foreign = language.foreign_scripts(t, "en")
        if foreign:
            return (language.SCRIPT_LANGUAGE[foreign[0]], 1.0)
        found = language.detect(t)
        return (found.language, found.confidence) if found else ("und", 0.0)
    return run


def measure(name, factory, items, hard, repeat=3):
    t0 = time.perf_counter()
    detect = factory()
    detect(items[0][1])
    first = time.perf_counter() - t0
    times = []
    for _ in range(repeat):
        if name.startswith("aelint"):
            language.detect.cache_clear()
            language.scripts.cache_clear()
        t = time.perf_counter()
        results = [detect(text) for _, text in items]
        times.append(time.perf_counter() - t)
    per = statistics.median(times) / len(items) * 1e6
    right = sum(r[0] == lang for r, (lang, _) in zip(results, items))
    undecided = sum(r[0] == "und" for r in results)
    wrong = len(items) - right - undecided
    by_lang = {}
    for r, (lang, _) in zip(results, items):
        ok, n = by_lang.get(lang, (0, 0))
        by_lang[lang] = (ok + (r[0] == lang), n + 1)
    misjudged = [(t, r) for t in hard for r in [detect(t)] if r[0] not in ("en", "und") and r[1] >= 0.9]
    per_lang = " ".join(f"{k} {ok / n:.0%}" for k, (ok, n) in sorted(by_lang.items()))
    print(f"{name:34} right {right / len(items):6.1%}  wrong {wrong:3}  undecided {undecided:3}  "
          f"{per:8.1f} us/title  first call {first * 1000:6.0f} ms  hard-English misjudged {len(misjudged)}")
    print(f"{'':34} {per_lang}")
    for t, r in misjudged[:5]:
        print(f"{'':34}   {t!r} -> {r}")


def ae105_verdicts(items, hard, repeat=3):
    """What AE105 itself decides with language = "en" (script check, detector, word vote): English titles
    flagged (false alarms) and other titles flagged (recall), with the time per title on cold caches."""
    from aelint.checks import title_wrong_language as rule

    class Titled:  # the two things the rule reads from a product
        def __init__(self, title):
            self.title = title

        def cell(self, name):
            return None

    options = rule.Options()
    flagged = lambda t: any(True for _ in rule.check_product(Titled(t), options))  # noqa: E731
    times = []
    for _ in range(repeat):
        for cached in (language.detect, language.scripts, language.plainly_in, language._word_probabilities):
            cached.cache_clear()
        t = time.perf_counter()
        results = [flagged(text) for _, text in items]
        times.append(time.perf_counter() - t)
    english = [r for r, (lang, _) in zip(results, items) if lang == "en"]
    other = [r for r, (lang, _) in zip(results, items) if lang != "en"]
    hard_flagged = [t for t in hard if flagged(t)]
    print(f"{'AE105 verdict (language = en)':34} English flagged {sum(english)}/{len(english)}  "
          f"other languages flagged {sum(other)}/{len(other)} ({sum(other) / len(other):.1%})  "
          f"{statistics.median(times) / len(items) * 1e6:8.1f} us/title  hard-English flagged {len(hard_flagged)}")


def main() -> None:
    items = labelled()
    print(f"{len(items)} labelled titles, {len(HARD_ENGLISH)} brand/model-heavy English titles")
    ae105_verdicts(items, HARD_ENGLISH)
    measure("aelint.language (py3langid, clean)", pipeline_detector, items, HARD_ENGLISH)
    measure("py3langid, 7 languages", py3langid_detector, items, HARD_ENGLISH)
    measure("lingua low accuracy, 7 languages", lingua_detector, items, HARD_ENGLISH)
    measure("lingua high accuracy, 7 languages", lambda: lingua_detector(True), items, HARD_ENGLISH, repeat=1)
    measure("langdetect (seed 0), all languages", langdetect_detector, items, HARD_ENGLISH, repeat=1)


if __name__ == "__main__":
    main()
