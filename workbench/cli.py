"""The ``workbench`` command: create, check, read, compare and draw formulation files.

Only this module prints or chooses exit codes; the library below raises typed
errors (:mod:`workbench.errors`). :func:`main` takes the argument list, so it
can be called from tests and scripts:

- exit 0: done;
- exit 1: a user or file error, told in one line ``error: <message>`` on stderr;
- exit 2: a usage error (unknown command, missing or malformed argument).

Every subcommand is a small function registered in :data:`COMMANDS`; a new
subcommand is one more :class:`Command` row there. Commands that print data
take ``--json`` for a stable, documented JSON form (see ``docs/cli.md``).

Example
-------
>>> main(["templates", "--json"]) == 0  # doctest: +ELLIPSIS
[...
True
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import workbench
from workbench import errors
from workbench._cli_common import add_json, add_version, jsonable, login_name, print_json, version_number
from workbench._text import safe_text
from workbench.cli_analysis import ANALYSIS_COMMANDS
from workbench.cli_export import EXPORT_COMMANDS
from workbench.fileformat.repair import repair
from workbench.model import Formulation, confidence_name
from workbench.templates import DEFAULT_TEMPLATE, Template, get_template, templates
from workbench.voila_app import APP_COMMANDS

__all__ = ["COMMANDS", "Command", "build_parser", "main"]

PROG = "workbench"

#: Environment variable that, when set, lets unexpected errors show their traceback.
DEBUG_ENV = "WORKBENCH_DEBUG"


@dataclass(frozen=True)
class Command:
    """One subcommand: its name, a one-line help, its arguments and what it does.

    ``configure`` adds the subcommand's arguments to its parser; ``run`` gets the
    parsed arguments and returns the exit code (0 when it succeeds; errors are
    raised, not returned).
    """

    name: str
    help: str
    configure: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]
    description: str = ""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``workbench`` command with ``argv`` (default: ``sys.argv[1:]``); return the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(list(argv) if argv is not None else None)
    except SystemExit as exc:  # argparse: --help (0) or a usage error (2)
        return exc.code if isinstance(exc.code, int) else 2
    run: Callable[[argparse.Namespace], int] | None = getattr(args, "run", None)
    if run is None:
        parser.print_usage(sys.stderr)
        _say_error("name a command, for example: workbench templates")
        return 2
    return _run_reporting_errors(run, args)


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser with one subparser per row of :data:`COMMANDS`."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Build, check, compare and draw psychodynamic case formulations.",
        epilog="Run 'workbench COMMAND --help' for the options of a command.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {workbench.__version__}")
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")
    for command in COMMANDS:
        p = sub.add_parser(command.name, help=command.help, description=command.description or command.help)
        command.configure(p)
        p.set_defaults(run=command.run)
    return parser


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
    print(f"Created {_clean(str(path))}: case {_clean(f.meta.case_id)} ({f.template.id}), version {version}.")
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
            print_json({"path": str(args.path), "valid": False, "versions": None, "error": _clean(str(exc))})
        raise
    if args.json:
        print_json({"path": str(args.path), "valid": True, "versions": count, "error": None})
    else:
        plural = "version" if count == 1 else "versions"
        print(f"{_clean(str(args.path))}: a valid formulation file with {count} {plural}.")
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
                    {"line": item.line, "version": item.version, "reason": _clean(item.reason)}
                    for item in report.set_aside
                ],
            }
        )
        return 0
    name = _clean(str(args.path))
    if not report.changed:
        print(f"{name}: every version is intact; nothing to repair.")
        return 0
    kept = len(report.kept)
    print(
        f"{name}: repaired; {kept} version{'s' if kept != 1 else ''} kept, "
        f"{len(report.set_aside)} line{'s' if len(report.set_aside) != 1 else ''} set aside. "
        f"The original is kept as {_clean(str(report.backup))}."
    )
    for item in report.set_aside:
        print(f"  set aside {_clean(str(item))}")
    if report.renumbered:
        moves = ", ".join(f"{old} is now {new}" for old, new in report.renumbered.items())
        print(f"  versions renumbered: {moves}.")
    return 0


def _configure_log(p: argparse.ArgumentParser) -> None:
    p.add_argument("path", metavar="PATH", help="the formulation file")
    add_json(p)


def _cmd_log(args: argparse.Namespace) -> int:
    columns = ("version", "time", "author", "session", "message")
    records = workbench.history(args.path).to_dict("records")
    rows = [{key: jsonable(row.get(key)) for key in columns} for row in records]
    if args.json:
        print_json(rows)
        return 0
    print(_table(["version", "time", "author", "session", "message"],
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
    print(f"Version {args.a} -> {args.b}: {_clean(d.summary())}.")
    if rows:
        print()
        print(_table(["what", "change", "label", "field", "old", "new"],
                     [[r["what"], r["change"], r["label"] or r["id"], r["field"], _brief(r["old"]),
                       _brief(r["new"])] for r in rows]))
    return 0


def _configure_render(p: argparse.ArgumentParser) -> None:
    p.add_argument("path", metavar="PATH", help="the formulation file")
    p.add_argument("-o", "--output", required=True, metavar="OUT.html", help="the HTML file to write")
    p.add_argument("--title", help="heading of the page (default: the case title)")
    add_version(p, "the version to draw (default: the latest)")


def _cmd_render(args: argparse.Namespace) -> int:
    out = Path(args.output)
    if out.exists() and out.resolve() == Path(args.path).resolve():
        raise errors.WorkbenchError("The output file is the formulation file itself; choose another name.")
    f = workbench.load(args.path, version=args.version)
    page = workbench.render_html(f, title=args.title)
    out.write_text(page, encoding="utf-8")
    version = f"version {f.base_version}" if f.base_version is not None else "the latest version"
    print(f"Wrote {_clean(str(out))} ({version} of {_clean(str(args.path))}, {len(f)} elements).")
    return 0


def _configure_templates(p: argparse.ArgumentParser) -> None:
    p.add_argument("template", metavar="ID", nargs="?", help="show the kinds and link kinds of this template")
    add_json(p)


def _cmd_templates(args: argparse.Namespace) -> int:
    if args.template is not None:
        t = get_template(args.template)
        if args.json:
            print_json(_template_json(t, detail=True))
        else:
            print(_template_text(t))
        return 0
    found = [templates()[key] for key in sorted(templates())]
    if args.json:
        print_json([_template_json(t, detail=False) for t in found])
    else:
        print(_table(["id", "name", "method"], [[t.id, t.name, t.method] for t in found]))
    return 0


#: Every subcommand, in the order ``workbench --help`` lists them. Add a row to add one.
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
    Command("render", "draw a formulation as a standalone HTML page", _configure_render, _cmd_render),
    Command("templates", "list the framework templates, or show one", _configure_templates, _cmd_templates),
    *(Command(*row) for row in ANALYSIS_COMMANDS),  # check, trace, compare: see workbench/cli_analysis.py
    *(Command(*row) for row in EXPORT_COMMANDS),  # export, stepthrough: see workbench/cli_export.py
    *(Command(*row) for row in APP_COMMANDS),  # app: see workbench/voila_app.py
)


# --- running and reporting -----------------------------------------------------------


def _run_reporting_errors(run: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    """Run a command; turn errors into one line on stderr and an exit code."""
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                code = run(args)
                sys.stdout.flush()  # a closed pipe shows here, not at exit
                return code
            finally:
                _report_warnings(caught)
    except errors.WorkbenchError as exc:
        _say_error(str(exc))
    except BrokenPipeError:  # the reader went away (workbench show ... | head): not an error
        _silence_stdout()
        return 0
    except UnicodeError:
        _say_error("the file is not readable text (it is not UTF-8).")
    except OSError as exc:
        _say_error(_os_message(exc))
    except KeyboardInterrupt:
        _say_error("interrupted.")
        return 130
    except Exception as exc:
        if os.environ.get(DEBUG_ENV):
            raise
        _say_error(f"internal error, please report it ({type(exc).__name__}); "
                   f"set {DEBUG_ENV}=1 to see the details.")
    return 1


def _report_warnings(caught: Iterable[warnings.WarningMessage]) -> None:
    """Show the workbench's own warnings (e.g. an interrupted save) as ``warning:`` lines, each once."""
    shown: set[str] = set()
    for w in caught:
        text = _one_line(str(w.message))
        if w.category.__module__.startswith("workbench") and text not in shown:
            shown.add(text)
            print(f"warning: {text}", file=sys.stderr)


