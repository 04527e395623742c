"""Rule data packs: word lists kept as reviewed TOML files next to the checks that use them.

A term pack is a list of `[[terms]]` tables, each naming the term, its category and its source, and
optionally phrases that make a match benign. Users add packs of their own through `[lists]` in the config;
a marketplace profile says which built-in packs a list uses there (a `PackChoice`).
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from aelint.profiles import PackChoice


class RuleDataError(Exception):
    """A rule data file that cannot be used; the message names the file and entry."""


class TermEntry(BaseModel):
    """One term of a pack: what to look for, why it is there and what makes it harmless."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    term: str
    category: str
    source: str
    benign: tuple[str, ...] = ()
    note: str = ""


class TermPack(BaseModel):
    model_config = ConfigDict(extra="forbid")

    description: str = ""
    terms: list[TermEntry]


@lru_cache(maxsize=64)
def read_pack(name: str) -> dict:
    """The raw TOML of a built-in pack, `checks/<name>.toml`."""
    return tomllib.loads(files("aelint.checks").joinpath(f"{name}.toml").read_text(encoding="utf-8"))


def _validated_terms(data: dict, where: str) -> tuple[TermEntry, ...]:
    try:
        return tuple(TermPack.model_validate(data).terms)
    except ValidationError as error:
        problem = error.errors()[0]
        key = ".".join(str(p) for p in problem["loc"])
        raise RuleDataError(f"{where}: {key}: {problem['msg']}") from None


@lru_cache(maxsize=64)
def load_terms(name: str | PackChoice, extra_files: tuple[str, ...] = ()) -> tuple[TermEntry, ...]:
    """The built-in pack `name` (or the packs a marketplace chose: only the categories it names, shown with
    its source when it gives one) plus the user's own files for it."""
    choice = name if isinstance(name, PackChoice) else PackChoice(packs=(name,))
    entries: list[TermEntry] = []
    for pack in choice.packs:
        wanted = choice.categories.get(pack)
        for entry in _validated_terms(read_pack(pack), f"{pack}.toml"):
            if wanted is None or entry.category in wanted:
                entries.append(entry.model_copy(update={"source": choice.source}) if choice.source else entry)
    for path in extra_files:
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
            raise RuleDataError(f"{path}: cannot read rule data: {error}") from None
        entries.extend(_validated_terms(data, path))
    return tuple(entries)
