"""Finding checks: every module in the packages or modules named by the `aelint.checks` entry points.

A check module has `CODE`, `NAME`, `SEVERITY`, an `Options` pydantic model and either
`check(catalog, options)` (sees the whole catalog) or `check_product(product, options)` (called once per
product), which may come with `prefilter(table, options)` or be replaced by `check_table(table, options)`
on large catalogs (see aelint.table); `check` may come with a `Collector` that judges the catalog as it
streams past in batches (see aelint.facts). Its docstring, starting "AE101 title-too-long: ...", is the
rule's documentation. A rule that reads image facts declares them in `IMAGE_FACTS` (image field -> facts, see
`aelint.images`).
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import entry_points
from types import ModuleType

from pydantic import BaseModel

from aelint.images import image_facts_of

CODE_RE = re.compile(r"^[A-Z]{2,4}[0-9]{3}$")
NAME_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
DOC_SECTIONS = ("What it does", "Why is this bad", "Example", "Options")


@dataclass(frozen=True)
class Check:
    """A loaded check module and what the engine needs to know about it."""

    code: str
    name: str
    severity: str
    module: ModuleType
    options_model: type[BaseModel]
    per_product: bool
    image_facts: Mapping[str, frozenset[str]]  # IMAGE_FACTS: image field -> the facts the rule reads there
    runs_last: bool  # sees which suppressions the other rules used (RUNS_LAST = True)
    # An image rule that still has something to say under --no-images (RUNS_WITHOUT_IMAGES = True: AE311
    # compares references); the others need image facts and are not run then.
    runs_without_images: bool = False
    # A rule judging one title or description column (named title-* or description-*, or PER_LANGUAGE
    # = True): it runs again on each other-language column and each differing follow-on title.
    per_language: bool = False
    prefilter: Callable | None = None  # the module's prefilter(table, options), if any
    check_table: Callable | None = None  # the module's check_table(table, options), if any

    @property
    def needs_images(self) -> bool:
        """The image probe must run first (the rule declares IMAGE_FACTS)."""
        return bool(self.image_facts)

    @property
    def doc(self) -> str:
        return (self.module.__doc__ or "").strip()

    @property
    def summary(self) -> str:
        """The first line of the docstring, after 'CODE name:'."""
        first = self.doc.splitlines()[0] if self.doc else ""
        return first.split(":", 1)[1].strip() if ":" in first else first


class CheckError(Exception):
    """A check module that does not follow the contract."""


def _modules_of(target: ModuleType) -> list[ModuleType]:
    if not hasattr(target, "__path__"):
        return [target]
    prefix = target.__name__ + "."
    return [importlib.import_module(prefix + info.name)
            for info in pkgutil.iter_modules(target.__path__) if not info.name.startswith("_")]


def _load_check(module: ModuleType) -> Check:
    code = getattr(module, "CODE", None)
    if not isinstance(code, str) or not CODE_RE.match(code):
        raise CheckError(f"{module.__name__}: CODE must look like 'AE101', not {code!r}")
    name = getattr(module, "NAME", "")
    if not NAME_RE.match(str(name)):
        raise CheckError(f"{module.__name__}: NAME must be kebab-case, not {name!r}")
    severity = getattr(module, "SEVERITY", None)
    if severity not in ("error", "warning", "info"):
        raise CheckError(f"{module.__name__}: SEVERITY must be error, warning or info")
    options = getattr(module, "Options", None)
    if not (isinstance(options, type) and issubclass(options, BaseModel)):
        raise CheckError(f"{module.__name__}: Options must be a pydantic model")
    per_product = hasattr(module, "check_product") or hasattr(module, "check_table")
    if not per_product and not hasattr(module, "check"):
        raise CheckError(f"{module.__name__}: defines neither check() nor check_product()")
    if hasattr(module, "prefilter") and not hasattr(module, "check_product"):
        raise CheckError(f"{module.__name__}: prefilter() narrows check_product(), which it does not define")
    per_language = per_product and bool(getattr(module, "PER_LANGUAGE", name.startswith(("title-", "description-"))))
    if hasattr(module, "NEEDS_IMAGES"):
        raise CheckError(f"{module.__name__}: NEEDS_IMAGES is replaced by IMAGE_FACTS (image field -> facts)")
    try:
        image_facts = image_facts_of(getattr(module, "IMAGE_FACTS", {}), module.__name__)
    except ValueError as error:
        raise CheckError(str(error)) from None
    return Check(code, name, severity, module, options, per_product, image_facts, bool(getattr(module, "RUNS_LAST", False)),
                 bool(getattr(module, "RUNS_WITHOUT_IMAGES", False)), per_language,
                 getattr(module, "prefilter", None), getattr(module, "check_table", None))


@lru_cache(maxsize=1)
def load_checks() -> tuple[Check, ...]:
    """All checks, sorted by code; duplicate codes or names are an error."""
    found: dict[str, Check] = {}
    names: dict[str, str] = {}
    for point in sorted(entry_points(group="aelint.checks"), key=lambda p: p.name):
        for module in _modules_of(point.load()):
            if not hasattr(module, "CODE"):
                continue
            check = _load_check(module)
            if check.code in found or check.name in names:
                raise CheckError(f"{module.__name__}: {check.code} {check.name} is defined twice")
            found[check.code] = check
            names[check.name] = check.code
    return tuple(sorted(found.values(), key=lambda c: c.code))


def find_check(code_or_name: str) -> Check | None:
    wanted = code_or_name.strip()
    for check in load_checks():
        if wanted.upper() == check.code or wanted.lower() == check.name:
            return check
    return None
