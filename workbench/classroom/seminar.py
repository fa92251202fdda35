"""The supervisor's side of a seminar: hand-ins per case, feedback, comparison with the reference.

- :func:`handins` lists every hand-in the current user may read (supervisors: all of them).
- :func:`give_feedback` adds a comment, with the supervisor's name, to the feedback file of a
  hand-in (``feedback/<trainee>/<case file>``): a copy of the hand-in that the supervisors own and
  the trainee reads; the trainee's own files are never written.
- :func:`compare_handins` compares every hand-in of a case with the reference formulation and
  with each other (:mod:`workbench.analysis.compare`): per trainee, Jaccard per element and link
  kind, Cohen's kappa on codes, and what they missed and added.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from workbench import _clock
from workbench.analysis import compare
from workbench.classroom.folders import CASE_SUFFIX, SeminarFolders, current_user, seminar_folders
from workbench.errors import FormulationFileError, WorkbenchError
from workbench.fileformat import store
from workbench.model import Formulation

__all__ = ["HANDIN_COLUMNS", "SUMMARY_COLUMNS", "Comparison", "compare_handins", "give_feedback", "handins",
           "reference_for"]

HANDIN_COLUMNS = ["case_id", "file", "trainee", "version", "handed_in", "author", "message", "path"]
SUMMARY_COLUMNS = ["trainee", "elements", "links", "kappa", "missed", "added"]


def handins(folders: SeminarFolders | None = None) -> pd.DataFrame:
    """Every hand-in one may read, one row per trainee and case, sorted by case and trainee.

    ``version`` is the hand-in file's newest version (each hand-in adds one); ``handed_in`` its
    time, ``author`` and ``message`` what the trainee's save recorded.
    """
    folders = folders or seminar_folders()
    rows = []
    for trainee_folder in _readable_dirs(folders.handins):
        for path in sorted(trainee_folder.glob(f"*{CASE_SUFFIX}")):
            try:
                history = store.history(path)
                f = store.load(path)
            except (WorkbenchError, OSError):
                continue
            last = history[-1]
            rows.append({"case_id": f.meta.case_id, "file": path.name, "trainee": trainee_folder.name,
                         "version": last.version, "handed_in": _clock.shown(last.time),
                         "author": last.author, "message": last.message, "path": str(path)})
    table = pd.DataFrame(rows, columns=HANDIN_COLUMNS)
    return table.sort_values(["case_id", "trainee"], ignore_index=True)


def reference_for(handin: Formulation, folders: SeminarFolders | None = None,
                  name: str | None = None) -> Path | None:
    """The reference formulation of a hand-in's case: same file name, else same case id; or None."""
    folders = folders or seminar_folders()
    if name is not None and (folders.references / name).is_file():
        return folders.references / name
    for path in sorted(folders.references.glob(f"*{CASE_SUFFIX}")):
        try:
            if store.load(path).meta.case_id == handin.meta.case_id:
                return path
        except WorkbenchError:
            continue
    return None


def give_feedback(handin: str | os.PathLike[str], text: str, *, author: str | None = None,
                  target: str | None = None, folders: SeminarFolders | None = None) -> int:
    """Add a comment on the hand-in at ``handin`` for its trainee; return the feedback file's version.

    ``target`` is an element or link id of the hand-in (None: the whole formulation). The first
    comment makes the feedback file, a copy of the newest hand-in; the trainee may read it.
    """
    folders = folders or seminar_folders()
    source = Path(handin)
    if not text.strip():
        raise FormulationFileError("a comment needs some text; nothing was saved.", path=str(source))
    trainee = source.parent.name
    target_path = folders.feedback_folder(trainee) / source.name
    who = author or current_user()
    if target_path.exists():
        f = store.load(target_path)
        handed = store.load(source)
        if target is not None and not (handed.has_element(target) or f.has_element(target)):
            target = None
    else:
        f = store.load(source)
        f.file_id, f.base_version = None, None
    f.add_comment(text, author=who, target=target)
    version = store.save(f, target_path, message=f"Feedback from {who}", author=who)
    _readable_by_the_trainee(target_path)
    return version


