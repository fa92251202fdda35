"""The therapeutic relationship over the sessions: the working alliance, its ruptures and their repairs.

For a template whose ``[analysis]`` table names ``alliance``, ``ruptures`` and
``repairs`` kinds (the psychodynamic template from version 2), the alliance
elements are put in the order of the session of their first evidence, each
with what it does: a rupture *strains* the alliance and is (or is not yet)
*resolved* by a repair (Safran & Muran 2000). Discarded elements and links are
left out.

Example
-------
>>> import workbench
>>> f = workbench.new(case_id="T-1")
>>> r = f.add_element("rupture", "Goes quiet after a comment", evidence=[{"session": 4}])
>>> fix = f.add_element("repair", "Asks how the comment landed", evidence=[{"session": 5}])
>>> _ = f.add_link(fix, r, "resolves")
>>> alliance_timeline(f)[["session", "kind", "detail"]].values.tolist()
[[4, 'Alliance rupture', 'resolved by “Asks how the comment landed” (session 5)'], \
[5, 'Repair', 'resolves “Goes quiet after a comment” (session 4)']]
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from workbench.analysis.roles import roles_for
from workbench.model import Element, Formulation

__all__ = ["TIMELINE_COLUMNS", "alliance_timeline", "first_session"]

#: The columns of :func:`alliance_timeline`.
TIMELINE_COLUMNS = ["session", "kind", "id", "label", "repaired", "detail"]


def alliance_timeline(f: Formulation) -> pd.DataFrame:
    """Return the alliance, ruptures and repairs by the session of their first evidence.

    ``session`` is that session (``None`` when there is no dated evidence; those come
    last); ``repaired`` is True or False for a rupture (whether a repair resolves it)
    and ``None`` otherwise; ``detail`` says in words what the element does: the alliance
    is strained or strengthened by what, a rupture strains what and is resolved by which
    repair (and when), a repair resolves which rupture. Empty (with the columns) for a
    template without alliance kinds.
    """
    roles = roles_for(f.template)
    kinds = roles.alliance | roles.ruptures | roles.repairs
    active = {el.id: el for el in f.element_records() if el.status != "discarded"}
    wanted = [el for el in active.values() if el.kind in kinds]
    if not wanted:
        return pd.DataFrame(columns=TIMELINE_COLUMNS)
    links = [ln for ln in f.link_records()
             if ln.status != "discarded" and ln.source in active and ln.target in active]
    rows: list[dict[str, Any]] = []
    for el in wanted:
        verb = {ln.id: f.template.link_kinds[ln.kind].verb for ln in links}
        into = [(verb[ln.id], active[ln.source]) for ln in links if ln.target == el.id]
        out = [(verb[ln.id], active[ln.target]) for ln in links if ln.source == el.id]
        repairs = [active[ln.source] for ln in links
                   if ln.target == el.id and active[ln.source].kind in roles.repairs
                   and (not roles.repair_links or ln.kind in roles.repair_links)]
        parts = []
        if el.kind in roles.ruptures:
            parts += [f"{said} “{other.label}”" for said, other in out]
            if repairs:
                parts.append("resolved by " + ", ".join(_with_session(r) for r in repairs))
            else:
                parts.append("no repair yet")
        elif el.kind in roles.repairs:
            parts += [f"{said} {_with_session(other)}" for said, other in out]
        else:
            parts += [f"{_passive(said)} by {_with_session(other)}" for said, other in into]
        rows.append({
            "session": first_session(el), "kind": f.template.element_kinds[el.kind].name, "id": el.id,
            "label": el.label, "repaired": bool(repairs) if el.kind in roles.ruptures else None,
            "detail": "; ".join(parts),
        })
    rows.sort(key=lambda r: (r["session"] is None, r["session"] or 0))
    return pd.DataFrame(rows, columns=TIMELINE_COLUMNS)


def first_session(el: Element) -> int | None:
    """The earliest session of ``el``'s evidence (``None`` when none has a session)."""
    sessions = [ev.session for ev in el.evidence if ev.session is not None]
    return min(sessions) if sessions else None


# --- helpers -------------------------------------------------------------------


def _with_session(el: Element) -> str:
    session = first_session(el)
    return f"“{el.label}”" + (f" (session {session})" if session is not None else "")


def _passive(verb: str) -> str:
    """'strains' -> 'strained', 'resolves' -> 'resolved' (the regular verbs of links into the alliance).

    >>> _passive("strengthens"), _passive("maintains")
    ('strengthened', 'maintained')
    """
    head, _, rest = verb.partition(" ")
    if head.endswith("s") and head not in ("is", "was"):
        stem = head[:-1]
        head = stem + ("d" if stem.endswith("e") else "ed")
    return f"{head} {rest}".strip()
