"""What session notes cost: saves, quote checks and the session timeline, against baselines in the same run.

    python3 benchmarks/bench_session_notes.py [--elements N] [--sessions N] [--versions N] [--repeats N]

A formulation of N elements (three quotes each, picked from the notes) and N sessions of process
notes (about 3,000 characters each) is saved as a file of N versions, one session per version.
Each line prints a time and its ratio to a baseline measured just before it, on the same data:

- saving an edit of one session's notes, against saving a rename of one element (both a delta);
- checking every quote against the notes (``analysis.evidence.quotes``), against building the
  elements table (``Formulation.elements()``);
- the session timeline of the file (``session_timeline(each_version(path))``), against reading
  every version with ``each_version`` alone.

Wall times (best of ``--repeats``) and the machine's load are printed; nothing is asserted.
The temporary folder is removed at the end.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import workbench
from workbench.analysis.evidence import quotes
from workbench.analysis.timeline import session_timeline
from workbench.fileformat import each_version

_SENTENCE = "He said the meeting went badly and that nobody listened to him at all. "


def build(folder: Path, elements: int, sessions: int, versions: int) -> tuple[Path, workbench.Formulation]:
    """Write the file (``versions`` saves, the sessions' notes spread over them); return it and the newest."""
    path = folder / "notes.formulation.json"
    f = workbench.new(case_id="BENCH", title="Session notes benchmark")
    texts = {n: f"Session {n}. " + _SENTENCE * 40 for n in range(1, sessions + 1)}
    per_version = max(1, elements // max(1, versions))
    added = 0
    for version in range(1, versions + 1):
        session = 1 + (version - 1) % sessions
        if session not in {s.number for s in f.session_notes()}:
            f.add_session(session, date="2024-01-01", text=texts[session])
        for _ in range(per_version if version < versions else elements - added):
            start = (added * 7) % 2000
            quote = texts[session][start:start + 40]
            evidence = [{"session": session, "quote": quote, "start": start}] * 3
            f.add_element("defense", f"Element {added}", evidence=evidence)
            added += 1
        workbench.save(f, path, message=f"v{version}", author="Bench", session=session)
    return path, f


def best(repeats: int, run: Callable[[], object]) -> float:
    """The best wall time of ``repeats`` runs, in seconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the table; return the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--elements", type=int, default=300)
    parser.add_argument("--sessions", type=int, default=40)
    parser.add_argument("--versions", type=int, default=40)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="bench-notes-"))
    try:
        path, f = build(folder, args.elements, args.sessions, args.versions)
        print(f"{len(f)} elements, {len(f.session_notes())} sessions of notes, "
              f"{len(workbench.history(path))} versions, {path.stat().st_size / 1e6:.1f} MB; "
              f"load average {os.getloadavg()[0]:.1f}")
        counter = [0]

        def save_rename() -> None:
            counter[0] += 1
            el = f.element_records()[0]
            f.update_element(el.id, label=f"Element renamed {counter[0]}")
            workbench.save(f, path, message="rename", author="Bench")

        def save_note() -> None:
            counter[0] += 1
            f.update_session(1, text=f.session_note(1).text + f" Edit {counter[0]}.")
            workbench.save(f, path, message="note", author="Bench")

        few = max(1, args.repeats // 2)
        rows = [
            ("save a note edit", best(args.repeats, save_note),
             "save a rename", best(args.repeats, save_rename)),
            ("check every quote", best(args.repeats, lambda: quotes(f)),
             "elements table", best(args.repeats, f.elements)),
            ("session timeline", best(few, lambda: session_timeline(each_version(path))),
             "each_version alone", best(few, lambda: list(each_version(path)))),
        ]
        print(f"{'measured':<20} {'ms':>9}   {'baseline':<20} {'ms':>9}   ratio")
        for name, t, base_name, base in rows:
            print(f"{name:<20} {t * 1000:9.1f}   {base_name:<20} {base * 1000:9.1f}   {t / base:5.2f}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
