"""Formulation Workbench: psychodynamic case formulations as typed, versioned graphs.

>>> import workbench
>>> f = workbench.new(case_id="C-001", title="Teaching case")
>>> e = f.add_element("present_symptom", "Low mood")
>>> f.elements().loc[e, "label"]
'Low mood'
"""

from __future__ import annotations

from workbench import errors
from workbench.diffing import FormulationDiff, apply_diff, diff
from workbench.fileformat import history, load, restore, save, validate
from workbench.model import (
    CaseMeta,
    Change,
    Comment,
    Element,
    Evidence,
    Formulation,
    Link,
)
from workbench.render.html import render_html
from workbench.templates import DEFAULT_TEMPLATE, Template, get_template, templates

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
    "Template",
    "apply_diff",
    "diff",
    "errors",
    "get_template",
    "history",
    "load",
    "new",
    "render_html",
    "restore",
    "save",
    "templates",
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
