"""``workbench log`` on a long history, this checkout against a baseline checkout, in the same run.

    python3 benchmarks/bench_history.py --source DIR [--versions 10000] [--rounds 5] [--cache DIR]

``history()`` returns revision records (and ``log`` reads them); this checks that it
did not get slower. Each round runs ``workbench log`` and ``workbench log --json``
once from each checkout (``--source DIR`` is the baseline: a folder holding its
``workbench/``, e.g. ``git worktree add /tmp/base main``), alternating, so that the
machine's load hits both alike. It prints the median wall and CPU seconds (user +
system, from ``os.wait4``) of each and the ratio this/baseline; the output of both
must be the same. The file is the 50-element, ``--versions``-version file of
``bench_scale.py``, built once into its cache folder. Then ``history()`` and its table
(``to_frame()``) in one process each, best CPU seconds of five calls, and whether the two
tables are the same.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench_scale import versions_file

HERE = Path(__file__).resolve().parents[1]
RUN_CLI = "import sys; from workbench.cli import main; sys.exit(main(sys.argv[1:]))"
#: In a child: the best CPU seconds of ``history()`` and of the table (``to_frame()`` where
#: history returns records), of five calls each, and a digest of the table.
IN_PROCESS = """
import hashlib, json, sys, time, workbench
path = sys.argv[1]
def best(fn):
    times = []
    for _ in range(5):
        started = time.process_time()
        fn()
        times.append(time.process_time() - started)
    return min(times)
def table():
    found = workbench.history(path)
    return found.to_frame() if hasattr(found, "to_frame") else found
digest = hashlib.sha256(table().to_csv().encode()).hexdigest()
print(json.dumps([best(lambda: workbench.history(path)), best(table), digest]))
"""


def timed(argv: list[str], source: Path) -> tuple[float, float, bytes]:
    """Run ``workbench argv`` from ``source``; return its wall and CPU seconds and its output."""
    env = {**os.environ, "PYTHONPATH": str(source)}
    before = os.times()
    started = time.perf_counter()
    cmd = [sys.executable, "-c", RUN_CLI, *argv]
    child = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, check=False)
    wall = time.perf_counter() - started
    after = os.times()  # the child's user + system time, counted once it has been waited for
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    if child.returncode:
        raise SystemExit(f"workbench {' '.join(argv)} from {source} failed (exit {child.returncode}).")
    return wall, cpu, child.stdout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", required=True, help="the baseline checkout (a folder holding workbench/)")
    parser.add_argument("--versions", type=int, default=10000, help="versions in the file (default: 10000)")
    parser.add_argument("--rounds", type=int, default=5, help="runs of each command from each checkout")
    parser.add_argument("--cache", default=None, help="folder for the generated file (kept between runs)")
    args = parser.parse_args(argv)
    baseline = Path(args.source).resolve()
    if not (baseline / "workbench" / "__init__.py").is_file():
        print(f"error: {baseline} holds no workbench/ to compare with.", file=sys.stderr)
        return 2
    default_cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "workbench-bench-scale"
    cache = Path(args.cache) if args.cache else default_cache
    cache.mkdir(parents=True, exist_ok=True)
    path = versions_file(cache, args.versions)
    print(f"{path} ({args.versions} versions); load: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    sources = {"baseline": baseline, "this": HERE}
    for command in (["log", str(path)], ["log", "--json", str(path)]):
        walls: dict[str, list[float]] = {name: [] for name in sources}
        cpus: dict[str, list[float]] = {name: [] for name in sources}
        outputs: dict[str, bytes] = {}
        for _ in range(args.rounds):
            for name, source in sources.items():
                wall, cpu_seconds, out = timed(command, source)
                walls[name].append(wall)
                cpus[name].append(cpu_seconds)
                outputs[name] = out
        same = "same output" if outputs["baseline"] == outputs["this"] else "OUTPUT DIFFERS"
        wall = {name: statistics.median(v) for name, v in walls.items()}
        cpu = {name: statistics.median(v) for name, v in cpus.items()}
        print(f"workbench {' '.join(command[:-1])}: baseline {wall['baseline']:.2f} s wall "
              f"{cpu['baseline']:.2f} s CPU; this {wall['this']:.2f} s wall {cpu['this']:.2f} s CPU; "
              f"ratio wall {wall['this'] / wall['baseline']:.2f}, "
              f"CPU {cpu['this'] / cpu['baseline']:.2f}; {same}")
    in_process: dict[str, list[list[float]]] = {name: [] for name in sources}
    digests: dict[str, str] = {}
    for _ in range(max(1, args.rounds // 2)):
        for name, source in sources.items():
            env = {**os.environ, "PYTHONPATH": str(source)}
            done = subprocess.run([sys.executable, "-c", IN_PROCESS, str(path)], env=env,
                                  stdout=subprocess.PIPE, check=True)
            history_cpu, table_cpu, digests[name] = json.loads(done.stdout)
            in_process[name].append([history_cpu, table_cpu])
    for index, what in enumerate(("history()", "history() as a table")):
        base = min(v[index] for v in in_process["baseline"])
        this = min(v[index] for v in in_process["this"])
        same = "same table" if digests["baseline"] == digests["this"] else "TABLE DIFFERS"
        print(f"{what} in process, best CPU: baseline {base:.3f} s, this {this:.3f} s, "
              f"ratio {this / base:.2f}; {same}")
    print(f"load after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
