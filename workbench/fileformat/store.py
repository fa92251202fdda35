"""Saving, loading and browsing versions of a formulation file.

A file is JSON Lines: a header, then one line per saved version. A version is
stored either as a full *snapshot* or as a *delta* (the changes since the
version before). A snapshot is written when the deltas since the last one add
up to more bytes than that snapshot, or every ``snapshot_every`` versions of the
:class:`StorePolicy` given to :func:`save` (:data:`SNAPSHOT_EVERY` by default),
so the newest version is always a snapshot plus a bounded number of deltas,
read from the end of the file. Saving appends one line: its cost does not grow
with the number of versions.

Saves hold an exclusive lock on the file itself, whatever name reaches it
(:mod:`.locking`), and check that nobody saved in between
(:class:`~workbench.errors.SaveConflict`); reads hold a shared lock. Opening a
file for loading or saving removes leftovers of killed saves in its folder
(:mod:`.tempfiles`).

The newest version of the last few files saved or loaded is kept in memory
(:data:`CACHE`, a :class:`VersionCache`), so that the next save of the same
file need not read it again; it is used only while the file is byte for byte
as it was left.
"""

from __future__ import annotations

import os
import warnings
from collections import deque
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from workbench import _clock
from workbench.diffing import diff
from workbench.errors import (
    FileContentError,
    FormulationFileError,
    IncompleteSaveWarning,
    InvalidValue,
    ModelError,
    NewerFormatError,
    NotAFormulationFile,
    SaveConflict,
    TemplateNotFound,
    TruncatedFileError,
    VersionNotFound,
    short,
)
from workbench.fileformat import checksum, reader, tempfiles, v1, validator, writer
from workbench.fileformat._places import Place, Problem
from workbench.fileformat.locking import locked_for_reading, locked_for_saving
from workbench.fileformat.migrate import CURRENT_FORMAT, upgrade
from workbench.fileformat.policy import CACHE, DEFAULT_POLICY, SNAPSHOT_EVERY, StorePolicy, VersionCache
from workbench.fileformat.revisions import Revisions
from workbench.model import Formulation
from workbench.templates import Template, get_template

__all__ = [
    "CACHE",
    "DEFAULT_POLICY",
    "SNAPSHOT_EVERY",
    "StorePolicy",
    "VersionCache",
    "each_version",
    "history",
    "load",
    "restore",
    "save",
    "validate",
]

PathLike = str | os.PathLike[str]

#: How often a save starts again after another process created the file first (it then conflicts).
_CREATE_RETRIES = 20


def save(
    f: Formulation,
    path: PathLike,
    *,
    message: str,
    author: str,
    session: int | None = None,
    policy: StorePolicy = DEFAULT_POLICY,
) -> int:
    """Save ``f`` as a new version of the file at ``path``; return the new version number.

    A path where no file exists gets a new file (version 1): this is also how
    a formulation is saved as a copy. Otherwise the file must hold the version
    ``f`` was loaded from as its newest version, or
    :class:`~workbench.errors.SaveConflict` is raised and nothing is written.
    Afterwards ``f.base_version`` is the new version and ``f.modified`` is False.
    ``policy`` chooses when a full snapshot is written (:class:`StorePolicy`).

    >>> import tempfile, pathlib, workbench
    >>> f = workbench.new(case_id="C-1")
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "c1.formulation.jsonl"
    >>> save(f, p, message="Start", author="Dr Rivera")
    1
    >>> _ = f.add_element("defense", "Denial")
    >>> save(f, p, message="A defense", author="Dr Rivera", session=2)
    2
    """
    _check_revision_fields(message, author, session)
    p, shown = Path(path), str(path)
    tempfiles.clean_stale(p.parent)
    for _ in range(_CREATE_RETRIES):
        with locked_for_saving(p, shown) as fh:
            if fh is None or os.fstat(fh.fileno()).st_size == 0:
                created = _create(
                    f, p, shown, message=message, author=author, session=session, over_empty=fh is not None,
                    policy=policy,
                )
                if created:
                    return 1
                continue  # another save created the file first: save onto it, which is a conflict
            return _save_locked(
                f, p, fh, shown, message=message, author=author, session=session, policy=policy
            )
    raise FormulationFileError("the file kept changing while it was being saved; try again.", path=shown)


