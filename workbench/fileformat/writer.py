"""Writing formulation files: deterministic lines, atomic creation, append-only saves.

Every line is one JSON object with sorted keys, compact separators, UTF-8
text as is (``ensure_ascii=False``) and a ``\\n`` at the end, so the same
content always gives the same bytes. A new file is written to a temporary
file, flushed to disk and moved into place (a crash leaves either no file or
a whole one). A save appends one complete line with a single ``os.write``
and flushes it to disk; a half-written line left by an earlier crash is cut
off first. Earlier lines are never rewritten. From format 2 on, every line
carries its checksum (:func:`seal_line`, see :mod:`.checksum`).
"""

from __future__ import annotations

import json
import os
import tempfile
import uuid
from pathlib import Path
from typing import Any

from workbench import _clock
from workbench.errors import InvalidValue
from workbench.fileformat.checksum import seal
from workbench.fileformat.migrate import CURRENT_FORMAT
from workbench.fileformat.reader import FORMAT_NAME

__all__ = [
    "append_line",
    "create_file",
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
    """Write a new file atomically: temporary file, fsync, rename into place, fsync the folder."""
    folder = path.parent
    fd, temp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    try:
        data = b"".join(lines)
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fsync(fd)
        os.close(fd)
        fd = -1
        os.replace(temp, path)
    except BaseException:
        if fd >= 0:
            os.close(fd)
        if os.path.exists(temp):
            os.unlink(temp)
        raise
    _fsync_folder(folder)


def append_line(path: Path, line: bytes, *, keep: int) -> int:
    """Append one complete line after the first ``keep`` bytes; return the new size.

    Bytes after ``keep`` (a line torn by an interrupted save) are cut off
    first. The line goes out in one ``os.write`` (repeated only if the system
    writes less) and is flushed to disk before this returns.
    """
    fd = os.open(path, os.O_WRONLY)
    try:
        if os.fstat(fd).st_size != keep:
            os.ftruncate(fd, keep)
            os.fsync(fd)
        os.lseek(fd, keep, os.SEEK_SET)
        view = memoryview(line)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fsync(fd)
    finally:
        os.close(fd)
    return keep + len(line)


def _fsync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
