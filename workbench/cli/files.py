"""The file commands of ``workbench``: ``new``, ``validate``, ``repair``, ``log``, ``show`` and ``diff``.

Each command is a ``_configure_*`` / ``_cmd_*`` pair, listed in :data:`COMMANDS`
for :mod:`workbench.cli.commands` to register (see :mod:`workbench.cli`).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import workbench
from workbench import errors
from workbench._text import counted
from workbench._values import text_or_none
from workbench.cli._common import (
    Command,
    add_json,
    add_version,
    cell,
    clean,
    indent,
    jsonable,
    login_name,
    one_line,
    print_json,
    table,
    version_number,
)
from workbench.fileformat.repair import repair
from workbench.model import Formulation, confidence_name
from workbench.templates import DEFAULT_TEMPLATE

__all__ = ["COMMANDS"]

# --- the commands ------------------------------------------------------------------


def _configure_new(p: argparse.ArgumentParser) -> None:
    p.add_argument("path", metavar="PATH", help="the new formulation file to create")
    p.add_argument("--template", "-t", default=DEFAULT_TEMPLATE,
                   help="framework template id (default: %(default)s; see 'workbench templates')")
    p.add_argument("--case-id", required=True, help="pseudonymous case id or number, never the client's name")
    p.add_argument("--title", default="", help="a short title for the case")
    p.add_argument("--clinician", default="", help="the treating clinician")
    p.add_argument("--description", default="", help="a longer note about the case")
    p.add_argument("--fictional", action="store_true", help="mark the case as fictional (teaching)")
    p.add_argument("--author", help="who saves this version (default: the clinician, else your login name)")
    p.add_argument("--message", default="New formulation",
                   help="the message of version 1 (default: %(default)s)")


def _cmd_new(args: argparse.Namespace) -> int:
    path = Path(args.path)
    if path.exists():
        raise errors.WorkbenchError(f"{path} already exists; choose another file name.")
    f = workbench.new(
        args.template, case_id=args.case_id, title=args.title, clinician=args.clinician,
        description=args.description, fictional=args.fictional,
    )
    author = args.author or args.clinician or login_name()
    version = workbench.save(f, path, message=args.message, author=author)
    print(f"Created {clean(str(path))}: case {clean(f.meta.case_id)} ({f.template.id}), version {version}.")
    return 0


def _configure_validate(p: argparse.ArgumentParser) -> None:
    p.add_argument("path", metavar="PATH", help="the formulation file to check")
    add_json(p)


def _cmd_validate(args: argparse.Namespace) -> int:
    try:
        workbench.validate(args.path)
        count = len(workbench.history(args.path))
    except errors.WorkbenchError as exc:
        if args.json:
            print_json({"path": str(args.path), "valid": False, "versions": None, "error": clean(str(exc))})
        raise
    if args.json:
        print_json({"path": str(args.path), "valid": True, "versions": count, "error": None})
    else:
        print(f"{clean(str(args.path))}: a valid formulation file with {counted(count, 'version')}.")
    return 0


def _configure_repair(p: argparse.ArgumentParser) -> None:
    p.add_argument("path", metavar="PATH", help="the formulation file to repair")
    add_json(p)


def _cmd_repair(args: argparse.Namespace) -> int:
    report = repair(args.path)
    if args.json:
        print_json(
            {
                "path": str(args.path),
                "changed": report.changed,
                "backup": str(report.backup) if report.backup else None,
                "kept": [{"version": old, "now": new} for old, new in report.kept.items()],
                "set_aside": [
                    {"line": item.line, "version": item.version, "reason": clean(item.reason)}
                    for item in report.set_aside
                ],
            }
        )
        return 0
    name = clean(str(args.path))
    if not report.changed:
        print(f"{name}: every version is intact; nothing to repair.")
        return 0
    kept = len(report.kept)
    print(
        f"{name}: repaired; {kept} version{'s' if kept != 1 else ''} kept, "
        f"{len(report.set_aside)} line{'s' if len(report.set_aside) != 1 else ''} set aside. "
        f"The original is kept as {clean(str(report.backup))}."
    )
    for item in report.set_aside:
        print(f"  set aside {clean(str(item))}")
    if report.renumbered:
        moves = ", ".join(f"{old} is now {new}" for old, new in report.renumbered.items())
        print(f"  versions renumbered: {moves}.")
    return 0


def _configure_log(p: argparse.ArgumentParser) -> None:
    p.add_argument("path", metavar="PATH", help="the formulation file")
    add_json(p)


def _cmd_log(args: argparse.Namespace) -> int:
    rows = [
        {"version": r.version, "time": r.stamp, "author": r.author, "session": r.session,
         "message": r.message}
        for r in workbench.history(args.path)
    ]
    if args.json:
        print_json(rows)
        return 0
    print(table(["version", "time", "author", "session", "message"],
                [[r["version"], r["time"], r["author"], r["session"], r["message"]] for r in rows]))
    return 0


def _configure_show(p: argparse.ArgumentParser) -> None:
    p.add_argument("path", metavar="PATH", help="the formulation file")
    add_version(p, "the version to show (default: the latest)")
    add_json(p)


def _cmd_show(args: argparse.Namespace) -> int:
    f = workbench.load(args.path, version=args.version)
    if args.json:
        print_json(_formulation_json(f, args.path))
    else:
        print(_formulation_text(f))
    return 0


def _configure_diff(p: argparse.ArgumentParser) -> None:
    p.add_argument("path", metavar="PATH", help="the formulation file")
    p.add_argument("a", metavar="A", type=version_number, help="the earlier version number")
    p.add_argument("b", metavar="B", type=version_number, help="the later version number")
    add_json(p)


def _cmd_diff(args: argparse.Namespace) -> int:
    a = workbench.load(args.path, version=args.a)
    b = workbench.load(args.path, version=args.b)
    d = workbench.diff(a, b)
    rows = _diff_rows(d)
    if args.json:
        print_json({"path": str(args.path), "from": args.a, "to": args.b, "is_empty": bool(d.is_empty),
                     "summary": d.summary(), "changes": rows})
        return 0
    print(f"Version {args.a} -> {args.b}: {clean(d.summary())}.")
    if rows:
        print()
        print(table(["what", "change", "label", "field", "old", "new"],
                    [[r["what"], r["change"], r["label"] or r["id"], r["field"], _brief(r["old"]),
                      _brief(r["new"])] for r in rows]))
    return 0


#: The file commands, in the order ``workbench --help`` lists them.
COMMANDS: tuple[Command, ...] = (
    Command("new", "create a new formulation file (version 1)", _configure_new, _cmd_new),
    Command("validate", "check that a formulation file is sound", _configure_validate, _cmd_validate),
    Command(
        "repair",
        "keep every intact version of a damaged file, set the rest aside",
        _configure_repair,
        _cmd_repair,
        "Rewrite a damaged formulation file keeping every intact version (the original is kept as "
        "PATH.<time>.bak) and say which lines were set aside and why.",
    ),
    Command("log", "list the saved versions of a file", _configure_log, _cmd_log),
    Command("show", "print a case: its elements and links", _configure_show, _cmd_show),
    Command("diff", "what changed between two versions", _configure_diff, _cmd_diff),
)


# --- text output ---------------------------------------------------------------------


def _brief(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _formulation_text(f: Formulation) -> str:
    meta, t = f.meta, f.template
    heading = f"Case {meta.case_id}" + (f": {meta.title}" if meta.title else "")
    facts = [f"template {t.id} ({t.name})"]
    if meta.clinician:
        facts.append(f"clinician {meta.clinician}")
    if meta.created:
        facts.append(f"created {meta.created}")
    if f.base_version is not None:
        facts.append(f"version {f.base_version}")
    if meta.fictional:
        facts.append("fictional case")
    lines = [one_line(heading), one_line(" · ".join(facts))]
    if meta.description:
        lines.append(one_line(meta.description))

    elements = f.element_records()
    lines += ["", f"Elements ({len(elements)})"]
    by_layer: dict[int, list[Any]] = {}
    for el in elements:
        by_layer.setdefault(t.element_kinds[el.kind].layer, []).append(el)
    for layer in sorted(by_layer):
        lines += ["", one_line(t.layer_name(layer))]
        rows = []
        for el in by_layer[layer]:
            sessions = sorted({e.session for e in el.evidence if e.session is not None})
            rows.append([t.element_kinds[el.kind].name, el.label, el.status, confidence_name(el.confidence),
                         el.code or "", ", ".join(map(str, sessions)), el.id])
        headers = ["kind", "label", "status", "confidence", "code", "sessions", "id"]
        lines.append(indent(table(headers, rows)))

    links = f.link_records()
    lines += ["", f"Links ({len(links)})"]
    for ln in links:
        facts = [ln.status]
        if ln.confidence is not None:
            facts.append(f"{confidence_name(ln.confidence)} confidence")
        if ln.weight is not None:
            facts.append(f"weight {ln.weight:g}")
        lines.append(f"  - {one_line(f.sentence(ln.id))}  ({', '.join(facts)})  {ln.id}")

    comments = f.comment_records()
    if comments:
        still_open = sum(1 for c in comments if not c.resolved)
        lines += ["", f"Comments ({len(comments)}, {still_open} open)"]
        for c in comments:
            on = "the formulation" if c.target is None else _target_label(f, c.target)
            state = "resolved" if c.resolved else "open"
            lines.append("  - " + one_line(f"{c.author or 'someone'} on {on} ({state}): {c.text}"))
    return "\n".join(lines)


def _target_label(f: Formulation, target: str) -> str:
    if f.has_element(target):
        return repr(cell(f.element(target).label, 40))
    if f.has_link(target):
        return repr(cell(f.sentence(target), 40))
    return target


# --- JSON output -------------------------------------------------------------------------


def _diff_rows(d: workbench.FormulationDiff) -> list[dict[str, Any]]:
    """The rows of ``d.to_frame()`` as JSON values; empty ids and fields become null."""
    rows = []
    for row in d.to_frame().to_dict("records"):
        rows.append({
            "what": str(row["what"]),
            "id": text_or_none(row["id"]),
            "change": str(row["change"]),
            "field": text_or_none(row["field"]),
            "old": jsonable(row["old"]),
            "new": jsonable(row["new"]),
            "label": text_or_none(row["label"]) or "",
        })
    return rows


def _formulation_json(f: Formulation, path: str) -> dict[str, Any]:
    t = f.template
    elements = []
    for el in f.element_records():
        kind = t.element_kinds[el.kind]
        record = jsonable(el)
        record.update(kind_name=kind.name, layer=kind.layer)
        elements.append(record)
    links = []
    for ln in f.link_records():
        record = jsonable(ln)
        record.update(verb=t.link_kinds[ln.kind].verb, sentence=f.sentence(ln.id))
        links.append(record)
    return {
        "path": str(path),
        "version": f.base_version,
        "case": jsonable(f.meta),
        "template": {"id": t.id, "name": t.name, "method": t.method},
        "elements": elements,
        "links": links,
        "comments": [jsonable(c) for c in f.comment_records()],
    }
