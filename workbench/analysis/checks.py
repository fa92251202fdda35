"""Formulation checks: pure functions that flag gaps a supervisor would ask about.

Each check takes a formulation and returns a table with one row per finding
(columns :data:`COLUMNS`); an empty table means nothing is flagged.
:func:`run_checks` runs them all. Messages are sentences for clinicians.

Discarded hypotheses (status ``discarded``) are left out: they are no longer
part of the working formulation, so they neither raise nor settle a finding.

Example
-------
>>> import workbench
>>> f = workbench.new(case_id="T-1")
>>> _ = f.add_element("present_symptom", "Low mood")
>>> list(run_checks(f)["check"])
['symptom_without_roots', 'no_evidence', 'no_strength']

:func:`run_checks` gives one finding per problem: an element flagged by a more
specific warning (a symptom without roots, say) is not flagged as isolated too,
and the evidence gaps are summarised in one row with their count
(``group=False`` lists them one by one; :func:`evidence_gaps` lists them).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import networkx as nx
import pandas as pd

from workbench._text import counted
from workbench.analysis._phrases import element_phrase, kind_phrase
from workbench.analysis.evidence import flagged_quotes
from workbench.analysis.roles import roles_for
from workbench.analysis.trace import MAX_CYCLES, MAX_LENGTH, cycles
from workbench.errors import InvalidValue, short
from workbench.model import Formulation, confidence_name

__all__ = [
    "CHECKS",
    "COLUMNS",
    "FAIL_ON",
    "FINDING_COLUMNS",
    "SEVERITIES",
    "cycle_findings",
    "drives_without_roots",
    "evidence_gaps",
    "fails",
    "isolated_elements",
    "low_confidence",
    "missing_evidence",
    "no_strength",
    "run_checks",
    "ruptures_without_repair",
    "symptoms_without_roots",
    "template_completeness",
    "transference_without_alliance",
    "unmatched_quotes",
]

#: The columns of every check table. ``id`` is the element or link flagged ('' for the
#: formulation as a whole); ``ids`` holds every element and link to highlight.
COLUMNS = ["check", "severity", "id", "what", "label", "message", "ids"]

#: The columns of :func:`run_checks`: :data:`COLUMNS` and ``count``, how many elements and links
#: a finding covers (more than one for a summary row such as the evidence gaps).
FINDING_COLUMNS = [*COLUMNS, "count"]

#: The severities, most serious first.
SEVERITIES = ("warning", "info")

#: What ``workbench check --fail-on`` accepts: fail on warnings (the default), on any finding, or never.
FAIL_ON = ("warning", "info", "never")

#: Default threshold below which a confidence counts as low (0.3 "low" is flagged, 0.5 "moderate" not).
LOW_CONFIDENCE = 0.4


def symptoms_without_roots(f: Formulation) -> pd.DataFrame:
    """Flag present symptoms or problems that no early experience or drive leads to.

    Links are read causally: a symptom that a defense expresses is rooted in
    whatever the defense defends against.
    """
    roles = roles_for(f.template)
    sources = roles.roots | roles.drives
    if not roles.symptoms or not sources:
        return _table([])
    reached = _reached_from(_causal_graph(f), f, sources)
    source_names = _kind_list(f, sources)
    rows = []
    for el in _active_elements(f):
        if el.kind in roles.symptoms and el.id not in reached:
            rows.append(_row("symptom_without_roots", "warning", el.id, "element", el.label,
                             f"{element_phrase(f, el.id, capital=True)} is not linked from any "
                             f"{source_names}: where does it come from?"))
    return _table(rows)


def drives_without_roots(f: Formulation) -> pd.DataFrame:
    """Flag drives (unconscious wishes and fears, hidden feelings) that no early experience leads to."""
    roles = roles_for(f.template)
    if not roles.drives or not roles.roots:
        return _table([])
    reached = _reached_from(_causal_graph(f), f, roles.roots)
    root_names = _kind_list(f, roles.roots)
    rows = []
    for el in _active_elements(f):
        if el.kind in roles.drives and el.id not in reached:
            rows.append(_row("drive_without_roots", "warning", el.id, "element", el.label,
                             f"{element_phrase(f, el.id, capital=True)} has no roots: "
                             f"no {root_names} leads to it."))
    return _table(rows)


def isolated_elements(f: Formulation) -> pd.DataFrame:
    """Flag elements that are not linked to anything."""
    graph = _active_graph(f)
    rows = [
        _row("isolated_element", "warning", el.id, "element", el.label,
             f"{element_phrase(f, el.id, capital=True)} is not linked to anything yet.")
        for el in _active_elements(f)
        if graph.degree(el.id) == 0
    ]
    return _table(rows)


def cycle_findings(
    f: Formulation, *, max_length: int = MAX_LENGTH, max_cycles: int = MAX_CYCLES
) -> pd.DataFrame:
    """Flag cycles of links (maintaining or repeating patterns), for discussion rather than repair."""
    active = _active_copy(f)
    rows = []
    for cyc in cycles(active, max_length=max_length, max_cycles=max_cycles).to_dict("records"):
        elements: tuple[str, ...] = cyc["elements"]
        links: tuple[str, ...] = cyc["links"]
        message = f"{str(cyc['name'])[:1].upper()}{str(cyc['name'])[1:]}."
        if cyc["through_therapist"]:
            message += " It runs through the relationship with the therapist (transference)."
        rows.append(_row("cycle", "info", elements[0], "element", f.element(elements[0]).label, message,
                         ids=(*elements, *links)))
    return _table(rows)


def missing_evidence(f: Formulation) -> pd.DataFrame:
    """Flag elements and links with no evidence from the sessions."""
    rows = []
    for el in _active_elements(f):
        if not el.evidence:
            rows.append(_row("no_evidence", "info", el.id, "element", el.label,
                             f"{element_phrase(f, el.id, capital=True)} has no evidence "
                             "from the sessions yet."))
    for ln in _active_links(f):
        if not ln.evidence:
            rows.append(_row("no_evidence", "info", ln.id, "link", f.sentence(ln.id),
                             f"The link “{f.sentence(ln.id)}” has no evidence from the sessions yet."))
    return _table(rows)


def unmatched_quotes(f: Formulation) -> pd.DataFrame:
    """Flag quotes no longer found verbatim in their session's notes (edited notes or a paraphrase)."""
    rows = []
    for q in flagged_quotes(f):
        where = f"“{q.label}”" if q.what == "link" else element_phrase(f, q.target)
        rows.append(_row("quote_not_in_notes", "info", q.target, q.what, q.label,
                         f"The quote “{_short(q.quote)}” behind {where} is not found word for word in the "
                         f"notes of session {q.session}: the notes were edited, or it is a paraphrase."))
    return _table(rows)


