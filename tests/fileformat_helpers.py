"""Helpers shared by the diff and file-format tests: a fixed clock, sample cases, random edits."""

from __future__ import annotations

import json
import os
import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import fields
from datetime import UTC, datetime, timedelta
from typing import Any

import workbench
from workbench import _clock
from workbench.model import Formulation

#: Scale of the crash and concurrency tests: ``WORKBENCH_SOAK=10`` runs them at ten times their CI size.
SOAK = max(1, int(os.environ.get("WORKBENCH_SOAK", "1") or "1"))

HOSTILE = [
    "plain",
    "Ünïcödé ✓ — “quotes” 'single'",
    "<script>alert(1)</script>",
    'line one\nline two\r\n"quoted"\t\\back',
    "\u2028separator\u2029 and NUL-free",
    "emoji 🧠🫀",
]


@contextmanager
def fixed_clock(start: str = "2026-01-02T03:04:05") -> Iterator[None]:
    """Make ``workbench._clock.now`` return 1-second steps from ``start`` (UTC)."""
    moment = [datetime.fromisoformat(start).replace(tzinfo=UTC)]
    original = _clock.now

    def now() -> str:
        moment[0] += timedelta(seconds=1)
        return moment[0].strftime("%Y-%m-%dT%H:%M:%SZ")

    _clock.now = now  # type: ignore[assignment]
    try:
        yield
    finally:
        _clock.now = original  # type: ignore[assignment]


def sample(template: str = "psychodynamic") -> Formulation:
    """A small case with evidence, tags, a link and comments, with fixed ids."""
    f = workbench.new(template, case_id="C-017", title="Teaching case", clinician="Dr Rivera")
    if template == "psychodynamic":
        f.add_element(
            "early_experience",
            "Father often absent",
            id="el-0001",
            evidence=[{"session": 1, "date": "2026-01-05", "quote": "He never came to my games."}],
            tags=["loss", "father"],
            time_frame="past",
            confidence="high",
        )
        f.add_element("unconscious_fear", "Fear of being left", id="el-0002", status="supported")
        f.add_element("defense", "Intellectualisation", id="el-0003", description=HOSTILE[2])
        f.add_link("el-0001", "el-0002", "gives_rise_to", id="ln-0001", weight=0.8)
        f.add_link("el-0003", "el-0002", "defends_against", id="ln-0002", notes=HOSTILE[3])
        f.add_comment("Is this supported by session 3?", author="Supervisor", target="el-0002", id="cm-0001")
        f.add_comment("Overall clear.", author="Supervisor", id="cm-0002")
    f.modified = False
    return f


def three_versions(path: Any) -> Formulation:
    """Save three versions at 2026-11-25 14:00 UTC: sessions 1, none and 3, authors Dr Rivera, Dr Ng,
    Dr Rivera, messages 'Start', 'A strength', '' (a snapshot, then two deltas); return the last."""
    with fixed_clock("2026-11-25T14:00:00"):
        f = sample()
        workbench.save(f, path, message="Start", author="Dr Rivera", session=1)
        f.add_element("strength", "Good friendships")
        workbench.save(f, path, message="A strength", author="Dr Ng")
        f.remove_link("ln-0002")
        workbench.save(f, path, message="", author="Dr Rivera", session=3)
    return f


def same_fields(a: Formulation, b: Formulation, *, order: bool = True) -> None:
    """Assert field by field (with a clear message) that two formulations hold the same records."""
    assert a.meta == b.meta
    groups = (("element", "element_records"), ("link", "link_records"), ("comment", "comment_records"))
    for name, get in groups:
        ra = {r.id: r for r in getattr(a, get)()}
        rb = {r.id: r for r in getattr(b, get)()}
        assert ra.keys() == rb.keys(), f"{name} ids differ"
        for record_id, record in ra.items():
            for f in fields(record):
                assert getattr(record, f.name) == getattr(rb[record_id], f.name), (name, record_id, f.name)
    assert a.session_notes() == b.session_notes(), "session notes differ"
    if order:
        assert [r.id for r in a.element_records()] == [r.id for r in b.element_records()], "element order"
        assert [r.id for r in a.link_records()] == [r.id for r in b.link_records()], "link order differs"


