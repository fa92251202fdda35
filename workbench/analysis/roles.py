"""What each element kind means to the analyses, per framework template.

The checks and the tracer need to know, for each template, which element
kinds are early experiences (roots), drives, present problems, strengths,
which stand for the relationship with the therapist (transference), and what a
complete formulation of that method holds. Templates do not (yet) carry this,
so it is kept here as a small table keyed by template id and kind ids. Kind
ids that a template does not define are ignored, so a user's template that
shares the id of a built-in one degrades gracefully; a template the workbench
does not know gets empty roles, and the checks that need roles flag nothing.

>>> from workbench.templates import get_template
>>> r = roles_for(get_template("psychodynamic"))
>>> sorted(r.drives)
['unconscious_fear', 'unconscious_wish']
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from workbench.templates import Template

__all__ = ["Requirement", "Roles", "roles_for"]


@dataclass(frozen=True)
class Requirement:
    """A set of element kinds a complete formulation needs at least one of each.

    ``group`` names the set for messages: "all three {group}" reads
    "all three corners of the triangle of conflict".
    """

    group: str
    kinds: tuple[str, ...]


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
    #: Link kinds whose cycles are vicious circles.
    maintaining_links: frozenset[str] = frozenset()
    #: Link kinds whose cycles are repetitions of a pattern.
    repeating_links: frozenset[str] = frozenset()
    #: Link kinds that run against the causal reading, with the phrase for reading them backwards:
    #: a defense *defends against* a fear, but it exists because of the fear, so a story from
    #: the past to the present reads "fear ..., which is defended against by defense ...".
    reverse_links: dict[str, str] = field(default_factory=dict)


_CCRT_EPISODES = ("episode_current", "episode_past", "episode_therapist")
_CCRT_COMPONENTS = ("wish", "response_of_other", "response_of_self")
_CMP_CATEGORIES = ("acts_of_self", "expectations_of_others", "acts_of_others", "acts_of_self_toward_self")

#: The roles of the built-in templates, by template id (kind ids as in templates/*.toml).
_TABLE: dict[str, dict[str, Any]] = {
    "psychodynamic": {
        "roots": {"early_experience"},
        "drives": {"unconscious_wish", "unconscious_fear"},
        "symptoms": {"present_symptom"},
        "strengths": {"strength"},
        "therapist": {"transference"},
        "expect_strength": True,
        "maintaining_links": {"maintains"},
        "repeating_links": {"repeats_in"},
        "reverse_links": {"defends_against": "is defended against by"},
    },
    "ccrt": {
        "therapist": {"episode_therapist"},
        "per_element": {episode: _CCRT_COMPONENTS for episode in _CCRT_EPISODES},
        "repeating_links": {"parallels"},
    },
    "cmp": {
        "therapist": {"therapist_reaction"},
        "required": [("categories of the Cyclical Maladaptive Pattern", _CMP_CATEGORIES)],
        "cycle_name": "CMP cycle",
        "cycle_kinds": set(_CMP_CATEGORIES),
        "maintaining_links": {"reinforces"},
        "repeating_links": {"re_enacts"},
    },
    "malan": {
        "drives": {"hidden_feeling"},
        "therapist": {"therapist"},
        "required": [
            ("corners of the triangle of conflict", ("hidden_feeling", "anxiety", "defense")),
            ("corners of the triangle of person", ("current_other", "past_parent", "therapist")),
        ],
        "cycle_name": "triangle of conflict",
        "cycle_kinds": {"hidden_feeling", "anxiety", "defense"},
        "repeating_links": {"repeats_with"},
        "reverse_links": {"defends_against": "is defended against by"},
    },
    "five_ps": {
        "roots": {"predisposing", "precipitating"},
        "symptoms": {"presenting"},
        "strengths": {"protective"},
        "required": [("Ps", ("presenting", "predisposing", "precipitating", "perpetuating", "protective"))],
        "maintaining_links": {"perpetuates"},
    },
}


def roles_for(template: Template) -> Roles:
    """Return the roles of ``template``'s element kinds (empty roles for an unknown template)."""
    spec = _TABLE.get(template.id, {})
    kinds = set(template.element_kinds)
    links = set(template.link_kinds)

    def only_kinds(name: str) -> frozenset[str]:
        return frozenset(set(spec.get(name, ())) & kinds)

    required = tuple(
        Requirement(group, tuple(k for k in group_kinds if k in kinds))
        for group, group_kinds in spec.get("required", ())
        if any(k in kinds for k in group_kinds)
    )
    per_element = {
        anchor: tuple(k for k in needed if k in kinds)
        for anchor, needed in spec.get("per_element", {}).items()
        if anchor in kinds
    }
    return Roles(
        roots=only_kinds("roots"),
        drives=only_kinds("drives"),
        symptoms=only_kinds("symptoms"),
        strengths=only_kinds("strengths"),
        therapist=only_kinds("therapist"),
        expect_strength=bool(spec.get("expect_strength", False)) and bool(only_kinds("strengths")),
        required=required,
        per_element=per_element,
        cycle_name=str(spec.get("cycle_name", "")),
        cycle_kinds=only_kinds("cycle_kinds"),
        maintaining_links=frozenset(set(spec.get("maintaining_links", ())) & links),
        repeating_links=frozenset(set(spec.get("repeating_links", ())) & links),
        reverse_links={k: v for k, v in spec.get("reverse_links", {}).items() if k in links},
    )
