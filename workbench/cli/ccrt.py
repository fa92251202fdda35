"""The ``workbench ccrt`` subcommand: the CCRT of a formulation, scored from its relationship episodes.

``workbench ccrt PATH [--version N] [--episodes] [--json]`` prints the CCRT (the
most frequent wish, response of other and response of self, ties shown as
ties), then every category of each component with its frequency (episodes it
occurs in), pervasiveness (share of all episodes), positive/negative counts and,
for the RO, actual/expected counts. ``--episodes`` adds what each episode scores.
The scoring is :func:`workbench.analysis.ccrt.ccrt_score`; a formulation whose
template holds no relationship episodes is an error (exit 1) in one sentence.

:data:`COMMANDS` holds its :class:`~workbench.cli._common.Command` row.
"""

from __future__ import annotations

import argparse
from typing import Any

import workbench
from workbench.analysis.ccrt import COMPONENT_NAMES, COMPONENTS, CategoryCount, ccrt_score
from workbench.cli._common import (
    Command,
    add_json,
    add_version,
    indent,
    jsonable,
    one_line,
    print_json,
    table,
)

__all__ = ["COMMANDS", "configure_ccrt", "run_ccrt"]


def configure_ccrt(p: argparse.ArgumentParser) -> None:
    """Arguments of ``workbench ccrt``."""
    p.add_argument("path", metavar="PATH", help="a CCRT formulation file (template ccrt)")
    p.add_argument("--episodes", action="store_true",
                   help="also list what each relationship episode scores for W, RO and RS")
    add_version(p)
    add_json(p)


def run_ccrt(args: argparse.Namespace) -> int:
    """Print the CCRT summary and the categories of each component."""
    f = workbench.load(args.path, args.version)
    score = ccrt_score(f)
    if args.json:
        print_json({
            "path": str(args.path),
            "version": f.base_version,
            "case_id": f.meta.case_id,
            "template": f.template.id,
            "episodes": len(score.episodes),
            "summary": score.summary(),
            "ccrt": {c: [_count_json(x) for x in score.component(c).ccrt] for c in COMPONENTS},
            "ccrt_clusters": {c: [_count_json(x) for x in score.component(c).ccrt_clusters]
                              for c in COMPONENTS},
            "categories": [{str(k): jsonable(v) for k, v in row.items()}
                           for row in score.to_frame().to_dict("records")],
            "episode_scores": [
                {"id": ep.id, "label": ep.label, "kind": ep.kind, "missing": list(ep.missing),
                 "components": [jsonable(o) for o in ep.occurrences]}
                for ep in score.episodes
            ],
        })
        return 0
    print(one_line(f"CCRT of case {f.meta.case_id} ({f.template.id}, version {f.base_version}):"))
    for text in score.summary():
        print(f"  {one_line(text)}")
    n = len(score.episodes)
    for component in COMPONENTS if n else ():
        part = score.component(component)
        print()
        print(f"{component}, {COMPONENT_NAMES[component]}: the episodes each category occurs in, of {n}")
        print(indent(_table(part.categories, component, n)))
        if part.clusters and [c.category for c in part.clusters] != [c.category for c in part.categories]:
            print("  By cluster:")
            print(indent(_table(part.clusters, component, n)))
    if args.episodes and n:
        print()
        print("Episodes:")
        for row in score.episodes_frame().to_dict("records"):
            print(f"  {one_line(str(row['label']))} ({one_line(str(row['kind']))})")
            for component in COMPONENTS:
                print(f"    {component}: {one_line(str(row[component])) or '(none)'}")
    return 0


COMMANDS: tuple[Command, ...] = (
    Command("ccrt", "the CCRT: the most frequent wish, response of other and response of self across "
            "the relationship episodes, with frequency and pervasiveness", configure_ccrt, run_ccrt),
)


# --- helpers ---------------------------------------------------------------------------


def _table(counts: tuple[CategoryCount, ...], component: str, n: int) -> str:
    """The categories of a component, one row each, as an aligned plain-text table."""
    headers = ["Category", "Episodes", "%"]
    if component != "W":
        headers += ["Pos", "Neg"]
    if component == "RO":
        headers += ["Actual", "Expected"]
    headers.append("CCRT")
    rows = []
    for c in counts:
        row: list[Any] = [f"{c.category} {c.name}" if c.coded else c.name, f"{c.frequency} of {n}",
                          f"{round(c.pervasiveness * 100)}%"]
        if component != "W":
            row += [c.positive, c.negative]
        if component == "RO":
            row += [c.actual, c.expected]
        row.append(("tie" if c.tie else "yes") if c.in_ccrt else "")
        rows.append(row)
    return table(headers, rows)


def _count_json(count: CategoryCount) -> dict[str, Any]:
    return {"category": count.category, "name": count.name, "coded": count.coded,
            "frequency": count.frequency, "pervasiveness": count.pervasiveness, "tie": count.tie,
            "labels": list(count.labels)}
