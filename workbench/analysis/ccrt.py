"""The CCRT scored as the method does it: frequency and pervasiveness of each component's categories.

Luborsky's Core Conflictual Relationship Theme method (Luborsky & Crits-Christoph
1998, ch. 2) scores each relationship episode (RE) for its wishes (W),
responses of other (RO) and responses of self (RS). The CCRT is, for each
component, the category that occurs in the most episodes; its
*pervasiveness* is the share of all episodes in which it occurs. ROs and RSs
are scored positive or negative (Grenyer & Luborsky, ch. 4), and an RO is
either the other's actual response or one the client expected.

How a formulation holds the scoring (the template's ``[analysis.ccrt]`` table
names the kinds, see docs/templates.md):

- an episode's components are the elements it links to with one of the
  ``component_links`` ("expresses", "contains", "expects");
- an RO linked by one of the ``expected_links`` ("expects") is an expected
  response; one linked otherwise is an actual one (files made before
  "expects" existed hold actual responses only);
- the valence of an RO or RS in an episode comes from the sign of the links
  that lead to it from the episode's own wishes (for an RO) or wishes and ROs
  (for an RS): "is met negatively by" and "is followed negatively by" have sign
  -1. When none of the episode's own components leads to it, links from any
  wish or RO are used; when there are none, it is unmarked. Links of both
  signs make it "mixed";
- a component's *category* is its code (a standard category or a cluster of
  the template's code set) or, for an uncoded element, the element itself
  (a tailor-made category, named by its label). A coded component also counts
  for its *cluster*.

A category is counted once per episode however many of the episode's
elements carry it. Discarded elements and links are left out.

Example
-------
>>> import workbench
>>> f = workbench.new("ccrt", case_id="T-1")
>>> re1 = f.add_element("episode_current", "RE 1")
>>> w = f.add_element("wish", "To be heard", code="W6")
>>> ro = f.add_element("response_of_other", "Talks over him", code="RO5")
>>> _ = f.add_link(re1, w, "expresses"); _ = f.add_link(re1, ro, "contains")
>>> _ = f.add_link(w, ro, "met_negatively")
>>> score = ccrt_score(f)
>>> [c.category for c in score.component("RO").ccrt], score.component("RO").ccrt[0].negative
(['RO5'], 1)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from workbench.errors import TemplateError, WorkbenchError
from workbench.model import Element, Formulation, Link
from workbench.templates import Template

__all__ = [
    "COMPONENTS",
    "COMPONENT_NAMES",
    "FRAME_COLUMNS",
    "CCRTScore",
    "CCRTSpec",
    "CategoryCount",
    "ComponentScore",
    "EpisodeScore",
    "NotACCRTFormulation",
    "Occurrence",
    "ccrt_score",
    "ccrt_spec",
    "has_ccrt",
    "occurrence_text",
]

#: The three components, in the method's order.
COMPONENTS = ("W", "RO", "RS")

#: What each component is called in sentences.
COMPONENT_NAMES = {"W": "wish", "RO": "response of other", "RS": "response of self"}

#: The columns of :meth:`CCRTScore.to_frame`.
FRAME_COLUMNS = [
    "component", "level", "category", "name", "frequency", "episodes", "pervasiveness", "ccrt", "tie",
    "positive", "negative", "unmarked", "expected", "actual", "labels",
]

_SPEC_KEYS = ("episodes", "wish", "response_of_other", "response_of_self", "component_links",
              "expected_links")


class NotACCRTFormulation(WorkbenchError):
    """A CCRT summary was asked of a formulation whose template does not hold relationship episodes."""


@dataclass(frozen=True)
class CCRTSpec:
    """Which kinds of a template hold the CCRT (its ``[analysis.ccrt]`` table)."""

    episodes: tuple[str, ...]
    kinds: Mapping[str, str]  # component -> element kind
    component_links: frozenset[str]
    expected_links: frozenset[str]

    def component_of(self, kind: str) -> str | None:
        """Return the component ("W", "RO", "RS") that elements of ``kind`` score, if any."""
        for component, component_kind in self.kinds.items():
            if component_kind == kind:
                return component
        return None


@dataclass(frozen=True)
class Occurrence:
    """One component scored in one episode: an element with its category, valence and (RO) expectation."""

    component: str
    element: str
    label: str
    category: str
    category_name: str
    cluster: str | None = None
    cluster_name: str = ""
    #: "positive", "negative", "mixed" or "" (unmarked; always "" for a wish).
    valence: str = ""
    #: For an RO: "expected" or "actual"; "" for a wish or an RS.
    reality: str = ""

    @property
    def coded(self) -> bool:
        """Whether the element carries a code (else its category is the element itself)."""
        return self.category != self.element


@dataclass(frozen=True)
class EpisodeScore:
    """One relationship episode and the components scored in it."""

    id: str
    label: str
    kind: str
    kind_name: str
    occurrences: tuple[Occurrence, ...]

    def component(self, component: str) -> tuple[Occurrence, ...]:
        """Return the occurrences of ``component`` ("W", "RO" or "RS") in this episode."""
        return tuple(o for o in self.occurrences if o.component == component)

    @property
    def missing(self) -> tuple[str, ...]:
        """The components this episode has none of."""
        return tuple(c for c in COMPONENTS if not self.component(c))


@dataclass(frozen=True)
class CategoryCount:
    """How often one category (or cluster) of a component occurs across the episodes."""

    component: str
    level: str  # "category" or "cluster"
    category: str
    name: str
    #: The episodes in which it occurs (ids, in episode order); its frequency is their number.
    episodes: tuple[str, ...]
    pervasiveness: float
    positive: int = 0
    negative: int = 0
    unmarked: int = 0
    expected: int = 0
    actual: int = 0
    labels: tuple[str, ...] = ()
    #: False for a tailor-made category: an uncoded element, named by its label.
    coded: bool = True
    in_ccrt: bool = False
    tie: bool = False

    @property
    def frequency(self) -> int:
        """The number of episodes in which the category occurs."""
        return len(self.episodes)


@dataclass(frozen=True)
class ComponentScore:
    """The categories of one component, most frequent first, and the CCRT among them."""

    component: str
    categories: tuple[CategoryCount, ...]
    clusters: tuple[CategoryCount, ...]
    #: Episodes in which the component is scored at all, and those without it.
    scored: tuple[str, ...]
    missing: tuple[str, ...]

    @property
    def ccrt(self) -> tuple[CategoryCount, ...]:
        """The most frequent categories: one, or several when they tie (none when nothing is scored)."""
        return tuple(c for c in self.categories if c.in_ccrt)

    @property
    def ccrt_clusters(self) -> tuple[CategoryCount, ...]:
        """The most frequent clusters (ties kept); empty when no element of the component is coded."""
        return tuple(c for c in self.clusters if c.in_ccrt)

    #: Every occurrence of the component (episode by element), in episode order.
    occurrences: tuple[Occurrence, ...] = field(default=(), repr=False)

    def valence_counts(self) -> dict[str, int]:
        """Occurrences that are positive, negative, mixed and unmarked ('')."""
        return self._counts("valence", ("positive", "negative", "mixed", ""))

    def reality_counts(self) -> dict[str, int]:
        """For the RO: occurrences that are actual and expected responses."""
        return self._counts("reality", ("actual", "expected"))

    def _counts(self, what: str, keys: tuple[str, ...]) -> dict[str, int]:
        counts = dict.fromkeys(keys, 0)
        for occ in self.occurrences:
            value = getattr(occ, what)
            if value in counts:
                counts[value] += 1
        return counts


@dataclass(frozen=True)
class CCRTScore:
    """The CCRT of a formulation: its episodes and, per component, the categories counted."""

    case_id: str
    episodes: tuple[EpisodeScore, ...]
    components: Mapping[str, ComponentScore]

    def component(self, component: str) -> ComponentScore:
        """Return the score of ``component`` ("W", "RO" or "RS")."""
        return self.components[component]

    def to_frame(self) -> pd.DataFrame:
        """One row per category and per cluster of each component (columns :data:`FRAME_COLUMNS`).

        ``frequency`` is the number of episodes the category occurs in, ``pervasiveness``
        that number over all episodes, ``ccrt`` marks the most frequent of its component and
        level, and ``tie`` marks a CCRT shared by several categories.
        """
        rows = []
        for component in COMPONENTS:
            score = self.components[component]
            for count in (*score.categories, *score.clusters):
                rows.append({
                    "component": component, "level": count.level, "category": count.category,
                    "name": count.name, "frequency": count.frequency, "episodes": count.episodes,
                    "pervasiveness": count.pervasiveness, "ccrt": count.in_ccrt, "tie": count.tie,
                    "positive": count.positive, "negative": count.negative, "unmarked": count.unmarked,
                    "expected": count.expected, "actual": count.actual, "labels": count.labels,
                })
        return pd.DataFrame(rows, columns=FRAME_COLUMNS)

    def episodes_frame(self) -> pd.DataFrame:
        """One row per episode: its kind and what it scores for W, RO and RS, marked as in the method."""
        rows = []
        for ep in self.episodes:
            row: dict[str, Any] = {"episode": ep.id, "label": ep.label, "kind": ep.kind_name}
            for component in COMPONENTS:
                row[component] = "; ".join(occurrence_text(o) for o in ep.component(component))
            row["missing"] = ", ".join(ep.missing)
            rows.append(row)
        return pd.DataFrame(rows, columns=["episode", "label", "kind", *COMPONENTS, "missing"])

    def summary(self) -> list[str]:
        """The CCRT in sentences: one line per component, ties shown as ties, then the episode count.

        >>> import workbench
        >>> ccrt_score(workbench.new("ccrt", case_id="T-1")).summary()
        ['No relationship episodes are scored yet.']
        """
        n = len(self.episodes)
        if not n:
            return ["No relationship episodes are scored yet."]
        lines = []
        for component in COMPONENTS:
            score = self.components[component]
            top = score.ccrt
            if not top:
                lines.append(f"{component} ({COMPONENT_NAMES[component]}): not scored in any episode.")
                continue
            said = " tied with ".join(_category_text(c) for c in top)
            tie = " (a tie)" if len(top) > 1 else ""
            line = (f"{component} ({COMPONENT_NAMES[component]}): {said}{tie}, in "
                    f"{top[0].frequency} of {n} episodes ({_percent(top[0].pervasiveness)}).")
            if score.ccrt_clusters and [c.category for c in score.ccrt_clusters] != [c.category for c in top]:
                clusters = " tied with ".join(_category_text(c) for c in score.ccrt_clusters)
                line += (f" By cluster: {clusters}, in {score.ccrt_clusters[0].frequency} of {n} episodes "
                         f"({_percent(score.ccrt_clusters[0].pervasiveness)}).")
            lines.append(line)
        for component in ("RO", "RS"):
            counts = self.components[component].valence_counts()
            scored = sum(counts.values())
            if scored:
                parts = [f"{counts['positive']} positive", f"{counts['negative']} negative"]
                if counts["mixed"]:
                    parts.append(f"{counts['mixed']} mixed")
                if counts[""]:
                    parts.append(f"{counts['']} not marked")
                text = f"{component} scored {scored} time{'s' if scored != 1 else ''}: {', '.join(parts)}"
                if component == "RO":
                    reality = self.components["RO"].reality_counts()
                    text += f"; {reality['actual']} actual, {reality['expected']} expected"
                lines.append(text + ".")
        incomplete = [ep for ep in self.episodes if ep.missing]
        line = f"{n} relationship episode{'s' if n != 1 else ''}"
        if incomplete:
            line += (f"; {len(incomplete)} lack{'s' if len(incomplete) == 1 else ''} a component ("
                     + "; ".join(f"{ep.label}: no {', '.join(ep.missing)}" for ep in incomplete) + ")")
        lines.append(line + ".")
        return lines


def has_ccrt(template: Template) -> bool:
    """Return whether ``template`` holds a CCRT: an ``[analysis.ccrt]`` table, or the kinds of the
    shipped CCRT template (a site's own copy made from its version 1, which had no table)."""
    return isinstance(template.analysis.get("ccrt"), dict) or _shipped_ccrt_kinds(template) is not None


def ccrt_spec(template: Template) -> CCRTSpec:
    """Read and check the ``[analysis.ccrt]`` table of ``template``.

    Raises :class:`NotACCRTFormulation` when there is none and
    :class:`~workbench.errors.TemplateError` when it names kinds that do not exist.
    """
    raw = template.analysis.get("ccrt")
    if raw is None:
        raw = _shipped_ccrt_kinds(template)
    if raw is None:
        raise NotACCRTFormulation(
            f"The template {template.id!r} ({template.name}) has no relationship episodes to score: "
            "a CCRT summary needs a CCRT formulation (template 'ccrt')."
        )
    where = f"Template {template.id!r}" + (f" ({template.path})" if template.path else "")
    if not isinstance(raw, dict):
        raise TemplateError(f"{where}: [analysis] ccrt must be a table.")
    unknown = sorted(set(raw) - set(_SPEC_KEYS))
    if unknown:
        raise TemplateError(f"{where}: [analysis.ccrt] has unknown setting {unknown[0]!r}; "
                            f"settings are: {', '.join(_SPEC_KEYS)}.")

    def names(key: str, known: Iterable[str], what: str) -> tuple[str, ...]:
        value = raw.get(key, [])
        value = [value] if isinstance(value, str) else value
        if not isinstance(value, list):
            raise TemplateError(f"{where}: [analysis.ccrt] {key} must be a list of {what}.")
        found = tuple(str(v) for v in value)
        missing = sorted(set(found) - set(known))
        if missing:
            raise TemplateError(f"{where}: [analysis.ccrt] {key} names unknown {what}: {', '.join(missing)}.")
        if not found:
            raise TemplateError(f"{where}: [analysis.ccrt] needs {key}.")
        return found

    kinds = list(template.element_kinds)
    links = list(template.link_kinds)
    component_kinds = {
        "W": names("wish", kinds, "element kinds")[0],
        "RO": names("response_of_other", kinds, "element kinds")[0],
        "RS": names("response_of_self", kinds, "element kinds")[0],
    }
    expected = names("expected_links", links, "link kinds") if "expected_links" in raw else ()
    return CCRTSpec(
        episodes=names("episodes", kinds, "element kinds"),
        kinds=component_kinds,
        component_links=frozenset(names("component_links", links, "link kinds")),
        expected_links=frozenset(expected),
    )


def ccrt_score(f: Formulation) -> CCRTScore:
    """Score the CCRT of ``f`` from its relationship episodes (see the module's description).

    Raises :class:`NotACCRTFormulation` for a formulation whose template has no episodes.
    """
    spec = ccrt_spec(f.template)
    active = {el.id: el for el in f.element_records() if el.status != "discarded"}
    links = [ln for ln in f.link_records()
             if ln.status != "discarded" and ln.source in active and ln.target in active]
    episodes = [_episode(f, spec, el, active, links) for el in active.values() if el.kind in spec.episodes]
    total = len(episodes)
    components = {c: _component(c, episodes, total) for c in COMPONENTS}
    return CCRTScore(case_id=f.meta.case_id, episodes=tuple(episodes), components=components)


def occurrence_text(o: Occurrence) -> str:
    """One scored component as text: its label, its code, and its marks ("negative, expected")."""
    text = f"{o.label} [{o.category}]" if o.coded else o.label
    marks = [m for m in (o.valence, o.reality) if m]
    return f"{text} ({', '.join(marks)})" if marks else text


# --- helpers -------------------------------------------------------------------

#: The ``[analysis.ccrt]`` of the shipped CCRT template, for a copy of it that has no table.
_SHIPPED_SPEC: dict[str, Any] = {
    "episodes": ["episode_current", "episode_past", "episode_therapist"],
    "wish": "wish", "response_of_other": "response_of_other", "response_of_self": "response_of_self",
    "component_links": ["expresses", "contains", "expects"], "expected_links": ["expects"],
}


def _shipped_ccrt_kinds(template: Template) -> dict[str, Any] | None:
    """The shipped template's CCRT settings if ``template`` has its kinds (links it lacks left out)."""
    kinds = [*_SHIPPED_SPEC["episodes"], "wish", "response_of_other", "response_of_self"]
    if not all(k in template.element_kinds for k in kinds) or "contains" not in template.link_kinds:
        return None
    spec = dict(_SHIPPED_SPEC)
    spec["component_links"] = [k for k in _SHIPPED_SPEC["component_links"] if k in template.link_kinds]
    spec["expected_links"] = [k for k in _SHIPPED_SPEC["expected_links"] if k in template.link_kinds]
    if not spec["expected_links"]:
        del spec["expected_links"]
    return spec


def _episode(f: Formulation, spec: CCRTSpec, episode: Element, active: Mapping[str, Element],
             links: list[Link]) -> EpisodeScore:
    """The components one episode links to, with their categories, valence and (RO) expectation."""
    own: dict[str, list[Link]] = {}  # element -> the episode's links to it
    for ln in links:
        if ln.source == episode.id and ln.kind in spec.component_links:
            target = active[ln.target]
            if spec.component_of(target.kind) is not None:
                own.setdefault(ln.target, []).append(ln)
    ids = set(own)
    occurrences = []
    for element_id, reaching in own.items():
        el = active[element_id]
        component = spec.component_of(el.kind)
        assert component is not None
        category, category_name, cluster, cluster_name = _category(f, el)
        valence = "" if component == "W" else _valence(f, spec, el, component, ids, active, links)
        reality = ""
        if component == "RO":
            actual = any(ln.kind not in spec.expected_links for ln in reaching)
            reality = "actual" if actual else "expected"
        occurrences.append(Occurrence(component, el.id, el.label, category, category_name, cluster,
                                      cluster_name, valence, reality))
    order = {c: i for i, c in enumerate(COMPONENTS)}
    occurrences.sort(key=lambda o: order[o.component])
    return EpisodeScore(episode.id, episode.label, episode.kind,
                        f.template.element_kinds[episode.kind].name, tuple(occurrences))


def _valence(f: Formulation, spec: CCRTSpec, el: Element, component: str, in_episode: set[str],
             active: Mapping[str, Element], links: list[Link]) -> str:
    """Positive, negative, mixed or '' from the signs of the links that lead to ``el``."""
    sources = {"W"} if component == "RO" else {"W", "RO"}
    leading = [ln for ln in links
               if ln.target == el.id and spec.component_of(active[ln.source].kind) in sources]
    here = [ln for ln in leading if ln.source in in_episode]
    signs = {f.template.link_kinds[ln.kind].sign for ln in (here or leading)}
    if signs == {1}:
        return "positive"
    if signs == {-1}:
        return "negative"
    return "mixed" if signs else ""


def _category(f: Formulation, el: Element) -> tuple[str, str, str | None, str]:
    """(category, its name, cluster, its name): the code, or the element itself when it is uncoded."""
    code_set = f.template.code_set_for(el.kind)
    if not el.code or code_set is None:
        return el.id, el.label, None, ""
    code = code_set.codes.get(el.code)
    cluster = code_set.cluster_of(el.code)
    name = code.name if code else code_set.clusters.get(el.code, el.code)
    cluster_name = code_set.clusters.get(cluster, "") if cluster else ""
    return el.code, name, cluster, cluster_name


def _component(component: str, episodes: list[EpisodeScore], total: int) -> ComponentScore:
    occurrences = tuple(o for ep in episodes for o in ep.component(component))
    categories = _counts(component, "category", episodes, total, lambda o: (o.category, o.category_name))
    clusters = _counts(component, "cluster", episodes, total,
                       lambda o: (o.cluster, o.cluster_name) if o.cluster else None)
    scored = tuple(ep.id for ep in episodes if ep.component(component))
    missing = tuple(ep.id for ep in episodes if not ep.component(component))
    return ComponentScore(component, categories, clusters, scored, missing, occurrences)


def _counts(component: str, level: str, episodes: list[EpisodeScore], total: int,
            key: Any) -> tuple[CategoryCount, ...]:
    """Count each category once per episode; rank by frequency; mark the most frequent (ties kept)."""
    found: dict[str, dict[str, Any]] = {}
    for ep in episodes:
        seen_here: dict[str, list[Occurrence]] = {}
        for occ in ep.component(component):
            got = key(occ)
            if got is None:
                continue
            category, name = got
            seen_here.setdefault(category, []).append(occ)
            entry = found.setdefault(category, {
                "name": name, "coded": occ.coded, "episodes": [], "labels": [],
                "positive": 0, "negative": 0, "unmarked": 0, "expected": 0, "actual": 0,
            })
            if occ.label not in entry["labels"]:
                entry["labels"].append(occ.label)
        for category, here in seen_here.items():
            entry = found[category]
            entry["episodes"].append(ep.id)
            valences = {o.valence for o in here}
            entry["positive"] += bool(valences & {"positive", "mixed"})
            entry["negative"] += bool(valences & {"negative", "mixed"})
            entry["unmarked"] += valences == {""} and component != "W"
            realities = {o.reality for o in here}
            entry["expected"] += "expected" in realities
            entry["actual"] += "actual" in realities
    ranked = sorted(found.items(), key=lambda item: -len(item[1]["episodes"]))  # stable: first seen first
    top = len(ranked[0][1]["episodes"]) if ranked else 0
    tied = sum(1 for _, entry in ranked if len(entry["episodes"]) == top) > 1
    out = []
    for category, entry in ranked:
        frequency = len(entry["episodes"])
        out.append(CategoryCount(
            component=component, level=level, category=category, name=entry["name"],
            episodes=tuple(entry["episodes"]), pervasiveness=frequency / total if total else 0.0,
            positive=entry["positive"], negative=entry["negative"], unmarked=int(entry["unmarked"]),
            expected=entry["expected"], actual=entry["actual"], labels=tuple(entry["labels"]),
            coded=bool(entry["coded"]) or level == "cluster",
            in_ccrt=frequency == top and top > 0, tie=frequency == top and tied,
        ))
    return tuple(out)


def _category_text(c: CategoryCount) -> str:
    """A coded category as its code, name and the labels coded with it; a tailor-made one as its label."""
    if not c.coded:
        return f"“{c.name}”"
    text = f"{c.category} “{c.name}”"
    if c.level == "category" and c.labels:
        text += f" ({', '.join(f'“{label}”' for label in c.labels)})"
    return text


def _percent(share: float) -> str:
    return f"{round(share * 100)}%"
