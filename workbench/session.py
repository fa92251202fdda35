"""An editing session: one case being edited, with undo/redo, saving and history.

:class:`EditSession` is plain Python (no widgets): the app's panels call it and
listen to it, and tests drive it directly. It holds the formulation, the file it
belongs to and the version loaded; it knows whether there are unsaved changes;
it undoes and redoes unsaved edits (a multi-step operation such as removing an
element together with its links is one step); it saves, and turns a concurrent
save into a state the app can offer "save as a copy" for; it shows, compares and
restores earlier versions.

Every method raises only :class:`~workbench.errors.WorkbenchError` subclasses,
whose ``str()`` is a sentence for the clinician.

Example
-------
>>> s = EditSession.new_case("psychodynamic", case_id="C-9", title="Teaching case")
>>> a = s.add_element("early_experience", "Father often absent")
>>> s.dirty, s.can_undo
(True, True)
>>> s.undo()
True
>>> s.dirty, len(s.formulation)
(False, 0)
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from workbench._paths import case_path, file_name, make_case_folder
from workbench.analysis.timeline import Timeline, session_timeline
from workbench.diffing import FormulationDiff, diff
from workbench.errors import (
    CommentNotFound,
    ElementNotFound,
    InvalidEntry,
    LinkNotFound,
    SaveConflict,
    SessionError,
    SessionNotFound,
    UnsavedChanges,
    WorkbenchError,
    short,
)
from workbench.fileformat import Revision, Revisions
from workbench.fileformat import each_version as file_each_version
from workbench.fileformat import history as file_history
from workbench.fileformat import load as file_load
from workbench.fileformat import restore as file_restore
from workbench.fileformat import save as file_save
from workbench.fileformat.view import ViewState, load_view, save_view
from workbench.model import Change, Formulation
from workbench.templates import DEFAULT_TEMPLATE

__all__ = [
    "EditSession",
    "Revision",
    "Revisions",
    "SessionEvent",
    "ViewState",
    "case_path",
    "file_name",
    "read_case",
    "recent_cases",
    "recent_file",
    "remember_recent",
]

EventKind = Literal["edit", "undo", "redo", "reset", "saved", "conflict"]

#: How many recent cases are remembered.
RECENT_LIMIT = 10


@dataclass(frozen=True)
class SessionEvent:
    """What happened in a session, as told to listeners.

    ``kind`` is ``"edit"``, ``"undo"`` or ``"redo"`` (``changes`` lists the model
    changes made), ``"reset"`` (another formulation or version was loaded: redraw
    everything), ``"saved"`` or ``"conflict"``.
    """

    kind: EventKind
    changes: tuple[Change, ...] = ()


Listener = Callable[[SessionEvent], None]


@dataclass
class _Step:
    """One undoable step: the model changes it made, in order."""

    label: str
    changes: list[Change] = field(default_factory=list)


class EditSession:
    """One case being edited: formulation, file, version, undo/redo, save, history.

    Create one with :meth:`open_file` (an existing file), :meth:`new_case` (from
    a template) or ``EditSession(formulation, path)``.

    Where files are: every file name the session is given (to open, start, save
    or save as) that is not absolute is taken inside :attr:`folder`, the folder
    the app was opened on (default: the current working directory), and
    :attr:`path` is always absolute. Missing folders of a relative name are made
    inside :attr:`folder` when saving; nothing is written outside it unless an
    absolute name says so.
    """

    def __init__(self, formulation: Formulation, path: str | Path | None = None, *,
                 folder: str | Path | None = None) -> None:
        self._listeners: list[Listener] = []
        self._formulation = formulation
        #: The folder relative file names are taken in (absolute).
        self.folder = Path(os.path.abspath(folder)) if folder is not None else Path.cwd()
        self._path: Path | None = case_path(path, self.folder) if path is not None else None
        self._undo: list[_Step] = []
        self._redo: list[_Step] = []
        self._open_step: _Step | None = None
        self._replaying: list[Change] | None = None
        self._unobserve = formulation.observe(self._on_change)
        #: The conflict of the last save, if it failed because someone else saved first.
        self.conflict: SaveConflict | None = None

    # --- creating -------------------------------------------------------------------

    @classmethod
    def open_file(cls, path: str | Path, version: int | None = None, *,
                  folder: str | Path | None = None) -> EditSession:
        """Open the case stored at ``path`` (its latest version, or ``version``); see :attr:`folder`."""
        where = case_path(path, folder if folder is not None else Path.cwd())
        formulation = _load(where, version)
        session = cls(formulation, where, folder=folder)
        remember_recent(where)
        return session

    @classmethod
    def new_case(
        cls,
        template: str = DEFAULT_TEMPLATE,
        *,
        case_id: str,
        title: str = "",
        clinician: str = "",
        path: str | Path | None = None,
        folder: str | Path | None = None,
    ) -> EditSession:
        """Start a new, empty case from a template; ``path`` is where it will be saved (see :attr:`folder`).
        """
        where = case_path(path, folder if folder is not None else Path.cwd()) if path is not None else None
        if where is not None and where.exists():
            raise SessionError(f"A file already exists at {where}; open it, or choose another file name.")
        formulation = Formulation.new(template, case_id=case_id, title=title, clinician=clinician)
        return cls(formulation, where, folder=folder)

    # --- state ----------------------------------------------------------------------

    @property
    def formulation(self) -> Formulation:
        """The formulation being edited (change it through the session to get undo steps)."""
        return self._formulation

    @property
    def path(self) -> Path | None:
        """The file this case is saved to (``None`` until it has one)."""
        return self._path

    @property
    def version(self) -> int | None:
        """The file version that was loaded or last saved (``None`` if never saved)."""
        return self._formulation.base_version

    @property
    def dirty(self) -> bool:
        """Whether there are changes that are not saved."""
        return bool(self._undo)

    @property
    def can_undo(self) -> bool:
        """Whether there is an unsaved edit to undo."""
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        """Whether there is an undone edit to do again."""
        return bool(self._redo)

    @property
    def undo_label(self) -> str:
        """A short name of the step :meth:`undo` would undo ('' if none)."""
        return self._undo[-1].label if self._undo else ""

    @property
    def redo_label(self) -> str:
        """A short name of the step :meth:`redo` would do again ('' if none)."""
        return self._redo[-1].label if self._redo else ""

    def observe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener(event)`` after every edit, undo, redo, load and save; return a stopper."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    # --- editing ----------------------------------------------------------------------

    @contextmanager
    def step(self, label: str) -> Iterator[None]:
        """Group the edits made inside into one undo step; if one fails, none is kept.

        >>> s = EditSession.new_case(case_id="C-1")
        >>> with s.step("Add two"):
        ...     _ = s.formulation.add_element("defense", "Denial")
        ...     _ = s.formulation.add_element("defense", "Projection")
        >>> s.undo(); len(s.formulation)
        True
        0
        """
        if self._open_step is not None:
            yield
            return
        self._open_step = _Step(label)
        try:
            yield
        except BaseException:
            failed, self._open_step = self._open_step, None
            self._replay(failed.changes, backwards=True)
            raise
        done, self._open_step = self._open_step, None
        if done.changes:
            self._push(done)

    def add_element(self, kind: str, label: str, **fields: Any) -> str:
        """Add an element (one undo step) and return its id."""
        with self.step(f"add {short(label, 30)}"):
            return self._formulation.add_element(kind, label, **fields)

    def update_element(self, element_id: str, **fields: Any) -> None:
        """Change fields of an element (one undo step)."""
        with self.step(f"edit {short(self._formulation.element(element_id).label, 30)}"):
            self._formulation.update_element(element_id, **fields)

    def remove_element(self, element_id: str, *, cascade: bool = False) -> list[str]:
        """Remove an element (with its links if ``cascade``) as one undo step; return removed link ids."""
        with self.step(f"delete {short(self._formulation.element(element_id).label, 30)}"):
            return self._formulation.remove_element(element_id, cascade=cascade)

    def add_link(self, source_id: str, target_id: str, kind: str, **fields: Any) -> str:
        """Add a link (one undo step) and return its id."""
        with self.step("add link"):
            return self._formulation.add_link(source_id, target_id, kind, **fields)

    def update_link(self, link_id: str, **fields: Any) -> None:
        """Change fields of a link (one undo step)."""
        with self.step("edit link"):
            self._formulation.update_link(link_id, **fields)

    def remove_link(self, link_id: str) -> None:
        """Remove a link (one undo step)."""
        with self.step("delete link"):
            self._formulation.remove_link(link_id)

    def update_meta(self, **values: Any) -> None:
        """Change the case title, clinician, description (one undo step)."""
        with self.step("edit case"):
            self._formulation.update_meta(**values)

    def add_session(self, number: int, *, date: Any = None, text: str = "") -> int:
        """Add a session's date and process notes (one undo step); return its number."""
        with self.step(f"add session {short(number)}"):
            return self._formulation.add_session(number, date=date, text=text)

    def update_session(self, number: int, /, **values: Any) -> None:
        """Change a session's ``date`` or ``text`` (one undo step)."""
        with self.step(f"edit session {short(number)}"):
            self._formulation.update_session(number, **values)

    def remove_session(self, number: int) -> None:
        """Remove a session and its notes (one undo step; earlier versions keep them)."""
        with self.step(f"delete session {short(number)}"):
            self._formulation.remove_session(number)

    def undo(self) -> bool:
        """Undo the last unsaved edit step; return whether there was one."""
        if not self._undo:
            return False
        step = self._undo.pop()
        made = self._replay(step.changes, backwards=True)
        self._redo.append(step)
        self._sync_modified()
        self._emit(SessionEvent("undo", tuple(made)))
        return True

    def redo(self) -> bool:
        """Do the last undone step again; return whether there was one."""
        if not self._redo:
            return False
        step = self._redo.pop()
        made = self._replay(step.changes, backwards=False)
        self._undo.append(step)
        self._sync_modified()
        self._emit(SessionEvent("redo", tuple(made)))
        return True

    # --- files ------------------------------------------------------------------------

    def save(self, message: str, author: str, session_number: int | None = None) -> int:
        """Save the case as a new version of its file and return the version number.

        If someone else saved a newer version since this one was loaded, nothing
        is written, :attr:`conflict` is set and :class:`SaveConflict` is raised;
        the changes stay in memory, ready for :meth:`save_as` (see
        :meth:`suggest_copy_path`).
        """
        if self._path is None:
            raise SessionError("This case has no file yet; choose a file name and use 'Save as'.")
        _check_text(message, "message")
        author = _check_text(author, "author")
        try:
            with _writing(self._path):
                make_case_folder(self._path, self.folder)
                version = file_save(self._formulation, self._path, message=message, author=author,
                                    session=session_number)
        except SaveConflict as err:
            self.conflict = err
            self._emit(SessionEvent("conflict"))
            raise
        self._after_save(version)
        return version

    def save_as(self, path: str | Path, message: str, author: str, session_number: int | None = None) -> int:
        """Save the case, changes included, into a new file (a copy) and continue editing that file."""
        if str(path).strip() == "":
            raise InvalidEntry("Please give a file name to save the copy to.")
        target = case_path(path, self.folder)
        if target.exists():
            raise SessionError(f"A file already exists at {target}; choose another file name.")
        _check_text(message, "message")
        author = _check_text(author, "author")
        f = self._formulation
        kept = (f.base_version, f.file_id)
        f.base_version, f.file_id = None, None
        try:
            with _writing(target):
                make_case_folder(target, self.folder)
                version = file_save(f, target, message=message, author=author, session=session_number)
        except BaseException:
            f.base_version, f.file_id = kept
            raise
        self._path = target
        self._after_save(version)
        return version

    def suggest_copy_path(self) -> Path:
        """A free file name next to the case file for a copy, e.g. ``demo-copy-1.formulation.json``."""
        base = self._path or self.folder / f"{self._formulation.meta.case_id}.formulation.json"
        name, dot, ext = base.name.partition(".")
        for n in range(1, 1000):
            candidate = base.with_name(f"{name}-copy-{n}{dot}{ext}")
            if not candidate.exists():
                return candidate
        raise SessionError("No free file name for a copy was found; please type one.")

    def map_view(self) -> ViewState:
        """Where the map last drew the case's elements, as kept beside its file (nothing for a new case)."""
        return load_view(self._path) if self._path is not None else ViewState()

    def keep_map_view(self, view: ViewState) -> None:
        """Keep where the map draws the elements beside the case file (raises ``OSError`` if it cannot)."""
        if self._path is not None:
            save_view(self._path, view)

    def open(self, path: str | Path, version: int | None = None, *, discard: bool = False) -> None:
        """Open another case file (its latest version, or ``version``) in this session."""
        self._check_can_replace(discard)
        where = case_path(path, self.folder)
        formulation = _load(where, version)
        self._replace(formulation, where)
        remember_recent(where)

    def start_new(
        self,
        template: str = DEFAULT_TEMPLATE,
        *,
        case_id: str,
        title: str = "",
        clinician: str = "",
        path: str | Path | None = None,
        discard: bool = False,
    ) -> None:
        """Start a new case from a template in this session (see :meth:`new_case`)."""
        self._check_can_replace(discard)
        other = EditSession.new_case(template, case_id=case_id, title=title, clinician=clinician, path=path,
                                     folder=self.folder)
        other._unobserve()
        self._replace(other.formulation, other.path)

    # --- history ----------------------------------------------------------------------

    def history(self) -> Revisions:
        """Return the versions of the case file, oldest first (see :func:`workbench.history`)."""
        path = self._need_path("history")
        try:
            return file_history(path)
        except OSError as err:
            raise SessionError(f"The history of {path} cannot be read: {err.strerror}.") from None

    def timeline(self) -> Timeline:
        """Return the session timeline of the saved versions (see :mod:`workbench.analysis.timeline`)."""
        path = self._need_path("timeline")
        try:
            return session_timeline(file_each_version(path))
        except OSError as err:
            raise SessionError(f"The versions of {path} cannot be read: {err.strerror}.") from None

    def view_version(self, version: int) -> Formulation:
        """Return version ``version`` of the case file, to look at (the edits here are untouched)."""
        return _load(self._need_path("version"), version)

    def diff_versions(self, a: int | None, b: int | None) -> FormulationDiff:
        """Compare two versions of the file (``None`` stands for the case as it is now, unsaved)."""
        path = self._need_path("comparison")
        old = self._formulation if a is None else _load(path, a)
        new = self._formulation if b is None else _load(path, b)
        try:
            return diff(old, new)
        except WorkbenchError:
            raise
        except Exception as err:  # a diffing bug must not reach the user as a traceback
            raise SessionError(f"The two versions cannot be compared: {err}.") from None

    def restore(self, version: int, *, author: str, message: str | None = None, discard: bool = False,
                session: int | None = None) -> int:
        """Save version ``version`` again as the newest version and load it; return the new number.

        ``session`` is the session number saved with the new version (e.g. the restored one's).
        """
        path = self._need_path("restore")
        self._check_can_replace(discard)
        author = _check_text(author, "author")
        with _writing(path):
            new_version = file_restore(path, version, author=author, message=message, session=session)
        self._replace(_load(path, new_version), path)
        return new_version

    # --- helpers -----------------------------------------------------------------------

    def _on_change(self, change: Change) -> None:
        if self._replaying is not None:
            self._replaying.append(change)
        elif self._open_step is not None:
            self._open_step.changes.append(change)
        else:  # an edit made directly on the formulation: its own step
            self._push(_Step(f"{change.action} {change.what}", [change]))

    def _push(self, step: _Step) -> None:
        self._undo.append(step)
        self._redo.clear()
        self._sync_modified()
        self._emit(SessionEvent("edit", tuple(step.changes)))

    def _replay(self, changes: list[Change], *, backwards: bool) -> list[Change]:
        """Undo (``backwards``) or redo a list of changes; return the changes this made."""
        made: list[Change] = []
        self._replaying = made
        try:
            for change in reversed(changes) if backwards else changes:
                _apply(self._formulation, change, backwards=backwards)
        finally:
            self._replaying = None
        return made

    def _after_save(self, version: int) -> None:
        f = self._formulation
        if f.base_version != version:  # the file layer records it; make sure
            f.base_version = version
        self.conflict = None
        self._undo.clear()
        self._redo.clear()
        f.modified = False
        if self._path is not None:
            remember_recent(self._path)
        self._emit(SessionEvent("saved"))

    def _replace(self, formulation: Formulation, path: Path | None) -> None:
        self._unobserve()
        self._formulation = formulation
        self._path = path
        self._undo.clear()
        self._redo.clear()
        self.conflict = None
        self._unobserve = formulation.observe(self._on_change)
        self._emit(SessionEvent("reset"))

    def _check_can_replace(self, discard: bool) -> None:
        if self.dirty and not discard:
            raise UnsavedChanges(
                "This case has unsaved changes; save them first, or choose to discard them."
            )

    def _need_path(self, what: str) -> Path:
        if self._path is None:
            raise SessionError(f"This case has not been saved yet, so it has no {what}.")
        return self._path

    def _sync_modified(self) -> None:
        self._formulation.modified = self.dirty

    def _emit(self, event: SessionEvent) -> None:
        for listener in list(self._listeners):
            listener(event)


