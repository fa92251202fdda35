"""The seminar's folders on a shared machine and their permissions.

Layout under the seminar root (``$WORKBENCH_SEMINAR_ROOT``, by default ``/srv/workbench``)::

    library/              root:root 0755      the cases everybody may open (read-only; files 0644)
    references/           root:wb-supervisors 2750   the supervisors' reference formulations
    teaching/             root:root 0755      notebooks and cases copied into each user's folder
    handins/              root:wb-supervisors 0751   supervisors list it, trainees only pass through
    handins/<trainee>/    <trainee>:wb-supervisors 2750  the trainee writes, supervisors read
    feedback/             root:wb-supervisors 0751
    feedback/<trainee>/   <trainee>:wb-supervisors 3770  supervisors write comments the trainee reads

Each trainee's and supervisor's home folder is made private (their own copies of cases live there).
A hand-in (group read only, from the setgid folder's group bits) can be changed by nobody but the
trainee, and only by appending versions; another trainee cannot even reach it. Feedback files are
the supervisors' (readable by the trainee, whose folder it is; the sticky bit keeps supervisors
from removing each other's). :func:`setup` makes all this, and is safe to run again.
"""

from __future__ import annotations

import grp
import os
import pwd
import shutil
import stat
import subprocess
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from workbench.errors import WorkbenchError
from workbench.fileformat import store
from workbench.model import Formulation
from workbench.workspace import copy_new

__all__ = [
    "SUPERVISORS",
    "TRAINEES",
    "SeminarFolders",
    "SetupError",
    "current_user",
    "is_supervisor",
    "seminar_folders",
    "setup",
]

TRAINEES = "wb-trainees"
SUPERVISORS = "wb-supervisors"
CASE_SUFFIX = ".formulation.json"


class SetupError(WorkbenchError):
    """The seminar's folders could not be set up (a sentence saying why)."""


@dataclass(frozen=True)
class SeminarFolders:
    """Where the seminar keeps its cases, hand-ins and feedback."""

    root: Path

    @property
    def library(self) -> Path:
        """The read-only case library."""
        return self.root / "library"

    @property
    def references(self) -> Path:
        """The supervisors' reference formulations (one per library case, same file name)."""
        return self.root / "references"

    @property
    def teaching(self) -> Path:
        """Notebooks and cases copied into each user's cases folder where missing."""
        return self.root / "teaching"

    @property
    def handins(self) -> Path:
        """One folder per trainee with their hand-ins."""
        return self.root / "handins"

    @property
    def feedback(self) -> Path:
        """One folder per trainee with the supervisors' comments on their hand-ins."""
        return self.root / "feedback"

    def handin_folder(self, user: str) -> Path:
        """The hand-in folder of ``user``."""
        return self.handins / user

    def feedback_folder(self, user: str) -> Path:
        """The feedback folder of ``user``."""
        return self.feedback / user


def seminar_folders(root: str | os.PathLike[str] | None = None) -> SeminarFolders:
    """The seminar folders under ``root``, ``$WORKBENCH_SEMINAR_ROOT`` or ``/srv/workbench``."""
    where = root if root is not None else os.environ.get("WORKBENCH_SEMINAR_ROOT", "/srv/workbench")
    return SeminarFolders(Path(where).expanduser())


def current_user() -> str:
    """The login name of this process's user."""
    return pwd.getpwuid(os.geteuid()).pw_name


def is_supervisor(user: str | None = None) -> bool:
    """Whether ``user`` (default: this process's user) is in the supervisors' group."""
    name = user or current_user()
    try:
        group = grp.getgrnam(SUPERVISORS)
    except KeyError:
        return False
    try:
        primary = pwd.getpwnam(name).pw_gid
    except KeyError:
        primary = -1
    return name in group.gr_mem or primary == group.gr_gid


