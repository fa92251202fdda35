"""Fault injection: every save reaches the disk before it returns (``os.fsync`` calls recorded).

A kill -9 test cannot see a missing flush (the page cache survives a killed process), so
these tests record what ``workbench.save`` asks the operating system to flush, through the
public API only: ``os.fsync`` (with the identity and size of what each flushed descriptor
points at), and every rename or link that puts a file in place. They then check:

- creating a file: the file's content is flushed before the file gets its name, and the
  folder is flushed after it (else a crash can leave the name pointing at nothing);
- appending a version: the file is flushed at its new size before ``save`` returns.

Removing any of those ``fsync`` calls from the file format's writer fails a test here.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import workbench
from workbench.model import Formulation


@dataclass(frozen=True)
class Event:
    """One recorded call: an fsync (of ``inode``, a folder or not, at ``size``) or a rename/link."""

    what: str
    inode: tuple[int, int]
    size: int = 0
    folder: bool = False
    target: str = ""


class Recorder:
    """Wraps os.fsync, os.replace, os.rename and os.link, recording each call in order."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.events: list[Event] = []
        real_fsync, real_replace, real_rename, real_link = os.fsync, os.replace, os.rename, os.link

        def fsync(fd: Any) -> None:
            info = os.fstat(fd if isinstance(fd, int) else fd.fileno())
            folder = stat.S_ISDIR(info.st_mode)
            self.events.append(Event("fsync", (info.st_dev, info.st_ino), info.st_size, folder))
            real_fsync(fd)

        def placing(name: str, real: Any) -> Any:
            def place(src: Any, dst: Any, *args: Any, **kwargs: Any) -> None:
                info = os.stat(src, follow_symlinks=False)
                real(src, dst, *args, **kwargs)
                inode = (info.st_dev, info.st_ino)
                self.events.append(Event(name, inode, info.st_size, target=os.fspath(dst)))

            return place

        monkeypatch.setattr(os, "fsync", fsync)
        monkeypatch.setattr(os, "replace", placing("replace", real_replace))
        monkeypatch.setattr(os, "rename", placing("rename", real_rename))
        monkeypatch.setattr(os, "link", placing("link", real_link))

    def clear(self) -> None:
        self.events.clear()


def _inode(path: Path) -> tuple[int, int]:
    info = os.stat(path)
    return info.st_dev, info.st_ino


def _case() -> Formulation:
    f = workbench.new("psychodynamic", case_id="C-FS")
    f.add_element("early_experience", "Father often absent")
    return f


def test_a_new_file_is_flushed_before_it_is_named_and_its_folder_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    recorder = Recorder(monkeypatch)
    path = tmp_path / "case.formulation.json"
    workbench.save(_case(), path, message="first", author="Dr A")

    events = recorder.events
    file_inode, size = _inode(path), path.stat().st_size
    placed = [
        i for i, e in enumerate(events)
        if e.what in ("replace", "rename", "link") and e.inode == file_inode and Path(e.target) == path
    ]
    assert placed, f"the file was not put in place by a rename or link: {events}"
    named = placed[-1]
    flushed_before = [
        e for e in events[:named] if e.what == "fsync" and e.inode == file_inode and e.size == size
    ]
    assert flushed_before, f"the new file's content was not flushed before it got its name: {events}"
    folder = _inode(tmp_path)
    flushed_after = [e for e in events[named + 1:] if e.what == "fsync" and e.folder and e.inode == folder]
    assert flushed_after, f"the folder was not flushed after the new name was made: {events}"


@pytest.mark.parametrize("versions", [2, 5])
def test_every_appended_version_is_flushed_at_the_new_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, versions: int
) -> None:
    path = tmp_path / "case.formulation.json"
    f = _case()
    workbench.save(f, path, message="first", author="Dr A")
    recorder = Recorder(monkeypatch)
    for n in range(2, versions + 1):
        recorder.clear()
        f.add_element("unconscious_fear", f"Fear number {n}")
        assert workbench.save(f, path, message=f"version {n}", author="Dr A") == n
        inode, size = _inode(path), path.stat().st_size
        flushed = [e for e in recorder.events if e.what == "fsync" and e.inode == inode and e.size == size]
        assert flushed, f"version {n} was appended but not flushed to disk: {recorder.events}"


def test_a_save_after_an_interrupted_one_flushes_the_cut_and_the_new_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "case.formulation.json"
    f = _case()
    workbench.save(f, path, message="first", author="Dr A")
    with path.open("ab") as fh:  # a save killed half-way through its line
        fh.write(b'{"version": 2, "torn')
    recorder = Recorder(monkeypatch)
    f.add_element("strength", "Loyal friends")
    assert workbench.save(f, path, message="second", author="Dr A") == 2
    inode, size = _inode(path), path.stat().st_size
    assert any(e.what == "fsync" and e.inode == inode and e.size == size for e in recorder.events)
    assert workbench.load(path).element_records()[-1].label == "Loyal friends"