def random_edit(f: Formulation, rng: random.Random) -> str:
    """Apply one random valid edit of any kind to ``f``; return what it did."""
    elements = [el.id for el in f.element_records()]
    links = [ln.id for ln in f.link_records()]
    comments = [c.id for c in f.comment_records()]
    choices = ["add_element"] * 3 + ["meta"]
    if elements:
        choices += ["update_element"] * 3 + ["remove_element", "add_link", "add_link", "comment"]
    if links:
        choices += ["update_link", "remove_link"]
    if comments:
        choices += ["resolve", "remove_comment"]
    sessions = [s.number for s in f.session_notes()]
    choices += ["add_session"]
    if sessions:
        choices += ["update_session", "update_session", "remove_session"]
    action = rng.choice(choices)
    kinds = list(f.template.element_kinds)
    if action == "add_element":
        f.add_element(rng.choice(kinds), _text(rng), **_element_fields(rng))
    elif action == "update_element":
        el = f.element(rng.choice(elements))
        values = _element_fields(rng)
        if rng.random() < 0.5:
            values["label"] = _text(rng)
        if rng.random() < 0.2:
            kind = rng.choice(kinds)
            try:
                f.update_element(el.id, kind=kind, **values)
                return action
            except workbench.errors.LinkNotAllowed:
                pass
        f.update_element(el.id, **values)
    elif action == "remove_element":
        f.remove_element(rng.choice(elements), cascade=True)
    elif action == "add_link":
        source, target = rng.choice(elements), rng.choice(elements)
        allowed = f.template.allowed_link_kinds(f.element(source).kind, f.element(target).kind)
        if allowed:
            f.add_link(source, target, rng.choice(allowed).id, **_link_fields(rng))
    elif action == "update_link":
        f.update_link(rng.choice(links), **_link_fields(rng))
    elif action == "remove_link":
        f.remove_link(rng.choice(links))
    elif action == "comment":
        target = rng.choice([None, *elements, *links])
        f.add_comment(_text(rng), author=rng.choice(["Supervisor", "Dr Ng"]), target=target)
    elif action == "resolve":
        f.resolve_comment(rng.choice(comments), rng.random() < 0.7)
    elif action == "remove_comment":
        f.remove_comment(rng.choice(comments))
    elif action == "meta":
        f.update_meta(title=_text(rng), fictional=rng.random() < 0.5)
    elif action == "add_session":
        number = rng.choice([n for n in range(0, 40) if n not in sessions])
        f.add_session(number, date=rng.choice([None, "2026-03-18"]), text=rng.choice(["", _text(rng)]))
    elif action == "update_session":
        values = rng.choice([{"text": _text(rng)}, {"date": rng.choice([None, "2024-02-29"])}])
        f.update_session(rng.choice(sessions), **values)
    elif action == "remove_session":
        f.remove_session(rng.choice(sessions))
    return action


def _text(rng: random.Random) -> str:
    return f"{rng.choice(HOSTILE)} {rng.randint(0, 999)}"


def _element_fields(rng: random.Random) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if rng.random() < 0.5:
        values["description"] = _text(rng)
    if rng.random() < 0.4:
        values["confidence"] = rng.choice([None, 0.0, 0.1, 0.5, 1.0, "high", rng.random()])
    if rng.random() < 0.3:
        values["status"] = rng.choice(["hypothesis", "supported", "discarded"])
    if rng.random() < 0.3:
        values["time_frame"] = rng.choice([None, "past", "present", "in_session"])
    if rng.random() < 0.3:
        values["tags"] = rng.sample(["loss", "anger", "shame", "père", "🧠"], rng.randint(0, 3))
    if rng.random() < 0.3:
        values["evidence"] = [
            {
                "session": rng.choice([None, 0, rng.randint(1, 60)]),
                "date": rng.choice([None, "2026-03-18"]),
                "quote": _text(rng),
                "note": rng.choice(["", _text(rng)]),
                "start": rng.choice([None, None, 0, rng.randint(1, 500)]),
            }
            for _ in range(rng.randint(0, 2))
        ]
    if rng.random() < 0.2:
        values["notes"] = _text(rng)
    return values


def _link_fields(rng: random.Random) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if rng.random() < 0.4:
        values["weight"] = rng.choice([None, -1.0, 0.25, 1e-9, 12345.678, rng.uniform(-5, 5)])
    if rng.random() < 0.4:
        values["description"] = _text(rng)
    if rng.random() < 0.3:
        values["confidence"] = rng.choice([None, 0.3, rng.random()])
    if rng.random() < 0.2:
        values["status"] = rng.choice(["hypothesis", "supported", "discarded"])
    return values


def reseal(data: bytes) -> bytes:
    """Give every line of a file's bytes a fresh checksum, as a tool that edits lines on purpose could.

    Tests that change a line's content to check how it is read use it, so that
    the content check is reached rather than the checksum check before it.
    """
    from workbench.fileformat import checksum

    lines = data.split(b"\n")
    try:
        file_id = json.loads(checksum.unseal(lines[0])[1])["file_id"]
    except (ValueError, KeyError, TypeError):
        return data
    if not isinstance(file_id, str):
        return data
    out = []
    for number, line in enumerate(lines):
        check, content = checksum.unseal(line)
        whole = number < len(lines) - 1  # a last line without newline stays as it is (torn)
        out.append(checksum.seal(content, file_id) if check is not None and whole else line)
    return b"\n".join(out)


def keep_saving(name: str, path: str, saves: int) -> dict[str, Any]:
    """Save ``path`` ``saves`` times, each time opening the newest version and giving el-0002 a new label.

    A conflict (someone saved in between) is counted and the save retried on
    the newer version. Returns ``{"name", "saved": [(version, label)], "conflicts",
    "error"}``, with any other error as text (to be reported from a child process).
    """
    got: list[tuple[int, str]] = []
    conflicts = 0
    try:
        while len(got) < saves:
            f = workbench.load(path)
            token = f"{name} #{len(got)}"
            f.update_element("el-0002", label=token)
            try:
                got.append((workbench.save(f, path, message=token, author=name), token))
            except workbench.errors.SaveConflict:
                conflicts += 1
    except Exception as exc:
        return {"name": name, "saved": got, "conflicts": conflicts, "error": f"{type(exc).__name__}: {exc}"}
    return {"name": name, "saved": got, "conflicts": conflicts, "error": None}
