"""Files shared by several OS users: permissions follow the folder, locks and conflicts work across users.

The permission rule (docs/file-format.md): a new file gets ``0666`` less the
umask, like a file made by any other program; in a setgid (group-shared)
folder it takes the folder's group and the folder's group read/write bits.

The tests across users need root: each user is a forked process that drops to
a throwaway numeric user and group id (no account is created), so they are
skipped with that reason when the suite does not run as root.
"""

from __future__ import annotations

import contextlib
import io
import multiprocessing
import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fileformat_helpers import SOAK, keep_saving, sample

import workbench
from workbench import cli
from workbench.errors import FormulationFileError, SaveConflict
from workbench.fileformat import store

GROUP = 42000
TRAINEE, SUPERVISOR, OUTSIDER = 42001, 42002, 42003
SAVES = 8 * SOAK


@contextlib.contextmanager
def umask(mask: int) -> Iterator[None]:
    old = os.umask(mask)
    try:
        yield
    finally:
        os.umask(old)


def new_case_mode(folder: Path, mask: int) -> int:
    path = folder / f"case-{mask:o}.formulation.json"
    with umask(mask):
        workbench.save(sample(), path, message="m", author="Dr Rivera")
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize(
    ("mask", "mode"),
    [(0o022, 0o644), (0o027, 0o640), (0o002, 0o664), (0o077, 0o600)],
    ids=lambda value: f"{value:04o}",
)
def test_a_new_file_follows_the_umask(tmp_path: Path, mask: int, mode: int) -> None:
    assert new_case_mode(tmp_path, mask) == mode


@pytest.mark.parametrize(
    ("folder_mode", "mask", "mode"),
    [(0o2770, 0o077, 0o660), (0o2770, 0o022, 0o664), (0o2750, 0o002, 0o644), (0o2700, 0o002, 0o604)],
    ids=lambda value: f"{value:04o}",
)
def test_a_new_file_in_a_setgid_folder_takes_its_group_and_group_permissions(
    tmp_path: Path, folder_mode: int, mask: int, mode: int
) -> None:
    folder = tmp_path / "group"
    folder.mkdir()
    os.chmod(folder, folder_mode)
    assert new_case_mode(folder, mask) == mode
    assert (folder / f"case-{mask:o}.formulation.json").stat().st_gid == folder.stat().st_gid


def test_saving_keeps_the_permissions_a_file_has(tmp_path: Path) -> None:
    path = tmp_path / "case.formulation.json"
    f = sample()
    workbench.save(f, path, message="m", author="Dr Rivera")
    os.chmod(path, 0o640)
    f.add_element("strength", "Humour")
    workbench.save(f, path, message="m", author="Dr Rivera")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


# --- across OS users (root only) ------------------------------------------------------------------

needs_root = pytest.mark.skipif(
    os.geteuid() != 0, reason="switching to other OS users needs root (the suite runs as a normal user)"
)


@pytest.fixture
def shared() -> Iterator[Path]:
    """A group folder (setgid, 2770) of GROUP that all users can reach, outside pytest's private tmp."""
    folder = Path(tempfile.mkdtemp(prefix="wb-shared-", dir="/tmp"))
    try:
        os.chmod(folder, 0o755)
        cases = folder / "cases"
        cases.mkdir()
        os.chown(cases, 0, GROUP)
        os.chmod(cases, 0o2770)
        yield cases
    finally:
        shutil.rmtree(folder)


def become(uid: int, groups: list[int]) -> None:
    """In a forked child: drop to ``uid`` with ``groups`` (the first is the primary one), umask 022."""
    os.setgroups(groups)
    os.setgid(groups[0] if groups else uid)
    os.setuid(uid)
    os.umask(0o022)
    os.environ["HOME"] = "/nonexistent"


def as_user(uid: int, groups: list[int], work: Callable[[], Any]) -> Any:
    """Run ``work`` in a process of another OS user; return its result or ``("error", message)``."""
    context = multiprocessing.get_context("fork")
    results = context.Queue()

    def body() -> None:
        become(uid, groups)
        try:
            results.put(work())
        except Exception as exc:
            results.put(("error", f"{type(exc).__name__}: {exc}"))

    child = context.Process(target=body)
    child.start()
    result = results.get(timeout=120)
    child.join(timeout=60)
    assert child.exitcode == 0
    return result


def create_case(path: Path, author: str) -> int:
    return workbench.save(sample(), path, message="Start", author=author)


@needs_root
def test_a_new_file_in_a_group_folder_can_be_saved_by_every_member(shared: Path) -> None:
    path = shared / "case.formulation.json"
    assert as_user(TRAINEE, [TRAINEE, GROUP], lambda: create_case(path, "Trainee")) == 1
    st = path.stat()
    assert (st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)) == (TRAINEE, GROUP, 0o664)

    def supervisor_saves() -> int:
        f = workbench.load(path)
        f.add_comment("Where is the evidence?", author="Supervisor", target="el-0002")
        return workbench.save(f, path, message="Comment", author="Supervisor")

    assert as_user(SUPERVISOR, [SUPERVISOR, GROUP], supervisor_saves) == 2
    assert path.stat().st_uid == TRAINEE
    workbench.validate(path)


