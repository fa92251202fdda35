"""The seminar's folders across real OS users: library, references, hand-ins and feedback.

Each user is a real (throwaway) account made with ``useradd`` for this module and removed after
it; each check runs in a forked process that drops to that user with the groups the system gives
it, as the user's Jupyter server does under JupyterHub. Needs root (skipped otherwise).
"""

from __future__ import annotations

import grp
import os
import pwd
import shutil
import stat
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from test_file_sharing import as_user

import workbench
from workbench import cli
from workbench.classroom import folders as seminar
from workbench.classroom import handin as desk
from workbench.classroom import seminar as sem
from workbench.errors import WorkbenchError

pytestmark = pytest.mark.skipif(
    os.geteuid() != 0 or shutil.which("useradd") is None,
    reason="real OS users need root and useradd (the suite runs as a normal user)",
)
CASES = Path(__file__).resolve().parents[1] / "notebooks" / "cases" / "teaching"
CASE = "psychodynamic_self_sufficient_carer.formulation.json"
TAG = f"wbt{os.getpid() % 100000}"
T1, T2, SUP = f"{TAG}a", f"{TAG}b", f"{TAG}s"


@pytest.fixture(scope="module")
def users() -> Iterator[None]:
    # The forked users cannot read a Python under /root (mode 700), so what pandas imports lazily is
    # imported here first, as root.
    pd.DataFrame({"a": [1]}).to_dict("records")
    made = []
    try:
        for name in (T1, T2, SUP):
            subprocess.run(["useradd", "--no-create-home", "--shell", "/usr/sbin/nologin", name], check=True)
            made.append(name)
        yield
    finally:
        for name in made:
            subprocess.run(["userdel", name], check=False)


@pytest.fixture
def root(users: None) -> Iterator[Path]:
    base = Path(tempfile.mkdtemp(prefix="wb-seminar-", dir="/tmp"))
    os.chmod(base, 0o755)
    try:
        yield base / "seminar"
    finally:
        shutil.rmtree(base)


def run_as(name: str, work: Callable[[], Any]) -> Any:
    """Run ``work`` as the OS user ``name`` with their groups; exceptions come back as sentences."""
    entry = pwd.getpwnam(name)
    groups = [entry.pw_gid, *(g for g in os.getgrouplist(name, entry.pw_gid) if g != entry.pw_gid)]

    def body() -> Any:
        os.environ["USER"] = os.environ["LOGNAME"] = name
        try:
            return work()
        except (WorkbenchError, OSError) as exc:
            return ("error", str(exc))

    return as_user(entry.pw_uid, groups, body)


def set_up(root: Path) -> seminar.SeminarFolders:
    seminar.setup(root, trainees=[T1, T2], supervisors=[SUP], cases=CASES)
    return seminar.SeminarFolders(root)


def mode(path: Path) -> tuple[str, str, int]:
    st = path.stat()
    return pwd.getpwuid(st.st_uid).pw_name, grp.getgrgid(st.st_gid).gr_name, stat.S_IMODE(st.st_mode)


def build_and_hand_in(folders: seminar.SeminarFolders, home: Path, label: str) -> Any:
    def work() -> Any:
        own = desk.open_library_case(CASE, folders=folders, into=home)
        f = workbench.load(own)
        f.add_element("present_symptom", label)
        f.add_element("defense", "Self-sufficiency")
        workbench.save(f, own, message="Built", author="me")
        done = desk.hand_in(own, folders=folders)
        return done.version, done.source_version, str(done.path)

    return run_as(T1 if "one" in label else T2, work)


def homes(base: Path) -> dict[str, Path]:
    out = {}
    for name in (T1, T2):
        home = base / f"home-{name}"
        home.mkdir()
        shutil.chown(home, name)
        os.chmod(home, 0o700)
        out[name] = home
    return out


