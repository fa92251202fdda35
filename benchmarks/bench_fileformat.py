"""Benchmark of the versioned formulation file (run on demand, not in CI).

    python3 benchmarks/bench_fileformat.py [--versions 1000] [--folder DIR]

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

Times are medians of repeats, in milliseconds; raw figures are printed too.
"""

from __future__ import annotations

import argparse
import random
import statistics
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
    tries = 0
    while len(f.link_records()) < n_links and tries < 100_000:
        tries += 1
        a, b = rng.sample(ids, 2)
        allowed = f.template.allowed_link_kinds(f.element(a).kind, f.element(b).kind)
        if allowed:
            f.add_link(a, b, rng.choice(allowed).id)
    return f


def median_ms(values: list[float]) -> float:
    return statistics.median(values) * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--versions", type=int, default=1000)
    parser.add_argument("--folder", default=None, help="where to write the files (default: a temp folder)")
    args = parser.parse_args(argv)
    n = args.versions
    folder = Path(args.folder or tempfile.mkdtemp(prefix="bench-fileformat-"))
    big = folder / "thousand.formulation.jsonl"
    one = folder / "one.formulation.jsonl"
    for p in (big, one):
        p.unlink(missing_ok=True)

    f = build()
    print(f"Formulation: {len(f)} elements, {len(f.link_records())} links; files in {folder}")
    ids = [el.id for el in f.element_records()]
    workbench.save(f.copy(), one, message="Only version", author="Bench")

    early = range(10, 30)
    late = range(n - 19, n + 1)
    warm: dict[str, list[float]] = {"early": [], "late": []}
    cold: dict[str, list[float]] = {"early": [], "late": []}
    delta_sizes: list[int] = []
    started = time.perf_counter()
    size_before = 0
    for version in range(1, n + 1):
        if version > 1:
            f.update_element(ids[version % len(ids)], label=f"Element renamed in version {version}")
        window = "early" if version in early else "late" if version in late else None
        if window and version % 2:
            store._CACHE.clear()  # a cold save: read the newest version back from the file
        t0 = time.perf_counter()
        workbench.save(f, big, message=f"Edit {version}", author="Bench", session=version)
        elapsed = time.perf_counter() - t0
        if window:
            (cold if version % 2 else warm)[window].append(elapsed)
        size = big.stat().st_size
        if version > 1:
            delta_sizes.append(size - size_before)
        size_before = size
    total = time.perf_counter() - started
    print(f"Wrote {n} versions in {total:.1f} s ({big.stat().st_size / 1e6:.2f} MB)")

    def loads(path: Path, version: int | None = None, repeats: int = 9) -> list[float]:
        out = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            workbench.load(path, version)
            out.append(time.perf_counter() - t0)
        return out

    hist = workbench.history(big)
    snapshots = hist.loc[hist["stored"] == "snapshot", "version"].tolist()
    worst = max(
        (v for v in hist["version"] if v not in snapshots),
        key=lambda v: v - max(s for s in snapshots if s <= v),
    )
    load_one = loads(one)
    load_big = loads(big)
    load_worst = loads(big, int(worst))
    load_first = loads(big, 1)

    snapshot_sizes = [s for s in delta_sizes if s > 10 * statistics.median(delta_sizes)]
    edit_sizes = [s for s in delta_sizes if s <= 10 * statistics.median(delta_sizes)]
    amortized = (big.stat().st_size - one.stat().st_size) / (n - 1)

    print()
    print("Save time (median ms)            version ~10        version ~1000     ratio  (goal <= 1.5)")
    for label, data in (("warm (saved just before)", warm), ("cold (read back from file)", cold)):
        e, late_ms = median_ms(data["early"]), median_ms(data["late"])
        print(f"  {label:<30} {e:8.2f} (n={len(data['early'])})   {late_ms:8.2f} (n={len(data['late'])})"
              f"   {late_ms / e:5.2f}")
    print()
    print("Load time (median ms of 9)")
    print(f"  1-version file                 {median_ms(load_one):8.2f}")
    print(f"  {n}-version file, newest      {median_ms(load_big):8.2f}   ratio {median_ms(load_big) / median_ms(load_one):.2f}"
          "  (goal <= 3)")
    print(f"  {n}-version file, version {int(worst)} {median_ms(load_worst):8.2f}   ratio "
          f"{median_ms(load_worst) / median_ms(load_one):.2f}  (most deltas after a snapshot)")
    print(f"  {n}-version file, version 1     {median_ms(load_first):8.2f}")
    print()
    print("Bytes per version for a one-element edit")
    print(f"  delta line (median)            {statistics.median(edit_sizes):8.0f} bytes")
    print(f"  snapshot lines                 {len(snapshot_sizes)} of {n - 1} saves, median "
          f"{statistics.median(snapshot_sizes) if snapshot_sizes else 0:.0f} bytes; versions {snapshots[:8]}"
          f"{' ...' if len(snapshots) > 8 else ''}")
    print(f"  amortized incl. snapshots      {amortized:8.0f} bytes per version")
    print(f"  1-version file                 {one.stat().st_size:8d} bytes")
    print()
    print("Raw save times (ms), warm early:", [round(x * 1000, 2) for x in warm["early"]])
    print("Raw save times (ms), warm late: ", [round(x * 1000, 2) for x in warm["late"]])
    print("Raw save times (ms), cold early:", [round(x * 1000, 2) for x in cold["early"]])
    print("Raw save times (ms), cold late: ", [round(x * 1000, 2) for x in cold["late"]])
    print("Raw load times (ms), 1-version: ", [round(x * 1000, 2) for x in load_one])
    print("Raw load times (ms), newest:    ", [round(x * 1000, 2) for x in load_big])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
