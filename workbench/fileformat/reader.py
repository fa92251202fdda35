"""Reading a formulation file: its lines as bytes, JSON parsing, and the format version.

The reader only finds lines, parses them and detects the format; it does not
migrate (:mod:`.migrate`) or validate (:mod:`.validator`). Lines are found at
the byte level, so the newest versions can be read from the end of the file
without touching the rest. A last line without its newline is the trace of an
interrupted save (a *torn* line): it is reported, never parsed.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

from workbench.errors import NewerFormatError, NotAFormulationFile, NotJSONError, TruncatedFileError
from workbench.fileformat._places import Problem
from workbench.fileformat.migrate import CURRENT_FORMAT

__all__ = [
    "FORMAT_NAME",
    "RawLine",
    "complete_end",
    "detect_format",
    "line_number",
    "lines_backwards",
    "lines_forward",
    "parse",
    "read_header_line",
]

#: The ``format`` value of every formulation file header.
FORMAT_NAME = "formulation-workbench"

_CHUNK = 1 << 16


@dataclass(frozen=True)
class RawLine:
    """One complete line of a file, without its newline, and where it starts."""

    offset: int
    data: bytes


def read_header_line(fh: BinaryIO) -> RawLine:
    """Return line 1 (the header); raise :class:`Problem` if the file is empty or the line is cut."""
    fh.seek(0)
    buffer = b""
    while True:
        chunk = fh.read(_CHUNK)
        if not chunk:
            break
        buffer += chunk
        newline = buffer.find(b"\n")
        if newline >= 0:
            return RawLine(0, buffer[:newline])
    if not buffer:
        raise Problem("the file is empty; it is not a formulation file.", kind=NotAFormulationFile)
    try:
        parse(buffer)
    except Problem:
        raise Problem(
            "the file header is cut short; the file holds no saved version.", kind=TruncatedFileError
        ) from None
    raise Problem("the file holds only a header and no saved version.", kind=TruncatedFileError)


def complete_end(fh: BinaryIO, size: int) -> int:
    """Return the offset just after the last newline (0 when there is none)."""
    position = size
    while position > 0:
        start = max(0, position - _CHUNK)
        fh.seek(start)
        chunk = fh.read(position - start)
        newline = chunk.rfind(b"\n")
        if newline >= 0:
            return start + newline + 1
        position = start
    return 0


def lines_backwards(fh: BinaryIO, end: int, count: int, stop: int) -> list[RawLine]:
    """Return up to ``count`` complete lines that end at ``end``, oldest first, not reading before ``stop``.

    ``end`` must be the offset just after a newline; ``stop`` is where the
    first line of interest may start (just after the header).
    """
    if end <= stop or count <= 0:
        return []
    start, data, newlines = end, b"", 0
    while start > stop and newlines <= count:
        new_start = max(stop, start - _CHUNK)
        fh.seek(new_start)
        chunk = fh.read(start - new_start)
        newlines += chunk.count(b"\n")
        data, start = chunk + data, new_start
    pieces = data[:-1].split(b"\n")
    if start > stop:  # the first piece may be the end of a line that starts earlier
        pieces = pieces[1:]
    pieces = pieces[-count:]
    lines, offset = [], end
    for piece in reversed(pieces):
        offset -= len(piece) + 1
        lines.append(RawLine(offset, piece))
    lines.reverse()
    return lines


def lines_forward(fh: BinaryIO, start: int, end: int) -> Iterator[RawLine]:
    """Yield the complete lines between ``start`` and ``end`` (just after a newline)."""
    fh.seek(start)
    offset = start
    while offset < end:
        data = fh.readline(end - offset)
        if not data:
            return
        yield RawLine(offset, data.rstrip(b"\n"))
        offset += len(data)


def line_number(fh: BinaryIO, offset: int) -> int:
    """Return the number (1-based) of the line starting at ``offset`` (reads the file up to there)."""
    fh.seek(0)
    count, done = 0, 0
    while done < offset:
        chunk = fh.read(min(_CHUNK, offset - done))
        if not chunk:
            break
        count += chunk.count(b"\n")
        done += len(chunk)
    return count + 1


def parse(data: bytes) -> dict[str, Any]:
    """Parse one line as a JSON object; raise :class:`Problem` (NotJSONError) if it is not one."""
    try:
        value = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise Problem(f"the line is not UTF-8 text (byte {exc.start + 1}).", kind=NotJSONError) from None
    except json.JSONDecodeError as exc:
        raise Problem(
            f"the line is not JSON ({exc.msg} at character {exc.pos + 1}).", kind=NotJSONError
        ) from None
    if not isinstance(value, dict):
        raise Problem(f"the line should be a JSON object, not {type(value).__name__}.", kind=NotJSONError)
    return value


def detect_format(header: dict[str, Any]) -> int:
    """Return the format version a header states; raise :class:`Problem` for other files and newer formats."""
    if header.get("format") != FORMAT_NAME:
        if "revision" in header:
            message = "the header line is missing (line 1 holds a saved version)."
        else:
            message = "line 1 is not a Formulation Workbench header, so this is not a formulation file."
        raise Problem(message, kind=NotAFormulationFile)
    version = header.get("format_version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise Problem(
            f"the format version should be a whole number, not {json.dumps(version)}.", subject="header"
        )
    if version > CURRENT_FORMAT:
        raise Problem(
            f"This file was written by a newer version of Formulation Workbench (format {version}); "
            f"this version reads formats up to {CURRENT_FORMAT}. Please update.",
            kind=NewerFormatError,
        )
    return version