# --- recent cases ----------------------------------------------------------------------


def recent_file() -> Path:
    """Where the list of recent cases is kept: ``~/.config/formulation-workbench/recent.json``."""
    return Path.home() / ".config" / "formulation-workbench" / "recent.json"


def recent_cases() -> list[str]:
    """Return the case files opened or saved recently that still exist, newest first."""
    try:
        data = json.loads(recent_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    if not isinstance(data, list):
        return []
    return [p for p in data if isinstance(p, str) and Path(p).is_file()]


def remember_recent(path: str | Path) -> None:
    """Put ``path`` first in the list of recent cases (quietly does nothing if it cannot be written)."""
    entry = str(Path(path).resolve())
    items = [entry, *(p for p in recent_cases() if p != entry)][:RECENT_LIMIT]
    target = recent_file()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".tmp")
        tmp.write_text(json.dumps(items, indent=1) + "\n", encoding="utf-8")
        os.replace(tmp, target)
    except OSError:
        pass  # the list is a convenience; never let it stop an open or a save


# --- reading case files (the app's panels reach files only through the session) ---------------


def read_case(path: str | Path, version: int | None = None) -> Formulation:
    """Return a case file's latest version (or ``version``); any failure is a sentence."""
    return _load(path, version)


# --- module helpers ----------------------------------------------------------------------


