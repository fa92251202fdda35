"""The save lock follows the file, whatever name it is reached by, and leaves nothing behind.

Writers in real processes save the same case through different names (a
symbolic link, a hard link, a relative path through ``..``) while plain
writers save it too; another process deletes lock files as a user tidying the
folder would. Every save that returns a version number must have its content
in the history under that number: no number is returned twice and nothing is
overwritten silently. Reads create nothing; planted lock symlinks are never
followed.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import multiprocessing
import os
import warnings
from pathlib import Path
from typing import Any

import pytest
from fileformat_helpers import SOAK, keep_saving, sample

import workbench
from workbench import cli
from workbench.errors import FormulationFileError, SaveConflict
from workbench.fileformat import store

#: Saves each writer must get through (each retried after a conflict).
SAVES = 10 * SOAK


def writer(name: str, path: str, cwd: str, saves: int, start: Any, results: Any) -> None:
    """One process: save again and again from the working folder ``cwd`` (see ``keep_saving``)."""
    warnings.simplefilter("error")
    os.chdir(cwd)
    start.wait()
    results.put(keep_saving(name, path, saves))


def tidier(folder: str, stop: Any) -> None:
    """Delete every ``*.lock`` file in the folder, again and again, until told to stop."""
    while not stop.is_set():
        for entry in os.scandir(folder):
            if entry.name.endswith(".lock"):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(entry.path)


def race(writers: list[tuple[str, str, str]], *, tidy: str | None = None) -> list[dict[str, Any]]:
    """Run one process per writer (name, path, working folder) at once; return what each saved."""
    context = multiprocessing.get_context("fork")
    start, results, stop = context.Barrier(len(writers)), context.Queue(), context.Event()
    procs = [
        context.Process(target=writer, args=(name, path, cwd, SAVES, start, results))
        for name, path, cwd in writers
    ]
    helper = context.Process(target=tidier, args=(tidy, stop)) if tidy else None
    if helper:
        helper.start()
    for p in procs:
        p.start()
    outcome = [results.get(timeout=300) for _ in procs]
    stop.set()
    for p in [*procs, *([helper] if helper else [])]:
        p.join(timeout=60)
        assert p.exitcode == 0
    assert [r["error"] for r in outcome] == [None] * len(writers)
    return outcome


def assert_nothing_lost(path: Path, outcome: list[dict[str, Any]], setup_versions: int) -> dict[str, int]:
    """Every returned number is unique and holds the content saved under it; return the figures."""
    saved = [item for r in outcome for item in r["saved"]]
    numbers = [version for version, _ in saved]
    duplicates = len(numbers) - len(set(numbers))
    workbench.validate(path)
    store.CACHE.clear()
    hist = workbench.history(path)
    messages = {r.version: r.message for r in hist}
    overwritten = [
        (version, token)
        for version, token in saved
        if messages.get(version) != token or workbench.load(path, version).element("el-0002").label != token
    ]
    figures = {
        "saves": len(saved),
        "conflicts": sum(r["conflicts"] for r in outcome),
        "duplicate numbers": duplicates,
        "silent overwrites": len(overwritten),
        "versions": len(hist),
    }
    print(figures)
    assert duplicates == 0, figures
    assert overwritten == [], figures
    assert sorted(numbers) == list(range(setup_versions + 1, setup_versions + 1 + len(saved)))
    assert len(hist) == setup_versions + len(saved)
    return figures


def make_case(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "case.formulation.json"
    workbench.save(sample(), path, message="Start", author="Dr Setup")
    return path


@pytest.mark.parametrize("other_name", ["symlink", "hardlink"])
def test_writers_through_another_name_never_overwrite_silently(tmp_path: Path, other_name: str) -> None:
    path = make_case(tmp_path / "cases")
    (tmp_path / "home").mkdir()
    other = tmp_path / "home" / "linked.formulation.json"
    if other_name == "symlink":
        other.symlink_to(path)
    else:
        os.link(path, other)
    (tmp_path / "cases" / "sub").mkdir()
    writers = [
        ("Dr Plain", str(path), str(tmp_path)),
        (f"Dr {other_name}", str(other), str(tmp_path)),
        ("Dr Relative", "../case.formulation.json", str(tmp_path / "cases" / "sub")),
    ]
    assert_nothing_lost(path, race(writers), setup_versions=1)
    assert other.read_bytes() == path.read_bytes()


def test_deleting_lock_files_while_writers_work_loses_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "cases"
    path = make_case(folder)
    writers = [(f"Dr {n}", str(path), str(tmp_path)) for n in ("Rivera", "Ng", "Osei")]
    assert_nothing_lost(path, race(writers, tidy=str(folder)), setup_versions=1)


def test_saving_and_reading_leave_no_lock_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["show", str(tmp_path / "missing.formulation.json")]) == 1
    assert "there is no such file" in capsys.readouterr().err
    with pytest.raises(FormulationFileError, match="there is no such file"):
        workbench.load(tmp_path / "missing.formulation.json")
    with pytest.raises(FormulationFileError, match="there is no such file"):
        workbench.history(tmp_path / "missing.formulation.json")
    assert list(tmp_path.iterdir()) == []

    path = make_case(tmp_path)
    f = workbench.load(path)
    f.add_element("strength", "Humour")
    workbench.save(f, path, message="More", author="Dr Rivera")
    workbench.history(path)
    workbench.validate(path)
    workbench.restore(path, 1, author="Dr Rivera")
    assert cli.main(["show", str(path)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case.formulation.json"]


def test_a_planted_lock_symlink_is_never_followed(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    folder = tmp_path / "cases"
    folder.mkdir()
    path = folder / "case.formulation.json"
    (folder / "case.formulation.json.lock").symlink_to(elsewhere / "planted")
    (folder / "other.formulation.json.lock").symlink_to(elsewhere / "planted-too")
    f = sample()
    workbench.save(f, path, message="Start", author="Dr Rivera")
    f.add_element("strength", "Humour")
    workbench.save(f, path, message="More", author="Dr Rivera")
    workbench.load(path)
    workbench.history(path)
    with pytest.raises(FormulationFileError):
        workbench.load(folder / "other.formulation.json")
    assert list(elsewhere.iterdir()) == []


# --- one save holds the lock: a save by any other name waits for it -----------------------------


def paused_saver(path: str, inside: Any, go: Any, results: Any) -> None:
    """Save through ``path``, but stop inside the lock (after reading the file) until ``go`` is set."""
    original = store._check_conflict

    def pausing(*args: Any, **kwargs: Any) -> None:
        inside.set()
        go.wait()
        original(*args, **kwargs)

    store._check_conflict = pausing  # type: ignore[assignment]
    f = workbench.load(path)
    f.update_element("el-0002", label="Held")
    results.put(("held", workbench.save(f, path, message="Held", author="Dr Held")))


def second_saver(f: workbench.Formulation, path: str, cwd: str, results: Any) -> None:
    """Save ``f`` (opened before the other save started) through ``path``."""
    os.chdir(cwd)
    try:
        results.put(("second", workbench.save(f, path, message="Second", author="Dr Second")))
    except SaveConflict as conflict:
        results.put(("second", str(conflict)))


def waits_for_a_lock(pid: int) -> bool:
    """True if process ``pid`` is blocked waiting for a file lock (Linux ``/proc/locks``)."""
    with open("/proc/locks", encoding="ascii") as locks:
        return any(
            len(parts) > 5 and parts[1] == "->" and parts[5] == str(pid)
            for parts in (line.split() for line in locks)
        )


@pytest.mark.parametrize("other_name", ["symlink", "hardlink", "dotdot", "lock file deleted"])
def test_a_save_by_another_name_waits_for_the_save_holding_the_lock(tmp_path: Path, other_name: str) -> None:
    folder = tmp_path / "cases"
    path = make_case(folder)
    (folder / "sub").mkdir()
    second_path, cwd = str(path), str(tmp_path)
    if other_name == "symlink":
        (tmp_path / "linked.formulation.json").symlink_to(path)
        second_path = str(tmp_path / "linked.formulation.json")
    elif other_name == "hardlink":
        os.link(path, tmp_path / "linked.formulation.json")
        second_path = str(tmp_path / "linked.formulation.json")
    elif other_name == "dotdot":
        second_path, cwd = "../case.formulation.json", str(folder / "sub")
    opened_by_second = workbench.load(path)
    opened_by_second.update_element("el-0002", label="Second")

    context = multiprocessing.get_context("fork")
    inside, go, results = context.Event(), context.Event(), context.Queue()
    held = context.Process(target=paused_saver, args=(str(path), inside, go, results))
    held.start()
    assert inside.wait(timeout=120)
    if other_name == "lock file deleted":  # by a user tidying the folder (there is none any more)
        for lock in folder.glob("*.lock"):
            lock.unlink()
    second = context.Process(target=second_saver, args=(opened_by_second, second_path, cwd, results))
    second.start()
    # wait until the second save either finished (it did not wait) or waits for the lock
    while second.exitcode is None and results.empty() and not waits_for_a_lock(second.pid):  # type: ignore[arg-type]
        second.join(timeout=0.01)
    go.set()
    outcome = dict(results.get(timeout=120) for _ in range(2))
    for p in (held, second):
        p.join(timeout=60)
        assert p.exitcode == 0

    assert outcome["held"] == 2
    assert outcome["second"] == (
        "Version 2 was saved by Dr Held at "
        + workbench.history(path)[-1].time.strftime("%Y-%m-%d %H:%M UTC")
        + " after you opened version 1; nothing was overwritten. Save your changes under another file name."
    )
    workbench.validate(path)
    store.CACHE.clear()
    assert workbench.load(path).element("el-0002").label == "Held"
    assert len(workbench.history(path)) == 2


# --- creating a new file ------------------------------------------------------------------------


def creator(name: str, path: str, start: Any, results: Any) -> None:
    """Create a new file at ``path`` at the same moment as the others."""
    f = sample()
    f.update_meta(title=f"Made by {name}")
    start.wait()
    try:
        results.put((name, workbench.save(f, path, message=name, author=name)))
    except SaveConflict as conflict:
        results.put((name, str(conflict)))


def no_hard_links(*args: Any, **kwargs: Any) -> None:
    """``os.link`` as on FAT/exFAT file systems."""
    raise OSError(errno.EPERM, "Operation not permitted")


@pytest.mark.parametrize("round_", range(3 * SOAK))
@pytest.mark.parametrize("links", ["hard links", "no hard links"])
def test_processes_creating_the_same_new_file_never_overwrite_each_other(
    tmp_path: Path, round_: int, links: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if links == "no hard links":
        monkeypatch.setattr(os, "link", no_hard_links)  # the children inherit it
    (tmp_path / "cases").mkdir()
    (tmp_path / "linked").symlink_to(tmp_path / "cases", target_is_directory=True)
    path = tmp_path / "cases" / "new.formulation.json"
    names = {
        "Dr Plain": str(path),
        "Dr Folder Link": str(tmp_path / "linked" / "new.formulation.json"),
        "Dr Dots": str(tmp_path / "linked" / ".." / "cases" / "new.formulation.json"),
    }
    context = multiprocessing.get_context("fork")
    start, results = context.Barrier(len(names)), context.Queue()
    procs = [context.Process(target=creator, args=(n, p, start, results)) for n, p in names.items()]
    for p in procs:
        p.start()
    outcome = dict(results.get(timeout=120) for _ in procs)
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    winners = [name for name, got in outcome.items() if got == 1]
    assert len(winners) == 1, outcome
    for name, got in outcome.items():
        if name not in winners:
            assert "holds another formulation (version 1 saved by " + winners[0] in str(got)
    assert workbench.load(path).meta.title == f"Made by {winners[0]}"
    assert sorted(p.name for p in (tmp_path / "cases").iterdir()) == ["new.formulation.json"]


def test_a_link_to_a_missing_file_is_refused_and_left_alone(tmp_path: Path) -> None:
    (tmp_path / "dangling.formulation.json").symlink_to(tmp_path / "gone" / "case.formulation.json")
    refused = r"is a link to .*which does not exist; nothing was written"
    with pytest.raises(FormulationFileError, match=refused):
        workbench.save(sample(), tmp_path / "dangling.formulation.json", message="m", author="Dr Rivera")
    assert (tmp_path / "dangling.formulation.json").is_symlink()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dangling.formulation.json"]


def test_an_empty_file_is_filled_as_a_new_case_through_its_link(tmp_path: Path) -> None:
    real = tmp_path / "real.formulation.json"
    real.touch()
    (tmp_path / "link.formulation.json").symlink_to(real)
    assert workbench.save(sample(), tmp_path / "link.formulation.json", message="m", author="Dr Rivera") == 1
    assert (tmp_path / "link.formulation.json").is_symlink()
    assert workbench.load(real).meta.case_id == "C-017"


# --- what two writers that did not see each other's lock leave behind -------------------------------


def test_validate_refuses_a_version_number_used_twice(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = make_case(tmp_path)
    theirs = tmp_path / "theirs.formulation.json"
    theirs.write_bytes(path.read_bytes())  # the same file (same id), as another writer saw it
    for where, label in ((path, "Humour"), (theirs, "Wit")):
        f = workbench.load(where)
        f.add_element("strength", label)
        assert workbench.save(f, where, message=label, author="Dr " + label) == 2
    # what a second writer holding another lock leaves: its own version 2 after ours
    path.write_bytes(path.read_bytes() + theirs.read_bytes().splitlines(keepends=True)[-1])

    refused = (
        "line 4: it holds version 2 a second time, where version 3 belongs: two saves took the same "
        "number, so one of them may be missing from the history."
    )
    with pytest.raises(FormulationFileError) as error:
        workbench.validate(path)
    assert str(error.value) == f"{path}, {refused}"
    assert cli.main(["validate", str(path)]) == 1
    assert refused in capsys.readouterr().err


def test_a_device_is_never_replaced_by_a_save(tmp_path: Path) -> None:
    (tmp_path / "null.formulation.json").symlink_to("/dev/null")
    with pytest.raises(FormulationFileError, match="this is not an ordinary file; nothing was written"):
        workbench.save(sample(), tmp_path / "null.formulation.json", message="m", author="Dr Rivera")
    assert Path("/dev/null").is_char_device()


def new_case_saver(path: str, inherited: int, results: Any) -> None:
    """Save a new case at ``path`` (where an empty file is), after closing the parent's descriptor."""
    os.close(inherited)  # it shares the parent's lock
    f = sample()
    f.update_meta(title="Mine")
    try:
        results.put(workbench.save(f, path, message="Mine", author="Dr Mine"))
    except SaveConflict as conflict:
        results.put(str(conflict))


