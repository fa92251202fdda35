"""Concurrent saves: two processes load version K and both save; exactly one wins.

The other gets SaveConflict naming the winner's version, author and time;
nothing is overwritten, the file stays valid, and the loser still has its
changes in memory and can save them to another file (a copy).
"""

from __future__ import annotations

import multiprocessing
import random
import time
import warnings
from pathlib import Path
from typing import Any

import pytest
from fileformat_helpers import SOAK, sample

import workbench
from workbench.errors import SaveConflict
from workbench.fileformat import store

ROUNDS = 6 * SOAK


def clinician(name: str, path: str, copy: str, start: Any, results: Any, delay: float) -> None:
    """One process: open the newest version, edit it, wait for the other, then save."""
    warnings.simplefilter("error")
    store.CACHE.clear()
    f = workbench.load(path)
    opened = f.base_version
    f.update_element("el-0001", label=f"Edited by {name}")
    f.add_element("strength", f"Strength seen by {name}")
    start.wait()  # both have opened the same version
    time.sleep(delay)
    try:
        version = workbench.save(f, path, message=f"{name}'s changes", author=name)
        results.put({"name": name, "won": True, "version": version, "opened": opened})
    except SaveConflict as conflict:
        kept = f.modified and f.element("el-0001").label == f"Edited by {name}" and f.base_version == opened
        copy_version = workbench.save(f, copy, message=f"{name}'s changes, as a copy", author=name)
        results.put(
            {
                "name": name,
                "won": False,
                "message": str(conflict),
                "opened": opened,
                "other": (conflict.other_version, conflict.other_author, conflict.other_time),
                "kept_changes": kept,
                "copy_version": copy_version,
            }
        )


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_two_processes_save_from_the_same_version_exactly_one_wins(tmp_path: Path, round_: int) -> None:
    path = tmp_path / "case.formulation.jsonl"
    f = sample()
    for k in range(3):
        f.update_element("el-0002", label=f"Before {k}")
        workbench.save(f, path, message=f"v{k + 1}", author="Dr Setup")
    before = path.read_bytes()

    context = multiprocessing.get_context("fork")
    start, results = context.Barrier(2), context.Queue()
    rng = random.Random(round_)
    delays = [0.0, rng.uniform(0, 0.01)] if round_ % 2 else [rng.uniform(0, 0.01), 0.0]
    procs = [
        context.Process(
            target=clinician,
            args=(name, str(path), str(tmp_path / f"{name}.copy.jsonl"), start, results, delay),
        )
        for name, delay in zip(("Dr Rivera", "Dr Ng"), delays, strict=True)
    ]
    for p in procs:
        p.start()
    outcome = [results.get(timeout=60) for _ in procs]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0

    winners = [r for r in outcome if r["won"]]
    losers = [r for r in outcome if not r["won"]]
    assert len(winners) == 1 and len(losers) == 1
    winner, loser = winners[0], losers[0]
    assert winner["opened"] == loser["opened"] == 3 and winner["version"] == 4

    hist = workbench.history(path)
    assert hist.versions() == [1, 2, 3, 4]
    assert hist[-1].author == winner["name"]
    shown = hist[-1].time.strftime("%Y-%m-%d %H:%M UTC")
    assert loser["message"] == (
        f"Version 4 was saved by {winner['name']} at {shown} after you opened version 3; "
        "nothing was overwritten. Save your changes under another file name."
    )
    assert loser["other"] == (4, winner["name"], hist[-1].stamp)

    # nothing overwritten: the old bytes are intact, the file is valid and holds the winner's change
    assert path.read_bytes().startswith(before)
    workbench.validate(path)
    store.CACHE.clear()
    latest = workbench.load(path)
    assert latest.element("el-0001").label == f"Edited by {winner['name']}"
    assert workbench.load(path, 3).element("el-0001").label == "Father often absent"

    # the loser kept its changes and saved them to a copy
    assert loser["kept_changes"] and loser["copy_version"] == 1
    copy = workbench.load(tmp_path / f"{loser['name']}.copy.jsonl")
    assert copy.element("el-0001").label == f"Edited by {loser['name']}"
    assert f"Strength seen by {loser['name']}" in [el.label for el in copy.element_records()]
    assert copy.file_id != latest.file_id
