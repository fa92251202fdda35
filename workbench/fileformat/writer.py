"""Writing formulation files: deterministic lines, atomic creation, append-only saves.

Every line is one JSON object with sorted keys, compact separators, UTF-8
text as is (``ensure_ascii=False``) and a ``\\n`` at the end, so the same
content always gives the same bytes. A new case file is written to a
temporary file, flushed to disk and then given its name with a hard link,
which fails if any file already has that name: a crash leaves either no file
or a whole one, and two people creating the same file cannot overwrite each
other (:func:`create_new`). A save appends one complete line with a single ``os.write``
and flushes it to disk; a half-written line left by an earlier crash is cut
off first. Earlier lines are never rewritten. From format 2 on, every line
carries its checksum (:func:`seal_line`, see :mod:`.checksum`).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import uuid
from pathlib import Path
from typing import Any

from workbench import _clock
from workbench.errors import InvalidValue
from workbench.fileformat import tempfiles
from workbench.fileformat.checksum import seal
from workbench.fileformat.migrate import CURRENT_FORMAT
from workbench.fileformat.reader import FORMAT_NAME

__all__ = [
    "append_line",
    "append_to",
    "create_file",
    "create_new",
    "delta_line",
    "dumps",
    "new_file_id",
    "new_header",
    "seal",
    "seal_line",
    "snapshot_line",
]


def dumps(value: Any) -> bytes:
    """Return ``value`` as deterministic compact JSON bytes (no newline).

    >>> dumps({"b": 1, "a": "é"})
    b'{"a":"\\xc3\\xa9","b":1}'
    """
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as exc:
        code = f"\\u{ord(text[exc.start]):04x}"
        raise InvalidValue(
            f"The text holds {code}, half of a UTF-16 character pair, which is not valid text; "
            "remove it and save again."
        ) from None


def new_file_id() -> str:
    """Return a fresh file identity (a random UUID in hex)."""
    return uuid.uuid4().hex


def new_header(template_id: str) -> dict[str, Any]:
    """Return the header of a new file of the current format."""
    return {
        "format": FORMAT_NAME,
        "format_version": CURRENT_FORMAT,
        "file_id": new_file_id(),
        "template": template_id,
        "created": _clock.now(),
    }


def snapshot_line(revision: dict[str, Any], snapshot: bytes) -> bytes:
    """Return a revision line holding a full snapshot (``snapshot`` already dumped).

    The bytes equal ``dumps({"revision": ..., "snapshot": ...}) + b"\\n"``.
    """
    return b'{"revision":' + dumps(revision) + b',"snapshot":' + snapshot + b"}\n"


def delta_line(revision: dict[str, Any], delta: bytes) -> bytes:
    """Return a revision line holding a delta (``delta`` already dumped)."""
    return b'{"delta":' + delta + b',"revision":' + dumps(revision) + b"}\n"


def seal_line(line: bytes, file_id: str, format_version: int = CURRENT_FORMAT) -> bytes:
    """Return ``line`` (one JSON object and a newline) as a file of ``format_version`` holds it.

    From format 2 on the line carries its checksum; format-1 files get
    format-1 lines, so that older workbenches can still read them.
    """
    if format_version < 2:
        return line
    return seal(line.rstrip(b"\n"), file_id) + b"\n"


def create_file(path: Path, lines: list[bytes]) -> None:
    """Write a file atomically, replacing any file of that name (not a symbolic link's target).

    Temporary file (locked, with the folder's permissions, see
    :mod:`.tempfiles`), fsync, rename into place, fsync the folder. For a new
    case file, which must never replace one, use :func:`create_new`.
    """
    folder = path.parent
    fd, temp = tempfiles.create(folder, path.name)
    try:
        _write_all(fd, b"".join(lines))
        os.fsync(fd)
        os.replace(temp, path)
        _fsync_folder(folder)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        os.close(fd)


#: What ``link`` fails with on file systems without hard links (FAT, exFAT, some network mounts).
_NO_HARD_LINKS = {errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.ENOSYS, errno.EXDEV}


def create_new(path: Path, lines: list[bytes], *, over_empty: bool = False) -> bool:
    """Write a new file at ``path`` atomically; return False (writing nothing) if a file got there first.

    The lines go to a locked temporary file in the same folder (with the
    folder's permissions, see :mod:`.tempfiles`), which is flushed to disk and
    then linked to ``path`` (``link`` fails if the name exists, so a file
    created meanwhile by someone else is never overwritten); the folder is
    flushed last. Where hard links are not supported, the name is reserved
    with an exclusive create first. With ``over_empty`` the caller holds the
    lock of an empty file at ``path``, which is replaced.
    """
    target = Path(os.path.realpath(path)) if over_empty else path
    folder = target.parent
    fd, temp = tempfiles.create(folder, target.name)
    try:
        _write_all(fd, b"".join(lines))
        os.fsync(fd)
        if over_empty:
            os.replace(temp, target)
        elif not _link_new(temp, target):
            return False
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        _fsync_folder(folder)
        return True
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        os.close(fd)  # releases the lock, which readers of the new file wait for


def _link_new(temp: Path, path: Path) -> bool:
    """Give the finished temporary file the name ``path`` unless that name exists; True if done."""
    try:
        os.link(temp, path, follow_symlinks=False)
        return True
    except FileExistsError:
        return False
    except OSError as exc:
        if exc.errno not in _NO_HARD_LINKS:
            raise
    try:  # no hard links here: reserve the name, hold its lock (readers and savers wait), replace it
        reserved = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    except FileExistsError:
        return False
    try:
        fcntl.flock(reserved, fcntl.LOCK_EX)
        held = os.fstat(reserved)
        try:
            named = os.stat(path, follow_symlinks=False)
        except FileNotFoundError:
            return False
        if (held.st_dev, held.st_ino) != (named.st_dev, named.st_ino):
            return False  # a save that found the empty name first filled it while we waited
        os.replace(temp, path)
    finally:
        os.close(reserved)
    return True


def append_line(path: Path, line: bytes, *, keep: int) -> int:
    """Append one complete line to the file at ``path``; see :func:`append_to`."""
    fd = os.open(path, os.O_WRONLY | os.O_CLOEXEC)
    try:
        return append_to(fd, line, keep=keep)
    finally:
        os.close(fd)


def append_to(fd: int, line: bytes, *, keep: int) -> int:
    """Append one complete line after the first ``keep`` bytes of the open file ``fd``; return the new size.

    Bytes after ``keep`` (a line torn by an interrupted save) are cut off
    first. The line goes out in one ``os.write`` (repeated only if the system
    writes less) and is flushed to disk before this returns.
    """
    if os.fstat(fd).st_size != keep:
        os.ftruncate(fd, keep)
        os.fsync(fd)
    os.lseek(fd, keep, os.SEEK_SET)
    _write_all(fd, line)
    os.fsync(fd)
    return keep + len(line)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _fsync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