def load(path: PathLike, version: int | None = None) -> Formulation:
    """Return the formulation saved as ``version`` in the file (the newest when None).

    If the last save was interrupted, its half-written line is ignored with an
    :class:`~workbench.errors.IncompleteSaveWarning`; bad files raise a
    :class:`~workbench.errors.FormulationFileError` that names the place.
    """
    p = Path(path)
    tempfiles.clean_stale(p.parent)
    with locked_for_reading(p, str(path)) as fh:
        opened = _Opened.read(fh, str(path))
        opened.warn_if_torn(stacklevel=4)
        wanted = opened.latest if version is None else opened.check_version(version)
        f = opened.formulation(wanted)
        if wanted == opened.latest and not opened.torn:
            CACHE.remember(p, opened.file_id, opened.latest, opened.end, f)
        return f


def history(path: PathLike) -> Revisions:
    """Return the saved versions, oldest first: one :class:`~workbench.fileformat.revisions.Revision` each.

    Each record holds the version number, its time (an aware UTC datetime),
    author, session (or None), message, the numbers of elements, links and
    comments, and ``stored``: ``"snapshot"`` or ``"delta"``. ``lost_version``
    names a version whose save was interrupted. ``history(path).to_frame()``
    is the same as a pandas table. Snapshots are not decoded.
    """
    p = Path(path)
    rows = []
    with locked_for_reading(p, str(path)) as fh:
        opened = _Opened.read(fh, str(path))
        opened.warn_if_torn(stacklevel=4)
        for version, raw in enumerate(opened.forward(), start=1):
            r, stored = opened.revision_only(raw, version)
            rows.append(
                (r["version"], r["time"], r["author"], r["session"], r["message"], r["elements"], r["links"],
                 r["comments"], stored)
            )
    return Revisions.from_rows(rows, lost_version=opened.latest + 1 if opened.torn else None)


def each_version(
    path: PathLike, wanted: Collection[int] | None = None
) -> Iterator[tuple[dict[str, Any], Formulation]]:
    """Yield ``(revision, formulation)`` for each saved version, oldest first (only ``wanted`` ones if given).

    The file is read once, front to back, bringing one state forward line by
    line (each line checked as :func:`load` checks it), so memory holds one
    version at a time however long the history, and the time is linear in the
    number of versions. The file stays under a shared lock until the iteration
    ends or is closed.
    """
    p = Path(path)
    with locked_for_reading(p, str(path)) as fh:
        opened = _Opened.read(fh, str(path))
        opened.warn_if_torn(stacklevel=4)
        last = opened.latest if wanted is None else min(max(wanted, default=0), opened.latest)
        if last < 1:
            return
        for version, line, state in opened.walk():
            if wanted is None or version in wanted:
                yield line["revision"], opened.build(state, version)
            if version >= last:
                return


def restore(
    path: PathLike,
    version: int,
    *,
    author: str,
    message: str | None = None,
    session: int | None = None,
    policy: StorePolicy = DEFAULT_POLICY,
) -> int:
    """Save the content of an old ``version`` as a new version; return its number.

    Nothing is rewritten: the restored content is appended as the newest
    version, with the stamps it had. ``session`` is the new version's session
    number; ``policy`` as for :func:`save`.
    """
    message = f"Restored version {version}." if message is None else message
    _check_revision_fields(message, author, session)
    p, shown = Path(path), str(path)
    tempfiles.clean_stale(p.parent)
    with locked_for_saving(p, shown) as fh:
        if fh is None:
            raise FormulationFileError("there is no such file.", path=shown)
        opened = _Opened.read(fh, shown)
        old = opened.formulation(opened.check_version(version))
        old.base_version, old.file_id = opened.latest, opened.file_id
        return _save_locked(
            old, p, fh, shown, message=message, author=author, session=session, policy=policy
        )


def validate(path: PathLike) -> None:
    """Check every line and every version of a file; raise a FormulationFileError naming the first problem.

    Unlike :func:`load`, which reads only what the version asked for needs,
    this reads and checks the whole file: every delta must fit the version
    before it.
    """
    p = Path(path)
    with locked_for_reading(p, str(path)) as fh:
        opened = _Opened.read(fh, str(path))
        opened.warn_if_torn(stacklevel=4)
        opened.check_all()


# --- saving ------------------------------------------------------------------------------


