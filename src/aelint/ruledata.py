"""Rule data packs: word lists kept as reviewed TOML files next to the checks that use them.

A term pack is a list of `[[terms]]` tables, each naming the term, its category and its source, and
optionally phrases that make a match benign. A pack may also list look-alike phrases and host nouns that
make any of its terms benign (see `TermPack`). Users add packs of their own through `[lists]` in the config;
a marketplace profile says which built-in packs a list uses there (a `PackChoice`).
"""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files
from pathlib import Path

import tomli
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
    # The term counts only when one of `needs` is also in the same text ("tablets" with "mg"), and not
    # when one of `unless` is ("ammo" in a text about a desiccant). Words or phrases, matched like terms.
    needs: tuple[str, ...] = ()
    unless: tuple[str, ...] = ()
    note: str = ""


class TermPack(BaseModel):
    """A pack: its terms, and what makes any of them benign (used by the AE2 rules' scanner):
    `lookalikes`, phrases that contain a term but name something else ("powder coated" over "black
    powder"), and `hosts`, nouns that, right after a term, make the term what a tool or an appliance works
    on ("Coffee Bean Roaster", "Butane Gas Stove")."""

    model_config = ConfigDict(extra="forbid")

    description: str = ""
    terms: list[TermEntry]
    lookalikes: tuple[str, ...] = ()
    hosts: tuple[str, ...] = ()


@lru_cache(maxsize=64)
def read_pack(name: str) -> dict:
    """The raw TOML of a built-in pack, `checks/<name>.toml`."""
    return tomli.loads(files("aelint.checks").joinpath(f"{name}.toml").read_text(encoding="utf-8"))


def _validated_pack(data: dict, where: str) -> TermPack:
    try:
        return TermPack.model_validate(data)
    except ValidationError as error:
        problem = error.errors()[0]
        key = ".".join(str(p) for p in problem["loc"])
        raise RuleDataError(f"{where}: {key}: {problem['msg']}") from None


@lru_cache(maxsize=64)
def load_pack(name: str | PackChoice, extra_files: tuple[str, ...] = ()) -> TermPack:
    """The built-in pack `name` (or the packs a marketplace chose: only the categories it names, shown with
    its source when it gives one; their look-alikes and hosts all) plus the user's own files, merged."""
    choice = name if isinstance(name, PackChoice) else PackChoice(packs=(name,))
    terms: list[TermEntry] = []
    lookalikes: list[str] = []
    hosts: list[str] = []
    for pack_name in choice.packs:
        pack = _validated_pack(read_pack(pack_name), f"{pack_name}.toml")
        wanted = choice.categories.get(pack_name)
        for entry in pack.terms:
            if wanted is None or entry.category in wanted:
                terms.append(entry.model_copy(update={"source": choice.source}) if choice.source else entry)
        lookalikes += pack.lookalikes
        hosts += pack.hosts
    for path in extra_files:
        try:
            data = tomli.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, tomli.TOMLDecodeError, UnicodeDecodeError) as error:
            raise RuleDataError(f"{path}: cannot read rule data: {error}") from None
        pack = _validated_pack(data, path)
        terms += pack.terms
        lookalikes += pack.lookalikes
        hosts += pack.hosts
    return TermPack(terms=terms, lookalikes=tuple(lookalikes), hosts=tuple(hosts))


@lru_cache(maxsize=64)
def load_terms(name: str | PackChoice, extra_files: tuple[str, ...] = ()) -> tuple[TermEntry, ...]:
    """The terms of the built-in pack `name` (or the packs a marketplace chose) plus the user's own files."""
    return tuple(load_pack(name, extra_files).terms)
