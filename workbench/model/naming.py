"""Naming elements in words: the one place that turns a typed label into an element.

Clinicians name elements by what they typed as the label, or by part of it
("Low mood" for "Low mood since being passed over"). Every place that takes
an element by name (the CLI's ``trace``, the app's From/To and trace fields,
``workbench.trace``) goes through :func:`resolve_element`, so they all accept
the same text and tell the same story when several elements match.

:func:`element_name` is the name shown in choices: the label with its kind
("Mother often ill (Early experience)"), and a number when two elements of
the same kind share a label, so duplicates are told apart without a raw id.

Example
-------
>>> import workbench
>>> f = workbench.new(case_id="T-1")
>>> low = f.add_element("present_symptom", "Low mood since being passed over")
>>> resolve_element(f, "low mood") == low
True
>>> element_name(f, low)
'Low mood since being passed over (Present symptom or problem)'
"""

from __future__ import annotations

from workbench.errors import AmbiguousElement, ElementNotFound, InvalidValue, short
from workbench.model.formulation import Formulation

__all__ = ["element_name", "element_names", "match_elements", "resolve_element"]

#: How many matching elements an error message names before "and N more".
SHOWN_MATCHES = 5


def element_names(f: Formulation) -> dict[str, str]:
    """Return ``{name: id}`` for every element, names unique: "label (Kind)", numbered when repeated.

    Two elements of the same kind with the same label become "label (Kind 1)" and
    "label (Kind 2)", in the order they were added.
    """
    kinds = f.template.element_kinds
    plain: list[tuple[str, str]] = []
    for el in f.element_records():
        kind = kinds[el.kind].name if el.kind in kinds else el.kind
        plain.append((el.id, f"{' '.join(el.label.split())} ({kind})"))
    counts: dict[str, int] = {}
    for _, name in plain:
        counts[name.casefold()] = counts.get(name.casefold(), 0) + 1
    seen: dict[str, int] = {}
    names: dict[str, str] = {}
    for element_id, name in plain:
        key = name.casefold()
        if counts[key] > 1:
            seen[key] = seen.get(key, 0) + 1
            name = f"{name[:-1]} {seen[key]})"
        names[name] = element_id
    return names


def element_name(f: Formulation, element_id: str) -> str:
    """Return the name of one element as :func:`element_names` gives it."""
    for name, found in element_names(f).items():
        if found == element_id:
            return name
    raise ElementNotFound(f"There is no element with the id {short(element_id)}.")


def match_elements(f: Formulation, text: str) -> list[str]:
    """Return the ids of the elements that ``text`` names, best kind of match only.

    Tried in turn, the first that finds anything wins: the element id; the
    whole name ("label (Kind)"); the whole label; part of the label or name;
    every word of ``text`` somewhere in the label. Neither case nor
    repeated spaces matter. An empty text matches nothing; a ``text`` that is not
    text is an :class:`~workbench.errors.InvalidValue`.
    """
    if not isinstance(text, str):
        raise InvalidValue(f"An element is named by text (its label, part of it, or its id), "
                           f"not {short(text)}.")
    wanted = _key(text)
    if not wanted:
        return []
    if f.has_element(text.strip()):
        return [text.strip()]
    names = element_names(f)
    by_name = [i for name, i in names.items() if _key(name) == wanted]
    if by_name:
        return by_name
    labels = {el.id: _key(el.label) for el in f.element_records()}
    exact = [i for i, label in labels.items() if label == wanted]
    if exact:
        return exact
    full = {i: _key(name) for name, i in names.items()}
    part = [i for i, label in labels.items() if wanted in label or wanted in full[i]]
    if part:
        return part
    words = wanted.split()
    return [i for i, label in labels.items() if all(word in label for word in words)]


def resolve_element(f: Formulation, text: str) -> str:
    """Return the id of the one element that ``text`` names (see :func:`match_elements`).

    Raises :class:`~workbench.errors.ElementNotFound` when nothing matches and
    :class:`~workbench.errors.AmbiguousElement` (whose ``matches`` are the ids)
    when several elements do; both messages are sentences naming what to type.
    """
    found = match_elements(f, text)
    if len(found) == 1:
        return found[0]
    if not found:
        if not text.strip():
            raise ElementNotFound("Type the label of an element, or part of it.")
        raise ElementNotFound(f"There is no element called {short(text.strip())}: no label contains it.")
    names = {i: name for name, i in element_names(f).items()}
    listed = "; ".join(names[i] for i in found[:SHOWN_MATCHES])
    more = f"; and {len(found) - SHOWN_MATCHES} more" if len(found) > SHOWN_MATCHES else ""
    raise AmbiguousElement(
        f"{short(text.strip())} matches {len(found)} elements: {listed}{more}. "
        "Type more of the label, or the kind in brackets.",
        tuple(found),
    )


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()
