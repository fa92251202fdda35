"""Reading a formulation file: its lines as bytes, JSON parsing, and the format version.

The reader only finds lines, parses them and detects the format; it does not
migrate (:mod:`.migrate`) or validate (:mod:`.validator`). Lines are found at
the byte level, so the newest versions can be read from the end of the file
without touching the rest; every function reads in linear time and refuses a
line longer than :data:`MAX_LINE_BYTES`.

What editors commonly do to a text file is accepted: a UTF-8 byte order mark,
Windows line ends, blank lines at the end, and a last line without its
newline. A last line whose JSON is cut short is the trace of an interrupted
save (a *torn* line): it is reported, never parsed as a version.

Parsing refuses what no formulation file holds: ``NaN`` and ``Infinity``,
numbers of more than :data:`MAX_DIGITS` digits or beyond a float's range,
nesting deeper than :data:`MAX_DEPTH`, and text with half a UTF-16 pair.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

from workbench.errors import NewerFormatError, NotAFormulationFile, NotJSONError, TruncatedFileError
from workbench.fileformat._places import Problem
from workbench.fileformat.checksum import intact, unseal
from workbench.fileformat.migrate import CURRENT_FORMAT

__all__ = [
    "DECODER",
    "FORMAT_NAME",
    "MAX_DEPTH",
    "MAX_DIGITS",
    "MAX_LINE_BYTES",
    "LongLine",
    "RawLine",
    "Tail",
    "count_lines",
    "cut_short",
    "detect_format",
    "find_tail",
    "line_number",
    "lines_backwards",
    "lines_forward",
    "parse",
    "read_header_line",
    "unseal",
]

#: The ``format`` value of every formulation file header.
FORMAT_NAME = "formulation-workbench"

#: The longest line (one saved version) read or written, in bytes: 16 MB.
MAX_LINE_BYTES = 16 << 20

#: The most digits a whole number may have (below 2**53, so JavaScript reads it exactly too).
MAX_DIGITS = 15

#: The deepest nesting of lists and objects in a line (a formulation needs about 10).
MAX_DEPTH = 32

BOM = b"\xef\xbb\xbf"
_CHUNK = 1 << 16
_SPACE = b" \t\r\n"


class LongLine(Problem):
    """A line longer than :data:`MAX_LINE_BYTES`; ``offset`` is a byte inside it."""

    def __init__(self, offset: int) -> None:
        super().__init__(
            f"the line is longer than {_megabytes(MAX_LINE_BYTES)}, the most one saved version may hold; "
            "this is not a formulation file the workbench wrote.",
            kind=NotJSONError,
        )
        self.offset = offset


@dataclass(frozen=True)
class RawLine:
    """One complete line of a file, without its newline (a ``\\r`` before it is kept), and where it starts."""

    offset: int
    data: bytes


@dataclass(frozen=True)
class Tail:
    """The end of a file: its last intact line and what follows it.

    ``end`` is the offset just after the last intact line (after its newline,
    or at its last byte when it has none: then ``newline`` is False and a save
    must add one first). ``torn`` tells that an interrupted save's line follows.
    Anything after ``end`` is blank space or that torn line; a save cuts it off.
    """

    end: int
    last: RawLine | None
    torn: bool
    newline: bool


def read_header_line(fh: BinaryIO) -> RawLine:
    """Return line 1 (the header, after a byte order mark if any); raise :class:`Problem` if it is cut."""
    fh.seek(0)
    start = 3 if fh.read(3) == BOM else 0
    fh.seek(start)
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = fh.read(_CHUNK)
        if not chunk:
            break
        newline = chunk.find(b"\n")
        if newline >= 0:
            chunks.append(chunk[:newline])
            size += newline
            if size > MAX_LINE_BYTES:
                raise LongLine(start)
            return RawLine(start, b"".join(chunks))
        chunks.append(chunk)
        size += len(chunk)
        if size > MAX_LINE_BYTES:
            raise LongLine(start)
    buffer = b"".join(chunks)
    if not buffer.strip():
        raise Problem("the file is empty; it is not a formulation file.", kind=NotAFormulationFile)
    try:
        parse(buffer)
    except Problem:
        raise Problem(
            "the file header is cut short; the file holds no saved version.", kind=TruncatedFileError
        ) from None
    raise Problem("the file holds only a header and no saved version.", kind=TruncatedFileError)


def find_tail(fh: BinaryIO, size: int, start: int, file_id: str | None = None) -> Tail:
    """Find the last intact line between ``start`` (just after the header) and ``size``.

    Blank space at the end is skipped; the last line is a torn line (an
    interrupted save) when its JSON is cut short, with or without a newline
    after it; the line before it is then the last one. A line whose checksum
    (for ``file_id``) matches is whole.
    """
    tail = _last_line(fh, size, start)
    if tail.last is None or not cut_short(tail.last.data, file_id):
        return tail
    before = _last_line(fh, tail.last.offset, start)
    return Tail(before.end, before.last, True, before.newline)


def count_lines(fh: BinaryIO, start: int, end: int) -> int:
    """Return the number of lines between ``start`` and ``end`` (a last one without newline counts)."""
    count, last = _newlines(fh, start, end)
    return count + (last not in (b"", b"\n"))


def lines_backwards(fh: BinaryIO, end: int, count: int, stop: int) -> list[RawLine]:
    """Return up to ``count`` complete lines that end at ``end``, oldest first, not reading before ``stop``.

    ``end`` is a :attr:`Tail.end`; ``stop`` is where the first line of interest
    may start (just after the header).
    """
    if end <= stop or count <= 0:
        return []
    fh.seek(end - 1)
    body_end = end - 1 if fh.read(1) == b"\n" else end  # where the last line's bytes end
    chunks: list[bytes] = []
    start, found, earliest = body_end, 0, body_end
    while start > stop and found < count:
        new_start = max(stop, start - _CHUNK)
        fh.seek(new_start)
        chunk = fh.read(start - new_start)
        newlines = chunk.count(b"\n")
        if newlines:
            found += newlines
            earliest = new_start + chunk.find(b"\n")
        chunks.append(chunk)
        start = new_start
        if earliest - start > MAX_LINE_BYTES + 1:
            raise LongLine(start)
    pieces = b"".join(reversed(chunks)).split(b"\n")
    if start > stop:  # the first piece may be the end of a line that starts earlier
        pieces = pieces[1:]
    lines, offset = [], body_end
    for piece in reversed(pieces[-count:]):
        offset -= len(piece)
        if len(piece) > MAX_LINE_BYTES:
            raise LongLine(offset)
        lines.append(RawLine(offset, piece))
        offset -= 1
    lines.reverse()
    return lines


def lines_forward(fh: BinaryIO, start: int, end: int) -> Iterator[RawLine]:
    """Yield the lines between ``start`` and ``end`` (a :attr:`Tail.end`)."""
    fh.seek(start)
    offset = start
    while offset < end:
        data = fh.readline(min(end - offset, MAX_LINE_BYTES + 2))
        if not data:
            return
        if not data.endswith(b"\n") and offset + len(data) < end:
            raise LongLine(offset)
        yield RawLine(offset, data[:-1] if data.endswith(b"\n") else data)
        offset += len(data)


def line_number(fh: BinaryIO, offset: int) -> int:
    """Return the number (1-based) of the line holding the byte at ``offset`` (reads the file up to there)."""
    return _newlines(fh, 0, offset)[0] + 1


def parse(data: bytes) -> dict[str, Any]:
    """Parse one line as a JSON object; raise :class:`Problem` if it is not one a formulation file holds."""
    if len(data) > MAX_LINE_BYTES:
        raise LongLine(0)
    if not data.strip():
        raise Problem(
            "the line is blank; blank lines belong only at the end ('workbench repair' removes them).",
            kind=NotJSONError,
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Problem(f"the line is not UTF-8 text (byte {exc.start + 1}).", kind=NotJSONError) from None
    _check_depth(data)
    try:
        value = DECODER.decode(text.rstrip("\r"))
    except json.JSONDecodeError as exc:
        raise Problem(
            f"the line is not JSON ({exc.msg} at character {exc.pos + 1}).", kind=NotJSONError
        ) from None
    except RecursionError:
        raise _too_deep() from None
    if not isinstance(value, dict):
        raise Problem(f"the line should be a JSON object, not {type(value).__name__}.", kind=NotJSONError)
    if b"\\u" in data and _SURROGATE.search(data):
        _check_text(value)
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


# --- helpers ---------------------------------------------------------------------------------


def _newlines(fh: BinaryIO, start: int, end: int) -> tuple[int, bytes]:
    """The number of newlines between ``start`` and ``end``, and the last byte there (b"" if none)."""
    fh.seek(start)
    count, position, last = 0, start, b""
    while position < end:
        chunk = fh.read(min(1 << 20, end - position))
        if not chunk:
            break
        count += chunk.count(b"\n")
        position += len(chunk)
        last = chunk[-1:]
    return count, last


def _megabytes(size: int) -> str:
    return f"{size / (1 << 20):g} MB"


def _last_line(fh: BinaryIO, size: int, start: int) -> Tail:
    """The last non-blank line before ``size``, whether a newline follows it, and where it ends."""
    content_end = size
    while content_end > start:  # skip blank space backwards
        begin = max(start, content_end - _CHUNK)
        fh.seek(begin)
        chunk = fh.read(content_end - begin).rstrip(_SPACE)
        if chunk:
            content_end = begin + len(chunk)
            break
        content_end = begin
    if content_end <= start:
        return Tail(start, None, False, True)
    line_start, position = start, content_end
    while position > start:
        begin = max(start, position - _CHUNK)
        fh.seek(begin)
        chunk = fh.read(position - begin)
        newline = chunk.rfind(b"\n")
        if newline >= 0:
            line_start = begin + newline + 1
            break
        if content_end - begin > MAX_LINE_BYTES:
            raise LongLine(begin)
        position = begin
    if content_end - line_start > MAX_LINE_BYTES:
        raise LongLine(line_start)
    fh.seek(line_start)
    data = fh.read(content_end - line_start)
    fh.seek(content_end)
    after = fh.read(min(size - content_end, _CHUNK))
    newline_at = after.find(b"\n")
    if newline_at < 0:
        return Tail(content_end, RawLine(line_start, data), False, False)
    return Tail(content_end + newline_at + 1, RawLine(line_start, data), False, True)


def cut_short(data: bytes, file_id: str | None = None) -> bool:
    """Whether a line is the start of a JSON object whose end is missing (a torn line).

    A line whose checksum matches (for ``file_id``) is whole without parsing it.
    """
    if file_id is not None and intact(data, file_id):
        return False
    text_bytes = unseal(data)[1].rstrip(_SPACE)
    if not text_bytes.startswith(b"{"):
        return False
    try:
        text = text_bytes.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.end >= len(text_bytes)
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        # the parser ran out of text: at its end, inside a string, or inside a word or number
        return (
            exc.pos >= len(text)
            or exc.msg.startswith("Unterminated string")
            or _CUT_TOKEN.match(text, exc.pos) is not None
        )
    except (ValueError, RecursionError):
        return False
    return False


#: What may be left where the parser stopped when a line was cut inside a word, a number or an escape.
_CUT_TOKEN = re.compile(r"(?:t(?:ru?)?|f(?:a(?:ls?)?)?|n(?:ul?)?|-|\.|[eE][+-]?|\\(?:u[0-9a-fA-F]{0,3})?)\Z")
_INNERMOST = re.compile(rb"\[\]|\{\}")
_SURROGATE = re.compile(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_NOT_STRUCTURE = bytes(b for b in range(256) if b not in b'[]{}"')


def _check_depth(data: bytes) -> None:
    """Refuse nesting deeper than MAX_DEPTH, on the bytes (linear, before the recursive parser)."""
    if data.count(b"[") + data.count(b"{") <= MAX_DEPTH:
        return
    # keep only brackets and the quotes that bound strings, then drop the strings
    skeleton = data.replace(b"\\\\", b"").replace(b'\\"', b"").translate(None, _NOT_STRUCTURE)
    skeleton = b"".join(skeleton.split(b'"')[::2])  # what lies between strings
    for _ in range(MAX_DEPTH):
        if not skeleton:
            return
        shorter = _INNERMOST.sub(b"", skeleton)  # one level of nesting a pass
        if len(shorter) == len(skeleton):
            return  # not balanced: the JSON parser explains it
        skeleton = shorter
    if skeleton:
        raise _too_deep()


def _too_deep() -> Problem:
    return Problem(
        f"the line is nested more than {MAX_DEPTH} levels deep (lists within lists); "
        "a formulation file never is.",
        kind=NotJSONError,
    )


def _parse_int(text: str) -> int:
    digits = len(text.lstrip("-"))
    if digits > MAX_DIGITS:
        raise Problem(
            f"the line holds a whole number of {digits} digits; numbers in a formulation file have at most "
            f"{MAX_DIGITS}.",
            kind=NotJSONError,
        )
    return int(text)


def _parse_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise Problem(f"the line holds a number too large to read ({text[:20]}).", kind=NotJSONError)
    return value


def _parse_constant(name: str) -> float:
    raise Problem(
        f"the line holds {name}, which is not a number a formulation file may hold.", kind=NotJSONError
    )


#: A JSON decoder that refuses NaN, Infinity, numbers of more than MAX_DIGITS digits and beyond floats.
DECODER = json.JSONDecoder(parse_int=_parse_int, parse_float=_parse_float, parse_constant=_parse_constant)


def _check_text(value: Any) -> None:
    """Refuse text holding half of a UTF-16 pair (written as a ``\\ud800`` escape)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError as exc:
                code = f"\\u{ord(item[exc.start]):04x}"
                raise Problem(
                    f"the text holds {code}, half of a UTF-16 character pair, which is not valid text.",
                    kind=NotJSONError,
                ) from None
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