def _save_locked(
    f: Formulation,
    p: Path,
    fh: BinaryIO,
    shown: str,
    *,
    message: str,
    author: str,
    session: int | None,
    policy: StorePolicy,
) -> int:
    """Append ``f`` as the next version to the file open (and locked) as ``fh``."""
    opened = _Opened.read(fh, shown)
    last = opened.last_revision
    _check_conflict(f, opened, last, shown)
    cached = CACHE.newest(p, opened.file_id, opened.latest, opened.end, fh)
    before = cached or opened.formulation(opened.latest)
    version = opened.latest + 1
    revision = _revision(f, version, message=message, author=author, session=session)
    line = version_line(before, f, revision, last["stored"], policy)
    line = _ready(line, shown, opened.file_id, opened.file_format)
    try:
        size = writer.append_to(fh.fileno(), line if opened.newline else b"\n" + line, keep=opened.end)
    except OSError as exc:
        raise FormulationFileError(
            f"the new version could not be written ({exc.strerror}); earlier versions are unchanged.",
            path=shown,
        ) from None
    f.base_version, f.file_id, f.modified = version, opened.file_id, False
    CACHE.remember(p, opened.file_id, version, size, f)
    return version


def version_line(
    before: Formulation | None,
    f: Formulation,
    revision: dict[str, Any],
    stored_before: dict[str, Any] | None,
    policy: StorePolicy = DEFAULT_POLICY,
) -> bytes:
    """Return the line of a new version (without checksum): a delta after ``before``, or a snapshot.

    A snapshot is written for the first version, when the deltas since the
    last snapshot would outgrow it, or every ``policy.snapshot_every`` versions.
    ``revision`` gets its ``stored`` field.
    """
    version = revision["version"]
    if before is not None and stored_before is not None:
        delta = writer.dumps(v1.diff_to_json(diff(before, f)))
        chain = stored_before["delta_bytes"] + len(delta)
        since = version - stored_before["base"]
        if chain <= stored_before["snapshot_bytes"] and since < policy.snapshot_every:
            revision["stored"] = {**stored_before, "delta_bytes": chain}
            return writer.delta_line(revision, delta)
    snapshot = writer.dumps(v1.snapshot_to_json(f))
    revision["stored"] = {"base": version, "delta_bytes": 0, "snapshot_bytes": len(snapshot)}
    return writer.snapshot_line(revision, snapshot)


def _ready(line: bytes, shown: str, file_id: str, file_format: int) -> bytes:
    """Seal a new line for a file of ``file_format`` and check that it reads back; raise if not."""
    line = writer.seal_line(line, file_id, file_format)
    if len(line) - 1 > reader.MAX_LINE_BYTES:
        raise FormulationFileError(
            f"this version is larger than {reader.MAX_LINE_BYTES / (1 << 20):g} MB, the most one saved "
            "version may hold; nothing was saved. Shorten the longest texts and save again.",
            path=shown,
        )
    try:
        reader.parse(line[:-1])  # the reader's limits; the model keeps the schema's rules
    except Problem as problem:
        raise FormulationFileError(
            f"this version cannot be saved, it would not read back ({problem.message.rstrip('.')}); "
            "nothing was written.",
            path=shown,
        ) from None
    return line


def _create(
    f: Formulation,
    p: Path,
    shown: str,
    *,
    message: str,
    author: str,
    session: int | None,
    over_empty: bool,
    policy: StorePolicy,
) -> bool:
    """Write ``f`` as version 1 of a new file; False if another save created the file first."""
    header = writer.new_header(f.template.id)
    revision = _revision(f, 1, message=message, author=author, session=session)
    line = _ready(version_line(None, f, revision, None, policy), shown, header["file_id"], CURRENT_FORMAT)
    first = writer.seal_line(writer.dumps(header) + b"\n", header["file_id"])
    try:
        if not writer.create_new(p, [first, line], over_empty=over_empty):
            return False
    except PermissionError:
        raise FormulationFileError(
            f"the folder {p.parent} does not let you create files (permission denied); nothing was written. "
            "Save the case in a folder of your own, or ask the folder's owner for write access.",
            path=shown,
        ) from None
    except OSError as exc:
        raise FormulationFileError(f"the file could not be written ({exc.strerror}).", path=shown) from None
    f.base_version, f.file_id, f.modified = 1, header["file_id"], False
    CACHE.remember(p, header["file_id"], 1, len(first) + len(line), f)
    return True


