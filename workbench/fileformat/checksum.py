"""The checksum on every line of a format-2 file.

A line is written as ``{"check":"<32 hex digits>",`` followed by the rest of
the line's JSON object; the check is the first 32 hex digits of the SHA-256
of the file id, a newline, and the line without its check (``{`` + the rest).
Binding the file id means a line copied from another file does not verify.
The check is found and verified on the bytes, before the line is parsed, so
a changed byte anywhere in the line is reported as damage rather than read
as the clinician's words.
"""

from __future__ import annotations

import hashlib

from workbench.errors import FileContentError
from workbench.fileformat._places import Problem

__all__ = ["PREFIX", "REPAIR_TIP", "intact", "seal", "unseal", "verify"]

#: The end of a message about a damaged line: what can be done about it.
REPAIR_TIP = "; 'workbench repair' can set it aside."

#: How a line with a checksum starts (keys are sorted, and ``check`` sorts first).
PREFIX = b'{"check":"'
_LENGTH = 32
_REST = len(PREFIX) + _LENGTH + 2  # the prefix, the digits, '",'


def seal(content: bytes, file_id: str) -> bytes:
    """Return the line ``content`` (a compact JSON object, no newline) with its checksum.

    >>> seal(b'{"a":1}', "f" * 32)[:10]
    b'{"check":"'
    """
    return PREFIX + _digest(content, file_id) + b'",' + content[1:]


def unseal(data: bytes) -> tuple[bytes | None, bytes]:
    """Split a line into its check (None when it has none) and its content without the check."""
    data = data.rstrip(b" \t\r")  # what an editor may leave before the newline
    if not data.startswith(PREFIX) or data[_REST - 2 : _REST] != b'",':
        return None, data
    return data[len(PREFIX) : len(PREFIX) + _LENGTH], b"{" + data[_REST:]


def intact(data: bytes, file_id: str) -> bool:
    """Whether the line carries a checksum that matches it."""
    check, content = unseal(data)
    return check is not None and check == _digest(content, file_id)


def verify(data: bytes, file_id: str, *, required: bool) -> None:
    """Raise :class:`Problem` if the line's checksum does not match (or is missing when ``required``)."""
    check, content = unseal(data)
    if check is None:
        if required or data.startswith(PREFIX):
            raise Problem(
                "the line has no valid checksum, so it was changed after it was saved" + REPAIR_TIP,
                kind=FileContentError,
            )
        return
    if check != _digest(content, file_id):
        raise Problem(
            "the line was changed or damaged after it was saved (its checksum does not match)" + REPAIR_TIP,
            kind=FileContentError,
        )


def _digest(content: bytes, file_id: str) -> bytes:
    return hashlib.sha256(file_id.encode("utf-8") + b"\n" + content).hexdigest()[:_LENGTH].encode("ascii")
