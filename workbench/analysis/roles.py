"""What each element kind means to the analyses, per framework template.

The checks and the tracer need to know, for each template, which element
kinds are early experiences (roots), drives, present problems, strengths,
which stand for the relationship with the therapist (transference), and what a
complete formulation of that method holds. Each template file says so in its
``[analysis]`` table (see docs/templates.md); :func:`roles_for` reads and
checks it. A template without the table gets empty roles, and the checks that
need roles flag nothing.

>>> from workbench.templates import get_template
>>> r = roles_for(get_template("psychodynamic"))
>>> sorted(r.drives)
['unconscious_fear', 'unconscious_wish']
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from workbench.errors import TemplateError
from workbench.templates import Template

__all__ = ["NamedCycle", "Requirement", "Roles", "roles_for"]


@dataclass(frozen=True)
class Requirement:
    """A set of element kinds a complete formulation needs at least one of each.

    ``group`` names the set for messages: "all three {group}" reads
    "all three corners of the triangle of conflict".
    """

    group: str
    kinds: tuple[str, ...]


@dataclass(frozen=True)
class NamedCycle:
    """A cycle the method names, found when a cycle runs through every one of ``kinds``.

    The CMP's four-step cycle (all four categories), Malan's triangle of person (O, P and T).
    """

    name: str
    kinds: frozenset[str]


@dataclass(frozen=True)
class Roles:
    """The meaning of a template's element kinds for the analyses."""

    #: Kinds that are sources from the past (early experiences, predisposing factors).
    roots: frozenset[str] = frozenset()
    #: Kinds that are drives: unconscious wishes and fears, hidden feelings.
    drives: frozenset[str] = frozenset()
    #: Kinds that are present symptoms or problems.
    symptoms: frozenset[str] = frozenset()
    #: Kinds that are strengths or resources.
    strengths: frozenset[str] = frozenset()
    #: Kinds that stand for the relationship with the therapist (transference).
    therapist: frozenset[str] = frozenset()
    #: Whether a formulation of this template should name at least one strength.
    expect_strength: bool = False
    #: Kind groups a complete formulation holds at least one element of each kind of.
    required: tuple[Requirement, ...] = ()
    #: Anchor kind -> kinds each element of the anchor kind must be linked with (CCRT episodes).
    per_element: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: The name of a cycle that runs through at least two of ``cycle_kinds`` ("CMP cycle").
    cycle_name: str = ""
    cycle_kinds: frozenset[str] = frozenset()
    #: Cycles named when they pass through every kind of a set; tried before ``cycle_name``.
    named_cycles: tuple[NamedCycle, ...] = ()
    #: The therapeutic relationship: the working alliance, its ruptures and their repairs.
    alliance: frozenset[str] = frozenset()
    ruptures: frozenset[str] = frozenset()
    repairs: frozenset[str] = frozenset()
    #: Link kinds by which a repair works through a rupture ("resolves").
    repair_links: frozenset[str] = frozenset()
    #: Link kinds whose cycles are vicious circles.
    maintaining_links: frozenset[str] = frozenset()
    #: Link kinds whose cycles are repetitions of a pattern.
    repeating_links: frozenset[str] = frozenset()
    #: Link kinds that run against the causal reading, with the phrase for reading them backwards:
    #: a defense *defends against* a fear, but it exists because of the fear, so a story from
    #: the past to the present reads "fear ..., which is defended against by defense ...".
    reverse_links: dict[str, str] = field(default_factory=dict)


#: The settings an ``[analysis]`` table may hold, and what each is.
_KIND_SETS = ("roots", "drives", "symptoms", "strengths", "therapist", "cycle_kinds", "alliance", "ruptures",
              "repairs")
_LINK_SETS = ("maintaining_links", "repeating_links", "repair_links")
#: Settings read by their own analysis module (``ccrt``: :mod:`workbench.analysis.ccrt`).
_OWN_TABLES = ("ccrt",)
_KEYS = (*_KIND_SETS, *_LINK_SETS, "expect_strength", "required", "per_element", "cycle_name",
         "named_cycles", "reverse_links", *_OWN_TABLES)


def roles_for(template: Template) -> Roles:
    """Return the roles of ``template``'s kinds, read from its ``[analysis]`` table.

    A template without the table gets empty roles. Raises
    :class:`~workbench.errors.TemplateError` when the table names a setting or
    a kind that does not exist.
    """
    spec = template.analysis
    where = f"Template {template.id!r}" + (f" ({template.path})" if template.path else "")
    unknown = sorted(set(spec) - set(_KEYS))
    if unknown:
        raise TemplateError(f"{where}: [analysis] has unknown setting {unknown[0]!r}; "
                            f"settings are: {', '.join(_KEYS)}.")

    def kinds(value: Any, setting: str, known: Iterable[str], what: str = "element kinds") -> tuple[str, ...]:
        if isinstance(value, str) or not isinstance(value, (list, tuple)):
            raise TemplateError(f"{where}: [analysis] {setting} must be a list of {what}.")
        names = tuple(str(v) for v in value)
        missing = sorted(set(names) - set(known))
        if missing:
            raise TemplateError(f"{where}: [analysis] {setting} names unknown {what}: {', '.join(missing)}.")
        return names

    element_kinds = list(template.element_kinds)
    link_kinds = list(template.link_kinds)
    sets = {name: frozenset(kinds(spec.get(name, []), name, element_kinds)) for name in _KIND_SETS}
    links = {name: frozenset(kinds(spec.get(name, []), name, link_kinds, "link kinds"))
             for name in _LINK_SETS}
    required = []
    for number, req in enumerate(_table_list(spec.get("required", []), where, "required"), start=1):
        group = str(req.get("group", "")).strip()
        if not group:
            raise TemplateError(f"{where}: [analysis] required item {number} has no 'group' name.")
        required.append(Requirement(group, kinds(req.get("kinds"), f"required {group!r}", element_kinds)))
    named = []
    for number, item in enumerate(_table_list(spec.get("named_cycles", []), where, "named_cycles"), start=1):
        name = str(item.get("name", "")).strip()
        if not name:
            raise TemplateError(f"{where}: [analysis] named_cycles item {number} has no 'name'.")
        members = kinds(item.get("kinds"), f"named_cycles {name!r}", element_kinds)
        if len(set(members)) < 2:
            raise TemplateError(f"{where}: [analysis] named_cycles {name!r} needs at least two kinds.")
        named.append(NamedCycle(name, frozenset(members)))
    per_element = {
        str(anchor): kinds(needed, f"per_element {anchor!r}", element_kinds)
        for anchor, needed in _table(spec.get("per_element", {}), where, "per_element").items()
    }
    kinds(list(per_element), "per_element", element_kinds)
    reverse_table = _table(spec.get("reverse_links", {}), where, "reverse_links")
    reverse = {str(k): str(v) for k, v in reverse_table.items()}
    kinds(list(reverse), "reverse_links", link_kinds, "link kinds")
    return Roles(
        **sets,
        **links,
        expect_strength=bool(spec.get("expect_strength", False)) and bool(sets["strengths"]),
        required=tuple(required),
        per_element=per_element,
        cycle_name=str(spec.get("cycle_name", "")),
        named_cycles=tuple(named),
        reverse_links=reverse,
    )


def _table(value: Any, where: str, setting: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise TemplateError(f"{where}: [analysis] {setting} must be a table.")
    return value


def _table_list(value: Any, where: str, setting: str) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise TemplateError(f"{where}: [analysis] {setting} must be a list of tables.")
    return value
