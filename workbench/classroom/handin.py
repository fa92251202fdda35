"""The trainee's side of a seminar: library cases, one's own copy, hand-ins, the feedback received.

A trainee opens a library case as their own copy (in their cases folder; a copy that exists is
theirs and is opened, never replaced), builds and saves it as usual, and hands it in: the saved
version is appended as a new version to their hand-in file of that case
(``handins/<user>/<case file>``), with their name as author, the time, and a message naming the
version handed in. Supervisors' comments arrive in ``feedback/<user>/<case file>``, a file of the
supervisors': nobody writes into the trainee's own files.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from workbench import _clock, _paths
from workbench.classroom.folders import CASE_SUFFIX, SeminarFolders, current_user, seminar_folders
from workbench.errors import FormulationFileError, WorkbenchError
from workbench.fileformat import store
from workbench.model import Formulation

__all__ = ["FEEDBACK_COLUMNS", "HandIn", "feedback_for", "hand_in", "library_cases", "open_library_case"]

FEEDBACK_COLUMNS = ["author", "time", "about", "text"]


@dataclass(frozen=True)
class HandIn:
    """One hand-in: which file, which version of the hand-in file, from which version of one's copy."""

    path: Path
    version: int
    source: Path
    source_version: int
    author: str
    notes_included: bool = False


def library_cases(folders: SeminarFolders | None = None) -> pd.DataFrame:
    """The library's cases as a table (file, case id, title, template), by file name."""
    folders = folders or seminar_folders()
    rows = []
    for path in sorted(folders.library.glob(f"*{CASE_SUFFIX}")):
        try:
            meta = store.load(path).meta
        except WorkbenchError:
            continue  # a damaged or unreadable file is not offered
        rows.append({"file": path.name, "case_id": meta.case_id, "title": meta.title,
                     "template": meta.template, "path": str(path)})
    return pd.DataFrame(rows, columns=["file", "case_id", "title", "template", "path"])


def open_library_case(name: str, *, folders: SeminarFolders | None = None,
                      into: str | os.PathLike[str] | None = None) -> Path:
    """Copy the library case ``name`` into one's cases folder (``into``/seminar); return the copy's path.

    A copy that exists already is one's own work: it is returned unchanged, never replaced.
    """
    folders = folders or seminar_folders()
    source = folders.library / Path(name).name
    if not source.is_file():
        raise FormulationFileError("there is no such case in the case library.", path=str(source))
    target_folder = Path(into).expanduser() if into is not None else _paths.cases_home() / "seminar"
    target = target_folder / source.name
    if target.exists():
        return target
    target_folder.mkdir(parents=True, exist_ok=True)
    f = store.load(source)
    copy = _fresh_copy(f)
    try:
        store.save(copy, target, message=f"My copy of {source.name} from the case library",
                   author=current_user())
    except FormulationFileError:
        if not target.exists():
            raise
    return target


def hand_in(path: str | os.PathLike[str], *, author: str | None = None,
            folders: SeminarFolders | None = None, user: str | None = None,
            include_notes: bool = False) -> HandIn:
    """Hand in the newest saved version of one's case at ``path``; return what was handed in.

    Unsaved changes are not handed in: save first. Each hand-in is a new version of the hand-in
    file, so earlier hand-ins stay. The session notes are private: they go with the hand-in only
    when ``include_notes`` is true (the quotes taken from them stay, as evidence does).
    """
    folders = folders or seminar_folders()
    user = user or current_user()
    source = Path(path)
    f = store.load(source)
    source_version = f.base_version or 0
    target = folders.handin_folder(user) / source.name
    if not folders.handin_folder(user).is_dir():
        raise FormulationFileError(
            "you have no hand-in folder; ask the seminar's administrator to add you as a trainee.",
            path=str(folders.handin_folder(user)),
        )
    who = author or user
    message = f"Handed in version {source_version} of {source.name}"
    if target.exists():
        previous = store.load(target)
        copy = _fresh_copy(f)
        copy.file_id, copy.base_version = previous.file_id, previous.base_version
    else:
        copy = _fresh_copy(f)
    if not include_notes:
        for note in copy.session_notes():
            copy.remove_session(note.number)
    version = store.save(copy, target, message=message, author=who)
    if version == 1:  # only the trainee and the folder's group (the supervisors), whatever the umask
        os.chmod(target, stat.S_IMODE(target.stat().st_mode) & ~0o007)
    return HandIn(target, version, source, source_version, who, include_notes)


def feedback_for(path: str | os.PathLike[str], *, folders: SeminarFolders | None = None,
                 user: str | None = None) -> pd.DataFrame:
    """The supervisors' comments on one's hand-ins of the case at ``path``, oldest first."""
    folders = folders or seminar_folders()
    target = folders.feedback_folder(user or current_user()) / Path(path).name
    if not target.exists():
        return pd.DataFrame(columns=FEEDBACK_COLUMNS)
    return comments_table(store.load(target))


def comments_table(f: Formulation) -> pd.DataFrame:
    """The comments of ``f`` with what each is about (an element's or link's label, or the case)."""
    rows = []
    for record in f.comments().reset_index().to_dict("records"):
        when = _clock.shown(record["time"]) if record["time"] else ""
        rows.append({"author": record["author"], "time": when,
                     "about": _about(f, record["target"]), "text": record["text"]})
    return pd.DataFrame(rows, columns=FEEDBACK_COLUMNS)


def _about(f: Formulation, target: object) -> str:
    if not target:
        return "the whole formulation"
    name = str(target)
    if f.has_element(name):
        return f.element(name).label
    try:
        return f.sentence(name)
    except WorkbenchError:
        return name


def _fresh_copy(f: Formulation) -> Formulation:
    """``f`` as a formulation not yet saved anywhere (saving it creates a new file)."""
    copy = f.copy()
    copy.file_id, copy.base_version = None, None
    return copy