def _load(path: str | Path, version: int | None) -> Formulation:
    try:
        return file_load(path, version)
    except WorkbenchError:
        raise
    except OSError as err:
        raise SessionError(f"{path} cannot be opened: {err.strerror or err}.") from None


@contextmanager
def _writing(path: Path) -> Iterator[None]:
    """Turn an operating-system error while writing into a sentence."""
    try:
        yield
    except OSError as err:
        raise SessionError(f"{path} cannot be written: {err.strerror or err}.") from None


def _check_text(value: Any, name: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidEntry(f"Please give a {name} for this version.")
    return value.strip()


def _apply(f: Formulation, change: Change, *, backwards: bool) -> None:
    """Invert (``backwards``) or repeat one change on ``f``."""
    action = change.action
    if backwards:
        action = {"add": "remove", "remove": "add", "update": "update"}[action]  # type: ignore[assignment]
        record = change.before
    else:
        record = change.after
    if action == "remove":
        _remove(f, change)
        return
    if change.what == "meta":
        f.restore_records(meta=record)
    elif change.what == "element":
        f.restore_records(elements=[record])
    elif change.what == "link":
        f.restore_records(links=[record])
    elif change.what == "session":
        f.restore_records(sessions=[record])
    else:
        f.restore_records(comments=[record])


def _remove(f: Formulation, change: Change) -> None:
    try:
        if change.what == "element":
            f.remove_element(change.id, cascade=True)
        elif change.what == "link":
            f.remove_link(change.id)
        elif change.what == "comment":
            f.remove_comment(change.id)
        elif change.what == "session":
            f.remove_session(change.before.number if change.before is not None else change.after.number)
    except (ElementNotFound, LinkNotFound, CommentNotFound, SessionNotFound):
        pass  # already gone with its element or link (comments go with what they are on)