def _silence_stdout() -> None:
    """Point stdout at the null device, so that Python's final flush cannot fail again."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # no file descriptor (e.g. captured in tests)
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, fd)
    finally:
        os.close(devnull)


def _say_error(message: str) -> None:
    print(f"error: {_one_line(message)}", file=sys.stderr)


def _os_message(exc: OSError) -> str:
    name = _clean(str(exc.filename)) if exc.filename is not None else "the file"
    if isinstance(exc, FileNotFoundError):
        return f"{name}: no such file or folder."
    if isinstance(exc, IsADirectoryError):
        return f"{name} is a folder, not a file."
    if isinstance(exc, PermissionError):
        return f"{name}: permission denied."
    reason = exc.strerror or type(exc).__name__
    return f"{name}: {reason}."


# --- text output ---------------------------------------------------------------------

_CELL_LIMIT = 48


def _clean(text: str) -> str:
    """Make clinical text safe for one terminal line: no control characters or newlines."""
    return safe_text(text)


def _one_line(text: str) -> str:
    return " ".join(_clean(text).split())


def _cell(value: Any, limit: int = _CELL_LIMIT) -> str:
    if value is None:
        return ""
    text = _one_line(str(value))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _table(headers: Sequence[str], rows: Sequence[Sequence[Any]], limit: int = _CELL_LIMIT) -> str:
    """Align ``rows`` under ``headers`` in plain-text columns.

    Cells are cut to ``limit`` characters, except in the last column, which is
    not padded either.
    """
    cells = [[_cell(v, limit if i < len(headers) - 1 else 400) for i, v in enumerate(row)] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]

    def line(values: Sequence[str]) -> str:
        padded = [v.ljust(widths[i]) for i, v in enumerate(values[:-1])] + [values[-1]]
        return "  ".join(padded).rstrip()

    out = [line(list(headers)), line(["-" * w for w in widths])]
    out += [line(r) for r in cells]
    if not rows:
        out.append("(none)")
    return "\n".join(out)


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
    lines = [_one_line(heading), _one_line(" · ".join(facts))]
    if meta.description:
        lines.append(_one_line(meta.description))

    elements = f.element_records()
    lines += ["", f"Elements ({len(elements)})"]
    by_layer: dict[int, list[Any]] = {}
    for el in elements:
        by_layer.setdefault(t.element_kinds[el.kind].layer, []).append(el)
    for layer in sorted(by_layer):
        lines += ["", _one_line(t.layer_name(layer))]
        rows = []
        for el in by_layer[layer]:
            sessions = sorted({e.session for e in el.evidence if e.session is not None})
            rows.append([t.element_kinds[el.kind].name, el.label, el.status, confidence_name(el.confidence),
                         el.code or "", ", ".join(map(str, sessions)), el.id])
        headers = ["kind", "label", "status", "confidence", "code", "sessions", "id"]
        lines.append(_indent(_table(headers, rows)))

    links = f.link_records()
    lines += ["", f"Links ({len(links)})"]
    for ln in links:
        facts = [ln.status]
        if ln.confidence is not None:
            facts.append(f"{confidence_name(ln.confidence)} confidence")
        if ln.weight is not None:
            facts.append(f"weight {ln.weight:g}")
        lines.append(f"  - {_one_line(f.sentence(ln.id))}  ({', '.join(facts)})  {ln.id}")

    comments = f.comment_records()
    if comments:
        still_open = sum(1 for c in comments if not c.resolved)
        lines += ["", f"Comments ({len(comments)}, {still_open} open)"]
        for c in comments:
            on = "the formulation" if c.target is None else _target_label(f, c.target)
            state = "resolved" if c.resolved else "open"
            lines.append("  - " + _one_line(f"{c.author or 'someone'} on {on} ({state}): {c.text}"))
    return "\n".join(lines)


def _target_label(f: Formulation, target: str) -> str:
    if f.has_element(target):
        return repr(_cell(f.element(target).label, 40))
    if f.has_link(target):
        return repr(_cell(f.sentence(target), 40))
    return target


def _template_text(t: Template) -> str:
    lines = [_one_line(f"{t.name} ({t.id})"), _one_line(f"Method: {t.method}")]
    if t.description:
        lines.append(_one_line(t.description))
    for ref in t.references:
        lines.append("  - " + _one_line(ref))
    if t.path:
        lines.append(_one_line(f"File: {t.path}"))
    lines += ["", "Element kinds"]
    lines.append(_indent(_table(
        ["id", "name", "layer", "shape", "colour", "codes"],
        [[k.id, k.name, t.layer_name(k.layer), k.shape, k.color, k.code_set or ""]
         for k in t.element_kinds.values()],
    )))
    lines += ["", "Link kinds"]
    rows = []
    for lk in t.link_kinds.values():
        rules = "; ".join(f"{'|'.join(sorted(src))} -> {'|'.join(sorted(tgt))}" for src, tgt in lk.allow)
        rows.append([lk.id, lk.verb, "+" if lk.sign > 0 else "-", rules])
    lines.append(_indent(_table(["id", "verb", "sign", "from -> to"], rows)))
    for cs in t.code_sets.values():
        lines += ["", _one_line(f"Code set {cs.id}: {cs.name}")]
        if cs.source:
            lines.append("  Source: " + _one_line(cs.source))
        codes_by_cluster: dict[str | None, list[str]] = {}
        for code in cs.codes.values():
            codes_by_cluster.setdefault(code.cluster, []).append(f"{code.id} {code.name}")
        if cs.codes:
            rows = [[cid, name, "; ".join(codes_by_cluster.get(cid, []))]
                    for cid, name in cs.clusters.items()]
            rows += [["", "", code] for code in codes_by_cluster.get(None, [])]
            lines.append(_indent(_table(["cluster", "name", "categories"], rows)))
        else:
            lines.append(_indent(_table(["cluster", "name"], [list(item) for item in cs.clusters.items()])))
    return "\n".join(lines)


def _indent(text: str) -> str:
    return "\n".join("  " + line if line else line for line in text.splitlines())


# --- JSON output -------------------------------------------------------------------------




def _diff_rows(d: workbench.FormulationDiff) -> list[dict[str, Any]]:
    """The rows of ``d.to_frame()`` as JSON values; empty ids and fields become null."""
    rows = []
    for row in d.to_frame().to_dict("records"):
        rows.append({
            "what": str(row["what"]),
            "id": _text_or_none(row["id"]),
            "change": str(row["change"]),
            "field": _text_or_none(row["field"]),
            "old": jsonable(row["old"]),
            "new": jsonable(row["new"]),
            "label": _text_or_none(row["label"]) or "",
        })
    return rows


def _text_or_none(value: Any) -> str | None:
    value = jsonable(value)
    return None if value is None or value == "" else str(value)


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


def _template_json(t: Template, *, detail: bool) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": t.id, "name": t.name, "method": t.method, "description": t.description,
        "references": list(t.references), "path": t.path,
    }
    if not detail:
        return out
    out["layers"] = list(t.layers)
    out["element_kinds"] = [
        {"id": k.id, "name": k.name, "description": k.description, "layer": k.layer, "color": k.color,
         "shape": k.shape, "code_set": k.code_set}
        for k in t.element_kinds.values()
    ]
    out["link_kinds"] = [
        {"id": lk.id, "name": lk.name, "verb": lk.verb, "description": lk.description, "sign": lk.sign,
         "dashes": lk.dashes, "allow": [{"from": sorted(src), "to": sorted(tgt)} for src, tgt in lk.allow]}
        for lk in t.link_kinds.values()
    ]
    out["code_sets"] = [
        {"id": cs.id, "name": cs.name, "source": cs.source,
         "clusters": [{"id": cid, "name": name} for cid, name in cs.clusters.items()],
         "codes": [{"id": c.id, "name": c.name, "cluster": c.cluster, "description": c.description}
                   for c in cs.codes.values()]}
        for cs in t.code_sets.values()
    ]
    return out


# --- small argument helpers -----------------------------------------------------------------




if __name__ == "__main__":  # python -m workbench.cli
    sys.exit(main())
