"""Analysis tables: evidence by session, drivers and end points, and the set of tables to export.

All functions are pure and return pandas tables; writing them to CSV or
Excel belongs to :mod:`workbench.export`, which calls :func:`analysis_tables`.

Example
-------
>>> import workbench
>>> f = workbench.new(case_id="T-1")
>>> past = f.add_element("early_experience", "Father often absent", evidence=[{"session": 2}])
>>> fear = f.add_element("unconscious_fear", "Fear of being left")
>>> _ = f.add_link(past, fear, "gives_rise_to", weight=0.8)
>>> strength_table(f)[["label", "out_strength", "in_strength", "role"]].values.tolist()
[['Father often absent', 0.8, 0.0, 'driver'], ['Fear of being left', 0.0, 0.8, 'end point']]
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from workbench._values import plain
from workbench.model import Formulation, Link, confidence_name

__all__ = [
    "EVIDENCE_COLUMNS",
    "STRENGTH_COLUMNS",
    "analysis_tables",
    "evidence_by_session",
    "session_summary",
    "signed_weight",
    "strength_table",
]

EVIDENCE_COLUMNS = ["session", "date", "what", "id", "kind", "label", "quote", "note"]
STRENGTH_COLUMNS = ["id", "kind", "kind_name", "label", "out_degree", "in_degree", "out_strength",
                    "in_strength", "net_strength", "role"]


def evidence_by_session(f: Formulation) -> pd.DataFrame:
    """Return every piece of evidence, one row each, ordered by session (items without one last).

    Within a session, elements come before links, each in the order they were
    added. ``what`` is "element" or "link"; a link's ``label`` is its sentence.
    """
    rows: list[dict[str, Any]] = []
    for el in f.element_records():
        for ev in el.evidence:
            rows.append({"session": ev.session, "date": ev.date, "what": "element", "id": el.id,
                         "kind": el.kind, "label": el.label, "quote": ev.quote, "note": ev.note})
    for ln in f.link_records():
        for ev in ln.evidence:
            rows.append({"session": ev.session, "date": ev.date, "what": "link", "id": ln.id, "kind": ln.kind,
                         "label": f.sentence(ln.id), "quote": ev.quote, "note": ev.note})
    table = pd.DataFrame(rows, columns=EVIDENCE_COLUMNS)
    table["session"] = table["session"].astype("Int64")
    return table.sort_values("session", kind="stable", na_position="last").reset_index(drop=True)


def session_summary(f: Formulation) -> pd.DataFrame:
    """Return, per session, how many elements and links it brought evidence for."""
    evidence = evidence_by_session(f)
    evidence = evidence[evidence["session"].notna()]
    columns = ["session", "elements", "links", "items"]
    if evidence.empty:
        return pd.DataFrame(columns=columns)
    table = pd.DataFrame({
        "elements": evidence[evidence["what"] == "element"].groupby("session")["id"].nunique(),
        "links": evidence[evidence["what"] == "link"].groupby("session")["id"].nunique(),
        "items": evidence.groupby("session").size(),
    }).fillna(0).astype(int).rename_axis("session").reset_index()
    return table[columns]


def signed_weight(f: Formulation, link: Link) -> float:
    """Return a link's weight with the sign of its kind.

    A link without a weight counts 1. A link of a negative kind (e.g. a
    strength *protects against* a problem) always counts negative; a weight
    recorded as negative on a positive kind stays negative.
    """
    sign = f.template.link_kinds[link.kind].sign
    weight = 1.0 if link.weight is None else float(link.weight)
    return -abs(weight) if sign < 0 else weight


def strength_table(f: Formulation) -> pd.DataFrame:
    """Return drivers and end points: weighted out- and in-strength per element.

    ``out_strength`` sums the signed weights (:func:`signed_weight`) of the
    links leaving an element: a high value marks a *driver*; ``in_strength``
    sums those arriving: a high value marks an *end point*. ``role`` is
    "driver" (only links out), "end point" (only links in), "link" (both) or
    "isolated". Sorted by out-strength, then in-strength, largest first.
    """
    stats = {el.id: {"out_degree": 0, "in_degree": 0, "out_strength": 0.0, "in_strength": 0.0}
             for el in f.element_records()}
    for ln in f.link_records():
        w = signed_weight(f, ln)
        stats[ln.source]["out_degree"] += 1
        stats[ln.source]["out_strength"] += w
        stats[ln.target]["in_degree"] += 1
        stats[ln.target]["in_strength"] += w
    rows = []
    for el in f.element_records():
        s = stats[el.id]
        role = {(True, False): "driver", (False, True): "end point", (True, True): "link",
                (False, False): "isolated"}[(s["out_degree"] > 0, s["in_degree"] > 0)]
        rows.append({"id": el.id, "kind": el.kind, "kind_name": f.template.element_kinds[el.kind].name,
                     "label": el.label, **s, "net_strength": s["out_strength"] - s["in_strength"],
                     "role": role})
    table = pd.DataFrame(rows, columns=STRENGTH_COLUMNS)
    table = table.sort_values(["out_strength", "in_strength"], ascending=False, kind="stable")
    return table.reset_index(drop=True)


def analysis_tables(f: Formulation) -> dict[str, pd.DataFrame]:
    """Return the tables to export, by sheet name: elements, links, evidence, sessions, strength.

    Confidence is shown as a number and as its named level.
    """
    elements = _with_level(f.elements().reset_index())
    links = _with_level(f.links().reset_index())
    return {
        "elements": elements,
        "links": links,
        "evidence": evidence_by_session(f),
        "sessions": session_summary(f),
        "strength": strength_table(f),
    }


def _with_level(table: pd.DataFrame) -> pd.DataFrame:
    """Add the named confidence level after the confidence column."""
    table = table.copy()
    where = list(table.columns).index("confidence") + 1
    levels = [confidence_name(c) if plain(c) is not None else "" for c in table["confidence"]]
    table.insert(where, "confidence_level", levels)
    return table
