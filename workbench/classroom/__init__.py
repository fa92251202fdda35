"""A seminar or a class on a shared machine (JupyterHub): case library, hand-ins, feedback, comparison.

- :mod:`~workbench.classroom.folders`: where everything is kept and who may read or write it,
  set up by ``workbench hub setup`` (idempotent, as root).
- :mod:`~workbench.classroom.handin`: the trainee's side: open a library case as one's own copy,
  hand it in (a new version of one's hand-in file), read the supervisors' feedback.
- :mod:`~workbench.classroom.seminar`: the supervisor's side: the hand-ins per case, feedback
  (comments in a file of their own, never in the trainee's), every hand-in compared with the
  reference and with each other.
"""

from __future__ import annotations

from workbench.classroom.folders import SeminarFolders, seminar_folders
from workbench.classroom.handin import HandIn, feedback_for, hand_in, library_cases, open_library_case
from workbench.classroom.seminar import (
    Comparison,
    compare_handins,
    give_feedback,
    handins,
)

__all__ = [
    "Comparison",
    "HandIn",
    "SeminarFolders",
    "compare_handins",
    "feedback_for",
    "give_feedback",
    "hand_in",
    "handins",
    "library_cases",
    "open_library_case",
    "seminar_folders",
]
