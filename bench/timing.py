"""CPU time of a call, repeated: what the in-process bench scripts measure (they import it as `timing`)."""

from __future__ import annotations

import time
from collections.abc import Callable


def cpu_times(action: Callable[[], object], runs: int) -> list[float]:
    """CPU seconds (this process's user + system) of each of `runs` calls of `action`."""
    times = []
    for _ in range(runs):
        start = time.process_time()
        action()
        times.append(time.process_time() - start)
    return times
