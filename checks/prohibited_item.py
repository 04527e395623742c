"""AE201 prohibited-item: the listing names an item the marketplace prohibits (drugs, weapons, vapes; perfume, tea on AliExpress; helmets, gift cards on Wish).

What it does:
    Looks for the terms of the `prohibited` pack (checks/prohibited.toml: drugs and paraphernalia,
    medicines, firearms and parts, ammunition, stun guns and tasers, brass knuckles, crossbows, pepper
    spray, explosives and fireworks, flammable chemicals, disposable e-cigarettes and e-liquids,
    eavesdropping and spy devices, perfumes, tea and food, plant seeds, protected wildlife, human remains,
    obscene media, toxic Chinese medicinal materials) in the title, the description's text and the variant
    attribute values. Words match whole, whatever their case, accents, plural, hyphens or spacing
    ("Stun-Gun", "stungun", "E Cig"), and through spelling evasions: digits and symbols for letters
    ("V@pe", "P3rfume", "Mar1juana") and near misspellings of words of 5+ letters ("Tazer", "Canabis").
    Medicines are also found by dosage form ("oral suspension", "eye drops", "nasal spray", "ointment",
    "for injection"; tablets, capsules and pills only with a dose in mg/mcg or a USP mark, and not in a text
    about vitamins or supplements, which are AE401's) and by the naming stems of generic names ("-sartan",
    "-tidine", "-formin", "-afil": losartan, ranitidine, metformin, sildenafil); "male enhancement" pills too.
    A match is dropped when a benign phrase of the same category overlaps it ("tea cup", "seed beads", "water
    pistol"), when a look-alike of any category does ("black powder coated", "Cooktop Fire Suppressor"), when
    the next word is a host noun (what a tool or appliance works on: "Coffee Bean Roaster", "Portable Butane
    Gas Stove", "Weed Killer", "Eye Drop Dispenser"), and when the entry's `unless` word is in the text ("Ammo
    Tabs Desiccant"). "Water gun", "glue gun", "gun metal grey", "bullet journal", "dart board", "smoke
    detector", "Vitamin Tablet Holder", "Pill Organizer" and "Tablet Stand" name no listed term at all.

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

    On Wish the marketplace profile swaps the list: Wish's own pack (checks/wish_prohibited.toml: seeds,
    contact lenses, helmets, child car seats, virtual goods and gift cards, live animals, silencers,
    hate symbols) plus the categories of the pack above that Wish's policy names too (drugs and
    paraphernalia, firearms and weapons, e-cigarettes, plant seeds, obscene media); perfume, tea, spy
    devices and the rest are AliExpress's bans only.

Options:
    [lists] prohibited = ["our-terms.toml"]: extra packs in the same `[[terms]]` format (term, category,
    source, optional benign, needs, unless and note; a term "*ending" stands for the words ending so) added
    to the built-in one, and optional top-level `lookalikes` and `hosts` lists.
    packs: which built-in packs and categories apply, set by the marketplace profile.

Source: `001_bc6a38827181f044.txt` "AliExpress ban and restriction rules"; seller FAQ 65; Wish prohibited
products policy (layouts.md "Wish listing rules"; Wish Merchant Criteria: virtual goods, gift cards).
"""

from collections.abc import Iterator

from pydantic import BaseModel, ConfigDict, field_validator

from aelint.checks._listed_terms import product_problems, readable_lists, table_problems
from aelint.i18n import N_
from aelint.model import Problem, Product
from aelint.profiles import PackChoice

CODE = "AE201"
NAME = "prohibited-item"
SEVERITY = "error"
LIST_NAME = "prohibited"


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)  # validator built on first use
    extra_lists: list[str] = []
    packs: PackChoice = PackChoice(packs=(LIST_NAME,))

    @field_validator("extra_lists")
    @classmethod
    def _loads(cls, value: list[str]) -> list[str]:
        return readable_lists(LIST_NAME, value)


def check_product(product: Product, options: Options) -> Iterator[Problem]:
    yield from product_problems(product, options.packs, tuple(options.extra_lists), N_("prohibited item"))


def check_table(table, options: Options) -> list[Problem]:
    """check_product's findings: only products with a word read as a trigger word of the pack (or with text
    beyond ASCII) can match, and most of those are judged from the columns (`table_problems`)."""
    return table_problems(table, options.packs, tuple(options.extra_lists), N_("prohibited item"))