def test_a_save_waiting_on_a_file_that_is_replaced_meanwhile_saves_onto_the_new_file(tmp_path: Path) -> None:
    path = tmp_path / "case.formulation.json"
    path.touch()  # an empty file: a save fills it as a new case, unless it is replaced first
    ready = tmp_path / "ready.formulation.json"
    workbench.save(sample(), ready, message="Theirs", author="Dr Theirs")
    expected = ready.read_bytes()
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    with path.open("rb") as holder:
        fcntl.flock(holder.fileno(), fcntl.LOCK_EX)  # someone is busy with the empty file
        child = context.Process(target=new_case_saver, args=(str(path), holder.fileno(), results))
        child.start()
        while child.exitcode is None and results.empty() and not waits_for_a_lock(child.pid):  # type: ignore[arg-type]
            child.join(timeout=0.01)
        os.replace(ready, path)  # ... and puts a whole case in its place
    outcome = results.get(timeout=120)
    child.join(timeout=60)
    assert child.exitcode == 0
    assert "holds another formulation (version 1 saved by Dr Theirs" in str(outcome)
    assert path.read_bytes() == expected


def test_repair_through_a_symbolic_link_repairs_the_case_and_keeps_the_link(tmp_path: Path) -> None:
    path = make_case(tmp_path / "cases")
    f = workbench.load(path)
    f.add_element("strength", "Humour")
    workbench.save(f, path, message="Humour", author="Dr Rivera")
    lines = path.read_bytes().splitlines(keepends=True)
    path.write_bytes(b"".join([*lines, lines[-1]]))  # version 2 twice
    link = tmp_path / "linked.formulation.json"
    link.symlink_to(path)
    with pytest.raises(FormulationFileError, match="a second time"):
        workbench.validate(link)
    report = workbench.fileformat.repair(link)
    assert report.changed and len(report.set_aside) == 1
    assert link.is_symlink() and link.resolve() == path
    workbench.validate(path)
    assert len(workbench.history(link)) == 2
    assert not list(tmp_path.rglob("*.lock")) and not list(tmp_path.rglob(".*.tmp"))