@dataclass(frozen=True)
class Comparison:
    """Every hand-in of a case compared with the reference and with each other."""

    case_id: str
    reference: Path | None
    #: one row per trainee: Jaccard of elements and links, kappa on codes, how many missed and added
    summary: pd.DataFrame
    #: per trainee: the agreement table (one row per figure) against the reference
    figures: dict[str, pd.DataFrame] = field(default_factory=dict)
    #: per trainee: the reference's elements they missed and the elements they added
    missed: dict[str, list[str]] = field(default_factory=dict)
    added: dict[str, list[str]] = field(default_factory=dict)
    #: Jaccard of elements between every two trainees' hand-ins
    pairwise: pd.DataFrame = field(default_factory=pd.DataFrame)


def compare_handins(case_id: str, folders: SeminarFolders | None = None) -> Comparison:
    """Compare the newest hand-in of every trainee for ``case_id`` with the reference and each other."""
    folders = folders or seminar_folders()
    table = handins(folders)
    rows = table[table["case_id"] == case_id]
    if rows.empty:
        raise FormulationFileError("nobody has handed in this case yet.", path=case_id)
    hand: dict[str, Formulation] = {r["trainee"]: store.load(r["path"]) for r in rows.to_dict("records")}
    first = next(iter(hand.values()))
    ref_path = reference_for(first, folders, name=str(rows.iloc[0]["file"]))
    reference = store.load(ref_path) if ref_path is not None else None
    summary, figures, missed, added = [], {}, {}, {}
    for trainee, f in hand.items():
        if reference is None:
            summary.append({"trainee": trainee, "elements": float("nan"), "links": float("nan"),
                            "kappa": float("nan"), "missed": pd.NA, "added": pd.NA})
            continue
        matching = compare.match(reference, f)
        agreement = compare.agreement_table(reference, f, matching)
        figures[trainee] = agreement
        missed[trainee] = [e.label for e in reference.element_records() if e.id not in matching.elements]
        paired = set(matching.elements.values())
        added[trainee] = [e.label for e in f.element_records() if e.id not in paired]
        summary.append({"trainee": trainee, "elements": _overall(agreement, "elements"),
                        "links": _overall(agreement, "links"), "kappa": _kappa(agreement),
                        "missed": len(missed[trainee]), "added": len(added[trainee])})
    names = sorted(hand)
    pairwise = pd.DataFrame(index=names, columns=names, dtype=float)
    for a in names:
        for b in names:
            pairwise.loc[a, b] = 1.0 if a == b else _overall(compare.agreement_table(hand[a], hand[b]),
                                                              "elements")
    return Comparison(case_id, ref_path, pd.DataFrame(summary, columns=SUMMARY_COLUMNS), figures,
                      missed, added, pairwise)


# --- helpers -------------------------------------------------------------------


def _readable_dirs(folder: Path) -> list[Path]:
    """The sub-folders of ``folder`` this user may list (a trainee: only their own)."""
    try:
        entries = sorted(folder.iterdir())
    except OSError:
        entries = [folder / current_user()]  # a trainee may pass through but not list
    return [d for d in entries if d.is_dir() and os.access(d, os.R_OK | os.X_OK)]


def _overall(table: pd.DataFrame, scope: str) -> float:
    rows = table[(table["figure"] == "Jaccard") & (table["scope"] == scope) & (table["kind"] == "all")]
    return float(rows["value"].iloc[0]) if not rows.empty else float("nan")


def _kappa(table: pd.DataFrame) -> float:
    """The mean of the kappas over the code sets both used (NaN without codes)."""
    rows = table[(table["figure"] == "Cohen's kappa") & (table["kind"] == "codes")]
    return float(rows["value"].mean()) if not rows.empty else float("nan")


def _readable_by_the_trainee(path: Path) -> None:
    """The trainee (the feedback folder's owner, 'others' to the file) may read it, whatever the umask."""
    mode = stat.S_IMODE(path.stat().st_mode)
    if not mode & stat.S_IROTH:
        os.chmod(path, mode | stat.S_IROTH)