def low_confidence(f: Formulation, *, threshold: float = LOW_CONFIDENCE) -> pd.DataFrame:
    """Flag elements and links whose confidence is below ``threshold`` (0 to 1)."""
    rows = []
    for el in _active_elements(f):
        if el.confidence is not None and el.confidence < threshold:
            rows.append(_row("low_confidence", "info", el.id, "element", el.label,
                             f"{element_phrase(f, el.id, capital=True)} is held with "
                             f"{confidence_name(el.confidence)} confidence ({el.confidence:g})."))
    for ln in _active_links(f):
        if ln.confidence is not None and ln.confidence < threshold:
            rows.append(_row("low_confidence", "info", ln.id, "link", f.sentence(ln.id),
                             f"The link “{f.sentence(ln.id)}” is held with "
                             f"{confidence_name(ln.confidence)} confidence ({ln.confidence:g})."))
    return _table(rows)


def template_completeness(f: Formulation) -> pd.DataFrame:
    """Flag what a complete formulation of the template's method still lacks.

    CCRT: each relationship episode is linked to a wish, a response of other
    and a response of self. CMP: all four categories. Malan: all three corners
    of the triangle of conflict and of the triangle of person. 5 Ps: all five,
    protective factors included.
    """
    roles = roles_for(f.template)
    present = {el.kind for el in _active_elements(f)}
    rows = []
    for req in roles.required:
        for kind in req.kinds:
            if kind not in present:
                rows.append(_row("incomplete", "warning", "", "formulation", "",
                                 f"The formulation has no “{kind_phrase(f, kind, capital=True)}” yet: "
                                 "a complete formulation "
                                 f"names {_count_word(len(req.kinds))} {req.group} "
                                 f"({_kind_list(f, req.kinds, 'and')})."))
    graph = _active_graph(f)
    for el in _active_elements(f):
        needed = roles.per_element.get(el.kind, ())
        if not needed:
            continue
        linked = {f.element(n).kind for n in nx.all_neighbors(graph, el.id)}
        missing = [k for k in needed if k not in linked]
        if missing:
            rows.append(_row("incomplete", "warning", el.id, "element", el.label,
                             f"{element_phrase(f, el.id, capital=True)} has no "
                             f"{_kind_list(f, missing)} linked to it yet."))
    return _table(rows)


def no_strength(f: Formulation) -> pd.DataFrame:
    """Flag a formulation that names no strength or resource (where its template expects one)."""
    roles = roles_for(f.template)
    if not roles.expect_strength or any(el.kind in roles.strengths for el in _active_elements(f)):
        return _table([])
    return _table([_row("no_strength", "info", "", "formulation", "",
                        f"No {_kind_list(f, roles.strengths)} is recorded: what helps this client, "
                        "and what can the work build on?")])


