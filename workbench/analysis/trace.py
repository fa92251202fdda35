"""Trace linkages: the paths into an element (its roots), out of it (what it feeds), and cycles.

Paths follow the direction of the links, except that links which run against
the causal story (a defense *defends against* a fear it exists because of) are
read backwards. A path into an element is *maximal*:
it goes back until it reaches an element that nothing else leads to (or one
already on the path, where a cycle closes), so each path reads as one story
from a root to the element. Paths are bounded for big graphs by
``max_length`` (links per path; longer paths are cut and marked incomplete)
and ``max_paths`` (at most that many paths are returned).

Example
-------
>>> import workbench
>>> f = workbench.new(case_id="T-1")
>>> past = f.add_element("early_experience", "father often absent")
>>> fear = f.add_element("unconscious_fear", "of being left")
>>> defense = f.add_element("defense", "self-sufficiency")
>>> problem = f.add_element("present_symptom", "conflict with partner over closeness")
>>> _ = f.add_link(past, fear, "gives_rise_to")
>>> _ = f.add_link(defense, fear, "defends_against")
>>> _ = f.add_link(defense, problem, "expressed_as")
>>> [p.sentence for p in roots_of(f, problem)]  # doctest: +NORMALIZE_WHITESPACE
['Early experience “father often absent” gives rise to unconscious fear “of being left”,
  which is defended against by defense “self-sufficiency”, which is expressed as present
  symptom or problem “conflict with partner over closeness”.']
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import islice
from typing import Literal

import networkx as nx
import pandas as pd

from workbench.analysis._cycles import bounded_cycles
from workbench.analysis._phrases import chain_sentence, short_chain
from workbench.analysis.roles import roles_for
from workbench.errors import InvalidValue
from workbench.model import Formulation

__all__ = [
    "CYCLE_COLUMNS",
    "PATH_COLUMNS",
    "TracePath",
    "consequences_of",
    "cycles",
    "highlight_for",
    "paths_table",
    "roots_of",
]

#: Default bounds: enough for any formulation drawn by hand, safe for generated big graphs.
MAX_LENGTH = 8
MAX_PATHS = 200
MAX_CYCLES = 200

PATH_COLUMNS = ["path", "length", "start", "start_label", "end", "end_label", "elements", "links",
                "labels", "sentence", "complete"]
CYCLE_COLUMNS = ["cycle", "type", "name", "sentence", "length", "elements", "links", "labels",
                 "through_therapist", "therapist_elements"]


@dataclass(frozen=True)
class TracePath:
    """One path of links, first element to last, in the direction of the links.

    ``links[i]`` joins ``elements[i]`` to ``elements[i + 1]``; ``backward[i]``
    is True when that link runs the other way and is read backwards (a defense
    *is defended against by*: see :func:`roots_of`). ``complete`` is False when
    the path was cut at ``max_length`` and goes on beyond it.
    """

    elements: tuple[str, ...]
    links: tuple[str, ...]
    sentence: str
    complete: bool = True
    backward: tuple[bool, ...] = ()

    def __len__(self) -> int:
        return len(self.links)


def roots_of(
    f: Formulation,
    element_id: str,
    *,
    causal: bool = True,
    max_length: int = MAX_LENGTH,
    max_paths: int = MAX_PATHS,
) -> list[TracePath]:
    """Return every maximal path of links that leads into ``element_id`` (its roots).

    With ``causal`` (the default) links that run against the causal story are
    followed backwards: a defense *defends against* a fear, yet it exists
    because of the fear, so the roots of a symptom that a defense expresses go
    on through the fear to the early experience ("..., which is defended
    against by ..."). With ``causal=False`` only the direction of the links
    counts. An element nothing leads to has no roots: the list is empty.
    """
    return _trace(f, element_id, "into", max_length, max_paths, causal)


def consequences_of(
    f: Formulation,
    element_id: str,
    *,
    causal: bool = True,
    max_length: int = MAX_LENGTH,
    max_paths: int = MAX_PATHS,
) -> list[TracePath]:
    """Return every maximal path of links that leads out of ``element_id`` (what it feeds).

    ``causal`` as in :func:`roots_of`.
    """
    return _trace(f, element_id, "out_of", max_length, max_paths, causal)


def paths_table(f: Formulation, paths: Iterable[TracePath]) -> pd.DataFrame:
    """Return paths as a table, one row per path, numbered from 1."""
    rows = []
    for number, p in enumerate(paths, start=1):
        labels = tuple(f.element(e).label for e in p.elements)
        rows.append(
            {
                "path": number,
                "length": len(p.links),
                "start": p.elements[0],
                "start_label": labels[0],
                "end": p.elements[-1],
                "end_label": labels[-1],
                "elements": p.elements,
                "links": p.links,
                "labels": labels,
                "sentence": p.sentence,
                "complete": p.complete,
            }
        )
    return pd.DataFrame(rows, columns=PATH_COLUMNS)


def highlight_for(paths: Iterable[TracePath]) -> set[str]:
    """Return the ids of every element and link on ``paths`` (to highlight them in a view)."""
    ids: set[str] = set()
    for p in paths:
        ids.update(p.elements)
        ids.update(p.links)
    return ids


def cycles(f: Formulation, *, max_length: int = MAX_LENGTH, max_cycles: int = MAX_CYCLES) -> pd.DataFrame:
    """Return the cycles of links (maintaining or repeating patterns), named and flagged.

    Each cycle starts at its element in the earliest layer. ``type`` names it:
    a cycle the template names when it runs through every kind of that cycle
    (the CMP's full four-step cycle, Malan's triangle of person); else the
    template's own cycle (e.g. "CMP cycle") when it runs through at least
    two of that method's categories; "vicious circle" when every link
    maintains the next; "repeating pattern" when a link repeats a pattern;
    "maintaining cycle" when some link maintains; otherwise "cycle". ``name``
    adds the short chain ("vicious circle: A maintains B maintains A").
    ``through_therapist`` is True when the cycle passes through an element
    that stands for the relationship with the therapist (psychodynamic
    transference, CCRT episode with the therapist, Malan's therapist corner,
    CMP therapist's reaction).
    """
    roles = roles_for(f.template)
    simple = nx.DiGraph()
    simple.add_nodes_from(f.graph.nodes)
    for ln in f.link_records():
        if not simple.has_edge(ln.source, ln.target):
            simple.add_edge(ln.source, ln.target, link=ln.id)
    order = {el.id: (f.template.element_kinds[el.kind].layer, i) for i, el in enumerate(f.element_records())}
    found = []
    for ring in islice(bounded_cycles(simple, order, max_length), max_cycles):  # each starts at its first
        ring_links = [simple.edges[ring[i], ring[(i + 1) % len(ring)]]["link"] for i in range(len(ring))]
        found.append((tuple(ring), tuple(ring_links)))
    found.sort(key=lambda c: (len(c[0]), [order[n] for n in c[0]]))

    rows = []
    for number, (nodes, links) in enumerate(found, start=1):
        kinds = {f.element(n).kind for n in nodes}
        link_kinds = {f.link(ln).kind for ln in links}
        named = next((c.name for c in roles.named_cycles if c.kinds <= kinds), "")
        if named:
            kind_of_cycle = named
        elif roles.cycle_name and len(kinds & roles.cycle_kinds) >= 2:
            kind_of_cycle = roles.cycle_name
        elif roles.maintaining_links and link_kinds <= roles.maintaining_links:
            kind_of_cycle = "vicious circle"
        elif link_kinds & roles.repeating_links:
            kind_of_cycle = "repeating pattern"
        elif link_kinds & roles.maintaining_links:
            kind_of_cycle = "maintaining cycle"
        else:
            kind_of_cycle = "cycle"
        therapist = tuple(n for n in nodes if f.element(n).kind in roles.therapist)
        rows.append(
            {
                "cycle": number,
                "type": kind_of_cycle,
                "name": f"{kind_of_cycle}: {short_chain(f, nodes, links)}",
                "sentence": chain_sentence(f, nodes, links, closed=True),
                "length": len(links),
                "elements": nodes,
                "links": links,
                "labels": tuple(f.element(n).label for n in nodes),
                "through_therapist": bool(therapist),
                "therapist_elements": therapist,
            }
        )
    return pd.DataFrame(rows, columns=CYCLE_COLUMNS)


# --- helpers -------------------------------------------------------------------


def _trace(
    f: Formulation,
    element_id: str,
    direction: Literal["into", "out_of"],
    max_length: int,
    max_paths: int,
    causal: bool,
) -> list[TracePath]:
    f.element(element_id)  # raises ElementNotFound with a clear message
    if max_length < 1 or max_paths < 1:
        raise InvalidValue("The longest path and the number of paths must each be at least 1.")
    graph = f.graph
    into = direction == "into"
    reverse = set(roles_for(f.template).reverse_links) if causal else set()

    def steps(end: str) -> list[tuple[str, str, bool]]:
        """(next element, link, walked against the link) from ``end``, in the tracing direction."""
        forward = graph.in_edges(end, keys=True, data="kind") if into else graph.out_edges(
            end, keys=True, data="kind")
        against = graph.out_edges(end, keys=True, data="kind") if into else graph.in_edges(
            end, keys=True, data="kind")
        found = [(a if into else b, key, False) for a, b, key, kind in forward if kind not in reverse]
        found += [(b if into else a, key, True) for a, b, key, kind in against if kind in reverse]
        return found

    paths: list[TracePath] = []
    # Depth-first, so paths come out grouped by their first step; each stack entry holds the
    # walked elements, links and link directions, all starting at element_id.
    stack: list[tuple[tuple[str, ...], tuple[str, ...], tuple[bool, ...]]] = [((element_id,), (), ())]
    while stack and len(paths) < max_paths:
        walked, walked_links, walked_back = stack.pop()
        onward = [step for step in steps(walked[-1]) if step[0] not in walked]
        if onward and len(walked_links) < max_length:
            for other, key, back in reversed(onward):
                stack.append(((*walked, other), (*walked_links, key), (*walked_back, back)))
            continue
        if not walked_links:
            continue
        if into:
            elements, links = tuple(reversed(walked)), tuple(reversed(walked_links))
            backward = tuple(reversed(walked_back))
        else:
            elements, links, backward = walked, walked_links, walked_back
        sentence = chain_sentence(f, elements, links, backward=backward)
        paths.append(TracePath(elements, links, sentence, complete=not onward, backward=backward))
    return paths
