"""Compare two formulations of a case: match elements, merge the graphs, measure agreement.

Two clinicians' formulations (trainee and supervisor, two trainees) or two
versions of one formulation are compared in three steps:

1. :func:`match` pairs elements of A with elements of B: first the pairs given
   by hand, then by id when both come from the same file (versions of one
   formulation keep their ids), then by kind and label similarity (labels are
   case-folded, stripped of punctuation and compared as sets of words).
   Links are paired when their ends are paired and their kinds agree.
2. :func:`merged_graph` joins both into one graph, every element and link
   marked ``shared``, ``only_a`` or ``only_b``.
3. :func:`agreement_table` reports Jaccard overlaps of elements and of links
   (overall and per kind) and Cohen's kappa for the codes of paired elements
   (e.g. CCRT clusters). See docs/comparing.md for what they mean.

Example
-------
>>> import workbench
>>> a = workbench.new(case_id="C-1")
>>> b = workbench.new(case_id="C-1")
>>> _ = a.add_element("unconscious_fear", "Fear of being left")
>>> _ = b.add_element("unconscious_fear", "fear of being left!")
>>> _ = b.add_element("defense", "Self-sufficiency")
>>> m = match(a, b)
>>> len(m.elements)
1
>>> round(jaccard(1, 1, 2), 3)
0.5
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Collection, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import networkx as nx
import pandas as pd

from workbench.errors import ElementNotFound, InvalidValue, short
from workbench.model import Formulation

__all__ = [
    "AGREEMENT_COLUMNS",
    "MATCH_COLUMNS",
    "Matching",
    "agreement_table",
    "cohens_kappa",
    "jaccard",
    "kappa_terms",
    "label_similarity",
    "match",
    "matches_table",
    "merged_graph",
    "normalise_label",
]

#: Default label similarity (word-set Jaccard) from which two labels of one kind are paired.
THRESHOLD = 0.5

AGREEMENT_COLUMNS = [
    "figure", "scope", "kind", "n_a", "n_b", "shared", "pairs", "agreements", "value", "note",
]
MATCH_COLUMNS = ["side", "kind", "a_id", "a_label", "b_id", "b_label", "method", "similarity"]


@dataclass(frozen=True)
class Matching:
    """Which element (and link) of formulation A is which of formulation B.

    ``elements`` and ``links`` map ids of A to ids of B. ``methods`` says how
    each element pair was made ("manual", "id" or "label"), ``similarity``
    the label similarity of each pair (0 to 1).
    """

    elements: dict[str, str] = field(default_factory=dict)
    links: dict[str, str] = field(default_factory=dict)
    methods: dict[str, str] = field(default_factory=dict)
    similarity: dict[str, float] = field(default_factory=dict)


def normalise_label(label: str) -> str:
    """Return a label case-folded, without punctuation, with single spaces.

    >>> normalise_label("  Fear of  being LEFT! ")
    'fear of being left'
    """
    text = unicodedata.normalize("NFKC", label).casefold()
    return " ".join(re.findall(r"\w+", text))


def label_similarity(a: str, b: str) -> float:
    """Return how alike two labels are: the Jaccard overlap of their sets of words (0 to 1).

    >>> label_similarity("Fear of being left", "fear of being abandoned")
    0.6
    """
    return _word_similarity(_words(a), _words(b), a, b)


def match(
    a: Formulation,
    b: Formulation,
    *,
    matches: Mapping[str, str] | None = None,
    threshold: float = THRESHOLD,
    by_id: bool | None = None,
) -> Matching:
    """Pair the elements and links of ``a`` with those of ``b``.

    ``matches`` are pairs made by hand (id in A -> id in B); they come first
    and may join elements of different kinds. ``by_id`` pairs elements with
    the same id; by default it is on when both formulations come from the same
    file (same ``file_id``). The rest are paired within each kind, most similar
    labels first, when their :func:`label_similarity` is at least ``threshold``.
    """
    if not 0 <= threshold <= 1:
        raise InvalidValue("The label similarity threshold must be a number from 0 to 1.")
    pairs: dict[str, str] = {}
    methods: dict[str, str] = {}
    for a_id, b_id in (matches or {}).items():
        if not a.has_element(a_id):
            raise ElementNotFound(f"There is no element {short(a_id)} in formulation A.")
        if not b.has_element(b_id):
            raise ElementNotFound(f"There is no element {short(b_id)} in formulation B.")
        if b_id in pairs.values():
            raise InvalidValue(f"Element {short(b_id)} of formulation B is matched twice.")
        pairs[a_id], methods[a_id] = b_id, "manual"

    if by_id is None:
        by_id = a.file_id is not None and a.file_id == b.file_id
    if by_id:
        for el in a.element_records():
            if el.id not in pairs and b.has_element(el.id) and el.id not in pairs.values():
                pairs[el.id], methods[el.id] = el.id, "id"

    taken = set(pairs.values())
    b_free = [(j, eb) for j, eb in enumerate(b.element_records()) if eb.id not in taken]
    words = {("b", eb.id): _words(eb.label) for _, eb in b_free}
    candidates = []
    for i, ea in enumerate(a.element_records()):
        if ea.id in pairs:
            continue
        words_a = _words(ea.label)
        for j, eb in b_free:
            if eb.kind == ea.kind:
                score = _word_similarity(words_a, words[("b", eb.id)], ea.label, eb.label)
                if score >= threshold and score > 0:
                    candidates.append((-score, i, j, ea.id, eb.id))
    for _neg, _i, _j, a_id, b_id in sorted(candidates):
        if a_id not in pairs and b_id not in taken:
            pairs[a_id], methods[a_id] = b_id, "label"
            taken.add(b_id)

    similarity = {a_id: label_similarity(a.element(a_id).label, b.element(b_id).label)
                  for a_id, b_id in pairs.items()}
    ordered = {el.id: pairs[el.id] for el in a.element_records() if el.id in pairs}
    return Matching(
        elements=ordered,
        links=_match_links(a, b, ordered, by_id),
        methods={k: methods[k] for k in ordered},
        similarity={k: similarity[k] for k in ordered},
    )


def match_with_choices(
    a: Formulation, b: Formulation, *, chosen: Mapping[str, str], unmatched: Collection[str] = ()
) -> Matching:
    """Pair ``a`` with ``b`` as :func:`match` does, overridden by a user's choices.

    ``chosen`` are pairs made by hand (id in A -> id in B); a pair whose element is
    gone from either side (e.g. deleted since it was chosen) is left out. ``unmatched``
    names elements of A said to have no match: they and their links are left unpaired.
    """
    manual = {k: v for k, v in chosen.items() if a.has_element(k) and b.has_element(v)}
    found = match(a, b, matches=manual)
    if not unmatched:
        return found
    dropped = set(unmatched)
    elements = {k: v for k, v in found.elements.items() if k not in dropped}
    links = {k: v for k, v in found.links.items()
             if a.link(k).source in elements and a.link(k).target in elements}
    return Matching(
        elements=elements,
        links=links,
        methods={k: found.methods[k] for k in elements},
        similarity={k: found.similarity[k] for k in elements},
    )


def matches_table(a: Formulation, b: Formulation, matching: Matching) -> pd.DataFrame:
    """Return one row per element: paired (``shared``), ``only_a`` or ``only_b``."""
    rows = []
    for ea in a.element_records():
        b_id = matching.elements.get(ea.id)
        rows.append({
            "side": "shared" if b_id else "only_a",
            "kind": ea.kind,
            "a_id": ea.id,
            "a_label": ea.label,
            "b_id": b_id or "",
            "b_label": b.element(b_id).label if b_id else "",
            "method": matching.methods.get(ea.id, ""),
            "similarity": matching.similarity.get(ea.id, math.nan),
        })
    paired = set(matching.elements.values())
    for eb in b.element_records():
        if eb.id not in paired:
            rows.append({"side": "only_b", "kind": eb.kind, "a_id": "", "a_label": "", "b_id": eb.id,
                         "b_label": eb.label, "method": "", "similarity": math.nan})
    return pd.DataFrame(rows, columns=MATCH_COLUMNS)


def merged_graph(a: Formulation, b: Formulation, matching: Matching) -> nx.MultiDiGraph:
    """Join ``a`` and ``b`` into one graph; every node and edge has ``side`` shared/only_a/only_b.

    Nodes are keyed by the id in A (for shared and only-A elements) or in B
    (prefixed ``b:`` if that id is also used in A). Node attributes: side,
    a_id, b_id, kind, label (A's label for shared ones), label_b, layer.
    Edges are keyed the same way, with side, a_id, b_id, kind, weight.
    """
    graph = nx.MultiDiGraph()
    node_of_b: dict[str, str] = {}
    for ea in a.element_records():
        b_id = matching.elements.get(ea.id)
        graph.add_node(ea.id, side="shared" if b_id else "only_a", a_id=ea.id, b_id=b_id or "", kind=ea.kind,
                       label=ea.label, label_b=b.element(b_id).label if b_id else "",
                       layer=a.template.element_kinds[ea.kind].layer)
        if b_id:
            node_of_b[b_id] = ea.id
    for eb in b.element_records():
        if eb.id in node_of_b:
            continue
        key = eb.id if not a.has_element(eb.id) else f"b:{eb.id}"
        node_of_b[eb.id] = key
        graph.add_node(key, side="only_b", a_id="", b_id=eb.id, kind=eb.kind, label=eb.label,
                       label_b=eb.label, layer=b.template.element_kinds[eb.kind].layer)
    for la in a.link_records():
        lb_id = matching.links.get(la.id)
        graph.add_edge(la.source, la.target, key=la.id, side="shared" if lb_id else "only_a", a_id=la.id,
                       b_id=lb_id or "", kind=la.kind, weight=la.weight)
    paired_links = set(matching.links.values())
    for lb in b.link_records():
        if lb.id in paired_links:
            continue
        key = lb.id if not a.has_link(lb.id) else f"b:{lb.id}"
        graph.add_edge(node_of_b[lb.source], node_of_b[lb.target], key=key, side="only_b", a_id="",
                       b_id=lb.id, kind=lb.kind, weight=lb.weight)
    return graph


def jaccard(shared: int, n_a: int, n_b: int) -> float:
    """Return the Jaccard overlap ``shared / (n_a + n_b - shared)`` (NaN when both are empty).

    >>> jaccard(3, 4, 5)
    0.5
    """
    union = n_a + n_b - shared
    if shared < 0 or shared > min(n_a, n_b):
        raise InvalidValue("The shared count must lie between 0 and the smaller of the two counts.")
    return shared / union if union else math.nan


def kappa_terms(codes_a: Sequence[Hashable], codes_b: Sequence[Hashable]) -> tuple[Fraction, Fraction]:
    """Return the observed and the chance agreement of two codings, as exact fractions.

    ``codes_a[i]`` and ``codes_b[i]`` are the two codes of unit ``i``. Chance
    agreement is the sum over categories of the product of the two coders'
    marginal proportions (Cohen, 1960).
    """
    if len(codes_a) != len(codes_b):
        raise InvalidValue("Both codings must code the same units.")
    n = len(codes_a)
    if n == 0:
        raise InvalidValue("Kappa needs at least one coded unit.")
    observed = Fraction(sum(1 for x, y in zip(codes_a, codes_b, strict=True) if x == y), n)
    count_a, count_b = Counter(codes_a), Counter(codes_b)
    expected = sum((Fraction(count_a[c] * count_b[c], n * n) for c in count_a), Fraction(0))
    return observed, expected


def cohens_kappa(codes_a: Sequence[Hashable], codes_b: Sequence[Hashable]) -> float:
    """Return Cohen's kappa, ``(p_o - p_e) / (1 - p_e)``, of two codings of the same units.

    NaN when it is undefined: no units, or both coders used one and the same
    category throughout (chance agreement 1).

    >>> cohens_kappa(["W5", "W5", "W6", "W6"], ["W5", "W6", "W6", "W6"])
    0.5
    """
    if not codes_a and not codes_b:
        return math.nan
    observed, expected = kappa_terms(codes_a, codes_b)
    if expected == 1:
        return math.nan
    return float((observed - expected) / (1 - expected))


def agreement_table(
    a: Formulation,
    b: Formulation,
    matching: Matching | None = None,
    *,
    threshold: float = THRESHOLD,
) -> pd.DataFrame:
    """Return the agreement figures of two formulations, one row per figure.

    Rows: Jaccard overlap of elements (overall, then per element kind) and of
    links (overall, then per link kind); then Cohen's kappa for each code set
    used by paired elements (at the level of codes, and of clusters when
    codes are finer than clusters). An element pair counts for a kind only
    when both elements are of that kind. Without ``matching`` the elements
    are matched with :func:`match` and ``threshold``.
    """
    if matching is None:
        matching = match(a, b, threshold=threshold)
    rows: list[dict[str, Any]] = []
    rows += _jaccard_rows("elements", [(e.id, e.kind) for e in a.element_records()],
                          [(e.id, e.kind) for e in b.element_records()], matching.elements)
    rows += _jaccard_rows("links", [(ln.id, ln.kind) for ln in a.link_records()],
                          [(ln.id, ln.kind) for ln in b.link_records()], matching.links)
    rows += _kappa_rows(a, b, matching)
    table = pd.DataFrame(rows, columns=AGREEMENT_COLUMNS)
    for column in ("n_a", "n_b", "shared", "pairs", "agreements"):
        table[column] = table[column].astype("Int64")
    table["value"] = table["value"].astype(float)
    return table


# --- helpers -------------------------------------------------------------------


def _words(label: str) -> frozenset[str]:
    return frozenset(normalise_label(label).split())


def _word_similarity(words_a: frozenset[str], words_b: frozenset[str], a: str, b: str) -> float:
    if not words_a and not words_b:  # labels of punctuation only: alike only when equal
        return 1.0 if a.strip() == b.strip() else 0.0
    return len(words_a & words_b) / len(words_a | words_b)


def _match_links(a: Formulation, b: Formulation, elements: dict[str, str], by_id: bool) -> dict[str, str]:
    by_ends: dict[tuple[str, str, str], list[str]] = {}
    for lb in b.link_records():
        by_ends.setdefault((lb.source, lb.target, lb.kind), []).append(lb.id)
    pairs: dict[str, str] = {}
    used: set[str] = set()
    for la in a.link_records():
        source, target = elements.get(la.source), elements.get(la.target)
        if source is None or target is None:
            continue
        candidates = [i for i in by_ends.get((source, target, la.kind), []) if i not in used]
        if by_id:
            candidates.sort(key=lambda i: i != la.id)
        if candidates:
            pairs[la.id] = candidates[0]
            used.add(candidates[0])
    return pairs


def _jaccard_rows(scope: str, items_a: list[tuple[str, str]], items_b: list[tuple[str, str]],
                  pairs: dict[str, str]) -> list[dict[str, Any]]:
    kind_a, kind_b = dict(items_a), dict(items_b)
    kinds = list(dict.fromkeys([k for _, k in items_a] + [k for _, k in items_b]))
    rows = [_jaccard_row(scope, "all", len(items_a), len(items_b), len(pairs))]
    for kind in kinds:
        n_a = sum(1 for k in kind_a.values() if k == kind)
        n_b = sum(1 for k in kind_b.values() if k == kind)
        shared = sum(1 for x, y in pairs.items() if kind_a[x] == kind and kind_b[y] == kind)
        rows.append(_jaccard_row(scope, kind, n_a, n_b, shared))
    return rows


def _jaccard_row(scope: str, kind: str, n_a: int, n_b: int, shared: int) -> dict[str, Any]:
    value = jaccard(shared, n_a, n_b)
    note = "" if not math.isnan(value) else "neither formulation has any"
    return {"figure": "Jaccard", "scope": scope, "kind": kind, "n_a": n_a, "n_b": n_b, "shared": shared,
            "pairs": pd.NA, "agreements": pd.NA, "value": value, "note": note}


def _kappa_rows(a: Formulation, b: Formulation, matching: Matching) -> list[dict[str, Any]]:
    coded: dict[str, list[tuple[str, str]]] = {}
    uncoded: Counter[str] = Counter()
    for a_id, b_id in matching.elements.items():
        ea, eb = a.element(a_id), b.element(b_id)
        set_a, set_b = a.template.code_set_for(ea.kind), b.template.code_set_for(eb.kind)
        if set_a is None or set_b is None or set_a.id != set_b.id:
            continue
        if ea.code is None or eb.code is None:
            uncoded[set_a.id] += 1
            continue
        coded.setdefault(set_a.id, []).append((ea.code, eb.code))
    rows = []
    for set_id in list(dict.fromkeys([*coded, *uncoded])):
        code_set = a.template.code_sets[set_id]
        pairs = coded.get(set_id, [])
        levels: list[tuple[str, list[tuple[str, str]]]] = [("codes", pairs)]
        finer = any(x not in code_set.clusters or y not in code_set.clusters for x, y in pairs)
        if code_set.clusters and finer:
            clusters = [(code_set.cluster_of(x), code_set.cluster_of(y)) for x, y in pairs]
            levels.append(("clusters", [(x, y) for x, y in clusters if x is not None and y is not None]))
        for level, level_pairs in levels:
            codes_a = [x for x, _ in level_pairs]
            codes_b = [y for _, y in level_pairs]
            value = cohens_kappa(codes_a, codes_b)
            notes = []
            if level_pairs:
                observed, expected = kappa_terms(codes_a, codes_b)
                notes.append(f"observed agreement {float(observed):.3f}, "
                             f"chance agreement {float(expected):.3f}")
            if math.isnan(value):
                notes.append("kappa is undefined here")
            if uncoded[set_id]:
                notes.append(f"{uncoded[set_id]} paired element(s) left out: coded in only one or neither")
            rows.append({"figure": "Cohen's kappa", "scope": code_set.name, "kind": level, "n_a": pd.NA,
                         "n_b": pd.NA, "shared": pd.NA, "pairs": len(level_pairs),
                         "agreements": sum(1 for x, y in level_pairs if x == y), "value": value,
                         "note": "; ".join(notes)})
    return rows
