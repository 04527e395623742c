"""AE201 prohibited-item: the listing names an item AliExpress prohibits (drugs, weapons, vapes, perfume, tea...).

What it does:
    Looks for the terms of the `prohibited` pack (checks/prohibited.toml: drugs and paraphernalia,
    medicines, firearms and parts, ammunition, stun guns and tasers, brass knuckles, crossbows, pepper
    spray, explosives and fireworks, flammable chemicals, disposable e-cigarettes and e-liquids,
    eavesdropping and spy devices, perfumes, tea and food, plant seeds, protected wildlife, human remains,
    obscene media, toxic Chinese medicinal materials) in the title, the description's text and the variant
    attribute values. Words match whole, whatever their case, accents, plural, hyphens or spacing
    ("Stun-Gun", "stungun", "E Cig"), and through spelling evasions: digits and symbols for letters
    ("V@pe", "P3rfume", "Mar1juana") and near misspellings of words of 5+ letters ("Tazer", "Canabis").
    A match is dropped when a benign phrase of the same category overlaps it: "tea cup", "seed beads",
    "water pistol", "perfume tray", "weed killer". "Water gun", "dart board", "utility knife", "kitchen
    knife", "smoke detector" and the colour "gunmetal" contain no listed term at all.

    Judgement call, empty perfume atomizers: the ban is on perfume, a liquid that is also unfit for
    express delivery. An empty, refillable atomizer or perfume bottle is a container, so "perfume
    atomizer", "perfume bottle", "empty perfume ..." are benign phrases. A listing that also names the
    perfume itself ("Perfume Bottle with Eau de Parfum 50ml") still fires on "eau de parfum".

Why is this bad:
    AliExpress's ban and restriction rules forbid publishing these goods (the marijuana banned-word
    rectification, the disposable e-cigarette, eavesdropping device, seed, perfume, tea and food, toy
    crossbow, VR obscene media and toxic Chinese medicinal materials notices), and FAQ 65 counts
    "publication of prohibited articles" as a violation: penalty points, removed listings and, at 48
    points, a closed store. The platform's filters read spelling tricks too, and an evasion counts as
    intent.

Example:
    "Disposable V@pe Pen 5000 Puffs" fires: `prohibited item (e-cigarettes: Disposable V@pe (read as
    "disposable vape")) - AliExpress ban rules`. "Glass Tea Cup with Infuser" does not.

Options:
    [lists] prohibited = ["our-terms.toml"]: extra packs in the same `[[terms]]` format (term, category,
    source, optional benign and note) added to the built-in one.

Source: `001_bc6a38827181f044.txt` "AliExpress ban and restriction rules"; seller FAQ 65.
"""

from collections.abc import Iterator

from pydantic import BaseModel, ConfigDict, field_validator

from aelint.checks._listed_terms import product_problems, readable_lists
from aelint.i18n import N_
from aelint.model import Problem, Product

CODE = "AE201"
NAME = "prohibited-item"
SEVERITY = "error"
LIST_NAME = "prohibited"


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid")
    extra_lists: list[str] = []

    @field_validator("extra_lists")
    @classmethod
    def _loads(cls, value: list[str]) -> list[str]:
        return readable_lists(LIST_NAME, value)


def check_product(product: Product, options: Options) -> Iterator[Problem]:
    yield from product_problems(product, LIST_NAME, tuple(options.extra_lists), N_("prohibited item"))