def setup(
    root: str | os.PathLike[str],
    *,
    trainees: Sequence[str],
    supervisors: Sequence[str],
    cases: str | os.PathLike[str] | None = None,
    library: str | os.PathLike[str] | None = None,
    references: str | os.PathLike[str] | None = None,
    teaching: Sequence[str | os.PathLike[str]] = (),
) -> list[str]:
    """Create or repair the seminar's folders, groups and memberships; return what was changed.

    The users must exist. Each formulation in ``cases`` becomes a reference (supervisors only)
    and its *starter* in the library: the same case (id, title, template, description) with no
    elements yet, for the trainees to build. Cases in ``library`` and ``references`` are copied
    as they are, and everything in the ``teaching`` folders. Nothing that is there already is
    replaced, except teaching files whose source changed (users' own copies never change).
    Needs root.
    """
    if os.geteuid() != 0:
        raise SetupError("Setting up the seminar folders needs root (run it with sudo).")
    missing = [u for u in [*trainees, *supervisors] if not _user_exists(u)]
    if missing:
        raise SetupError(f"There is no user {', '.join(missing)} on this machine; create the account first.")
    both = set(trainees) & set(supervisors)
    if both:
        raise SetupError(f"{', '.join(sorted(both))} cannot be a trainee and a supervisor at once.")
    done: list[str] = []
    for group, members in ((TRAINEES, trainees), (SUPERVISORS, supervisors)):
        done += _group_with(group, members)
    sup = grp.getgrnam(SUPERVISORS).gr_gid
    folders = SeminarFolders(Path(root))
    done += _folder(folders.root, 0, 0, 0o755)
    done += _folder(folders.library, 0, 0, 0o755)
    done += _folder(folders.references, 0, sup, 0o2750)
    done += _folder(folders.teaching, 0, 0, 0o755)
    done += _folder(folders.handins, 0, sup, 0o751)
    done += _folder(folders.feedback, 0, sup, 0o751)
    for user in trainees:
        uid = pwd.getpwnam(user).pw_uid
        done += _folder(folders.handin_folder(user), uid, sup, 0o2750)
        done += _folder(folders.feedback_folder(user), uid, sup, 0o3770)
    for user in [*trainees, *supervisors]:
        done += _private_home(user)
    if cases is not None:
        done += _copy_cases(Path(cases), folders.references, 0, sup, 0o640)
        done += _starters(Path(cases), folders.library)
    if library is not None:
        done += _copy_cases(Path(library), folders.library, 0, 0, 0o644)
    if references is not None:
        done += _copy_cases(Path(references), folders.references, 0, sup, 0o640)
    for source in teaching:
        done += _copy_tree(Path(source), folders.teaching)
    return done


# --- helpers -------------------------------------------------------------------


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def _group_with(group: str, members: Iterable[str]) -> list[str]:
    done = []
    try:
        grp.getgrnam(group)
    except KeyError:
        _run(["groupadd", group])
        done.append(f"created the group {group}")
    for user in members:
        if user not in grp.getgrnam(group).gr_mem and pwd.getpwnam(user).pw_gid != grp.getgrnam(group).gr_gid:
            _run(["usermod", "-a", "-G", group, user])
            done.append(f"added {user} to {group}")
    return done


def _run(command: list[str]) -> None:
    try:
        subprocess.run(command, check=True, capture_output=True, text=True)
    except FileNotFoundError:
        raise SetupError(f"The command {command[0]} is missing on this machine.") from None
    except subprocess.CalledProcessError as exc:
        reason = (exc.stderr or "").strip().splitlines()
        raise SetupError(f"{' '.join(command)} failed: {reason[-1] if reason else exc.returncode}.") from None


def _folder(path: Path, uid: int, gid: int, mode: int) -> list[str]:
    """Make ``path`` a folder owned by ``uid:gid`` with ``mode`` (a link or a file there is refused)."""
    created = False
    try:
        path.mkdir()
        created = True
    except FileExistsError:
        pass
    st = path.lstat()
    if not stat.S_ISDIR(st.st_mode):
        raise SetupError(f"{path} is not a folder (a link or a file is in its place); move it away first.")
    changed = (st.st_uid, st.st_gid) != (uid, gid) or stat.S_IMODE(st.st_mode) != mode
    if changed:
        os.chown(path, uid, gid)
        os.chmod(path, mode)  # after chown, which clears the setgid bit
    if created:
        return [f"created {path} ({_owner(uid, gid)}, {mode:04o})"]
    return [f"set {path} to {_owner(uid, gid)}, {mode:04o}"] if changed else []


