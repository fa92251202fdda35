"""The ``workbench templates`` command: list the framework templates, or show one.

Listed in :data:`COMMANDS` for :mod:`workbench.cli.commands` to register.
"""

from __future__ import annotations

import argparse
from typing import Any

from workbench.cli._common import Command, add_json, indent, one_line, print_json, table
from workbench.templates import Template, get_template, templates

__all__ = ["COMMANDS"]


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
        print(table(["id", "name", "method"], [[t.id, t.name, t.method] for t in found]))
    return 0


#: Every subcommand, in the order ``workbench --help`` lists them. Add a row to add one.


#: ``workbench templates``, for :mod:`workbench.cli.commands` to register.
COMMANDS: tuple[Command, ...] = (
    Command("templates", "list the framework templates, or show one", _configure_templates, _cmd_templates),
)


def _template_text(t: Template) -> str:
    lines = [one_line(f"{t.name} ({t.id}, template version {t.version})"), one_line(f"Method: {t.method}")]
    if t.description:
        lines.append(one_line(t.description))
    for ref in t.references:
        lines.append("  - " + one_line(ref))
    if t.path:
        lines.append(one_line(f"File: {t.path}"))
    lines += ["", "Element kinds"]
    lines.append(indent(table(
        ["id", "name", "layer", "shape", "colour", "codes"],
        [[k.id, k.name, t.layer_name(k.layer), k.shape, k.color, k.code_set or ""]
         for k in t.element_kinds.values()],
    )))
    lines += ["", "Link kinds"]
    rows = []
    for lk in t.link_kinds.values():
        rules = "; ".join(f"{'|'.join(sorted(src))} -> {'|'.join(sorted(tgt))}" for src, tgt in lk.allow)
        rows.append([lk.id, lk.verb, "+" if lk.sign > 0 else "-", rules])
    lines.append(indent(table(["id", "verb", "sign", "from -> to"], rows)))
    for cs in t.code_sets.values():
        lines += ["", one_line(f"Code set {cs.id}: {cs.name}")]
        if cs.source:
            lines.append("  Source: " + one_line(cs.source))
        codes_by_cluster: dict[str | None, list[str]] = {}
        for code in cs.codes.values():
            codes_by_cluster.setdefault(code.cluster, []).append(f"{code.id} {code.name}")
        if cs.codes:
            rows = [[cid, name, "; ".join(codes_by_cluster.get(cid, []))]
                    for cid, name in cs.clusters.items()]
            rows += [["", "", code] for code in codes_by_cluster.get(None, [])]
            lines.append(indent(table(["cluster", "name", "categories"], rows)))
        else:
            lines.append(indent(table(["cluster", "name"], [list(item) for item in cs.clusters.items()])))
    return "\n".join(lines)


def _template_json(t: Template, *, detail: bool) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": t.id, "name": t.name, "method": t.method, "description": t.description,
        "references": list(t.references), "path": t.path, "version": t.version,
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
