"""Marketplace profiles: what differs between marketplaces, kept as data (profiles/<key>.toml).

A profile names its marketplace, says which rules are its own and which shared rules do not exist there,
gives the numbers and word lists the shared rules take on it (title limit, image minimums, allowed
description HTML...), and the header sets that mark its own upload files. `Config.options_for` fills a
rule's Options from the profile first; the user's thresholds override. See the README, "How a marketplace
profile is made".
"""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files
from typing import Any

import tomli
from pydantic import BaseModel, ConfigDict, ValidationError

from aelint.headers import header_key

DEFAULT = "aliexpress"


class ProfileError(Exception):
    """A profile table that cannot be used; the message names the file and key."""


class PackChoice(BaseModel):
    """Which built-in packs a list rule loads on a marketplace, and which of their categories."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    packs: tuple[str, ...]
    # pack -> the only categories used from it (a pack not named here is used whole)
    categories: dict[str, tuple[str, ...]] = {}
    source: str = ""  # shown instead of a built-in entry's own source: the marketplace's rule that bans it

    def __hash__(self) -> int:  # a dict field: hash what it holds (choices key the rules' term caches)
        return hash((self.packs, tuple(sorted(self.categories.items())), self.source))


class Rules(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    own: tuple[str, ...] = ()  # rules only this marketplace has: off on every other
    off: tuple[str, ...] = ()  # shared rules that do not exist on this marketplace


class Profile(BaseModel):
    """One marketplace: its name, rules, the parameters its rules take and how to recognise its files."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str
    name: str
    rules: Rules = Rules()
    parameters: dict[str, Any] = {}  # rule Options field -> value on this marketplace
    lists: dict[str, PackChoice] = {}  # list name (LIST_NAME of a rule) -> packs
    layouts: dict[str, tuple[tuple[str, ...], ...]] = {}  # layout -> header sets, any of which marks it

    def applies(self, code: str, module_name: str) -> bool:
        """Whether a rule exists on this marketplace. Rules from outside aelint always do."""
        if not module_name.startswith("aelint.checks."):
            return True
        if code in self.rules.own:
            return True
        if any(code in other.rules.own for other in all_profiles().values()):
            return False
        return code not in self.rules.off

    def layout_of(self, headers: list[str]) -> str | None:
        """The name of this marketplace's layout a header row is in, or None."""
        keys = {header_key(h) for h in headers if h}
        for layout, header_sets in self.layouts.items():
            if any(all(header_key(h) in keys for h in wanted) for wanted in header_sets):
                return layout
        return None


@lru_cache(maxsize=1)
def all_profiles() -> dict[str, Profile]:
    """Every shipped profile by key (the file name), validated."""
    found: dict[str, Profile] = {}
    for entry in sorted(files(__name__).iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".toml"):
            continue
        key = entry.name.removesuffix(".toml")
        try:
            found[key] = Profile.model_validate({"key": key, **tomli.loads(entry.read_text(encoding="utf-8"))})
        except (tomli.TOMLDecodeError, ValidationError) as error:
            raise ProfileError(f"profiles/{entry.name}: {error}") from None
    return found


def profile(key: str) -> Profile:
    return all_profiles()[key]


def marketplace_keys() -> tuple[str, ...]:
    return tuple(all_profiles())


def detect(headers: list[str]) -> tuple[Profile, str] | None:
    """The marketplace whose own upload layout a header row is in, with the layout's name."""
    for candidate in all_profiles().values():
        layout = candidate.layout_of(headers)
        if layout:
            return candidate, layout
    return None
