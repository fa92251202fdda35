"""How every ``workbench`` command scales with elements and with versions (run on demand, not in CI).

    python3 benchmarks/bench_scale.py [--quick] [--cache DIR] [--timeout S] [--memory-limit MB]
                                      [--source DIR] [--only NAME ...]

Each command runs as its own process, like a user's; the table gives its wall
time and peak memory (the child's maximum resident set, from ``os.wait4``),
next to the floor: ``python -c "import workbench"``. Sizes:

- elements: 50, 500 and 5,000 elements with three links per element (15,000
  links at 5,000), saved as two versions (the second renames one element);
- versions: a 50-element formulation saved 10, 1,000 and 10,000 times, one
  element renamed per save, ten saves per session.

``--quick`` keeps to the two smaller sizes of each. The "x per 10x" column is
the time (or memory) at the largest size divided by the one a tenth of its size;
the goal is at most 10 for 5,000 elements against 500. The save section times
saves (in this process) at version ~100 and at the newest version of each
versions file.

Files are generated once into a cache folder (printed; ``--cache`` to choose):
the 10,000-version file takes minutes to build. While building it, ``fsync``
is skipped (the content is the same; only the build is faster).
``--source DIR`` runs the commands from another checkout of the workbench (for
a baseline measured on the same machine in the same hour). Each command is
stopped after ``--timeout`` seconds and limited to ``--memory-limit`` MB of
address space, so the run stays bounded on a shared machine.
"""

from __future__ import annotations

import argparse
import itertools
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench_fileformat import build  # the same reproducible formulation

import workbench
from workbench.fileformat import store, writer

ELEMENT_SIZES = (50, 500, 5000)
VERSION_SIZES = (10, 1000, 10000)
LINKS_PER_ELEMENT = 3
VERSION_ELEMENTS = 50
SAVES_PER_SESSION = 10

# The child limits its own address space (no preexec_fn: the child is spawned without a copy of this
# process, so its peak memory is its own).
LIMIT = ("import os, resource; m = int(os.environ['BENCH_SCALE_LIMIT']); "
         "resource.setrlimit(resource.RLIMIT_AS, (m, m)); ")
RUN_CLI = LIMIT + "import sys; from workbench.cli import main; sys.exit(main(sys.argv[1:]))"
FLOOR = LIMIT + "import workbench"


@dataclass
class Result:
    """One command at one size: wall seconds and peak resident megabytes, or what stopped it."""

    seconds: float
    megabytes: float
    failed: str = ""

    def cell(self) -> str:
        if self.failed:
            return f"{self.failed:>17}"
        return f"{self.seconds:7.2f}s {self.megabytes:6.0f}MB"


# --- building the files ------------------------------------------------------------------


@contextmanager
def no_fsync() -> Iterator[None]:
    """Skip fsync while building benchmark files (same bytes, much faster on a busy disk)."""
    real = writer.os.fsync
    writer.os.fsync = lambda fd: None
    try:
        yield
    finally:
        writer.os.fsync = real


def elements_file(cache: Path, n: int) -> Path:
    """The ``n``-element file (two versions), built once into ``cache``."""

    def make(temp: Path) -> None:
        f = build(n, LINKS_PER_ELEMENT * n)
        workbench.save(f, temp, message="Built", author="Bench", session=1)
        first = f.element_records()[0]
        f.update_element(first.id, label=first.label + " (renamed)")
        workbench.save(f, temp, message="One element renamed", author="Bench", session=2)

    return _built_once(cache / f"elements-{n}.formulation.json", make)


