"""Pausing Python's cyclic garbage collector around work that allocates and keeps millions of objects.

Reading a 100k-row catalog and running the checks over it create millions of long-lived objects and
almost no garbage; the collector would rescan them again and again (a third of reading time, an eighth
of check time, measured with bench/run). What was built is frozen afterwards so later collections skip it.
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
        gc.freeze()
        if was_enabled:
            gc.enable()