def transference_without_alliance(f: Formulation) -> pd.DataFrame:
    """Ask how each transference element bears on the working alliance, where the template has one.

    A transference element linked to no alliance, rupture or repair element is flagged for
    discussion: the transference is lived inside the therapeutic relationship, and the
    supervisor asks what it does to the collaboration (Bordin 1979; Safran & Muran 2000).
    """
    roles = roles_for(f.template)
    relationship = roles.alliance | roles.ruptures | roles.repairs
    if not roles.alliance or not roles.therapist:
        return _table([])
    graph = _active_graph(f)
    alliance_names = _kind_list(f, relationship)
    rows = []
    for el in _active_elements(f):
        if el.kind not in roles.therapist:
            continue
        if any(f.element(n).kind in relationship for n in nx.all_neighbors(graph, el.id)):
            continue
        rows.append(_row("transference_without_alliance", "info", el.id, "element", el.label,
                         f"{element_phrase(f, el.id, capital=True)} is not linked to any {alliance_names}: "
                         "how does it bear on the working alliance?"))
    return _table(rows)


def ruptures_without_repair(f: Formulation) -> pd.DataFrame:
    """Flag alliance ruptures that no repair is linked to yet (Safran & Muran 2000).

    A rupture left unaddressed is what the alliance literature links to drop-out, so the
    formulation should say how it is, or could be, worked through.
    """
    roles = roles_for(f.template)
    if not roles.ruptures or not roles.repairs:
        return _table([])
    repaired = {ln.target for ln in _active_links(f)
                if f.element(ln.source).kind in roles.repairs
                and (not roles.repair_links or ln.kind in roles.repair_links)}
    repair_names = _kind_list(f, roles.repairs)
    rows = []
    for el in _active_elements(f):
        if el.kind in roles.ruptures and el.id not in repaired:
            rows.append(_row("rupture_without_repair", "warning", el.id, "element", el.label,
                             f"{element_phrase(f, el.id, capital=True)} has no {repair_names} linked to it: "
                             "how is it, or could it be, worked through with the client?"))
    return _table(rows)


#: Every check, in the order :func:`run_checks` runs them.
CHECKS: dict[str, Callable[..., pd.DataFrame]] = {
    "symptom_without_roots": symptoms_without_roots,
    "drive_without_roots": drives_without_roots,
    "isolated_element": isolated_elements,
    "cycle": cycle_findings,
    "no_evidence": missing_evidence,
    "low_confidence": low_confidence,
    "incomplete": template_completeness,
    "no_strength": no_strength,
    "rupture_without_repair": ruptures_without_repair,
    "transference_without_alliance": transference_without_alliance,
    "quote_not_in_notes": unmatched_quotes,
}


#: Warnings (gaps in the formulation) come before information (points for discussion).
_SEVERITY_ORDER = {"warning": 0, "info": 1}


def run_checks(f: Formulation, *, low_confidence: float = LOW_CONFIDENCE, group: bool = True) -> pd.DataFrame:
    """Run every check; return one table of findings (columns :data:`FINDING_COLUMNS`; empty when none).

    Warnings come first, then information; within each, the checks in the
    order of :data:`CHECKS`. With ``group`` (the default) each problem is one
    finding: an element that a more specific warning flags is not also flagged
    as isolated, and two or more evidence gaps become one row with their count.
    """
    if not 0 <= low_confidence <= 1:
        raise InvalidValue("The low-confidence threshold must be a number from 0 to 1.")
    tables = []
    for name, check in CHECKS.items():
        table = check(f, threshold=low_confidence) if name == "low_confidence" else check(f)
        if not table.empty:
            tables.append(table)
    if not tables:
        return _counted(_table([]))
    combined = _counted(pd.concat(tables, ignore_index=True))
    if group:
        combined = _one_per_problem(f, combined)
    rank = combined["severity"].map(_SEVERITY_ORDER)
    return combined.iloc[rank.argsort(kind="stable")].reset_index(drop=True)


def evidence_gaps(f: Formulation) -> pd.DataFrame:
    """Return the elements and links with no evidence, one row each (what a summary row stands for)."""
    return missing_evidence(f)


def fails(findings: pd.DataFrame, fail_on: str = "warning") -> bool:
    """Whether ``findings`` should fail a check run: any warning (``"warning"``), any finding
    (``"info"``) or never (``"never"``)."""
    if fail_on not in FAIL_ON:
        raise InvalidValue(f"A check fails on one of {', '.join(FAIL_ON)}, not {short(fail_on)}.")
    if fail_on == "never" or findings.empty:
        return False
    if fail_on == "info":
        return True
    return bool((findings["severity"] == "warning").any())