def user_writer(uid: int, path: str, start: Any, results: Any) -> None:
    """One OS user saving again and again (see ``keep_saving``)."""
    become(uid, [uid, GROUP])
    start.wait()
    results.put(keep_saving(f"user {uid}", path, SAVES))


@needs_root
def test_two_os_users_saving_one_file_at_once_never_overwrite_each_other(shared: Path) -> None:
    path = shared / "case.formulation.json"
    assert as_user(TRAINEE, [TRAINEE, GROUP], lambda: create_case(path, "Trainee")) == 1
    context = multiprocessing.get_context("fork")
    start, results = context.Barrier(2), context.Queue()
    procs = [
        context.Process(target=user_writer, args=(uid, str(path), start, results))
        for uid in (TRAINEE, SUPERVISOR)
    ]
    for p in procs:
        p.start()
    outcome = [results.get(timeout=300) for _ in procs]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    assert [r["error"] for r in outcome] == [None, None]
    saved = [item for r in outcome for item in r["saved"]]
    assert sorted(v for v, _ in saved) == list(range(2, 2 + len(saved)))  # every number once
    store.CACHE.clear()
    for version, token in saved:
        assert workbench.load(path, version).element("el-0002").label == token
    workbench.validate(path)
    print({"saves": len(saved), "conflicts": sum(r["conflicts"] for r in outcome)})


@needs_root
def test_a_conflict_between_users_names_the_other_author(shared: Path) -> None:
    path = shared / "case.formulation.json"
    assert as_user(TRAINEE, [TRAINEE, GROUP], lambda: create_case(path, "Trainee")) == 1
    opened_by_trainee = workbench.load(path)
    opened_by_trainee.add_element("strength", "Humour")

    def supervisor_saves() -> int:
        f = workbench.load(path)
        f.add_element("defense", "Denial")
        return workbench.save(f, path, message="Denial", author="Dr Supervisor")

    def trainee_saves() -> Any:
        try:
            return workbench.save(opened_by_trainee, path, message="Humour", author="Trainee")
        except SaveConflict as conflict:
            return ("conflict", str(conflict), conflict.other_author)

    assert as_user(SUPERVISOR, [SUPERVISOR, GROUP], supervisor_saves) == 2
    kind, message, other = as_user(TRAINEE, [TRAINEE, GROUP], trainee_saves)
    assert (kind, other) == ("conflict", "Dr Supervisor")
    assert message.startswith("Version 2 was saved by Dr Supervisor at ")
    assert message.endswith("nothing was overwritten. Save your changes under another file name.")


@needs_root
def test_permission_problems_across_users_are_one_clear_sentence(shared: Path) -> None:
    path = shared / "case.formulation.json"
    assert as_user(TRAINEE, [TRAINEE, GROUP], lambda: create_case(path, "Trainee")) == 1
    before = path.read_bytes()

    def show() -> tuple[int, str]:
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            code = cli.main(["show", str(path)])
        return code, err.getvalue()

    # someone outside the group cannot read the case: one line, no traceback
    code, err = as_user(OUTSIDER, [OUTSIDER], show)
    assert code == 1
    assert err == (
        f"error: {path}: you may not read this file (permission denied); ask the file's owner for access.\n"
    )

    # a member may read a file the owner made read-only for the group, but not save to it
    os.chmod(path, 0o644)

    def member_saves() -> Any:
        f = workbench.load(path)
        f.add_element("strength", "Humour")
        try:
            return workbench.save(f, path, message="m", author="Dr Supervisor")
        except FormulationFileError as exc:
            return ("error", str(exc))

    assert as_user(SUPERVISOR, [SUPERVISOR, GROUP], member_saves) == (
        "error",
        f"{path}: you may read this file but not save to it (permission denied); nothing was written. "
        "Save your changes under another file name, or ask the file's owner for write access.",
    )
    assert path.read_bytes() == before

    # a folder where the member may not create files
    library = shared / "library"
    library.mkdir()
    os.chmod(library, 0o755)

    def member_creates() -> Any:
        try:
            return create_case(library / "mine.formulation.json", "Dr Supervisor")
        except FormulationFileError as exc:
            return ("error", str(exc))

    assert as_user(SUPERVISOR, [SUPERVISOR, GROUP], member_creates) == (
        "error",
        f"{library / 'mine.formulation.json'}: the folder {library} does not let you create files "
        "(permission denied); nothing was written. Save the case in a folder of your own, or ask the "
        "folder's owner for write access.",
    )
    assert list(library.iterdir()) == []