def _private_home(user: str) -> list[str]:
    """A user's home folder that others cannot read (their own copies of cases are kept there)."""
    home = Path(pwd.getpwnam(user).pw_dir)
    try:
        st = home.stat()
    except OSError:
        return []  # no home yet: the system makes it (private, see deploy/jupyterhub/README.md)
    if st.st_uid != pwd.getpwnam(user).pw_uid or not stat.S_IMODE(st.st_mode) & 0o077:
        return []
    os.chmod(home, stat.S_IMODE(st.st_mode) & ~0o077)
    return [f"made the home folder {home} private to {user}"]


def _owner(uid: int, gid: int) -> str:
    return f"{pwd.getpwuid(uid).pw_name}:{grp.getgrgid(gid).gr_name}"


def _copy_cases(source: Path, target: Path, uid: int, gid: int, mode: int) -> list[str]:
    if not source.is_dir():
        raise SetupError(f"There is no folder {source} to copy cases from.")
    done = []
    for case in sorted(source.glob(f"*{CASE_SUFFIX}")):
        if copy_new(case, target / case.name, owner=(uid, gid), mode=mode):
            done.append(f"copied {case.name} into {target}")
    return done


def _starters(source: Path, target: Path) -> list[str]:
    """A starter in ``target`` for each case in ``source`` (one per case id, the first file name):
    its case data and no elements, mode 0644."""
    done = []
    seen: set[str] = set()
    for case in sorted(source.glob(f"*{CASE_SUFFIX}")):
        full = store.load(case)
        m = full.meta
        if m.case_id in seen:  # a second formulation of a case (a trainee's, a second rater's): no starter
            continue
        seen.add(m.case_id)
        dest = target / case.name
        if dest.exists() or dest.is_symlink():
            continue
        starter = Formulation.new(full.template, case_id=m.case_id, title=m.title,
                                  description=m.description, fictional=m.fictional)
        fd, temp = tempfile.mkstemp(dir=target, prefix=f".{case.name}.", suffix=".tmp")
        os.close(fd)
        os.unlink(temp)
        try:
            store.save(starter, temp, message="The case for the seminar", author="Seminar")
            os.chown(temp, 0, 0)
            os.chmod(temp, 0o644)
            os.link(temp, dest)
            done.append(f"made the starter {case.name} in {target}")
        except FileExistsError:
            pass
        finally:
            if os.path.exists(temp):
                os.unlink(temp)
    return done


def _copy_tree(source: Path, target: Path) -> list[str]:
    if not source.is_dir():
        raise SetupError(f"There is no folder {source} to copy teaching material from.")
    done = []
    for item in sorted(source.rglob("*")):
        rel = item.relative_to(source)
        if not item.is_file() or any(part.startswith(".") or part == "__pycache__" for part in rel.parts):
            continue
        for parent in reversed(rel.parents[:-1]):
            done += _folder(target / parent, 0, 0, 0o755)
        dest = target / rel
        if copy_new(item, dest, owner=(0, 0), mode=0o644):
            done.append(f"copied {rel} into {target}")
        elif dest.is_file() and not dest.is_symlink() and dest.read_bytes() != item.read_bytes():
            _replace(item, dest)  # the distribution copy follows its source; users' copies never change
            done.append(f"updated {rel} in {target}")
    return done


def _replace(source: Path, target: Path) -> None:
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(fd)
    try:
        shutil.copyfile(source, temp)
        os.chmod(temp, 0o644)
        os.replace(temp, target)
    finally:
        if os.path.exists(temp):
            os.unlink(temp)
