"""Format 2 of the formulation file: format 1 with a checksum on every line.

Records are stored exactly as in format 1 (:mod:`workbench.fileformat.v1`
converts them); format 2 adds ``check`` to the header and to every revision
line (see :mod:`workbench.fileformat.checksum`) and states, in its schema, the
rules the model keeps: no blank labels or case ids, real dates and time
stamps, whole numbers of at most 15 digits.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

__all__ = ["FORMAT_VERSION", "schema"]

#: The format version this module describes.
FORMAT_VERSION = 2


@cache
def schema() -> dict[str, Any]:
    """Return the JSON Schema of format 2 (shipped as ``workbench/fileformat/v2/schema.json``)."""
    text = resources.files(__package__).joinpath("schema.json").read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded
