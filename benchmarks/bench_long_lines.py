"""Benchmark: hostile long lines are refused in linear time (run on demand, not in CI).

    python3 benchmarks/bench_long_lines.py [--megabytes 50] [--folder DIR]

Writes files holding one line of ``--megabytes`` MB (issue 8, defect 3; issue
14, defect 5): a header without a newline, a garbage line inside a good file,
a valid-looking but over-long last line. For each it prints how long
``workbench.validate`` and ``workbench.load`` take to refuse it, and the ratio to
reading the same file once (``bytes.count`` over it: the least any reader must
do), measured in the same run. A reader that is linear in the line's length
keeps the ratio small whatever the size; before the limits it took minutes.
Times are medians of 3 runs (wall and CPU seconds).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import workbench
from workbench.errors import FormulationFileError


def timed(action: Callable[[], object]) -> tuple[float, float]:
    """Run ``action()``; return (wall seconds, CPU seconds of this process)."""
    w, c = time.perf_counter(), time.process_time()
    action()
    return time.perf_counter() - w, time.process_time() - c


def refuse(action: Callable[[Path], object], path: Path) -> str:
    """Run ``action(path)`` and return its one-line refusal (the benchmark fails if it accepts the file)."""
    try:
        action(path)
    except FormulationFileError as exc:
        return str(exc)
    raise SystemExit(f"{path.name} was accepted: the limits are not in force")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=int, default=50)
    parser.add_argument("--folder", default=None, help="where to write the files (default: a temp folder)")
    args = parser.parse_args(argv)
    if args.folder is not None and not Path(args.folder).is_dir():
        print(f"error: the folder {args.folder} does not exist.")
        return 1
    folder = Path(args.folder or tempfile.mkdtemp(prefix="bench-long-lines-"))
    try:
        run(folder, args.megabytes << 20)
    finally:
        if args.folder is None:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


def run(folder: Path, size: int) -> None:
    good = folder / "good.formulation.json"
    f = workbench.new(case_id="BENCH-LONG")
    f.add_element("defense", "Denial")
    workbench.save(f, good, message="One", author="Bench")
    f.add_element("defense", "Projection")
    workbench.save(f, good, message="Two", author="Bench")
    head = good.read_bytes()
    header, first, rest = head.split(b"\n", 2)
    files = {
        "header without newline": b'{"format":"' + b"x" * size,
        "garbage line inside": header + b"\n" + first + b"\n" + b"y" * size + b"\n" + rest,
        "over-long last line": head + b'{"check":"' + b"z" * size + b"}\n",
    }
    print(f"Refusing one line of {size >> 20} MB (median of 3; seconds)")
    print(f"  {'file':<24} {'action':<9} {'wall':>7} {'cpu':>7}   ratio to one read of the file (wall, cpu)")
    for name, data in files.items():
        path = folder / f"{name.replace(' ', '-')}.formulation.json"
        path.write_bytes(data)
        base = [timed(lambda path=path: path.read_bytes().count(b"\n")) for _ in range(3)]
        base_wall, base_cpu = (statistics.median(b[i] for b in base) for i in (0, 1))
        for label, action in (("validate", workbench.validate), ("load", workbench.load)):
            message = refuse(action, path)
            runs = [timed(lambda action=action, path=path: refuse(action, path)) for _ in range(3)]
            wall, cpu = (statistics.median(r[i] for r in runs) for i in (0, 1))
            print(
                f"  {name:<24} {label:<9} {wall:7.3f} {cpu:7.3f}   "
                f"{wall / base_wall:6.1f} {cpu / max(base_cpu, 1e-6):6.1f}"
            )
        print(f"    -> {message[len(str(path)):][:110]}")


if __name__ == "__main__":
    raise SystemExit(main())
