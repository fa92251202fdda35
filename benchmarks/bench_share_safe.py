"""Benchmark: scanning hostile text for identifying details against plain text of the same length.

Run on demand (not part of the test suite)::

    python3 benchmarks/bench_share_safe.py [--repeats 5] [--scale 1.0]

The hostile text is what makes naive patterns backtrack: markup with event handlers, a long
run of digits and spaces, hyphen chains and a run of ``@`` (about 170,000 characters at scale
1). The plain text is ordinary clinical prose of the same length. It prints the median wall and
CPU time of :func:`workbench.export.share_safe.scan_text` on each, and their ratio (goal <= 3:
hostile input costs no more than a few times ordinary input, i.e. no catastrophic backtracking).
The suite's test checks only that the scan finishes with true positions
(tests/test_export_share_safe.py); how fast belongs here.
"""

from __future__ import annotations

import argparse
import statistics
import time

from workbench.export.share_safe import scan_text

PROSE = "She felt that nobody at work noticed how much she carried for the team, and said so quietly. "


def hostile(scale: float) -> str:
    """The hostile text of the test, ``scale`` times as long."""
    k = max(1, int(4000 * scale))
    markup, digits, hyphens = "<b onmouseover=alert(1)>A a " * k, "1 " * (5 * k), "Aa-" * (k + k // 4)
    return markup + digits + hyphens + "@" * (k + k // 4)


def timed(text: str) -> tuple[float, float]:
    """Scan ``text`` once; return (wall seconds, CPU seconds)."""
    w, c = time.perf_counter(), time.process_time()
    scan_text(text)
    return time.perf_counter() - w, time.process_time() - c


def main(argv: list[str] | None = None) -> int:
    """Measure and print; return 0."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--scale", type=float, default=1.0,
                        help="length of the texts (1.0: about 170,000 characters)")
    args = parser.parse_args(argv)
    bad = hostile(args.scale)
    plain = (PROSE * (len(bad) // len(PROSE) + 1))[: len(bad)]
    runs: dict[str, list[tuple[float, float]]] = {"hostile": [], "plain": []}
    for _ in range(max(1, args.repeats)):  # interleaved, so that machine load hits both alike
        runs["hostile"].append(timed(bad))
        runs["plain"].append(timed(plain))

    def med(name: str, which: int) -> float:
        return statistics.median(r[which] for r in runs[name])

    print(f"scan_text on {len(bad):,} characters, median of {max(1, args.repeats)} (ms)   wall      cpu")
    for name in ("hostile", "plain"):
        print(f"  {name:<44} {med(name, 0) * 1000:8.1f} {med(name, 1) * 1000:8.1f}")
    print(f"  {'hostile / plain (goal <= 3)':<44} {med('hostile', 0) / med('plain', 0):8.2f} "
          f"{med('hostile', 1) / max(med('plain', 1), 1e-9):8.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
