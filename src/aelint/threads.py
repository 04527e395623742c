"""Work done beside the main thread, on the second core that a large catalog's read and rules leave idle.

The rules and the reader spend much of a large catalog's time in polars, numpy and python-calamine, which let
go of the GIL while they work: a second thread gains when its work and the main thread's do so at different
moments. `beside` starts such work where the process may run on two cores; its result is asked for where it
is needed, so the findings are the same whichever thread made them.
"""

from __future__ import annotations

import contextvars
import os
import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def beside(work: Callable[[], T], name: str) -> Callable[[], T]:
    """Start `work` on a thread of its own (named `name`), in a copy of the caller's context (the report's
    language: aelint.i18n), when this process may run on two cores. The function returned waits for it and
    gives its result, or raises what it raised, once. On one core `work` runs in the caller's thread, when its
    result is asked for."""
    if cores() < 2:
        return work
    context = contextvars.copy_context()
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["result"] = context.run(work)
        except BaseException as error:  # handed to the caller, which raises it
            outcome["error"] = error

    thread = threading.Thread(target=run, name=name, daemon=True)
    thread.start()

    def result() -> T:
        thread.join()
        if "error" in outcome:
            raise outcome.pop("error")  # type: ignore[misc]
        return outcome.pop("result")  # type: ignore[return-value]  (not kept here once handed over)

    return result
