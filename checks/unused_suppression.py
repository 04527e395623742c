"""AE608 unused-suppression: an aelint_ignore cell names a rule that reported nothing on its row.

What it does:
    Looks at every row whose `aelint_ignore` cell says `aelint: ignore[AE108,AE102]` and reports each
    named code (or prefix) that suppressed no diagnostic there, among the rules that ran.

Why is this bad:
    A stale suppression hides nothing today but will silently hide a real problem when the row changes;
    keeping suppressions exact keeps the catalog's exceptions reviewable.

Example:
    A row with `aelint: ignore[AE101]` whose title is 40 characters long fires; the same cell on a row
    with a 140-character title does not (it suppresses that AE101).

Options:
    none.

Source: aelint's own suppression mechanism (the engine runs this rule after the others).
"""

from collections.abc import Iterator

from pydantic import BaseModel, ConfigDict

from aelint.i18n import _
from aelint.facts import whole
from aelint.model import Catalog, Cell, Problem, Product

CODE = "AE608"
NAME = "unused-suppression"
SEVERITY = "info"
RUNS_LAST = True


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)  # validator built on first use


class Collector:
    """Needs no product: the suppressions and which were used are the catalog's, complete at the end."""

    def __init__(self, catalog: Catalog, options: Options):
        self.catalog = catalog

    def add(self, products: list[Product]) -> Iterator[Problem]:
        return iter(())

    def finish(self) -> Iterator[Problem]:
        return _judge(self.catalog)


def check(catalog: Catalog, options: Options) -> Iterator[Problem]:
    return whole(Collector, catalog, options)


def _judge(catalog: Catalog) -> Iterator[Problem]:
    column = catalog.columns.get("suppress", "aelint_ignore")
    for row, codes in sorted(catalog.suppressions.items()):
        for code in codes:
            ran = any(ran_code.startswith(code) for ran_code in catalog.ran_codes if ran_code != CODE)
            if ran and (row, code) not in catalog.used_suppressions:
                yield Problem(_("suppression of {code} suppresses nothing on this row").format(code=code),
                              cell=Cell("aelint_ignore", code, row, column))
