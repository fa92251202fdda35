"""The versioned formulation file: read -> migrate -> validate; write; history.

A formulation lives in one JSON Lines file (by convention ``*.formulation.json``): a header
line, then one line per saved version, appended and never rewritten. See
``docs/file-format.md`` for the layout and the guarantees.

- :mod:`.reader` finds and parses lines and detects the format version;
- :mod:`.migrate` moves older formats forward one step at a time;
- :mod:`.validator` checks lines against the JSON Schema and for meaning;
- :mod:`.v1` holds the format-1 schema and the record <-> JSON conversion;
- :mod:`.v2` holds the format-2 schema (format 1 plus checksums and the model's rules);
- :mod:`.writer` writes deterministic lines, atomically or by appending;
- :mod:`.checksum` seals and verifies the checksum on every line (format 2);
- :mod:`.store` puts them together: save, load, history, each_version, restore, validate;
- :mod:`.policy` holds the store's :class:`~.policy.StorePolicy` and :class:`~.policy.VersionCache`;
- :mod:`.revisions` holds what ``history()`` returns: typed records with ``.to_frame()``;
- :mod:`.repair` rewrites a damaged file keeping every intact version.
"""

from workbench.fileformat.migrate import CURRENT_FORMAT
from workbench.fileformat.policy import CACHE, StorePolicy, VersionCache
from workbench.fileformat.reader import FORMAT_NAME
from workbench.fileformat.repair import RepairReport, repair
from workbench.fileformat.revisions import Revision, Revisions
from workbench.fileformat.store import (
    each_version,
    history,
    load,
    restore,
    save,
    validate,
)

__all__ = [
    "CACHE",
    "CURRENT_FORMAT",
    "FORMAT_NAME",
    "RepairReport",
    "Revision",
    "Revisions",
    "StorePolicy",
    "VersionCache",
    "each_version",
    "history",
    "load",
    "repair",
    "restore",
    "save",
    "validate",
]
