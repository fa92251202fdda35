"""Benchmark of the versioned formulation file (run on demand, not in CI).

    python3 benchmarks/bench_fileformat.py [--versions 1000] [--rounds 5] [--folder DIR]

For a formulation of 300 elements and about 400 links, saved 1,000 times with
a one-element edit each time, it prints:

- save time at version 1,000 / save time at version 10 (goal <= 1.5), for
  saves right after the previous one ("warm": the newest version is known in
  memory) and for "cold" saves (the newest version is read back from the file
  first, as after reopening it);
- load of the newest version of the 1,000-version file / load of a
  1-version file of the same graph (goal <= 3), plus the slowest version to
  load (the one with the most deltas after its snapshot);
- bytes added per version by a one-element edit, and amortized over all
  versions including the full snapshots.

Times are medians of repeats, in milliseconds, as wall time and as CPU time of
this process (CPU time hardly moves when other programs load the machine, wall
time does); the save ratios are measured in several rounds (``--rounds``) and
reported as the median ratio with its range. Raw figures are printed too.
Without ``--folder`` the files go to a temporary folder that is removed at the end.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import workbench
from workbench.fileformat import store


def build(n_elements: int = 300, n_links: int = 400, seed: int = 7) -> workbench.Formulation:
    """A reproducible formulation of the psychodynamic template."""
    rng = random.Random(seed)
    f = workbench.new(case_id="BENCH-1", title="Benchmark case", clinician="Bench")
    kinds = list(f.template.element_kinds)
    ids = []
    for i in range(n_elements):
        kind = kinds[i % len(kinds)]
        ids.append(
            f.add_element(
                kind,
                f"Element {i} of kind {kind}",
                description=f"A description of element {i}, long enough to look like a clinician's note.",
                confidence=rng.choice([None, 0.3, 0.5, 0.7]),
                evidence=[{"session": rng.randint(1, 40), "quote": f"Quote {i}"}] if i % 3 == 0 else [],
                tags=["demo"] if i % 5 == 0 else [],
            )
        )
    made = tries = 0
    while made < n_links and tries < max(100_000, 50 * n_links):  # counted: no list of links per try
        tries += 1
        a, b = rng.sample(ids, 2)
        allowed = f.template.allowed_link_kinds(f.element(a).kind, f.element(b).kind)
        if allowed:
            f.add_link(a, b, rng.choice(allowed).id)
            made += 1
    return f


def timed(action: object) -> tuple[float, float]:
    """Run ``action()``; return (wall seconds, CPU seconds of this process)."""
    w, c = time.perf_counter(), time.process_time()
    action()  # type: ignore[operator]
    return time.perf_counter() - w, time.process_time() - c


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--versions", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5, help="rounds of save measurements (default: 5)")
    parser.add_argument("--folder", default=None, help="where to write the files (default: a temp folder)")
    args = parser.parse_args(argv)
    if args.versions < 40 or args.rounds < 1:
        print("error: --versions must be at least 40 and --rounds at least 1.", file=sys.stderr)
        return 2
    if args.folder is not None:
        folder = Path(args.folder)
        if not folder.is_dir():
            print(f"error: the folder {folder} does not exist (create it, or leave --folder out to use "
                  "a temporary folder).", file=sys.stderr)
            return 2
        return run(folder, args.versions, args.rounds)
    folder = Path(tempfile.mkdtemp(prefix="bench-fileformat-"))
    try:
        return run(folder, args.versions, args.rounds)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run(folder: Path, n: int, rounds: int) -> int:
    """Build the files in ``folder``, measure, print; return 0."""
    big, small, one = (folder / f"{name}.formulation.jsonl" for name in ("thousand", "ten", "one"))
    for p in (big, small, one):
        p.unlink(missing_ok=True)

    base = build()
    print(f"Formulation: {len(base)} elements, {len(base.link_records())} links; files in {folder}")
    ids = [el.id for el in base.element_records()]
    workbench.save(base.copy(), one, message="Only version", author="Bench")

    def edit_and_save(f: workbench.Formulation, path: Path, cold: bool) -> None:
        version = (f.base_version or 0) + 1
        f.update_element(ids[version % len(ids)], label=f"Element renamed in version {version}")
        if cold:
            # as after reopening the file: the newest version is read back from the file
            store.CACHE.forget(path)
        workbench.save(f, path, message=f"Edit {version}", author="Bench", session=version)

    # Build the long file up to just before the measured window, and the short one likewise.
    window = 20
    f_big, f_small = base.copy(), base.copy()
    started = time.perf_counter()
    sizes = []
    for _ in range(n - window):
        before = big.stat().st_size if big.exists() else 0
        edit_and_save(f_big, big, cold=False)
        sizes.append(big.stat().st_size - before)
    for _ in range(10 - 1):
        edit_and_save(f_small, small, cold=False)
    print(f"Built {n - window} versions in {time.perf_counter() - started:.1f} s")

    # Measure saves at versions 10..29 and ~n, interleaved so that machine load hits both alike;
    # odd-numbered saves in each window are cold, even ones warm. Each round starts the short
    # file again from version 9; the long one grows by ``window`` versions a round.
    small_start = small.read_bytes()
    saves: dict[tuple[str, str], list[tuple[float, float]]] = {}
    ratios: dict[str, list[tuple[float, float]]] = {"warm": [], "cold": []}
    for _round in range(rounds):
        small.write_bytes(small_start)
        store.CACHE.forget(small)
        f_small = workbench.load(small)
        this_round: dict[tuple[str, str], list[tuple[float, float]]] = {}
        for i in range(window):
            cold = bool(i % 2)
            for label, f, path in (("~10", f_small, small), ("late", f_big, big)):
                before = path.stat().st_size
                result = timed(lambda f=f, path=path, cold=cold: edit_and_save(f, path, cold))
                this_round.setdefault((label, "cold" if cold else "warm"), []).append(result)
                if label != "~10":
                    sizes.append(path.stat().st_size - before)
        for (label, how), values in this_round.items():
            saves.setdefault((label, how), []).extend(values)
        for how in ("warm", "cold"):
            early, late = this_round[("~10", how)], this_round[("late", how)]
            ratios[how].append(
                (_median(late, 0) / _median(early, 0), _median(late, 1) / _median(early, 1))
            )
    n = f_big.base_version or n  # the long file's newest version after the rounds

    hist = workbench.history(big)
    snapshots = [r.version for r in hist if r.stored == "snapshot"]
    worst = max(
        (r.version for r in hist if r.stored != "snapshot"),
        key=lambda v: v - max(s for s in snapshots if s <= v),
    )
    loads: dict[str, list[tuple[float, float]]] = {"one": [], "newest": [], "worst": []}
    for _ in range(9):  # interleaved too
        loads["one"].append(timed(lambda: workbench.load(one)))
        loads["newest"].append(timed(lambda: workbench.load(big)))
        loads["worst"].append(timed(lambda: workbench.load(big, int(worst))))

    def med(values: list[tuple[float, float]], which: int = 0) -> float:
        return statistics.median(v[which] for v in values) * 1000

    edit_sizes = [s for s in sizes if s <= 10 * statistics.median(sizes)]
    snapshot_sizes = [s for s in sizes if s > 10 * statistics.median(sizes)]
    amortized = (big.stat().st_size - one.stat().st_size) / (n - 1)

    print()
    per = window // 2 * rounds
    print(f"Save time, median of {per} (ms)      at version ~10      near version {n}   ratio (goal <= 1.5)")
    for how in ("warm", "cold"):
        e, late = saves[("~10", how)], saves[("late", how)]
        what = "warm (saved just before)" if how == "warm" else "cold (read back from file)"
        print(f"  {what:<28} wall {med(e):8.2f}          {med(late):8.2f}          {med(late) / med(e):5.2f}")
        print(
            f"  {'':<28}  cpu {med(e, 1):8.2f}          {med(late, 1):8.2f}          "
            f"{med(late, 1) / med(e, 1):5.2f}"
        )
    print()
    print(f"Save ratio per round (late / early, median of each round's saves), {rounds} rounds")
    for how in ("warm", "cold"):
        wall = [r[0] for r in ratios[how]]
        cpu = [r[1] for r in ratios[how]]
        print(f"  {how:<5} wall: median {statistics.median(wall):5.2f} "
              f"(range {min(wall):.2f}-{max(wall):.2f})   cpu: median {statistics.median(cpu):5.2f} "
              f"(range {min(cpu):.2f}-{max(cpu):.2f})")
    print()
    print("Load time, median of 9 (ms)            wall      cpu   ratio to 1-version (wall, cpu; goal <= 3)")
    for key, label in (
        ("one", "1-version file"),
        ("newest", f"{n}-version file, newest"),
        ("worst", f"{n}-version file, version {int(worst)}*"),
    ):
        print(
            f"  {label:<36} {med(loads[key]):8.2f} {med(loads[key], 1):8.2f}   "
            f"{med(loads[key]) / med(loads['one']):5.2f}  {med(loads[key], 1) / med(loads['one'], 1):5.2f}"
        )
    print(
        "  * the version with the most deltas after its snapshot "
        f"({int(worst) - max(s for s in snapshots if s <= worst)})"
    )
    print()
    print("Bytes per version for a one-element edit")
    print(f"  delta line (median)            {statistics.median(edit_sizes):8.0f} bytes")
    print(
        f"  snapshot lines                 {len(snapshot_sizes)} of {len(sizes)} saves, median "
        f"{statistics.median(snapshot_sizes) if snapshot_sizes else 0:.0f} bytes (versions {snapshots})"
    )
    print(
        f"  amortized incl. snapshots      {amortized:8.0f} bytes per version "
        f"({big.stat().st_size / 1e6:.2f} MB for {n} versions)"
    )
    print(f"  1-version file                 {one.stat().st_size:8d} bytes")
    print()
    for (label, how), values in saves.items():
        print(f"Raw save wall times (ms), version {label}, {how}:", [round(w * 1000, 1) for w, _ in values])
    for key, values in loads.items():
        print(f"Raw load wall times (ms), {key}:", [round(w * 1000, 1) for w, _ in values])
    return 0


def _median(values: list[tuple[float, float]], which: int) -> float:
    return statistics.median(v[which] for v in values)


if __name__ == "__main__":
    raise SystemExit(main())