def test_setup_makes_the_folders_with_their_permissions_and_is_idempotent(root: Path) -> None:
    folders = set_up(root)
    assert mode(folders.library) == ("root", "root", 0o755)
    assert mode(folders.references) == ("root", seminar.SUPERVISORS, 0o2750)
    assert mode(folders.handins) == ("root", seminar.SUPERVISORS, 0o751)
    assert mode(folders.handin_folder(T1)) == (T1, seminar.SUPERVISORS, 0o2750)
    assert mode(folders.feedback_folder(T2)) == (T2, seminar.SUPERVISORS, 0o3770)
    assert mode(folders.library / CASE) == ("root", "root", 0o644)
    assert mode(folders.references / CASE) == ("root", seminar.SUPERVISORS, 0o640)
    assert workbench.load(folders.library / CASE).element_records() == []  # a starter: no elements yet
    # one starter per case: the trainee's and the second rater's formulations are references only
    second = ("_trainee", "second_rater")
    assert sorted(p.name for p in folders.library.iterdir()) == sorted(
        p.name for p in CASES.glob("*.formulation.json") if not any(s in p.name for s in second))
    assert len(list(folders.references.iterdir())) == len(list(CASES.glob("*.formulation.json")))
    assert workbench.load(folders.references / CASE).meta.case_id == workbench.load(
        folders.library / CASE).meta.case_id
    # a folder someone loosened is put right; nothing else changes
    os.chmod(folders.handin_folder(T1), 0o2777)
    again = seminar.setup(root, trainees=[T1, T2], supervisors=[SUP], cases=CASES)
    assert again == [f"set {folders.handin_folder(T1)} to {T1}:{seminar.SUPERVISORS}, 2750"]
    assert seminar.setup(root, trainees=[T1, T2], supervisors=[SUP], cases=CASES) == []


def test_setup_refuses_unknown_users_and_links_in_place_of_folders(root: Path) -> None:
    with pytest.raises(seminar.SetupError, match="There is no user nobody-such-user on this machine"):
        seminar.setup(root, trainees=["nobody-such-user"], supervisors=[SUP])
    root.mkdir()
    (root / "library").symlink_to("/etc")
    with pytest.raises(seminar.SetupError, match="is not a folder"):
        seminar.setup(root, trainees=[T1], supervisors=[SUP])


def test_hand_ins_reach_the_supervisors_and_no_other_trainee(root: Path) -> None:
    folders = set_up(root)
    home = homes(root.parent)
    version, source_version, path = build_and_hand_in(folders, home[T1], "Panic on the night bus (one)")
    assert (version, source_version) == (1, 2)
    handed = Path(path)
    assert mode(handed) == (T1, seminar.SUPERVISORS, 0o640)
    assert workbench.history(handed)[-1].message == f"Handed in version 2 of {CASE}"
    build_and_hand_in(folders, home[T2], "Sleepless since the move (two)")

    # the supervisor sees both hand-ins
    listed = run_as(SUP, lambda: sem.handins(folders)[["trainee", "version"]].values.tolist())
    assert listed == [[T1, 1], [T2, 1]]
    # the other trainee cannot read, list, or add to trainee 1's hand-ins
    assert run_as(T2, lambda: workbench.load(handed)) == (
        "error",
        f"{handed}: you may not read this file (permission denied); ask the file's owner for access.",
    )
    assert run_as(T2, lambda: [p.name for p in folders.handin_folder(T1).iterdir()])[0] == "error"
    assert run_as(T2, lambda: sem.handins(folders)["trainee"].tolist()) == [T2]
    planted = folders.handin_folder(T1) / "planted.formulation.json"
    assert run_as(T2, lambda: workbench.save(workbench.new(case_id="X"), planted, message="m",
                                             author="x"))[0] == "error"
    assert not planted.exists()
    # the supervisor can read but not change a hand-in; nor can the trainee reach the references
    def supervisor_writes() -> Any:
        f = workbench.load(handed)
        f.add_element("strength", "Humour")
        return workbench.save(f, handed, message="m", author="Supervisor")

    kind, message = run_as(SUP, supervisor_writes)
    assert kind == "error" and "you may read this file but not save to it" in message
    assert run_as(T1, lambda: workbench.load(folders.references / CASE))[0] == "error"
    def trainee_changes_the_library() -> Any:
        f = workbench.load(folders.library / CASE)
        f.add_element("strength", "Humour")
        return workbench.save(f, folders.library / CASE, message="m", author="me")

    assert run_as(T1, trainee_changes_the_library)[0] == "error"
    assert len(workbench.history(folders.library / CASE)) == 1
    # a second hand-in is a new version: the first stays
    def hand_in_again() -> int:
        own = home[T1] / CASE
        f = workbench.load(own)
        f.add_element("strength", "Humour")
        workbench.save(f, own, message="More", author="me")
        return desk.hand_in(own, folders=folders).version

    assert run_as(T1, hand_in_again) == 2
    assert len(workbench.history(handed)) == 2