def _revision(
    f: Formulation, version: int, *, message: str, author: str, session: int | None
) -> dict[str, Any]:
    return {
        "version": version,
        "parent": version - 1 if version > 1 else None,
        "time": _clock.now(),
        "author": author,
        "message": message,
        "session": session,
        "elements": len(f),
        "links": len(f.link_records()),
        "comments": len(f.comment_records()),
    }


def _check_revision_fields(message: Any, author: Any, session: Any) -> None:
    if not isinstance(author, str) or not author.strip():
        raise InvalidValue("Give an author (a name or initials) to save a version.")
    if not isinstance(message, str):
        raise InvalidValue("The message of a version must be text.")
    if session is not None and (
        isinstance(session, bool) or not isinstance(session, int) or not 0 <= session < 10**reader.MAX_DIGITS
    ):
        raise InvalidValue(
            f"The session must be a whole number of at most {reader.MAX_DIGITS} digits, not {short(session)}."
        )


def _check_conflict(f: Formulation, opened: _Opened, last: dict[str, Any], shown: str) -> None:
    who, when = last["author"] or "someone", _clock.shown(last["time"])
    details = dict(
        path=shown, other_version=last["version"], other_author=last["author"], other_time=last["time"]
    )
    if f.file_id != opened.file_id or f.base_version is None:
        raise SaveConflict(
            f"{shown} holds another formulation (version {last['version']} saved by {who} at {when}); "
            "nothing was overwritten. Save your changes under another file name.",
            **details,
        )
    if f.base_version != opened.latest:
        raise SaveConflict(
            f"Version {last['version']} was saved by {who} at {when} after you opened version "
            f"{f.base_version}; nothing was overwritten. Save your changes under another file name.",
            **details,
        )


# --- reading -------------------------------------------------------------------------------


