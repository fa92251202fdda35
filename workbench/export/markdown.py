"""The plain-language narrative of a formulation, written to a Markdown file.

The text comes from :func:`workbench.analysis.narrative.narrative_markdown`
(ordered by template layers, user text escaped for Markdown); this module only
writes it, as UTF-8 with one trailing newline. Control characters (terminal escapes,
NUL, BEL, carriage returns) and bidirectional overrides in the text are replaced with
spaces, as the command line's output does (:func:`workbench._text.safe_text`): a
Markdown file is read in terminals and editors too.

Example
-------
>>> import tempfile, pathlib
>>> from workbench.model import Formulation
>>> f = Formulation.new(case_id="C-1", title="Teaching case")
>>> path = write_markdown(f, pathlib.Path(tempfile.mkdtemp()) / "case.md")
>>> path.read_text(encoding="utf-8").splitlines()[0]
'# Case formulation: Teaching case'
"""

from __future__ import annotations

from pathlib import Path

from workbench._text import safe_text
from workbench.analysis.narrative import narrative_markdown
from workbench.model import Formulation

__all__ = ["write_markdown"]


def write_markdown(f: Formulation, path: str | Path, *, quotes: bool = False) -> Path:
    """Write the narrative of ``f`` to ``path`` (a ``.md`` file) and return the path.

    ``quotes`` adds the quotes behind each element and link (never the session notes).
    """
    path = Path(path)
    text = safe_text(narrative_markdown(f, quotes=quotes), keep="\n\t").rstrip("\n") + "\n"
    path.write_text(text, encoding="utf-8", errors="replace", newline="\n")
    return path
