"""Analyses of a formulation: pure functions returning pandas tables or plain data.

No I/O, no UI, no printing; the formulation is never changed.

- :mod:`~workbench.analysis.trace`: paths into and out of an element, cycles.
- :mod:`~workbench.analysis.checks`: gaps a supervisor would ask about.
- :mod:`~workbench.analysis.compare`: match two formulations, merged graph, agreement.
- :mod:`~workbench.analysis.tables`: evidence by session, drivers and end points.
- :mod:`~workbench.analysis.narrative`: a Markdown narrative by template layers.
- :mod:`~workbench.analysis.roles`: what each template's kinds mean to the analyses.
- :mod:`~workbench.analysis.steps`: the step model of every step-through (by layer, session, version).
"""

from __future__ import annotations

from workbench.analysis.checks import CHECKS, run_checks
from workbench.analysis.compare import (
    Matching,
    agreement_table,
    cohens_kappa,
    jaccard,
    label_similarity,
    match,
    match_with_choices,
    matches_table,
    merged_graph,
    normalise_label,
)
from workbench.analysis.narrative import escape_markdown, narrative_markdown
from workbench.analysis.roles import Roles, roles_for
from workbench.analysis.tables import analysis_tables, evidence_by_session, session_summary, strength_table
from workbench.analysis.trace import TracePath, consequences_of, cycles, highlight_for, paths_table, roots_of

__all__ = [
    "CHECKS",
    "Matching",
    "Roles",
    "TracePath",
    "agreement_table",
    "analysis_tables",
    "cohens_kappa",
    "consequences_of",
    "cycles",
    "escape_markdown",
    "evidence_by_session",
    "highlight_for",
    "jaccard",
    "label_similarity",
    "match",
    "match_with_choices",
    "matches_table",
    "merged_graph",
    "narrative_markdown",
    "normalise_label",
    "paths_table",
    "roles_for",
    "roots_of",
    "run_checks",
    "session_summary",
    "strength_table",
]