@dataclass
class _Opened:
    """What the header and the end of a file say, read without touching the middle.

    What the end says is checked before it is trusted: the number of lines
    must match the newest version, and the lines read back for a version must
    hold the versions they should. When something does not fit, the whole
    file is checked as :func:`validate` does, and its first problem is raised.
    """

    fh: BinaryIO
    path: str
    header: dict[str, Any]
    header_end: int
    template: Template
    tail: reader.Tail
    last_raw: reader.RawLine
    last_revision: dict[str, Any]
    _last_line: dict[str, Any] | None = None

    @property
    def file_id(self) -> str:
        return str(self.header["file_id"])

    @property
    def original_format(self) -> int:
        return int(self.header.get("original_format_version", self.header["format_version"]))

    @property
    def file_format(self) -> int:
        """The format the file is written in (its lines are written in it too)."""
        return self.original_format

    @property
    def sealed(self) -> bool:
        """Whether every line must carry a checksum (format 2 on)."""
        return self.original_format >= 2

    @property
    def latest(self) -> int:
        return int(self.last_revision["version"])

    @property
    def end(self) -> int:
        return self.tail.end

    @property
    def newline(self) -> bool:
        return self.tail.newline

    @property
    def last_line(self) -> dict[str, Any]:
        if self._last_line is None:
            self._last_line = self.parse_revision(self.last_raw, self.latest)
        return self._last_line

    @property
    def torn(self) -> bool:
        return self.tail.torn

    @classmethod
    def read(cls, fh: BinaryIO, path: str) -> _Opened:
        raw, header, template = read_header(fh, path)
        header_end = raw.offset + len(raw.data) + 1
        size = os.fstat(fh.fileno()).st_size
        try:
            tail = reader.find_tail(fh, size, header_end, str(header["file_id"]))
        except reader.LongLine as problem:
            raise Place(path, reader.line_number(fh, problem.offset)).error(problem) from None
        if tail.last is None:
            what = "the first version is cut short" if tail.torn else "the file holds no saved version"
            raise TruncatedFileError(f"{what}; there is nothing to load.", path=path, where="line 2")
        opened = cls(fh, path, header, header_end, template, tail, tail.last, {})
        try:
            opened.last_revision = opened.revision_only(tail.last, None)[0]
            lines = reader.count_lines(fh, header_end, tail.end)
            if lines != opened.latest:
                raise FileContentError(
                    f"the file holds {lines} version lines, but its last line holds version {opened.latest}.",
                    path=path,
                )
        except FormulationFileError:
            opened.check_all()  # raises the first problem of the file, as validate() does
            raise
        return opened

    def check_all(self) -> None:
        """Check every line and every version; raise a FormulationFileError naming the first problem."""
        newest = deque(self.walk(), maxlen=1)  # every line is checked on the way
        if newest:
            version, _line, state = newest[0]
            self.build(state, version)

    def walk(self) -> Iterator[tuple[int, dict[str, Any], v1.State]]:
        """Bring one state forward line by line, checking each; yield ``(version, line, state)`` after each.

        The state is the same object throughout, changed in place.
        """
        state: v1.State | None = None
        base = 0
        for version, raw in enumerate(self.forward(), start=1):
            line = self.parse_revision(raw, version)
            place = Place(self.path, version + 1, version)
            try:
                if "snapshot" in line:
                    state, base = v1.state_from_snapshot(line["snapshot"]), version
                    validator.check_state(state, self.template)
                else:
                    if state is None:
                        raise Problem("the first version must be a full snapshot.")
                    if line["revision"]["stored"]["base"] != base:
                        raise Problem(
                            f"the delta names version {line['revision']['stored']['base']} as "
                            f"its snapshot, but the last snapshot is version {base}.",
                            "revision",
                        )
                    validator.check_records(state, self.template, v1.apply_delta(state, line["delta"]))
                _check_counts(line["revision"], state)
            except Problem as problem:
                raise place.error(problem) from None
            yield version, line, state

    def warn_if_torn(self, stacklevel: int) -> None:
        if self.torn:
            lost = self.latest + 1
            warnings.warn(
                IncompleteSaveWarning(
                    f"{self.path}: the save of version {lost} was interrupted and is lost; versions 1 to "
                    f"{self.latest} are intact (the incomplete line {lost + 1} goes with the next save).",
                    path=self.path,
                    lost_version=lost,
                ),
                stacklevel=stacklevel,
            )

    def check_version(self, version: int) -> int:
        if isinstance(version, bool) or not isinstance(version, int) or not 1 <= version <= self.latest:
            raise VersionNotFound(
                f"there is no version {version!r}; the file holds versions 1 to {self.latest}.",
                path=self.path,
            )
        return version

    def parse_revision(self, raw: reader.RawLine, version: int | None) -> dict[str, Any]:
        """Parse, migrate and check one revision line expected to hold ``version`` (None: unknown)."""
        try:
            checksum.verify(raw.data, self.file_id, required=self.sealed)
            line = upgrade(reader.parse(raw.data), "revision", self.original_format)
            revision = line.get("revision")
            found = revision.get("version") if isinstance(revision, dict) else None
            if version is not None and isinstance(found, int) and found != version:
                number = version + 1
                raise Place(self.path, number).error(Problem(_misplaced(found, version)))
            validator.check_line(line)
        except Problem as problem:
            number = version + 1 if version is not None else reader.line_number(self.fh, raw.offset)
            raise Place(self.path, number, number - 1).error(problem) from None
        return line

    def revision_only(self, raw: reader.RawLine, version: int | None) -> tuple[dict[str, Any], str]:
        """Return the revision of a line and how it is stored, without decoding a snapshot body.

        Snapshot lines start with their revision (keys are sorted), so it is
        decoded alone; anything unusual falls back to :meth:`parse_revision`,
        which explains the problem.
        """
        prefix = b'{"revision":'
        content = checksum.unseal(raw.data)[1]
        if content.startswith(prefix):
            try:
                checksum.verify(raw.data, self.file_id, required=self.sealed)
                revision, _end = reader.DECODER.raw_decode(content.decode("utf-8"), len(prefix))
                revision = upgrade({"revision": revision}, "revision", self.original_format)["revision"]
                validator.check_revision(revision)
                if version is None or revision["version"] == version:
                    return revision, "snapshot"
            except (ValueError, RecursionError, Problem):
                pass
        line = self.parse_revision(raw, version)
        return line["revision"], "delta" if "delta" in line else "snapshot"

    def forward(self) -> Iterator[reader.RawLine]:
        """Yield every version line, first to last; an over-long line raises a FormulationFileError."""
        try:
            yield from reader.lines_forward(self.fh, self.header_end, self.end)
        except reader.LongLine as problem:
            raise Place(self.path, reader.line_number(self.fh, problem.offset)).error(problem) from None

    def formulation(self, version: int) -> Formulation:
        """Rebuild ``version``: its snapshot plus the deltas after it, read and checked.

        When what is read does not fit, the whole file is checked and its first problem raised.
        """
        try:
            try:
                return self._formulation(version)
            except reader.LongLine as problem:
                raise Place(self.path, reader.line_number(self.fh, problem.offset)).error(problem) from None
        except FormulationFileError:
            self.check_all()
            raise

    def _formulation(self, version: int) -> Formulation:
        if version == self.latest:
            line = self.last_line
            base = line["revision"]["stored"]["base"]
            raws = reader.lines_backwards(self.fh, self.end, version - base + 1, self.header_end)
        else:
            first = [
                raw
                for _, raw in zip(range(version), self.forward(), strict=False)
            ]
            line = self.parse_revision(first[-1], version)
            base = line["revision"]["stored"]["base"]
            raws = first[base - 1 :]
        if len(raws) != version - base + 1:
            number = reader.line_number(self.fh, raws[-1].offset)
            raise FileContentError(
                f"it holds version {version} where version {number - 1} belongs.",
                path=self.path,
                where=f"line {number}",
            )
        lines = [self.parse_revision(raw, base + i) for i, raw in enumerate(raws[:-1])] + [line]
        snapshots = [base + i for i, item in enumerate(lines) if "snapshot" in item]
        if "delta" in line and snapshots != [base]:
            last = (
                f"the last snapshot is version {snapshots[-1]}" if snapshots else "that version holds a delta"
            )
            raise Place(self.path, version + 1, version).error(
                Problem(f"the delta names version {base} as its snapshot, but {last}.", "revision")
            )
        state: v1.State | None = None
        for number, item in enumerate(lines, start=base):
            try:
                if number == base:
                    state = v1.state_from_snapshot(item["snapshot"])
                    validator.check_state(state, self.template)
                else:
                    assert state is not None
                    validator.check_records(state, self.template, v1.apply_delta(state, item["delta"]))
                _check_counts(item["revision"], state)
            except Problem as problem:
                raise Place(self.path, number + 1, number).error(problem) from None
        assert state is not None
        return self.build(state, version)

    def build(self, state: v1.State, version: int) -> Formulation:
        try:
            f = v1.to_formulation(state, self.template)
        except ModelError as exc:
            raise FileContentError(
                str(exc)[:1].lower() + str(exc)[1:], path=self.path, where=f"version {version}"
            ) from None
        f.base_version, f.file_id, f.modified = version, self.file_id, False
        return f


