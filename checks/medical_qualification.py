"""AE403 medical-qualification: a medical device that needs qualification documents.

What it does:
    Looks for medical devices in the title and category (words from `medical_devices.toml`: clinical
    thermometers, pulse oximeters, hearing aids, medical masks and FFP2/KN95 respirators, blood pressure
    monitors, nebulizers, stethoscopes, TENS units, traction devices, wheelchairs, insulin pens and
    auto-injectors, diagnostic test strips and rapid tests, hospital devices...) and reports each product
    once, naming the device. Accessories and parts do not fire ("Oximeter Lanyard", "Hearing Aid Batteries",
    "Thermometer Case": see `_compliance.py`). Look-alikes that are not medical do not fire: a meat, room or
    aquarium thermometer, a sleep mask, a sheet face mask, a costume mask, snow traction cleats, pool or
    aquarium test strips, an insulin pen cooler.

    Judgement on the real dropshipping sheet: "Neck Shoulder Stretcher Relaxer Cervical Chiropractic
    Traction Device Pillow ... Remedial Pillows" fires. It calls itself a cervical traction device and its
    description promises to "relieve tension and pain"; a product presented for the treatment or alleviation
    of a condition is a medical device under the EU MDR (cervical traction appliances are class I) and sits in
    AliExpress's medical category. A plain "Memory Foam Neck Pillow" does not fire.

Why is this bad:
    AliExpress lists medical devices only with qualification documents (device registration, the CE
    certificate under the Medical Device Regulation for the EU); a listing without them is taken down and may
    cost penalty points as a restricted item (FAQ 65).

Example:
    "Fingertip Pulse Oximeter SpO2 Monitor" fires; "Digital Meat Thermometer for BBQ" does not.

Options:
    lists.medical_devices: extra term files in the format of `medical_devices.toml`.

Source: AliExpress medical device rules; seller FAQ 65 (restricted items); EU MDR 2017/745; EU IVDR 2017/746
(in vitro diagnostics).
"""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import BaseModel, ConfigDict

from aelint.checks._compliance import finder_for, finder_prefilter, find_in_product
from aelint.i18n import _
from aelint.model import Problem, Product

CODE = "AE403"
NAME = "medical-qualification"
SEVERITY = "warning"
LIST_NAME = "medical_devices"


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)  # validator built on first use
    extra_lists: list[str] = []


def check_product(product: Product, options: Options) -> Iterator[Problem]:
    found = find_in_product(product, finder_for(LIST_NAME, tuple(options.extra_lists), parts=True))
    if not found:
        return
    first = found[0]
    yield Problem(_('"{phrase}" is a medical device ({category}): AliExpress lists it only with qualification '
                    "documents (device registration, CE certificate under the EU MDR); attach them before "
                    "publishing").format(phrase=first.phrase, category=_(first.entry.category)),
                  product, cell=product.cell(first.field))


def prefilter(table, options: Options):
    """Only a title or category holding a term's first word can name a medical device."""
    return finder_prefilter(table, finder_for(LIST_NAME, tuple(options.extra_lists), parts=True))
