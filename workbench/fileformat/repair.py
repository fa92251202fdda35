"""Repairing a damaged formulation file: keep every intact version, set aside the rest.

:func:`repair` reads every line of a file, in order, under the save lock. A
line is *kept* when it is whole (not blank, not torn, its checksum matches,
it parses and follows the rules of the format) and its version can be
rebuilt: a snapshot always can; a delta only when the version just before it
was kept. Everything else is *set aside* with the reason. The kept versions
are written, numbered 1, 2, ... in their order, to a new file in the current
format (with checksums), which replaces the original atomically; the
original is first copied, byte for byte, to ``<file>.<UTC time>.bak`` next to
it. A file with nothing to set aside, already in the current format and
written exactly as the workbench writes it, is left untouched.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from workbench import _clock
from workbench.errors import FormulationFileError, ModelError
from workbench.fileformat import checksum, reader, v1, validator, writer
from workbench.fileformat._places import Problem
from workbench.fileformat.locking import locked_for_saving
from workbench.fileformat.migrate import CURRENT_FORMAT, upgrade
from workbench.fileformat.store import PathLike, _check_counts, read_header
from workbench.templates import Template

__all__ = ["RepairReport", "SetAside", "repair"]


@dataclass(frozen=True)
class SetAside:
    """A line left out of the repaired file: its number, the version it held (if known), and why."""

    line: int
    version: int | None
    reason: str

    def __str__(self) -> str:
        where = f"line {self.line}" + (f" (version {self.version})" if self.version else "")
        return f"{where}: {self.reason}"


@dataclass
class RepairReport:
    """What :func:`repair` did: the versions kept (old number -> new), the lines set aside, the backup."""

    path: str
    kept: dict[int, int] = field(default_factory=dict)
    set_aside: list[SetAside] = field(default_factory=list)
    backup: Path | None = None

    @property
    def changed(self) -> bool:
        """Whether the file was rewritten."""
        return self.backup is not None

    @property
    def renumbered(self) -> dict[int, int]:
        """The kept versions whose number changed (old -> new)."""
        return {old: new for old, new in self.kept.items() if old != new}


def repair(path: PathLike) -> RepairReport:
    """Rewrite ``path`` keeping every intact version; return what was kept and set aside.

    Raises :class:`~workbench.errors.FormulationFileError` when the file has no
    usable header or no intact version (nothing is then changed).
    """
    p = Path(path)
    shown = str(path)
    report = RepairReport(shown)
    with locked_for_saving(p, shown) as fh:
        if fh is None:
            raise FormulationFileError("there is no such file.", path=shown)
        raw_header, header, template = read_header(fh, shown)
        original = _read_all(fh)
        header_end = raw_header.offset + len(raw_header.data) + 1
        lines = _rebuild(fh, header_end, len(original), header, template, report)
        if not lines:
            raise FormulationFileError(
                "no version in the file is intact, so there is nothing to keep; the file is unchanged.",
                path=shown,
            )
        fresh = _header_line(header) + b"".join(lines)
        if fresh == original:
            return report
        mode = os.fstat(fh.fileno()).st_mode & 0o777
        report.backup = _backup(p, original, mode)
        real = Path(os.path.realpath(p))  # through a link, the case itself is repaired, not the link
        writer.create_file(real, [fresh])
        os.chmod(real, mode)
    return report


# --- reading -----------------------------------------------------------------------------------


def _read_all(fh: BinaryIO) -> bytes:
    fh.seek(0)
    return fh.read()


def _lines(fh: BinaryIO, start: int, size: int) -> list[tuple[int, int, bytes | None, bool]]:
    """Every line after the header: (number, offset, bytes or None when over-long, ends with newline)."""
    fh.seek(start)
    found: list[tuple[int, int, bytes | None, bool]] = []
    number, offset = 2, start
    while offset < size:
        data = fh.readline(reader.MAX_LINE_BYTES + 2)
        length = len(data)
        if not data.endswith(b"\n") and offset + length < size:  # over-long: skip to its end
            while data and not data.endswith(b"\n"):
                data = fh.readline(1 << 20)
                length += len(data)
            found.append((number, offset, None, bool(data)))
        else:
            newline = data.endswith(b"\n")
            found.append((number, offset, data[:-1] if newline else data, newline))
        number += 1
        offset += length
    return found


def _rebuild(
    fh: BinaryIO, start: int, size: int, header: dict[str, Any], template: Template, report: RepairReport
) -> list[bytes]:
    """Check every line; return the new lines of the kept versions and fill ``report``."""
    file_id = str(header["file_id"])
    fmt = int(header.get("original_format_version", header["format_version"]))
    state: v1.State | None = None
    last_kept = 0  # the old number of the last version kept
    base_new = 0  # the new number of the last snapshot kept
    chain = snapshot_bytes = 0
    out: list[bytes] = []
    all_lines = _lines(fh, start, size)
    for index, (number, _offset, data, newline) in enumerate(all_lines):
        is_last = index == len(all_lines) - 1
        if data is None:
            report.set_aside.append(
                SetAside(number, None, f"the line is longer than {reader.MAX_LINE_BYTES >> 20} MB.")
            )
            continue
        if not data.strip():
            if not (is_last and not newline):
                report.set_aside.append(SetAside(number, None, "a blank line."))
            continue
        try:
            checksum.verify(data, file_id, required=fmt >= 2)
            line = upgrade(reader.parse(data), "revision", fmt)
            validator.check_line(line)
        except Problem as problem:
            if reader.cut_short(data, file_id):
                torn = "an interrupted save (the line is cut short)."
                report.set_aside.append(SetAside(number, None, torn))
            else:
                report.set_aside.append(SetAside(number, _version_of(data), _reason(problem)))
            continue
        revision = line["revision"]
        version = int(revision["version"])
        if version <= last_kept:
            again = f"version {version} again (it is already kept)."
            report.set_aside.append(SetAside(number, version, again))
            continue
        try:
            if "snapshot" in line:
                candidate = v1.state_from_snapshot(line["snapshot"])
                validator.check_state(candidate, template)
            else:
                if state is None or version != last_kept + 1:
                    report.set_aside.append(
                        SetAside(
                            number,
                            version,
                            f"it holds only the changes since version {version - 1}, which is not intact.",
                        )
                    )
                    continue
                candidate = _copy(state)
                validator.check_records(candidate, template, v1.apply_delta(candidate, line["delta"]))
            _check_counts(revision, candidate)
        except (Problem, ModelError) as problem:
            report.set_aside.append(SetAside(number, version, _reason(problem)))
            continue
        state, last_kept = candidate, version
        new = len(out) + 1
        report.kept[version] = new
        moved = {**revision, "version": new, "parent": new - 1 if new > 1 else None}
        if "snapshot" in line:
            body = writer.dumps(line["snapshot"])
            base_new, chain, snapshot_bytes = new, 0, len(body)
            moved["stored"] = {"base": new, "delta_bytes": 0, "snapshot_bytes": snapshot_bytes}
            built = writer.snapshot_line(moved, body)
        else:
            body = writer.dumps(line["delta"])
            chain += len(body)
            moved["stored"] = {"base": base_new, "delta_bytes": chain, "snapshot_bytes": snapshot_bytes}
            built = writer.delta_line(moved, body)
        out.append(writer.seal_line(built, file_id))
    if state is not None:
        try:  # as validate does, the newest version kept is built once as a whole
            v1.to_formulation(state, template)
        except ModelError as exc:
            raise FormulationFileError(
                f"the newest intact version cannot be rebuilt ({_reason(exc)}); the file is unchanged.",
                path=report.path,
            ) from None
    return out


def _version_of(data: bytes) -> int | None:
    """The version a damaged line says it holds, when that much can be read."""
    try:
        version = reader.parse(data)["revision"]["version"]
    except (Problem, KeyError, TypeError):
        return None
    return version if isinstance(version, int) and not isinstance(version, bool) else None


def _reason(problem: Problem | ModelError) -> str:
    if isinstance(problem, Problem):
        message = problem.message.replace(checksum.REPAIR_TIP, ".")
        return f"{problem.subject}: {message}" if problem.subject else message
    text = str(problem)
    return text[:1].lower() + text[1:]


def _copy(state: v1.State) -> v1.State:
    """A copy that a delta can change without touching ``state`` (records are replaced, not changed)."""
    return state.copy()


# --- writing -----------------------------------------------------------------------------------


def _header_line(header: dict[str, Any]) -> bytes:
    fresh = {
        "format": reader.FORMAT_NAME,
        "format_version": CURRENT_FORMAT,
        "file_id": header["file_id"],
        "template": header["template"],
        "created": header["created"],
    }
    return writer.seal_line(writer.dumps(fresh) + b"\n", str(header["file_id"]))


def _backup(p: Path, original: bytes, mode: int) -> Path:
    """Copy the original bytes next to the file as ``<name>.<UTC time>.bak`` (a name not yet used)."""
    stamp = _clock.compact()
    for attempt in range(1, 1000):
        suffix = "" if attempt == 1 else f"-{attempt}"
        backup = p.with_name(f"{p.name}.{stamp}{suffix}.bak")
        try:
            fd = os.open(backup, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
        except FileExistsError:
            continue
        try:
            view = memoryview(original)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        return backup
    raise FormulationFileError("no free name for a backup was found; the file is unchanged.", path=str(p))