def _misplaced(found: int, version: int) -> str:
    """Why a line holding version ``found`` cannot be where ``version`` belongs (a number used twice?)."""
    if 1 <= found < version:
        return (
            f"it holds version {found} a second time, where version {version} belongs: two saves took the "
            "same number, so one of them may be missing from the history."
        )
    return f"it holds version {found} where version {version} belongs."


def _check_counts(revision: dict[str, Any], state: v1.State | None) -> None:
    if (
        state is not None
        and (revision["elements"], revision["links"], revision["comments"]) != state.counts()
    ):
        raise Problem(
            "the numbers of elements, links and comments in the revision do not match its content.",
            "revision",
        )


def read_header(fh: BinaryIO, path: str) -> tuple[reader.RawLine, dict[str, Any], Template]:
    """Read, migrate and check line 1; return it, the header and its template, or raise naming the place."""
    header_place = Place(path, 1)
    try:
        raw = reader.read_header_line(fh)
        header = reader.parse(raw.data)
        fmt = reader.detect_format(header)
    except Problem as problem:
        whole_file = problem.kind in (NewerFormatError, NotAFormulationFile)
        raise (Place(path) if whole_file else header_place).error(problem) from None
    try:
        header = upgrade(header, "header", fmt)
        validator.check_header(header)
        checksum.verify(raw.data, header["file_id"], required=fmt >= 2)
    except Problem as problem:
        raise header_place.error(problem) from None
    try:
        template = get_template(header["template"])
    except TemplateNotFound as exc:
        raise FileContentError(
            f"the file uses a template that is not installed: {exc}", path=path, where="line 1"
        ) from None
    return raw, header, template