def _counted(table: pd.DataFrame) -> pd.DataFrame:
    table = table.copy()
    table["count"] = 1
    return table[FINDING_COLUMNS]


#: Warnings that say more about an element than "not linked to anything" does.
_MORE_SPECIFIC = ("symptom_without_roots", "drive_without_roots", "incomplete", "rupture_without_repair")


def _one_per_problem(f: Formulation, table: pd.DataFrame) -> pd.DataFrame:
    """Drop "isolated" where a more specific warning names the element; summarise evidence gaps."""
    specific = set(table.loc[table["check"].isin(_MORE_SPECIFIC), "id"])
    table = table[~((table["check"] == "isolated_element") & table["id"].isin(specific))]
    gaps = table["check"] == "no_evidence"
    if gaps.sum() < 2:
        return table.reset_index(drop=True)
    rows = table[gaps]
    elements = int((rows["what"] == "element").sum())
    links = int((rows["what"] == "link").sum())
    said = " and ".join(counted(n, word) for n, word in ((elements, "element"), (links, "link")) if n)
    verb = "has" if len(rows) == 1 else "have"
    summary = _row("no_evidence", "info", "", "formulation", "",
                   f"{said[:1].upper()}{said[1:]} {verb} no evidence from the sessions yet.",
                   ids=tuple(rows["id"]))
    summary["count"] = len(rows)
    first = list(gaps).index(True)  # the summary takes the place of the first gap
    before, after = table.iloc[:first], table.iloc[first:]
    after = after[after["check"] != "no_evidence"]
    return pd.concat([before, pd.DataFrame([summary], columns=FINDING_COLUMNS), after],
                     ignore_index=True)


# --- helpers -------------------------------------------------------------------


def _active_elements(f: Formulation) -> list[Any]:
    return [el for el in f.element_records() if el.status != "discarded"]


def _active_links(f: Formulation) -> list[Any]:
    active = {el.id for el in _active_elements(f)}
    return [ln for ln in f.link_records()
            if ln.status != "discarded" and ln.source in active and ln.target in active]


def _active_graph(f: Formulation) -> nx.MultiDiGraph:
    """The link graph without discarded elements and links."""
    graph = nx.MultiDiGraph()
    graph.add_nodes_from(el.id for el in _active_elements(f))
    graph.add_edges_from((ln.source, ln.target, ln.id) for ln in _active_links(f))
    return graph


def _active_copy(f: Formulation) -> Formulation:
    """A copy of ``f`` without discarded elements and links (for the tracer)."""
    if all(el.status != "discarded" for el in f.element_records()) and all(
        ln.status != "discarded" for ln in f.link_records()
    ):
        return f
    active = Formulation(f.meta, f.template)
    active.restore_records(elements=_active_elements(f), links=_active_links(f))
    return active


def _causal_graph(f: Formulation) -> nx.DiGraph:
    """The active link graph read causally: links such as 'defends against' turned round."""
    reverse = roles_for(f.template).reverse_links
    graph = nx.DiGraph()
    graph.add_nodes_from(el.id for el in _active_elements(f))
    for ln in _active_links(f):
        graph.add_edge(*((ln.target, ln.source) if ln.kind in reverse else (ln.source, ln.target)))
    return graph


def _reached_from(graph: nx.DiGraph, f: Formulation, kinds: Iterable[str]) -> set[str]:
    """The elements some element of ``kinds`` leads to (through one link or more), in one graph pass."""
    wanted = set(kinds)
    starts = [n for n in graph if f.element(n).kind in wanted]
    reached: set[str] = set()
    frontier = [s for n in starts for s in graph.successors(n)]
    while frontier:
        node = frontier.pop()
        if node not in reached:
            reached.add(node)
            frontier.extend(graph.successors(node))
    return reached


def _kind_list(f: Formulation, kinds: Iterable[str], joiner: str = "or") -> str:
    ordered = [k for k in f.template.element_kinds if k in set(kinds)]
    names = [kind_phrase(f, k) for k in ordered]
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} {joiner} {names[-1]}"


def _count_word(n: int) -> str:
    words = {1: "the", 2: "both", 3: "all three", 4: "all four", 5: "all five", 6: "all six"}
    return words.get(n, f"all {n}")


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _row(check: str, severity: str, id: str, what: str, label: str, message: str,
         ids: tuple[str, ...] | None = None) -> dict[str, Any]:
    return {"check": check, "severity": severity, "id": id, "what": what, "label": label,
            "message": message, "ids": ids if ids is not None else ((id,) if id else ())}


def _table(rows: list[dict[str, Any]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=COLUMNS)
