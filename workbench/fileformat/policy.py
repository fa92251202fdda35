"""How the store writes and what it keeps in memory, as objects instead of module globals.

:class:`StorePolicy` says when :func:`~workbench.fileformat.store.save` writes a full
snapshot instead of a delta; it is passed to ``save()`` and ``restore()``
(:data:`DEFAULT_POLICY` when none is given). :class:`VersionCache` keeps the newest
version of recently used files so that the next save need not read them again;
:data:`CACHE` is this process's one, and ``CACHE.clear()`` makes the next read go to
the file, as a new process would. Neither changes the file format.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from workbench.errors import InvalidValue, short
from workbench.model import Formulation

__all__ = ["CACHE", "DEFAULT_POLICY", "SNAPSHOT_EVERY", "StorePolicy", "VersionCache"]

#: The default of :attr:`StorePolicy.snapshot_every`: at most this many versions follow a snapshot
#: before the next full snapshot. (Changing this name changes nothing: pass a :class:`StorePolicy`.)
SNAPSHOT_EVERY = 200


@dataclass(frozen=True)
class StorePolicy:
    """How ``save()`` and ``restore()`` store a new version (the file format is the same for any policy).

    ``snapshot_every``: a full snapshot is written at the latest this many
    versions after the last one (sooner when the deltas since it outgrow it).
    A small number makes many snapshots, which tests use to exercise both
    kinds of line; any policy writes files every workbench reads.

    >>> StorePolicy(snapshot_every=0)
    Traceback (most recent call last):
    ...
    workbench.errors.InvalidValue: A snapshot must be written at least every 1 version, not every 0.
    """

    snapshot_every: int = SNAPSHOT_EVERY

    def __post_init__(self) -> None:
        every = self.snapshot_every
        if isinstance(every, bool) or not isinstance(every, int) or every < 1:
            raise InvalidValue(
                f"A snapshot must be written at least every 1 version, not every {short(every)}."
            )


#: The policy of every save that is given none.
DEFAULT_POLICY = StorePolicy()


class VersionCache:
    """The newest version of the last ``size`` files saved or loaded, to save onto without reading them.

    An entry is used only while the file is the same (its id, newest version,
    inode, device and size are as they were left), so a change by anyone else
    makes it unused. :meth:`clear` empties it, as a new process would find it.
    """

    def __init__(self, size: int = 8) -> None:
        self.size = size
        self._entries: dict[str, tuple[str, int, int, int, int, Formulation]] = {}

    def __len__(self) -> int:
        return len(self._entries)

    def clear(self) -> None:
        """Forget every file."""
        self._entries.clear()

    def forget(self, path: str | os.PathLike[str]) -> None:
        """Forget the file at ``path``."""
        self._entries.pop(_cache_key(Path(path)), None)

    def remember(self, p: Path, file_id: str, version: int, size: int, f: Formulation) -> None:
        """Keep a copy of ``f`` as ``version`` of the file at ``p``, if the file is ``size`` bytes long."""
        st = p.stat()
        if st.st_size != size or self.size < 1:
            return
        key = _cache_key(p)
        self._entries.pop(key, None)
        while len(self._entries) >= self.size:
            self._entries.pop(next(iter(self._entries)))
        self._entries[key] = (file_id, version, st.st_ino, st.st_dev, size, f.copy())

    def newest(self, p: Path, file_id: str, version: int, size: int, fh: BinaryIO) -> Formulation | None:
        """The newest version as kept after the last save or load, if the file open as ``fh`` is the same."""
        entry = self._entries.get(_cache_key(p))
        if entry is None:
            return None
        st = os.fstat(fh.fileno())
        if entry[:5] != (file_id, version, st.st_ino, st.st_dev, size):
            return None
        return entry[5]


#: The cache of this process (``CACHE.clear()`` reads every file afresh, as a new process would).
CACHE = VersionCache()


def _cache_key(p: Path) -> str:
    """The key of a file: its real path (a link and its target are one file)."""
    return str(p.resolve())
