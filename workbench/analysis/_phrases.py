"""Plain-text phrases for elements and chains of links, built from a template's words."""

from __future__ import annotations

from collections.abc import Sequence

from workbench.analysis.roles import roles_for
from workbench.model import Formulation

__all__ = ["chain_sentence", "element_phrase", "kind_phrase", "link_phrase", "short_chain"]


def kind_phrase(f: Formulation, kind: str, *, capital: bool = False) -> str:
    """Return the display name of an element kind for use inside a sentence.

    The first letter is lowered ("unconscious fear") unless the name starts
    with an abbreviation ("CMP ...") or ``capital`` is set.
    """
    name = f.template.element_kinds[kind].name
    if capital:
        return name[:1].upper() + name[1:]
    if len(name) > 1 and name[1].isupper():
        return name
    return name[:1].lower() + name[1:]


def element_phrase(f: Formulation, element_id: str, *, capital: bool = False) -> str:
    """Return ``kind “label”`` for an element, e.g. ``'unconscious fear “of being left”'``."""
    el = f.element(element_id)
    return f"{kind_phrase(f, el.kind, capital=capital)} “{el.label}”"


def chain_sentence(
    f: Formulation,
    elements: Sequence[str],
    links: Sequence[str],
    *,
    backward: Sequence[bool] = (),
    closed: bool = False,
) -> str:
    """Return a chain of links as one sentence.

    ``links[i]`` joins ``elements[i]`` to ``elements[i + 1]`` (or, for the
    last link of a ``closed`` cycle, back to ``elements[0]``); when
    ``backward[i]`` is true it runs the other way and is read with the
    template's backward phrase ("is defended against by")::

        Early experience “father often absent” gives rise to unconscious fear
        “of being left”, which is defended against by defense
        “self-sufficiency”, which is expressed as present symptom “conflict
        with partner over closeness”.
    """
    if not links:
        return element_phrase(f, elements[0], capital=True) + "."
    parts = [element_phrase(f, elements[0], capital=True)]
    for i, link_id in enumerate(links):
        verb = link_phrase(f, link_id, backward=bool(backward[i]) if i < len(backward) else False)
        last = i == len(links) - 1
        if closed and last:
            target = f"“{f.element(elements[0]).label}” again"
        else:
            target = element_phrase(f, elements[i + 1])
        parts.append(f"{', which ' if i else ' '}{verb} {target}")
    return "".join(parts) + "."


def link_phrase(f: Formulation, link_id: str, *, backward: bool = False) -> str:
    """Return the verb phrase of a link, read forwards ("defends against") or backwards."""
    kind = f.link(link_id).kind
    verb = f.template.link_kinds[kind].verb
    if not backward:
        return verb
    return roles_for(f.template).reverse_links.get(kind, f"is reached by “{verb}” from")


def short_chain(f: Formulation, elements: Sequence[str], links: Sequence[str]) -> str:
    """Return a compact chain of labels and verbs: ``'A maintains B maintains A'`` for a cycle."""
    words = [f.element(elements[0]).label]
    for i, link_id in enumerate(links):
        verb = f.template.link_kinds[f.link(link_id).kind].verb
        words.append(f"{verb} {f.element(elements[(i + 1) % len(elements)]).label}")
    return " ".join(words)
