"""Opening a formulation file under a lock that follows the file, not the name it was reached by.

The lock is an ``flock`` on the data file's own open descriptor, so it belongs
to the file itself (its inode): every name that reaches it (a symbolic link, a
hard link, a relative path through ``..``, a linked folder) takes the same
lock, across processes and OS users. There is no lock file to delete, replace
or plant as a symbolic link, and reading creates nothing.

After the lock is granted the name is checked to still reach the same file;
if the file was replaced meanwhile (a new file moved into place over an empty
one), the new file is opened and locked instead. Saves lock exclusively
(readers wait), reads lock shared. Creating a new file needs no lock: it is a
hard link of a finished temporary file to the name, which fails if any file
is there (see :func:`workbench.fileformat.writer.create_new`).
"""

from __future__ import annotations

import fcntl
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from workbench._paths import file_name
from workbench.errors import FormulationFileError

__all__ = ["locked_for_reading", "locked_for_saving"]

#: How often a name that keeps reaching a different file is opened again before giving up.
_RETRIES = 50


@contextmanager
def locked_for_reading(path: Path, shown: str) -> Iterator[BinaryIO]:
    """Open the file for reading under a shared lock; a missing file is a one-line error.

    Where the file system cannot lock (some network mounts), the file is read
    unlocked: a save in progress then shows at most as an incomplete last line.
    """
    for _ in range(_RETRIES):
        fh = _open(path, shown, write=False)
        assert fh is not None
        with fh:
            try:
                fcntl.flock(fh.fileno(), fcntl.LOCK_SH)
            except OSError:
                yield fh
                return
            if _still_named(path, fh):
                yield fh
                return
    raise _kept_changing(shown)


@contextmanager
def locked_for_saving(path: Path, shown: str) -> Iterator[BinaryIO | None]:
    """Open the file for reading and writing under an exclusive lock; ``None`` when there is no file.

    Raises a one-line :class:`~workbench.errors.FormulationFileError` when the
    user may not write the file, the name is a link to a missing file, or the
    file cannot be locked.
    """
    for _ in range(_RETRIES):
        fh = _open(path, shown, write=True)
        if fh is None:
            yield None
            return
        with fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                raise FormulationFileError("this is not an ordinary file; nothing was written.", path=shown)
            try:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
            except OSError as exc:
                raise FormulationFileError(
                    f"the file cannot be locked for saving ({exc.strerror}); nothing was written.", path=shown
                ) from None
            if _still_named(path, fh):
                yield fh
                return
    raise _kept_changing(shown)


def _open(path: Path, shown: str, *, write: bool) -> BinaryIO | None:
    try:
        return path.open("r+b" if write else "rb")
    except FileNotFoundError:
        if not write:
            raise FormulationFileError("there is no such file.", path=shown) from None
        if path.is_symlink():
            raise FormulationFileError(
                f"this is a link to {os.readlink(path)}, which does not exist; nothing was written.",
                path=shown,
            ) from None
        if not path.parent.is_dir():
            raise FormulationFileError(f"the folder {path.parent} does not exist.", path=shown) from None
        return None
    except IsADirectoryError:
        raise FormulationFileError("this is a folder, not a formulation file.", path=shown) from None
    except PermissionError:
        if write and os.access(path, os.R_OK):
            raise FormulationFileError(
                "you may read this file but not save to it (permission denied); nothing was written. "
                "Save your changes under another file name, or ask the file's owner for write access.",
                path=shown,
            ) from None
        raise FormulationFileError(
            "you may not read this file (permission denied); ask the file's owner for access.", path=shown
        ) from None
    except OSError as exc:
        raise FormulationFileError(f"the file cannot be read ({exc.strerror}).", path=shown) from None
    except ValueError:  # a name no file can have: told as InvalidValue (a null character)
        file_name(shown)
        raise


def _still_named(path: Path, fh: BinaryIO) -> bool:
    """True if ``path`` still reaches the file open as ``fh`` (it was not replaced while we waited)."""
    try:
        named = os.stat(path)
    except OSError:
        return False
    held = os.fstat(fh.fileno())
    return (named.st_dev, named.st_ino) == (held.st_dev, held.st_ino)


def _kept_changing(shown: str) -> FormulationFileError:
    return FormulationFileError(
        "the file was replaced again and again while it was being opened; nothing was written. Try again.",
        path=shown,
    )
