"""Leftovers of a killed first save are cleaned on the next open of the folder, and only those.

A new file is written to a temporary ``.NAME.wb-<random>.tmp`` first. A save
killed before the file got its name leaves that temporary file behind, holding
case content; the next load or save in the folder removes it. A save still in
progress (its temporary file is locked), other programs' files, symbolic links
and recent temporary files of older workbench versions are left alone.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from pathlib import Path
from typing import Any

import pytest
from fileformat_helpers import sample

import workbench
from workbench.fileformat import tempfiles, writer


def first_save_stopped_before_naming(path: str, inside: Any, go: Any, results: Any) -> None:
    """Create a new file, but stop after its temporary file is written until ``go`` is set."""
    real_link, real_replace = os.link, os.replace

    def stopping(real: Any) -> Any:
        def call(*args: Any, **kwargs: Any) -> Any:
            inside.set()
            go.wait()
            return real(*args, **kwargs)

        return call

    os.link, os.replace = stopping(real_link), stopping(real_replace)  # type: ignore[assignment]
    results.put(workbench.save(sample(), path, message="First", author="Dr Rivera"))


def temporaries(folder: Path) -> list[Path]:
    return sorted(folder.glob(".*.tmp"))


def stopped_first_save(folder: Path) -> tuple[Any, Any, Any]:
    context = multiprocessing.get_context("fork")
    inside, go, results = context.Event(), context.Event(), context.Queue()
    child = context.Process(
        target=first_save_stopped_before_naming,
        args=(str(folder / "case.formulation.json"), inside, go, results),
    )
    child.start()
    assert inside.wait(timeout=120)
    return child, go, results


def test_the_leftover_of_a_killed_first_save_is_removed_on_the_next_open(tmp_path: Path) -> None:
    workbench.save(sample(), tmp_path / "other.formulation.json", message="m", author="Dr Ng")
    long_ago = time.time() - 3600
    os.utime(tmp_path, (long_ago, long_ago))
    workbench.load(tmp_path / "other.formulation.json")  # finds the folder clean, and remembers that
    child, _go, _results = stopped_first_save(tmp_path)
    os.kill(child.pid, signal.SIGKILL)  # type: ignore[arg-type]
    child.join()
    (leftover,) = temporaries(tmp_path)
    assert b"Father often absent" in leftover.read_bytes()  # case content
    assert not (tmp_path / "case.formulation.json").exists()

    workbench.load(tmp_path / "other.formulation.json")  # the next open of that folder
    assert temporaries(tmp_path) == []
    assert workbench.save(sample(), tmp_path / "case.formulation.json", message="m", author="Dr Rivera") == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case.formulation.json", "other.formulation.json"]


def test_a_save_in_progress_keeps_its_temporary_file(tmp_path: Path) -> None:
    workbench.save(sample(), tmp_path / "other.formulation.json", message="m", author="Dr Ng")
    child, go, results = stopped_first_save(tmp_path)
    workbench.load(tmp_path / "other.formulation.json")
    assert len(temporaries(tmp_path)) == 1  # locked by the live save: not a leftover
    go.set()
    assert results.get(timeout=120) == 1
    child.join(timeout=60)
    assert child.exitcode == 0
    assert temporaries(tmp_path) == []
    assert workbench.load(tmp_path / "case.formulation.json").meta.case_id == "C-017"


def test_only_our_own_stale_temporary_files_are_removed(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    folder = tmp_path / "cases"
    folder.mkdir()
    ours = writer.dumps(writer.new_header("psychodynamic")) + b"\n{}"
    target = elsewhere / "precious.formulation.json"
    target.write_bytes(ours)
    keep = {
        ".notes.abcdefgh.tmp": b"someone else's notes",  # another program's file
        ".case.formulation.json.wb-0123456789abcdef.tmp": None,  # a symbolic link to a file of ours
        ".case.formulation.json.k3j4h5g6.tmp": ours,  # an older workbench's, written just now
        "case.formulation.json.wb-0123456789abcdef.tmp": ours,  # not hidden: not a name we use
    }
    remove = {
        ".case.formulation.json.wb-fedcba9876543210.tmp": ours,
        ".case.formulation.json.wb-00000000000000ff.tmp": b"",  # killed before anything was written
        ".case.formulation.json.q1w2e3r4.tmp": ours,  # an older workbench's, long ago
    }
    for name, data in {**keep, **remove}.items():
        if data is None:
            (folder / name).symlink_to(target)
        else:
            (folder / name).write_bytes(data)
    long_ago = time.time() - tempfiles.STALE_SECONDS - 60
    os.utime(folder / ".case.formulation.json.q1w2e3r4.tmp", (long_ago, long_ago))

    with pytest.raises(workbench.errors.FormulationFileError, match="there is no such file"):
        workbench.load(folder / "case.formulation.json")
    assert sorted(p.name for p in folder.iterdir()) == sorted(keep)
    assert target.read_bytes() == ours
    assert (folder / ".notes.abcdefgh.tmp").read_bytes() == b"someone else's notes"


def test_temporary_files_are_never_created_through_a_planted_symbolic_link(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    folder = tmp_path / "cases"
    folder.mkdir()
    planted = folder / ".case.formulation.json.wb-0123456789abcdef.tmp"
    planted.symlink_to(elsewhere / "target")
    tokens = iter(["0123456789abcdef", "fedcba9876543210"])  # the first name is taken by the link
    monkeypatch.setattr(tempfiles.secrets, "token_hex", lambda n: next(tokens))
    assert workbench.save(sample(), folder / "case.formulation.json", message="m", author="Dr Rivera") == 1
    assert list(elsewhere.iterdir()) == []
    assert planted.is_symlink()
    assert sorted(p.name for p in folder.iterdir()) == sorted(["case.formulation.json", planted.name])
