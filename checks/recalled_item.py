"""AE202 recalled-item: the listing names goods of an AliExpress recall notice (magnetic balls, lawn darts...).

What it does:
    Looks for the terms of the `recalled` pack (checks/recalled.toml) in the title, the description's
    text and the variant attribute values, matched like AE201 (whole words; case, accents, plurals,
    hyphens, spacing, digit/symbol evasions and near misspellings): strong magnetic balls and cubes
    ("magnetic balls", "magnet ball", "buckyballs", "neocube") and other toys with small, strong, loose
    magnets (magnet chess games and their magnetic stones, magnetic stick figures and sticks, magnet fidget
    spinners, fidget magnetic rings, magnetic putty), lawn and grass darts, blood glucose meters
    and test strips, radio switches, cosmetics with the banned ingredients behind the cosmetics recalls
    (mercury, hydroquinone, clobetasol) and wet tissues with banned methylisothiazolinone. Benign phrases
    clear overlapping matches and host nouns the term before them: a "magnetic ball head" phone mount, a golf
    "magnetic ball marker", a "Magnetic Ring Holder" for a phone or a "Glucose Meter Case" is not the recalled
    item; "dart board", magnetic tiles and a folding magnetic travel chess set name no recalled term.

    Judgement calls: the notice's "electrical appliances" and the broad classes "inferior cosmetics" and
    "poor-quality wet tissues" are not listed as such, because flagging every cosmetic or pack of wipes
    would bury real hits; only the ingredients the recalls were about are. Magnetic balls are prohibited
    at 31.7 mm or less; a listing with larger balls still fires, to be confirmed and suppressed by the
    seller (sizes in titles are too often missing or ambiguous to decide automatically).

Why is this bad:
    AliExpress's "summary of notices of recalling illegal goods" forbids selling goods recalled by
    quality inspection authorities (Health Canada, the EU, MERCOSUR, New Zealand...); listing a recalled
    product costs 2 penalty points and the listing is removed.

Example:
    "Fidget Magnet Ball Toy 5mm Neodymium Set" fires: `recalled item (strong magnetic balls and cubes:
    Magnet Ball) - AliExpress recall notices`. "Magnetic Ball Head Car Phone Mount" does not.

Options:
    [lists] recalled = ["our-recalls.toml"]: extra packs in the `[[terms]]` format added to the built-in one.

Source: `001_bc6a38827181f044.txt` "Summary of notices of recalling illegal goods"; "AliExpress ban and
restriction rules" (rectification notice of powerful magnetic ball toys); US CPSC magnet standard 16 CFR 1262.
"""

from collections.abc import Iterator

from pydantic import BaseModel, ConfigDict, field_validator

from aelint.checks._listed_terms import product_problems, readable_lists, table_problems
from aelint.i18n import N_
from aelint.model import Problem, Product

CODE = "AE202"
NAME = "recalled-item"
SEVERITY = "error"
LIST_NAME = "recalled"


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)  # validator built on first use
    extra_lists: list[str] = []

    @field_validator("extra_lists")
    @classmethod
    def _loads(cls, value: list[str]) -> list[str]:
        return readable_lists(LIST_NAME, value)


def check_product(product: Product, options: Options) -> Iterator[Problem]:
    yield from product_problems(product, LIST_NAME, tuple(options.extra_lists), N_("recalled item"))


def check_table(table, options: Options) -> list[Problem]:
    """check_product's findings: only products with a word read as a trigger word of the pack (or with text
    beyond ASCII) can match, and most of those are judged from the columns (`table_problems`)."""
    return table_problems(table, LIST_NAME, tuple(options.extra_lists), N_("recalled item"))
