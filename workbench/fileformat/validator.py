"""Validating formulation file lines: JSON Schema first, then meaning.

The schema (``v1/schema.json``) checks structure and types. The semantic
checks then look at what the records mean for the template: unknown element
or link kinds, codes outside a code set, links whose ends are missing
(dangling links), link kinds not allowed between their elements, ids used
twice, comments on a missing element or link, evidence dates and the times
of versions that are not real days. Every problem is raised as :class:`~workbench.fileformat._places.Problem`
naming the record and field, so the caller can add the line and version.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import TYPE_CHECKING, Any

import fastjsonschema

from workbench import _clock
from workbench.errors import LinkNotAllowed, UnknownKind, short
from workbench.fileformat import v1, v2
from workbench.fileformat._places import Problem
from workbench.templates import Template

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError

__all__ = ["check_header", "check_line", "check_records", "check_revision", "check_state"]

_TYPE_WORDS = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "an object",
    "null": "null",
}


def check_header(header: dict[str, Any]) -> None:
    """Check a (migrated) header line against the schema."""
    _check(_validator("header"), header, header)


def check_revision(revision: dict[str, Any]) -> None:
    """Check the revision record of a line (version, time, author, ...) on its own."""
    _check(_validator("revision"), revision, {"revision": revision}, prefix=["revision"])
    _check_time(revision)


def check_line(line: dict[str, Any]) -> None:
    """Check a (migrated) revision line against the schema; it must hold a snapshot or a delta."""
    _check(_validator("revision_line"), line, line)
    _check_time(line["revision"])
    has_snapshot, has_delta = "snapshot" in line, "delta" in line
    if has_snapshot == has_delta:
        raise Problem("a saved version must hold either a snapshot or a delta (and not both).")
    revision = line["revision"]
    version, stored = revision["version"], revision["stored"]
    if revision["parent"] != (version - 1 if version > 1 else None):
        raise Problem(f"the parent of version {version} should be version {version - 1}.", "revision")
    if has_snapshot and stored["base"] != version:
        raise Problem("a snapshot must be its own base.", "revision")
    if has_delta and not 1 <= stored["base"] < version:
        raise Problem(f"the delta names base version {stored['base']}, which is not before it.", "revision")


def check_state(state: v1.State, template: Template) -> None:
    """Check every record of a whole version (after a snapshot) for meaning."""
    _check_meta(state, template)
    _check_elements(state.elements.values(), template)
    _check_links(state, state.links.values(), template)
    _check_comments(state, state.comments.values())
    _check_sessions(state.sessions.values())


def check_records(state: v1.State, template: Template, touched: v1.Touched) -> None:
    """Check the records a delta added or changed (schema and meaning), and links of changed elements."""
    for group, ids in touched.records.items():
        validator = _validator(group[:-1])
        records = state.group(group)
        for record_id in ids:
            _check(validator, records[record_id], {group: [records[record_id]]}, prefix=[group, 0])
    if touched.meta:
        _check(_validator("meta"), state.meta, {"meta": state.meta}, prefix=["meta"])
        _check_meta(state, template)
    _check_elements((state.elements[i] for i in touched.records["elements"]), template)
    links = set(touched.records["links"])
    if touched.elements_rekinded_or_removed:
        ends = touched.elements_rekinded_or_removed
        links.update(i for i, ln in state.links.items() if ln["source"] in ends or ln["target"] in ends)
    _check_links(state, (state.links[i] for i in links), template)
    _check_comments(state, state.comments.values())
    _check_sessions(state.sessions[i] for i in touched.records.get(v1.SESSIONS, ()))


# --- semantic checks --------------------------------------------------------------------


def _check_meta(state: v1.State, template: Template) -> None:
    if state.meta["template"] != template.id:
        raise Problem(
            f"the case names template {short(state.meta['template'])} but the file header names "
            f"{short(template.id)}.",
            "case details",
        )


def _check_elements(elements: Iterable[dict[str, Any]], template: Template) -> None:
    for el in elements:
        subject = f"element {short(el['id'])}"
        try:
            template.element_kind(el["kind"])
        except UnknownKind as exc:
            raise Problem(_lower(str(exc)), subject) from None
        _check_dates(el["evidence"], subject)
        code = el["code"]
        if code is not None:
            code_set = template.code_set_for(el["kind"])
            if code_set is None:
                raise Problem(
                    f"elements of kind {el['kind']!r} carry no code, but it has {short(code)}.", subject
                )
            if not code_set.accepts(code):
                raise Problem(f"{short(code)} is not a category of {code_set.name}.", subject)


def _check_links(state: v1.State, links: Iterable[dict[str, Any]], template: Template) -> None:
    for ln in links:
        subject = f"link {short(ln['id'])}"
        _check_dates(ln["evidence"], subject)
        for end in ("source", "target"):
            if ln[end] not in state.elements:
                raise Problem(
                    f"its {end} {short(ln[end])} is not an element of this formulation (a dangling link).",
                    subject,
                )
        try:
            template.check_link(
                ln["kind"], state.elements[ln["source"]]["kind"], state.elements[ln["target"]]["kind"]
            )
        except (UnknownKind, LinkNotAllowed) as exc:
            raise Problem(_lower(str(exc)), subject) from None


def _check_comments(state: v1.State, comments: Iterable[dict[str, Any]]) -> None:
    for cm in comments:
        target = cm["target"]
        if target is not None and target not in state.elements and target not in state.links:
            raise Problem(
                f"it comments on {short(target)}, which is not an element or link of this formulation.",
                f"comment {short(cm['id'])}",
            )


def _check_sessions(sessions: Iterable[dict[str, Any]]) -> None:
    for sn in sessions:
        if sn["date"] is not None:
            try:
                date.fromisoformat(sn["date"])
            except ValueError:
                raise Problem(
                    f"the date {short(sn['date'])} is not a real day.", f"session {sn['number']}"
                ) from None


def _check_dates(evidence: list[dict[str, Any]], subject: str) -> None:
    for number, item in enumerate(evidence, start=1):
        if item["date"] is not None:
            try:
                date.fromisoformat(item["date"])
            except ValueError:
                raise Problem(
                    f"the date {short(item['date'])} of evidence item {number} is not a real day.", subject
                ) from None


def _check_time(revision: dict[str, Any]) -> None:
    """The time of a version (already shaped like a stamp by the schema) must be a real moment."""
    if revision["time"][8:10] <= "28":  # the schema's pattern leaves only days 29 to 31 to check
        return
    try:
        _clock.parse(revision["time"])
    except ValueError:
        raise Problem(f"the time {short(revision['time'])} is not a real moment.", "revision") from None


def _lower(text: str) -> str:
    return text[:1].lower() + text[1:] if text[:2] not in ("A ", "An") else "a" + text[1:]


# --- schema -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Schema:
    """One definition of the schema: a compiled fast check, and jsonschema to explain failures."""

    fast: Callable[[Any], Any]
    definition: dict[str, Any]


@cache
def _validator(name: str) -> _Schema:
    defs = v2.schema()["$defs"]
    # fastjsonschema compiles the same definitions to Python (about 20 times faster); it knows
    # draft 7, which has every keyword the schema uses. jsonschema explains a failure.
    fast = fastjsonschema.compile(
        {"$schema": "http://json-schema.org/draft-07/schema#", "$defs": defs, "$ref": f"#/$defs/{name}"}
    )
    return _Schema(fast, {"$defs": defs, "$ref": f"#/$defs/{name}"})


def _check(schema: _Schema, instance: Any, whole: Any, prefix: list[Any] | None = None) -> None:
    try:
        schema.fast(instance)
        return
    except fastjsonschema.JsonSchemaException:
        pass
    # Imported only to explain a failure: with rfc3987-syntax installed (as JupyterLab brings it),
    # importing jsonschema builds a grammar and takes seconds, too slow for every start-up.
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import best_match

    error = best_match(Draft202012Validator(schema.definition).iter_errors(instance))
    if error is None:  # the two validators disagree: the reference implementation decides
        return
    path = [*(prefix or []), *error.absolute_path]
    raise Problem(_describe(error), _subject(path, whole))


def _subject(path: list[Any], whole: Any) -> str | None:
    """Name the record and field a schema error is in, e.g. ``"element 'el-1', field 'label'"``."""
    node, subject, noun, names = whole, None, "record", ""
    for key in path:
        parent = node
        node = node[key] if _has(node, key) else None
        if names:
            names += f"[{key + 1}]" if isinstance(key, int) else f".{key}"
        elif key in ("elements", "links", "comments"):
            noun = str(key)[:-1]
        elif key in ("snapshot", "delta", "added", "removed", "changed", "fields"):
            continue
        elif key in ("revision", "meta"):
            subject = "revision" if key == "revision" else "case details"
        elif isinstance(key, int) and isinstance(parent, list):
            record_id = node.get("id") if isinstance(node, dict) else None
            named = short(record_id) if isinstance(record_id, str) else f"number {key + 1}"
            subject = f"{noun} {named}"
        else:
            names = str(key)
    parts = [p for p in (subject, f"field {names!r}" if names else None) if p]
    return ", ".join(parts) or None


def _has(node: Any, key: Any) -> bool:
    if isinstance(node, dict):
        return key in node
    return isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node)


def _describe(error: ValidationError) -> str:
    instance: Any = error.instance
    expected: Any = error.validator_value
    schema: Any = error.schema
    value = _show(instance)
    if error.validator == "type":
        wanted = expected if isinstance(expected, list) else [expected]
        return f"{value} should be {' or '.join(_TYPE_WORDS.get(str(w), str(w)) for w in wanted)}."
    if error.validator == "required":
        missing = [r for r in expected if r not in instance]
        return f"the field {missing[0]!r} is missing." if missing else "a field is missing."
    if error.validator == "additionalProperties":
        extra = sorted(k for k in instance if k not in schema.get("properties", {}))
        return (
            f"the field {extra[0]!r} is not part of format {v2.FORMAT_VERSION}."
            if extra
            else "it has an unknown field."
        )
    if error.validator in ("enum", "const"):
        options = expected if error.validator == "enum" else [expected]
        return f"{value} is not one of: {', '.join(_show(o) for o in options)}."
    if error.validator in ("minimum", "maximum"):
        side = "at least" if error.validator == "minimum" else "at most"
        return f"{value} should be {side} {expected}."
    if error.validator == "minLength":
        return "the text cannot be empty."
    if error.validator == "pattern":
        return _PATTERNS.get(str(expected), "{value} is not in the expected form.").format(value=value)
    return short(error.message, 120) + "."


_DEFS = v2.schema()["$defs"]
_PATTERNS = {
    "\\S": "the text cannot be blank.",
    _DEFS["stamp"]["pattern"]: "{value} is not a time stamp like 2026-11-25T19:10:46Z.",
    _DEFS["evidence"]["properties"]["date"]["pattern"]: "{value} is not a date like 2026-03-18.",
    _DEFS["check"]["pattern"]: "{value} is not a checksum (32 hex digits).",
}


def _show(value: Any) -> str:
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (ValueError, RecursionError):
        text = "the value"
    return text if len(text) <= 40 else text[:39] + "…"
