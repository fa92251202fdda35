"""The temporary files a new formulation file is written to, their permissions, and their cleanup.

A new file is first written to ``.<name>.wb-<random>.tmp`` in the same folder.
The temporary file is created exclusively (never through an existing name or
a symbolic link) and held under an ``flock`` while it is written, so a live
save can always be told from the leftover of a killed one: the lock goes
with the process. :func:`clean_stale` removes leftovers of our own (right
name, and empty or starting with a workbench header line) that nobody holds.

Permissions of a new file follow its folder, as a file made by any other
program there would (:func:`create`): the mode is ``0666`` less the umask
(or what the folder's default ACL gives), and the group is the folder's
group when the folder has the setgid bit. A setgid folder is the usual way
to share a folder with a group, so there the file's group permissions are
set to the folder's group read and write permissions, whatever the umask:
every member who may work in the folder can also read (and, if the folder
grants it, save) the case.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import secrets
import stat
import time
from pathlib import Path

from workbench.fileformat.reader import FORMAT_NAME

__all__ = ["STALE_SECONDS", "clean_stale", "create"]

#: Temporary files named by older workbench versions (which did not lock them) count as leftovers
#: only when they have not changed for this long; a save takes well under a second.
STALE_SECONDS = 600

#: Folders (device, inode) found clean, with their modification time then.
_SEEN_CLEAN: dict[tuple[int, int], int] = {}
_SEEN_SIZE = 64

_OURS = re.compile(r"^\.(?P<name>.+)\.wb-[0-9a-f]{16}\.tmp$")
_OLDER = re.compile(r"^\.(?P<name>.+)\.[a-z0-9_]{8}\.tmp$")
_HEADER_START = b'{"'
_FORMAT_FIELD = b'"format":"' + FORMAT_NAME.encode() + b'"'


def create(folder: Path, name: str) -> tuple[int, Path]:
    """Create and lock a new empty temporary file for ``name`` in ``folder``; return its descriptor and path.

    The file gets the permissions a new file in ``folder`` gets (see the module
    documentation). Raises :class:`OSError` if it cannot be created.
    """
    while True:
        temp = folder / f".{name}.wb-{secrets.token_hex(8)}.tmp"
        try:  # never through an existing name, nor a symbolic link planted there
            fd = os.open(temp, os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o666)
        except FileExistsError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            if os.fstat(fd).st_nlink == 0:  # a cleaner took it for a leftover before we locked it
                os.close(fd)
                continue
            _follow_folder(fd, folder)
        except BaseException:
            os.close(fd)
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise
        return fd, temp


def clean_stale(folder: Path) -> list[str]:
    """Remove our own temporary files in ``folder`` that no live save holds; return their names.

    Symbolic links, other programs' files and anything that cannot be
    removed (another user's file, a read-only folder) are left alone.
    """
    removed: list[str] = []
    try:
        before = os.stat(folder)
        if _SEEN_CLEAN.get((before.st_dev, before.st_ino)) == before.st_mtime_ns:
            return removed  # no name came or went since the last look found nothing pending
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    pending = False
    for entry in entries:
        if entry.name.endswith(".tmp") and entry.name.startswith("."):
            outcome = _look_at(entry)
            if outcome == "removed":
                removed.append(entry.name)
            pending = pending or outcome == "later"
    _remember_clean(before, pending)
    return removed


def _remember_clean(before: os.stat_result, pending: bool) -> None:
    """Skip the next look at the folder if nothing of ours is left and its entries do not change."""
    key = (before.st_dev, before.st_ino)
    _SEEN_CLEAN.pop(key, None)
    if pending or _changed_just_now(before):
        return
    while len(_SEEN_CLEAN) >= _SEEN_SIZE:
        _SEEN_CLEAN.pop(next(iter(_SEEN_CLEAN)))
    _SEEN_CLEAN[key] = before.st_mtime_ns


def _changed_just_now(before: os.stat_result) -> bool:
    """True if the folder changed within the last 2 s (coarse time stamps could hide a later change)."""
    return time.time_ns() - before.st_mtime_ns < 2_000_000_000


def _look_at(entry: os.DirEntry[str]) -> str:
    """Remove a stale temporary file of ours: "removed", "later" (in use or too young) or "no"."""
    ours = _OURS.match(entry.name)
    if not (ours or _OLDER.match(entry.name)):
        return "no"
    try:
        if not entry.is_file(follow_symlinks=False):
            return "no"
        fd = os.open(entry.path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return "no"
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return "later"  # a save in progress holds it
        held = os.fstat(fd)
        named = os.lstat(entry.path)
        if (held.st_dev, held.st_ino) != (named.st_dev, named.st_ino) or not stat.S_ISREG(held.st_mode):
            return "later"
        if not _holds_ours(os.pread(fd, 4096, 0), may_be_empty=ours is not None):
            return "no"
        if not ours and time.time() - held.st_mtime < STALE_SECONDS:
            return "later"
        os.unlink(entry.path)
        return "removed"
    except OSError:
        return "no"
    finally:
        os.close(fd)


def _holds_ours(start: bytes, *, may_be_empty: bool) -> bool:
    """True if a file starting with ``start`` is a workbench file (or empty, where that is allowed)."""
    if not start:
        return may_be_empty
    return start.startswith(_HEADER_START) and _FORMAT_FIELD in start.split(b"\n", 1)[0]


def _follow_folder(fd: int, folder: Path) -> None:
    """In a setgid (group-shared) folder, give the file the folder's group read and write bits."""
    shared = os.stat(folder).st_mode
    if not shared & stat.S_ISGID:
        return
    mode = os.fstat(fd).st_mode & 0o777
    wanted = (mode & ~0o070) | (shared & 0o060)
    if wanted != mode:
        os.fchmod(fd, wanted)
