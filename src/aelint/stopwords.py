"""Stop-words and units (checks/stopwords.toml): words that do not count as content words in a title."""

from __future__ import annotations

from functools import lru_cache

from aelint.ruledata import read_pack
from aelint.text import fold


@lru_cache(maxsize=1)
def ignorable_words() -> frozenset[str]:
    """Function words of every catalog language plus units, folded."""
    pack = read_pack("stopwords")
    return frozenset(fold(w) for table in pack.values() for w in table["words"])


def is_content_word(word: str) -> bool:
    """A folded word that counts: not a stop-word or unit, not a number or a code with digits."""
    return len(word) > 1 and not any(ch.isdigit() for ch in word) and word not in ignorable_words()
