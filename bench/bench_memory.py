"""Peak memory and CPU of `Engine.lint` on one catalog, and a digest of its findings (issue 16: 1M rows < 1.5 GB).

    bench/bench_memory.py PATH [--stream] [--images] [--samples FILE]

Runs in this process: CPU seconds (user + system), peak RSS (ru_maxrss), wall seconds, the number of
diagnostics and the SHA-256 of their JSON (each diagnostic as the JSON report writes it, hashed, the hashes sorted), so
a change to the engine's diagnostics path can show it keeps every finding. `--stream` hands diagnostics to a
JSON writer as the command line does (`--format json`, to /dev/null) instead of keeping them in the report.
`--samples FILE` writes RSS every half second (seconds, MB) to see where the peak falls.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import resource
import threading
import time
from pathlib import Path


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 1e6


def line_digests(diagnostics) -> list[bytes]:
    """Each diagnostic as the JSON report writes it, hashed."""
    from aelint.reporters import _json_diagnostics

    return [hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()
            for text in _json_diagnostics(diagnostics)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--stream", action="store_true", help="hand diagnostics to a JSON writer as they come")
    parser.add_argument("--images", action="store_true", help="probe images (default: --no-images)")
    parser.add_argument("--samples", type=Path, help="write RSS samples (seconds, MB) to this file")
    args = parser.parse_args()

    from aelint.engine import Engine, RunOptions
    from aelint.reporters import JsonWriter

    start = time.perf_counter()
    samples: list[tuple[float, float]] = []
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.5):
            samples.append((time.perf_counter() - start, rss_mb()))

    if args.samples:
        threading.Thread(target=sample, daemon=True).start()
    engine = Engine(RunOptions(images=args.images, cache=False))
    if args.stream:
        digests: list[bytes] = []  # small, so that keeping them hardly moves the peak
        writer = JsonWriter(io.StringIO())

        def on_diagnostics(diagnostics) -> None:
            writer.write(diagnostics)
            writer.out = io.StringIO()  # written, then dropped: the report goes to /dev/null
            digests.extend(line_digests(diagnostics))

        report = engine.lint([args.path], on_diagnostics)
    else:
        report = engine.lint([args.path])
    seconds = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_SELF)
    done.set()
    assert not report.failures, report.failures
    if not args.stream:
        digests = line_digests(report.diagnostics)
    count, digest = len(digests), hashlib.sha256()
    for line in sorted(digests):
        digest.update(line)
    print(f"{args.path.name}: {count} diagnostics, sha256 {digest.hexdigest()[:16]}, "
          f"cpu {usage.ru_utime + usage.ru_stime:.2f} s, wall {seconds:.2f} s, "
          f"peak RSS {usage.ru_maxrss / 1024:.0f} MiB")
    if args.samples:
        args.samples.write_text("".join(f"{t:.1f} {m:.0f}\n" for t, m in samples))


if __name__ == "__main__":
    main()
