"""The evidence subcommands of ``workbench``: ``evidence`` and ``timeline``.

- ``evidence PATH [ELEMENT] [--flagged] [--version N] [--json]``: every quote behind an
  element or link (named by its label, part of it, or its id), or behind all of them;
  a quote no longer found word for word in its session's notes is flagged.
- ``timeline PATH [SESSION] [--json]``: per session, the versions saved after it, what it
  added and what rests on it; with SESSION, the details of that session.

The session notes themselves are never printed: only the quotes taken from them.
Each subcommand is a pair ``configure_*`` / ``run_*``; :data:`COMMANDS` lists them
for :mod:`workbench.cli.commands` to register.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from typing import Any

import workbench
from workbench._text import counted
from workbench.analysis.evidence import Quote, quotes
from workbench.analysis.timeline import session_timeline
from workbench.cli._common import (
    Command,
    add_json,
    add_version,
    jsonable,
    one_line,
    print_json,
    session_number,
)
from workbench.cli.analysis import find_element
from workbench.fileformat import each_version
from workbench.model import Formulation

__all__ = [
    "COMMANDS",
    "configure_evidence",
    "configure_timeline",
    "run_evidence",
    "run_timeline",
]


# --- evidence ------------------------------------------------------------------------------


def configure_evidence(p: argparse.ArgumentParser) -> None:
    """Arguments of ``workbench evidence``."""
    p.add_argument("path", metavar="PATH", help="the formulation file")
    p.add_argument("element", metavar="ELEMENT", nargs="?",
                   help="an element (its label, part of it, or its id) or a link id (default: all)")
    p.add_argument("--flagged", action="store_true",
                   help="only the quotes no longer found word for word in their session's notes")
    add_version(p)
    add_json(p)


def run_evidence(args: argparse.Namespace) -> int:
    """Print the quotes behind an element or link (or all), flagging those not found in the notes."""
    f = workbench.load(args.path, args.version)
    target = _target(f, args.element) if args.element else None
    found = quotes(f, target)
    if args.flagged:
        found = [q for q in found if q.flagged]
    flagged = sum(q.flagged for q in found)
    if args.json:
        print_json({
            "path": str(args.path),
            "version": f.base_version,
            "target": target,
            "quotes": [{**jsonable(q), "flagged": q.flagged} for q in found],
            "flagged": flagged,
        })
        return 0
    whose = f" behind {one_line(_name(f, target))}" if target else ""
    if not found:
        what = "flagged quotes" if args.flagged else "quotes"
        print(f"No {what}{whose} in version {f.base_version} of {one_line(str(args.path))}.")
        return 0
    print(f"Quotes{whose} (version {f.base_version} of {one_line(str(args.path))}):")
    last = None
    for q in found:
        if target is None and q.target != last:
            print(f"{one_line(q.label)}:")
            last = q.target
        print("  " + _quote_line(q))
    if flagged:
        print(f"{flagged} quote{'s' if flagged != 1 else ''} not found word for word in the session notes "
              "(the notes were edited, or the quote is a paraphrase).")
    return 0


# --- timeline ------------------------------------------------------------------------------


def configure_timeline(p: argparse.ArgumentParser) -> None:
    """Arguments of ``workbench timeline``."""
    p.add_argument("path", metavar="PATH", help="the formulation file")
    p.add_argument("session", metavar="SESSION", nargs="?", type=session_number,
                   help="one session's details (default: a line per session)")
    add_json(p)


def run_timeline(args: argparse.Namespace) -> int:
    """Print the session timeline, or one session's details."""
    timeline = session_timeline(each_version(args.path))
    if args.session is None:
        table = timeline.table()
        if args.json:
            print_json({"path": str(args.path), "sessions": jsonable(table.to_dict("records"))})
        elif table.empty:
            print("No version names a session yet, and no evidence or notes do.")
        else:
            for row in table.to_dict("records"):
                print(_session_line(row))
        return 0
    view = timeline.at(args.session)
    d = view.added.without_notes()  # what it added to the formulation
    if args.json:
        print_json({
            "path": str(args.path),
            "session": view.session,
            "date": view.date,
            "versions": list(view.versions),
            "elements": len(view.held) if view.held is not None else None,
            "links": len(view.held.link_records()) if view.held is not None else None,
            "elements_added": [{"id": el.id, "label": el.label} for el in d.elements_added],
            "links_added": [{"id": ln.id, "label": d.labels.get(ln.id, ln.id)} for ln in d.links_added],
            "changed": d.summary() if not d.is_empty else "",
            "resting": jsonable(list(view.resting)),
        })
        return 0
    date = f" ({view.date})" if view.date else ""
    print(f"Session {view.session}{date}")
    if view.held is None:
        print("  No version was saved after this session.")
    else:
        numbers = ", ".join(str(v) for v in view.versions)
        word = "Version" if len(view.versions) == 1 else "Versions"
        print(f"  {word} {numbers}; the formulation then held {counted(len(view.held), 'element')} and "
              f"{counted(len(view.held.link_records()), 'link')}.")
        print(f"  This session: {d.summary().lower() if not d.is_empty else 'no changes'}.")
        for el in d.elements_added:
            print(f"    + {one_line(el.label)}")
        for ln in d.links_added:
            print(f"    + {one_line(d.labels.get(ln.id, ln.id))}")
    if view.resting:
        print("  Resting on this session (their evidence cites it):")
        for r in view.resting:
            print(f"    - {one_line(r.label)}")
    return 0


COMMANDS: tuple[Command, ...] = (
    Command("evidence", "the quotes behind an element or link, flagging those not found in the session notes",
            configure_evidence, run_evidence),
    Command("timeline", "per session: the versions saved after it, what it added, what rests on it",
            configure_timeline, run_timeline),
)


# --- helpers -------------------------------------------------------------------------------


def _target(f: Formulation, wanted: str) -> str:
    return wanted if f.has_link(wanted) else find_element(f, wanted)


def _name(f: Formulation, target: str | None) -> str:
    if target is None:
        return ""
    return f.sentence(target) if f.has_link(target) else f.element(target).label


def _quote_line(q: Quote) -> str:
    where = f"session {q.session}" if q.session is not None else "no session"
    if q.date:
        where += f" ({q.date})"
    text = f"{where}: “{one_line(q.quote)}”"
    if q.flagged:
        text += "  ! not found word for word in the notes of that session (edited notes or a paraphrase)"
    elif q.status == "no notes":
        text += "  (no notes of that session to check it against)"
    return text


def _session_line(row: Mapping[Any, Any]) -> str:
    date = f" ({row['date']})" if isinstance(row["date"], str) else ""
    parts = []
    if row["versions"]:
        word = "version" if "," not in row["versions"] else "versions"
        parts.append(f"{word} {row['versions']}")
        added = f"{counted(row['elements_added'], 'element')} and {counted(row['links_added'], 'link')}"
        parts.append(f"{added} added")
        if row["changed"]:
            parts.append(f"{row['changed']} changed")
    else:
        parts.append("no version saved")
    parts.append(f"{row['resting']} rest on it")
    if row["has_notes"]:
        parts.append("notes kept")
    return f"Session {row['session']}{date}: " + "; ".join(parts)