def test_feedback_reaches_only_its_trainee_and_the_comparison_names_what_was_missed(root: Path) -> None:
    folders = set_up(root)
    home = homes(root.parent)
    _, _, path = build_and_hand_in(folders, home[T1], "Panic on the night bus (one)")
    build_and_hand_in(folders, home[T2], "Sleepless since the move (two)")
    handed = Path(path)
    before = handed.read_bytes()
    assert run_as(SUP, lambda: sem.give_feedback(handed, "Where is the early experience?",
                                                 author="Dr Supervisor", folders=folders)) == 1
    assert handed.read_bytes() == before  # the trainee's hand-in is untouched
    got = run_as(T1, lambda: desk.feedback_for(home[T1] / CASE, folders=folders)[["author", "text"]]
                 .values.tolist())
    assert got == [["Dr Supervisor", "Where is the early experience?"]]
    feedback = folders.feedback_folder(T1) / CASE
    assert run_as(T2, lambda: workbench.load(feedback))[0] == "error"

    def trainee_edits_feedback() -> Any:
        f = workbench.load(feedback)
        f.add_comment("I wrote this", author="Dr Supervisor")
        return workbench.save(f, feedback, message="m", author="Dr Supervisor")

    assert run_as(T1, trainee_edits_feedback)[0] == "error"

    def compared() -> Any:
        result = sem.compare_handins(workbench.load(handed).meta.case_id, folders)
        return (result.summary["trainee"].tolist(), result.summary["missed"].tolist(),
                result.added[T1], result.pairwise.loc[T1, T2], str(result.reference))

    trainees, missed, added, pair, reference = run_as(SUP, compared)
    total = len(workbench.load(folders.references / CASE).element_records())
    assert trainees == [T1, T2]
    assert all(0 < m <= total for m in missed)
    assert "Panic on the night bus (one)" in added
    assert pair == pytest.approx(1 / 3)  # both have "Self-sufficiency", each one symptom of their own
    assert reference == str(folders.references / CASE)


def test_the_setup_command_reports_what_it_did_and_a_missing_user_in_one_line(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["hub", "setup", "--root", str(root), "--trainees", f"{T1},{T2}", "--supervisors", SUP]
    assert cli.main([*args, "--cases", str(CASES)]) == 0
    out = capsys.readouterr().out
    assert f"created {root / 'handins' / T1} ({T1}:{seminar.SUPERVISORS}, 2750)" in out
    assert out.endswith(f"The seminar folders in {root} are set up ({len(out.splitlines()) - 1} changes).\n")
    assert cli.main(args) == 0
    assert capsys.readouterr().out == f"The seminar folders in {root} are set up (0 changes).\n"
    assert cli.main(["hub", "setup", "--root", str(root), "--trainees", "nobody-such-user"]) == 1
    assert capsys.readouterr().err == (
        "error: There is no user nobody-such-user on this machine; create the account first.\n")