def versions_file(cache: Path, n: int) -> Path:
    """The ``n``-version file, built once into ``cache`` (one element renamed per save)."""

    def make(temp: Path) -> None:
        f = build(VERSION_ELEMENTS, LINKS_PER_ELEMENT * VERSION_ELEMENTS)
        ids = [el.id for el in f.element_records()]
        for version in range(1, n + 1):
            if version > 1:
                f.update_element(ids[version % len(ids)], label=f"Element renamed in version {version}")
            workbench.save(f, temp, message=f"Save {version}", author="Bench",
                           session=1 + (version - 1) // SAVES_PER_SESSION)

    return _built_once(cache / f"versions-{n}.formulation.json", make)


def _built_once(path: Path, make: Callable[[Path], None]) -> Path:
    """``path``, made by ``make`` into a temporary name first unless it is there already."""
    if not path.exists():
        temp = path.with_suffix(".building")
        temp.unlink(missing_ok=True)
        started = time.perf_counter()
        with no_fsync():
            make(temp)
        temp.rename(path)
        print(f"  built {path.name} in {time.perf_counter() - started:.0f} s", flush=True)
    return path


# --- running the commands ----------------------------------------------------------------


def run(argv: list[str], *, env: dict[str, str], timeout: float, memory_mb: int, cwd: Path) -> Result:
    """Run one process; return its wall time and peak resident memory (or why it stopped)."""

    with tempfile.TemporaryFile() as err:  # a file, not a pipe: a chatty command must not block on it
        started = time.perf_counter()
        child = subprocess.Popen(argv, env={**env, "BENCH_SCALE_LIMIT": str(memory_mb * 1024 * 1024)},
                                 cwd=cwd, stdout=subprocess.DEVNULL, stderr=err, start_new_session=True)
        deadline = started + timeout
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                os.killpg(child.pid, signal.SIGKILL)
                os.wait4(child.pid, 0)
                return Result(timeout, 0, f"> {timeout:.0f} s, stopped")
            time.sleep(0.02)  # polling the child, not synchronising a test
        seconds = time.perf_counter() - started
        err.seek(0)
        error = err.read().decode(errors="replace")
    child.returncode = os.waitstatus_to_exitcode(status)
    megabytes = usage.ru_maxrss / 1024
    if child.returncode and any(s in error for s in ("MemoryError", "Cannot allocate memory", "mmap")):
        return Result(seconds, megabytes, f"> {memory_mb} MB, stopped")
    crashed = "Traceback" in error or "Fatal Python error" in error
    if crashed or child.returncode not in (0, 1):  # check exits 1 when it flags something
        last = error.strip().splitlines()[-1:] or ["?"]
        return Result(seconds, megabytes, f"exit {child.returncode}: {last[0][:40]}")
    return Result(seconds, megabytes)


def element_commands(path: Path, out: Path, label: str) -> dict[str, list[str]]:
    """Every CLI command on an elements file, by name."""
    p = str(path)
    return {
        "validate": ["validate", p],
        "log": ["log", p],
        "show": ["show", p],
        "diff 1 2": ["diff", p, "1", "2"],
        "render": ["render", p, "-o", str(out / "map.html")],
        "check": ["check", p],
        "trace": ["trace", p, label],
        "compare (itself)": ["compare", p, p],
        "export xlsx": ["export", p, "-o", str(out / "x.xlsx")],
        "export graphml": ["export", p, "-o", str(out / "x.graphml")],
        "export gexf": ["export", p, "-o", str(out / "x.gexf")],
        "export csv": ["export", p, "-o", str(out / "x.csv")],
        "export markdown": ["export", p, "-o", str(out / "x.md")],
        "export html": ["export", p, "-o", str(out / "x.html")],
        "export --share-safe": ["export", p, "-o", str(out / "safe.graphml"), "--share-safe"],
        "stepthrough (layers)": ["stepthrough", p, "-o", str(out / "st.html")],
        "stepthrough (sessions)": ["stepthrough", p, "-o", str(out / "st.html"), "--mode", "sessions"],
    }


def version_commands(path: Path, out: Path, n: int) -> dict[str, list[str]]:
    """Every CLI command that reads across versions, by name."""
    p = str(path)
    return {
        "validate": ["validate", p],
        "log": ["log", p],
        "show (newest)": ["show", p],
        "diff 1 newest": ["diff", p, "1", str(n)],
        "export (oldest)": ["export", p, "-o", str(out / "v.graphml"), "--version", "1"],
        "stepthrough --versions": ["stepthrough", p, "-o", str(out / "sv.html"), "--versions"],
    }


def symptom_label(path: Path) -> str:
    f = workbench.load(path)
    return next(el.label for el in f.element_records() if el.kind == "present_symptom")


def save_time(path: Path, at_version: int | None = None, repeats: int = 15) -> float:
    """Median ms of saving a one-element edit to a copy of ``path``.

    ``at_version``: the copy holds only the first ``at_version`` versions of the
    file (rebuilt one save at a time); None: all of them.
    """
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "copy.formulation.json"
        if at_version is None:
            shutil.copyfile(path, copy)
        else:
            file_id = None
            with no_fsync():
                for revision, g in store.each_version(path, set(range(1, at_version + 1))):
                    if revision["version"] > 1:
                        g.base_version, g.file_id = revision["version"] - 1, file_id
                    workbench.save(g, copy, message=revision["message"], author="Bench")
                    file_id = g.file_id
        f = workbench.load(copy)
        ids = [el.id for el in f.element_records()]
        times = []
        for i in range(repeats):
            f.update_element(ids[i % len(ids)], label=f"Edit {i}")
            started = time.perf_counter()
            workbench.save(f, copy, message="Edit", author="Bench")
            times.append(time.perf_counter() - started)
        store.CACHE.clear()
    return statistics.median(times) * 1000


def growth(results: list[Result]) -> str:
    """Time and memory at each size over the size a tenth of it."""
    parts = []
    for small, big in itertools.pairwise(results):
        if small.failed or big.failed:
            parts.append("    -  ")
        else:
            parts.append(f"{big.seconds / small.seconds:5.1f}x/{big.megabytes / small.megabytes:3.1f}x")
    return "  ".join(parts)


def table(title: str, sizes: tuple[int, ...], rows: dict[str, list[Result]], floor: Result) -> None:
    print()
    print(title)
    head = "".join(f"{s:>18,}" for s in sizes)
    print(f"  {'command':<24}{head}   time/memory x per 10x")
    print(f"  {'import workbench (floor)':<24}{''.join(f' {floor.cell()}' for _ in sizes)}")
    for name, results in rows.items():
        print(f"  {name:<24}{''.join(f' {r.cell()}' for r in results)}   {growth(results)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="only the two smaller sizes of each")
    parser.add_argument("--cache", default=None, help="folder for the generated files (kept between runs)")
    parser.add_argument("--timeout", type=float, default=600, help="seconds before a command is stopped")
    parser.add_argument("--memory-limit", type=int, default=4096, help="MB of address space per command")
    parser.add_argument("--source", default=None, help="run the commands from this checkout's workbench/")
    parser.add_argument("--only", nargs="*", default=None, help="only the commands whose name starts so")
    parser.add_argument("--skip-saves", action="store_true", help="leave out the save section")
    args = parser.parse_args(argv)

    default_cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "workbench-bench-scale"
    cache = Path(args.cache) if args.cache else default_cache
    cache.mkdir(parents=True, exist_ok=True)
    element_sizes = ELEMENT_SIZES[:2] if args.quick else ELEMENT_SIZES
    version_sizes = VERSION_SIZES[:2] if args.quick else VERSION_SIZES
    env = dict(os.environ)
    if args.source:
        env["PYTHONPATH"] = str(Path(args.source).resolve())
    print(f"Files in {cache}; commands from {args.source or 'this environment'}; "
          f"load: {' '.join(f'{x:.1f}' for x in os.getloadavg())}", flush=True)
    print("Building the files (once)...", flush=True)
    element_files = {n: elements_file(cache, n) for n in element_sizes}
    version_files = {n: versions_file(cache, n) for n in version_sizes}

    def measure(cmd: list[str], out: Path) -> Result:
        return run([sys.executable, "-c", RUN_CLI, *cmd], env=env, timeout=args.timeout,
                   memory_mb=args.memory_limit, cwd=out)

    def wanted(name: str) -> bool:
        return not args.only or any(name.startswith(o) for o in args.only)

    with tempfile.TemporaryDirectory(prefix="bench-scale-") as folder:
        out = Path(folder)
        floor = run([sys.executable, "-c", FLOOR], env=env, timeout=args.timeout,
                    memory_mb=args.memory_limit, cwd=out)
        rows: dict[str, list[Result]] = {}
        for n, path in element_files.items():
            for name, cmd in element_commands(path, out, symptom_label(path)).items():
                if wanted(name):
                    rows.setdefault(name, []).append(result := measure(cmd, out))
                    print(f"  {n:>6} elements  {name:<24} {result.cell()}", flush=True)
        table(f"By elements ({LINKS_PER_ELEMENT} links each)", element_sizes, rows, floor)
        vrows: dict[str, list[Result]] = {}
        for n, path in version_files.items():
            for name, cmd in version_commands(path, out, n).items():
                key = "diff 1 newest" if name.startswith("diff") else name
                if wanted(key):
                    vrows.setdefault(key, []).append(result := measure(cmd, out))
                    print(f"  {n:>6} versions  {key:<24} {result.cell()}", flush=True)
        table(f"By versions ({VERSION_ELEMENTS} elements)", version_sizes, vrows, floor)
    if not args.skip_saves and not args.source:
        print()
        print("Save of a one-element edit (in this process), median of 15, ms")
        for n, path in version_files.items():
            if n > 100:
                early, late = save_time(path, 100), save_time(path)
                print(f"  {n:>6}-version file: at version 100 {early:8.2f}, at version {n + 1} {late:8.2f}, "
                      f"ratio {late / early:5.2f}")
        sizes = {n: save_time(path) for n, path in element_files.items()}
        print("  by elements:        " + ", ".join(f"{n} elements {ms:8.2f}" for n, ms in sizes.items()))
    print()
    print(f"load after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
