"""Clinical text made safe for a terminal or a text file: no control characters, no bidi overrides.

Clinical text is hostile input: a label can hold terminal escape sequences (``ESC [ ...``),
NUL, BEL or Unicode bidirectional overrides that make a line read differently from what it
holds. The command line's output and the Markdown export both pass text through
:func:`safe_text`, which replaces each such character with a space.

>>> safe_text("red\\x1b[31m alert\\x07")
'red [31m alert '
>>> safe_text("line one\\nline two\\u202e", keep="\\n")
'line one\\nline two '
>>> counted(1, "link"), counted(3, "link")
('1 link', '3 links')
"""

from __future__ import annotations

import re

__all__ = ["UNSAFE", "counted", "safe_text"]

#: Control characters (C0, DEL, C1) and bidirectional marks, embeddings, overrides and isolates.
UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def safe_text(text: str, *, keep: str = "") -> str:
    """Replace every control character and bidi override in ``text`` with a space, except the
    characters in ``keep`` (for example ``"\\n"`` for text of several lines)."""
    if not keep:
        return UNSAFE.sub(" ", text)
    return UNSAFE.sub(lambda m: m.group() if m.group() in keep else " ", text)


def counted(n: int, word: str) -> str:
    """``n`` and ``word``, in the plural unless ``n`` is 1 (``counted(2, "version")`` is "2 versions")."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"
