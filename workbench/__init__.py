"""Formulation Workbench: psychodynamic case formulations as typed, versioned graphs.

>>> import workbench
>>> f = workbench.new(case_id="C-001", title="Teaching case")
>>> e = f.add_element("present_symptom", "Low mood")
>>> f.elements().loc[e, "label"]
'Low mood'
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from workbench import errors
from workbench.diffing import FormulationDiff, apply_diff, diff
from workbench.export import export, share_safe, stepthrough_html, stepthrough_versions_html
from workbench.fileformat import Revision, Revisions, StorePolicy, history, load, restore, save, validate
from workbench.model import (
    CaseMeta,
    Change,
    Comment,
    Element,
    Evidence,
    Formulation,
    Link,
    SessionNote,
)
from workbench.render.html import render_html
from workbench.templates import DEFAULT_TEMPLATE, Template, get_template, templates

if TYPE_CHECKING:
    from workbench.ui._common import StatusLine
    from workbench.ui.app import App
    from workbench.ui.presenter import Presenter
    from workbench.ui.seminar_view import SeminarView
    from workbench.ui.supervision import Supervision
    from workbench.ui.trace_panel import TracePanel
    from workbench.ui.trainee_desk import TraineeDesk

__version__ = "0.1.0"

__all__ = [
    "CaseMeta",
    "Change",
    "Comment",
    "Element",
    "Evidence",
    "Formulation",
    "FormulationDiff",
    "Link",
    "Revision",
    "Revisions",
    "SessionNote",
    "StorePolicy",
    "Template",
    "app",
    "apply_diff",
    "diff",
    "errors",
    "export",
    "get_template",
    "history",
    "load",
    "new",
    "render_html",
    "restore",
    "save",
    "seminar",
    "share_safe",
    "stepthrough_html",
    "stepthrough_versions_html",
    "supervise",
    "teach",
    "templates",
    "trace",
    "validate",
]


def new(
    template: str = DEFAULT_TEMPLATE,
    *,
    case_id: str,
    title: str = "",
    clinician: str = "",
    description: str = "",
    fictional: bool = False,
) -> Formulation:
    """Start an empty formulation of a case with a framework template.

    ``case_id`` is a pseudonym or case number, never the client's name.
    """
    return Formulation.new(
        template, case_id=case_id, title=title, clinician=clinician, description=description,
        fictional=fictional,
    )


def app(path: str | Path | None = None, *, template: str | None = None,
        folder: str | Path | None = None) -> App:
    """Open the workbench app (ipywidgets) on the case at ``path``.

    With no path, or a path where no file exists yet, the app starts with a
    panel to begin a new case from a template, open a file or pick a recent case.
    File names that are not absolute (``path`` and every name typed in the app)
    are taken inside ``folder``: by default the working directory, which in
    JupyterLab is the notebook's folder. A case that cannot be opened is told as a
    sentence on the start screen, never as a traceback.

    >>> workbench.app("cases/demo.formulation.json")   # doctest: +SKIP
    """
    # Imported here: ipywidgets and anywidget add about 0.35 s to every `import workbench` (and the CLI).
    from workbench.ui.app import app as _app

    return _app(path, template=template, folder=folder)


def supervise(path: str | Path, other: str | Path | None = None) -> Supervision | StatusLine:
    """Open a case for supervision: its live graph with trace, checks, comments and compare panels.

    ``other`` is a second formulation of the case (a trainee's, say) to compare with at once.
    A case that cannot be opened is shown as a sentence, not raised.

    >>> workbench.supervise("cases/teaching/ccrt_unheard_colleague.formulation.json")  # doctest: +SKIP
    """
    from workbench.ui.supervision import supervise as _supervise  # imported here, as for app()

    return _supervise(path, other=other)


def teach(path: str | Path, *, mode: str = "layers") -> Presenter | StatusLine:
    """Open the step-through presenter on a case file: ``mode`` is layers, sessions or versions.

    A case that cannot be opened is shown as a sentence, not raised.

    >>> workbench.teach("cases/teaching/cmp_obliging_student.formulation.json")  # doctest: +SKIP
    """
    from workbench.ui.supervision import teach as _teach  # imported here, as for app()

    return _teach(path, mode=mode)


def trace(path: str | Path, label: str, *, direction: str = "into") -> TracePanel | StatusLine:
    """Open the trace panel on a case file and trace the element called ``label``.

    ``direction`` is ``"into"`` (its roots), ``"out_of"`` (what it feeds) or ``"both"``.
    A file or label that cannot be found is shown as a sentence, not raised.

    >>> workbench.trace("cases/teaching/malan_cheerful_younger_brother.formulation.json",
    ...                 "Anger at being overlooked", direction="out_of")  # doctest: +SKIP
    """
    from workbench.ui.supervision import trace_case  # imported here, as for app()

    return trace_case(path, label, direction=direction)


def seminar(*, role: str | None = None, root: str | Path | None = None) -> SeminarView | TraineeDesk:
    """Open the seminar on a shared machine (JupyterHub): the supervisor's view or the trainee's desk.

    ``role`` is ``"supervisor"`` or ``"trainee"`` (default: supervisor for members of the group
    wb-supervisors); ``root`` the seminar folder (default: ``$WORKBENCH_SEMINAR_ROOT`` or
    ``/srv/workbench``). See deploy/jupyterhub/README.md.

    >>> workbench.seminar()  # doctest: +SKIP
    """
    from workbench.classroom.folders import is_supervisor  # imported here, as for app()

    if role not in (None, "supervisor", "trainee"):
        raise errors.InvalidValue(f"The role is 'supervisor' or 'trainee', not {role!r}.")
    if role == "supervisor" or (role is None and is_supervisor()):
        from workbench.ui.seminar_view import SeminarView as _View

        return _View(root=root)
    from workbench.ui.trainee_desk import TraineeDesk as _Desk

    return _Desk(root=root)
