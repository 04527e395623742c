"""Settings: `aelint.toml` or `pyproject.toml [tool.aelint]`, found from the catalog upwards or given.

Everything is validated with pydantic: an unknown key, a wrong type or an unknown rule code is a
`ConfigError` naming the key and the file, which the CLI reports with exit code 2.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import tomli
from pydantic import AliasChoices, BaseModel, ConfigDict, Field, ValidationError, field_validator

from aelint.headers import valid_target
from aelint.i18n import LANGUAGES, _
from aelint.language import LANGUAGE_NAMES
from aelint.profiles import DEFAULT, Profile, all_profiles, marketplace_keys, profile
from aelint.registry import Check, load_checks

Severity = Literal["error", "warning", "info"]


class ConfigError(Exception):
    """Settings aelint cannot use; the message names the file and key."""


class Settings(BaseModel):
    """The keys of aelint.toml (see the README's configuration reference)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    marketplace: str | None = None  # "aliexpress" or "wish"; None: from the file's layout, else aliexpress
    language: str = "en"
    lang: str | None = None  # aelint's own language (messages, rule docs): one of i18n.LANGUAGES
    markets: list[str] = []
    authorized_brands: list[str] = []
    approved_special_categories: list[str] = []
    select: list[str] = ["AE"]
    extend_select: list[str] = Field([], validation_alias=AliasChoices("extend-select", "extend_select"))
    ignore: list[str] = []
    exclude: list[str] = []  # globs of files and folders not to lint, relative to this file (ruff's `exclude`)
    fail_on: Severity = Field("error", validation_alias=AliasChoices("fail-on", "fail_on"))
    image_root: str | None = None
    eu_responsible_person: str | None = None
    epr: dict[str, str] = {}  # EPR stream (packaging, eee, batteries, ...) -> registration number
    severity: dict[str, Severity] = {}
    columns: dict[str, str] = {}
    thresholds: dict[str, int | float] = {}
    lists: dict[str, list[str]] = {}

    @field_validator("language")
    @classmethod
    def _known_language(cls, value: str) -> str:
        code = value.strip().lower()
        if code not in LANGUAGE_NAMES:
            raise ValueError(_("unknown language {value}; use a code such as {codes}").format(
                value=repr(value), codes=", ".join(sorted(LANGUAGE_NAMES))))
        return code

    @field_validator("lang")
    @classmethod
    def _known_lang(cls, value: str | None) -> str | None:
        if value is not None and value not in LANGUAGES:
            raise ValueError(_("unknown language {value}; use a code such as {codes}").format(
                value=repr(value), codes=", ".join(LANGUAGES)))
        return value

    @field_validator("marketplace")
    @classmethod
    def _known_marketplace(cls, value: str | None) -> str | None:
        if value is None:
            return None
        key = value.strip().lower()
        if key not in marketplace_keys():
            raise ValueError(_("unknown marketplace {value}; use {keys}").format(
                value=repr(value), keys=_(" or ").join(repr(k) for k in marketplace_keys())))
        return key

    @field_validator("markets")
    @classmethod
    def _market_codes(cls, value: list[str]) -> list[str]:
        codes = [m.strip().upper() for m in value]
        for code in codes:
            if len(code) != 2 or not code.isalpha():
                raise ValueError(_("unknown market {code}; use 'EU' or two-letter country codes such as 'FR'").format(
                    code=repr(code)))
        return codes


@dataclass
class Config:
    """Validated settings plus where they came from (relative paths in them resolve against `base`)."""

    settings: Settings = field(default_factory=Settings)
    path: Path | None = None

    @property
    def base(self) -> Path:
        return self.path.parent if self.path else Path.cwd()

    @property
    def where(self) -> str:
        return str(self.path) if self.path else _("the command line")

    def list_files(self, name: str) -> list[Path]:
        """The user's extra rule data files for list `name`, resolved against the config's folder."""
        return [(self.base / p).resolve() for p in self.settings.lists.get(name, [])]

    def image_root(self, catalog_path: Path) -> Path:
        """The folder image paths are resolved against and may not leave."""
        if self.settings.image_root:
            return (self.base / self.settings.image_root).resolve()
        return catalog_path.resolve().parent

    def options_for(self, check: Check, market: Profile | None = None) -> BaseModel:
        """The check's Options: the marketplace profile's parameters and packs, then the user's thresholds
        and top-level settings whose names it declares."""
        market = market or profile(DEFAULT)
        values: dict[str, Any] = {}
        top = self.settings.model_dump()
        list_name = getattr(check.module, "LIST_NAME", None)
        for name in check.options_model.model_fields:
            if name == "marketplace_name":
                values[name] = market.name
            elif name == "packs" and list_name in market.lists:
                values[name] = market.lists[list_name]
            elif name in market.parameters:
                values[name] = market.parameters[name]
            if name in self.settings.thresholds:
                values[name] = self.settings.thresholds[name]
            elif name in top and name not in ("thresholds", "lists", "marketplace"):
                values[name] = top[name]
            elif name == "extra_lists":
                values[name] = [str(p) for p in self.list_files(check.module.LIST_NAME)]
        try:
            return check.options_model(**values)
        except ValidationError as error:
            problem = error.errors()[0]
            key = ".".join(str(p) for p in problem["loc"])
            raise ConfigError(f"{self.where}: {key}: {problem['msg']}") from None


def rule_matches(prefix: str, checks: tuple[Check, ...]) -> bool:
    return bool(prefix) and any(c.code.startswith(prefix) for c in checks)


def unknown_code(value: str, checks: tuple[Check, ...]) -> str:
    """"unknown rule code 'AE1O1'; did you mean 'AE101' (title-too-long)?" (rule names point to their code)."""
    from rapidfuzz import fuzz, process

    by_text = {c.code: c for c in checks} | {c.name: c for c in checks}
    found = by_text.get(value.strip().lower()) or process.extractOne(
        value.strip().upper(), list(by_text), processor=str.upper, scorer=fuzz.ratio, score_cutoff=75)
    if found is None:
        return _("unknown rule code {value}; `aelint rules` lists them").format(value=repr(value))
    check = found if isinstance(found, Check) else by_text[found[0]]
    return _("unknown rule code {value}; did you mean {code} ({name})?").format(
        value=repr(value), code=repr(check.code), name=check.name)


def validate(config: Config) -> Config:
    """Check what pydantic cannot: rule codes, threshold names, column targets, list names."""
    checks = load_checks()
    s = config.settings
    for key in ("select", "extend_select", "ignore"):
        for prefix in getattr(s, key):
            if not rule_matches(prefix.upper(), checks):
                raise ConfigError(_("{where}: {key}: {problem}").format(
                    where=config.where, key=key.replace("_", "-"), problem=unknown_code(prefix, checks)))
    for code in s.severity:
        if code.upper() not in {c.code for c in checks}:
            raise ConfigError(_("{where}: severity.{code}: unknown rule code").format(where=config.where, code=code))
    known_thresholds = {name for c in checks for name in c.options_model.model_fields}
    for name in s.thresholds:
        if name not in known_thresholds:
            raise ConfigError(_("{where}: thresholds.{name}: unknown threshold (known: {known})").format(
                where=config.where, name=name, known=", ".join(sorted(known_thresholds & _numeric(checks)))))
    for header, target in s.columns.items():
        if not valid_target(target):
            raise ConfigError(_("{where}: columns.{header}: unknown field {field}").format(
                where=config.where, header=repr(header), field=repr(target)))
    list_names = {getattr(c.module, "LIST_NAME", None) for c in checks} - {None}
    for name in s.lists:
        if name not in list_names:
            raise ConfigError(_("{where}: lists.{name}: unknown list (known: {known})").format(
                where=config.where, name=name, known=", ".join(sorted(list_names))))
        for path in config.list_files(name):
            if not path.is_file():
                raise ConfigError(_("{where}: lists.{name}: no such file {path}").format(
                    where=config.where, name=name, path=path))
    for check in checks:
        if _given_values(check, s):
            for market in all_profiles().values():
                config.options_for(check, market)
    return config


def _given_values(check: Check, settings: Settings) -> bool:
    """Whether the settings give the rule's Options a value of their own: a threshold, a key the user set, an
    extra list. A built-in rule's Options are otherwise its defaults and the profiles' values, which the tests
    validate on every marketplace (tests/test_profiles.py), so they are built when the rule runs (its Options'
    validator with them: most runs select only some rules). A plug-in rule's are always validated here."""
    fields = check.options_model.model_fields
    given = settings.model_fields_set | settings.thresholds.keys()
    return (not check.module.__name__.startswith("aelint.checks.") or not given.isdisjoint(fields)
            or ("extra_lists" in fields and getattr(check.module, "LIST_NAME", None) in settings.lists))


def _numeric(checks: tuple[Check, ...]) -> set[str]:
    return {name for c in checks for name, f in c.options_model.model_fields.items()
            if f.annotation in (int, float)}


def parse(path: Path, overrides: dict[str, Any] | None = None) -> Config:
    """Read and validate one settings file (`[tool.aelint]` in a pyproject.toml)."""
    try:
        data = tomli.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ConfigError(_("{path}: cannot read: {reason}").format(path=path, reason=error.strerror or error)) from None
    except (tomli.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(_("{path}: not valid TOML: {reason}").format(path=path, reason=error)) from None
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("aelint", {})
    return from_data(data, path, overrides)


def from_data(data: dict[str, Any], path: Path | None, overrides: dict[str, Any] | None = None) -> Config:
    where = str(path) if path else _("settings")
    try:
        settings = Settings.model_validate({**data, **(overrides or {})})
    except ValidationError as error:
        problem = error.errors()[0]
        key = ".".join(str(p) for p in problem["loc"])
        message = _("unknown key") if problem["type"] == "extra_forbidden" else problem["msg"].removeprefix("Value error, ")
        raise ConfigError(f"{where}: {key}: {message}") from None
    return validate(Config(settings, path))


def lang_setting(path: Path | None) -> str | None:
    """The `lang` key of a settings file, read before the file is validated (so its errors are translated)."""
    if path is None:
        return None
    try:
        data = tomli.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomli.TOMLDecodeError, UnicodeDecodeError):
        return None
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("aelint", {})
    lang = data.get("lang") if isinstance(data, dict) else None
    return lang if lang in LANGUAGES else None


def find_config_file(folder: Path) -> Path | None:
    """The nearest aelint.toml, or pyproject.toml with a [tool.aelint] table, from `folder` upwards
    (looked up afresh: an engine remembers the answer for the run, nothing remembers it across runs)."""
    for directory in (folder, *folder.parents):
        candidate = directory / "aelint.toml"
        if candidate.is_file():
            return candidate
        candidate = directory / "pyproject.toml"
        if candidate.is_file():
            try:
                if "aelint" in tomli.loads(candidate.read_text(encoding="utf-8")).get("tool", {}):
                    return candidate
            except (OSError, tomli.TOMLDecodeError, UnicodeDecodeError):
                continue
    return None
