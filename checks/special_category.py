"""AE401 special-category: the listing is in a special category that needs approval before import.

What it does:
    Looks for the special categories of seller FAQ 31 in the title and the category (words from
    `special_categories.toml`, and whole category path segments such as "Food" or "Sexual Wellness" from
    `compliance_context.toml`) and reports each one that is not listed in `approved_special_categories`.
    The description is not read: it names what an item goes with ("keep away from food", "fits every
    electric scooter") far more often than what it is.

    Only the item itself counts, not what it goes with:
    - "Phone Holder for Xiaomi Electric Scooter", "Electric Scooter Phone Holder", "Scooter Battery":
      accessories and parts of a scooter, not a scooter ("for X" names the host; a holder, case, cover,
      cloth, charger, battery, tire... after the term makes it an accessory or a part).
    - "Contact Lens Case", "Lens Cleaning Cloth", "Contact Lens Tweezers": accessories, not lenses.
    - "DVD Player", "Car CD Player", "Blank CD-R Discs": devices and blank media, not recorded media.
    - "Vitamin C Face Serum", "Vitamin E Oil for Skin", "Vitamin C Shower Filter": a cosmetic and a bathroom
      fitting that contain a vitamin, not supplements.
    - "Green Tea Face Mask", "Coffee Bean Bracelet", "Food Storage Box": a cosmetic, jewellery and a
      container; bare "food", "tea", "coffee" or "honey" in a title are never enough (tea cups, coffee
      colour), only phrases that name the food ("green tea", "raw honey", "ground coffee") or a Food/Grocery
      category.
    - "Booster Seat for Dining Table": not a car seat (only car seat phrases count).
    - "Vibrator for Women Sex Toys" still fires: a buyer word after "for" does not make the rest an
      accessory.

Why is this bad:
    Seller FAQ 31 lists categories (DVDs, CDs or Blu-ray, child car seats, health monitors, electric
    scooters, self-balancing scooters, condoms, sex toys, contact lenses, women's contraceptives, vitamins
    and dietary supplements, fertility tests, food) that a seller must request under "Account" > "My Special
    Category" before importing products; FAQ 32-33 list the certificates needed. Products imported without
    the approval are rejected.

Example:
    "Multivitamin Gummies for Adults 60 Pcs" fires (vitamins and dietary supplements) unless
    approved_special_categories = ["vitamins and dietary supplements"]. "Contact Lens Case Travel Kit" does not.

Options:
    approved_special_categories (list of names, default []): the special categories the store has been
    granted. Names as in rules.md AE401, compared case-, accent-, plural- and punctuation-insensitively:
    "DVDs/CDs/Blu-ray" (also "DVD", "CD", "Blu-ray"), "child car seats", "health monitors", "electric
    scooters", "self-balancing scooters" (also "hoverboards"), "condoms", "sex toys" (also "adult toys",
    "sexual wellness"), "contact lenses", "female contraceptives" (also "women's contraceptives",
    "contraceptives"), "vitamins and dietary supplements" (also "vitamins", "supplements", "dietary
    supplements", "vitamins and supplements"), "fertility/pregnancy tests" (also "fertility tests",
    "pregnancy tests"), "food". Any other name is a configuration error.
    lists.special_categories: extra term files in the format of `special_categories.toml`.

Source: seller FAQ 31-33.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from pydantic import BaseModel, ConfigDict, field_validator

from aelint.checks._compliance import (context, finder_for, TermFinder, first_in_product,
                                      may_hold_phrases, segment_categories)
from aelint.i18n import _
from aelint.model import Problem, Product
from aelint.ruledata import RuleDataError, load_terms
from aelint.terms import term_key

CODE = "AE401"
NAME = "special-category"
SEVERITY = "error"
LIST_NAME = "special_categories"

# The special categories of rules.md AE401 and the other spellings accepted in approved_special_categories.
CATEGORIES: dict[str, tuple[str, ...]] = {
    "DVDs/CDs/Blu-ray": ("DVDs, CDs and Blu-ray", "DVDs, CDs or Blue-Rays", "DVD", "DVDs", "CD", "CDs",
                         "Blu-ray", "Blu-rays", "Blue-ray", "DVDs and CDs"),
    "child car seats": ("child car seat", "car seats", "child safety seats", "baby car seats"),
    "health monitors": (),
    "electric scooters": ("e-scooters",),
    "self-balancing scooters": ("self balancing scooters", "hoverboards"),
    "condoms": (),
    "sex toys": ("adult toys", "sexual wellness"),
    "contact lenses": (),
    "female contraceptives": ("women's contraceptives", "womens contraceptives", "contraceptives"),
    "vitamins and dietary supplements": ("vitamins", "supplements", "dietary supplements",
                                         "vitamins and supplements", "food supplements"),
    "fertility/pregnancy tests": ("fertility tests", "pregnancy tests", "fertility and pregnancy tests",
                                  "fertility tests and pregnancy tests"),
    "food": ("foods",),
}
_IGNORED = frozenset({"and", "or", "et", "y"})


def name_key(name: str) -> tuple[str, ...]:
    """'Vitamins & Dietary Supplements' -> ('vitamin', 'dietary', 'supplement')."""
    return tuple(k.replace("'", "").replace("’", "") for k in term_key(name) if k not in _IGNORED)


NAMES: dict[tuple[str, ...], str] = {name_key(alias): canonical
                                     for canonical, aliases in CATEGORIES.items()
                                     for alias in (canonical, *aliases)}


def canonical_category(name: str) -> str | None:
    """The rules.md name for a spelling of a special category, or None."""
    return NAMES.get(name_key(name))


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)  # validator built on first use
    approved_special_categories: list[str] = []
    extra_lists: list[str] = []

    @field_validator("approved_special_categories")
    @classmethod
    def _known_names(cls, value: list[str]) -> list[str]:
        for name in value:
            if canonical_category(name) is None:
                raise ValueError(_("unknown special category {name} (known: {known})").format(
                    name=repr(name), known=", ".join(CATEGORIES)))
        return value


@lru_cache(maxsize=16)
def _finder(extra_lists: tuple[str, ...]) -> TermFinder:
    entries = load_terms(LIST_NAME, extra_lists)
    for entry in entries:
        if entry.category not in CATEGORIES:
            raise RuleDataError(_("special category term {term}: unknown category {category} (known: {known})").format(
                term=repr(entry.term), category=repr(entry.category), known=", ".join(CATEGORIES)))
    return finder_for(LIST_NAME, extra_lists, parts=True)


@lru_cache(maxsize=64)
def _approved(names: tuple[str, ...]) -> frozenset[str]:
    return frozenset(canonical_category(n) for n in names)


def check_product(product: Product, options: Options) -> Iterator[Problem]:
    found = first_in_product(product, _finder(tuple(options.extra_lists)))
    reasons = {category: (f.field, f'"{f.phrase}"') for category, f in found.items()}
    for segment, category in segment_categories(CODE, product.get("category")):
        reasons.setdefault(category, ("category", _('category "{segment}"').format(segment=segment)))
    approved = _approved(tuple(options.approved_special_categories))
    missing = {c: r for c, r in reasons.items() if c not in approved}
    if not missing:
        return
    field = next(iter(missing.values()))[0]
    listed = ", ".join(f'"{c}" ({why})' for c, (_field, why) in missing.items())
    message = (_("special category {categories} needs approval before import: request it under Account > My Special "
                 "Category (FAQ 31), then list it in approved_special_categories") if len(missing) == 1 else
               _("special categories {categories} need approval before import: request it under Account > My Special "
                 "Category (FAQ 31), then list it in approved_special_categories"))
    yield Problem(message.format(categories=listed),
                  product, cell=product.cell(field))


def prefilter(table, options: Options):
    """Only a title or category holding a term of a category not approved, or a category path holding the
    first word of such a segment name (words of a segment may be dropped: "and"), can name one."""
    extra_lists = tuple(options.extra_lists)
    _finder(extra_lists)  # the pack's categories are checked
    approved = _approved(tuple(options.approved_special_categories))
    phrases = {term_key(e.term) for e in load_terms(LIST_NAME, extra_lists) if e.category not in approved}
    segments = {key[:1] for key, category in context().segments.get(CODE, {}).items() if category not in approved}
    return may_hold_phrases(table, "title", phrases) | may_hold_phrases(table, "category", phrases | segments)
