"""Pausing Python's cyclic garbage collector around work that allocates and keeps millions of objects.

Reading a 100k-row catalog and running the checks over it create millions of long-lived objects and
almost no garbage; the collector would rescan them again and again (a 100k-row lint takes about 1.3x
the CPU time with the collector running throughout). It is switched off for the work and on again after
it, so the catalog is freed as soon as nothing uses it (objects are never frozen: `gc.freeze()` would
keep every catalog of a long run, or of a library caller, alive for good).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
