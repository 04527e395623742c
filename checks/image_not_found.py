"""AE303 image-not-found: a referenced image file does not exist, or may not be read.

What it does:
    Reports every image reference (main, SKU and marketing images) whose local file does not exist, or
    that aelint refuses to open: a path that leaves the catalog's folder (or `image_root`) such as
    `../../etc/passwd` or an absolute path elsewhere, a symbolic link pointing outside it, a device
    file or a FIFO. The message gives the reason. A URL that is not an https address with a proper
    host name fires too; with `--fetch-images`, a URL that cannot be downloaded fires.

Why is this bad:
    An image that is not there cannot be uploaded: the listing is published without it, or the batch
    upload fails. Paths that point outside the catalog's folder are not read at all, so a catalog
    cannot make aelint read other files of the machine it runs on.

Example:
    `images/red-mug.jpg` when the folder holds `images/red_mug.jpg` fires ("no such file");
    `http://ae01.alicdn.com/kf/x.jpg` fires (AliExpress needs https).

Options:
    none (set `image_root` in aelint.toml when images live in another folder).

Source: catalog-format.md (image references); AliExpress accepts https image URLs.
"""

from collections.abc import Iterator

from pydantic import BaseModel, ConfigDict

from aelint.i18n import _
from aelint.images import HEADER, IMAGE_FIELDS, KIND_LABELS, image_uses, products_with_facts, shown
from aelint.model import Problem, Product

CODE = "AE303"
NAME = "image-not-found"
SEVERITY = "error"
IMAGE_FACTS = {name: (HEADER,) for name in IMAGE_FIELDS}


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)  # validator built on first use


def prefilter(table, options: Options):
    """The products with a reference found missing (none in a catalog of links that are not fetched)."""
    return products_with_facts(table, IMAGE_FIELDS, lambda facts: facts.status == "missing")


def check_product(product: Product, options: Options) -> Iterator[Problem]:
    facts_of = product.catalog.images
    for kind, cell, sku in image_uses(product):
        facts = facts_of.get(cell.value)
        if facts is not None and facts.status == "missing":
            yield Problem(_("{kind} {image} not found: {reason}").format(
                          kind=_(KIND_LABELS[kind]), image=shown(cell.value), reason=facts.reason.text()), product,
                          sku=sku, cell=cell)
