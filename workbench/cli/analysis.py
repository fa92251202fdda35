"""The analysis subcommands of ``workbench``: ``check``, ``trace`` and ``compare``.

Each subcommand is a pair of functions, ``configure_*`` (adds its arguments to
an argparse parser) and ``run_*`` (takes the parsed arguments, prints, and
returns the exit code); :data:`COMMANDS` lists them for
:mod:`workbench.cli.commands` to register. Errors are raised as
:class:`workbench.errors.WorkbenchError` and turned into one-line messages by
:mod:`workbench.cli.commands`.

- ``check PATH [--fail-on {warning,info,never}]``: exit 1 when a warning is flagged (by default),
  when anything is (``info``), or never; otherwise 0.
- ``trace PATH ELEMENT [--into | --out-of]``: the paths into or out of an element.
- ``compare PATH_A PATH_B``: matched elements and agreement figures.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from typing import Any

import pandas as pd

import workbench
from workbench import errors
from workbench._values import plain
from workbench.analysis.checks import FAIL_ON, LOW_CONFIDENCE, fails, run_checks
from workbench.analysis.compare import THRESHOLD, agreement_table, match, matches_table
from workbench.analysis.trace import MAX_LENGTH, MAX_PATHS, consequences_of, roots_of
from workbench.cli._common import (
    Command,
    add_json,
    add_version,
    jsonable,
    one_line,
    positive_number,
    print_json,
    table,
    version_number,
)
from workbench.model import Formulation, resolve_element

__all__ = [
    "COMMANDS",
    "configure_check",
    "configure_compare",
    "configure_trace",
    "find_element",
    "run_check",
    "run_compare",
    "run_trace",
]


# --- check ------------------------------------------------------------------------------


def configure_check(p: argparse.ArgumentParser) -> None:
    """Arguments of ``workbench check``."""
    p.add_argument("path", metavar="PATH", help="the formulation file to check")
    p.add_argument("--low-confidence", type=_fraction, default=LOW_CONFIDENCE, metavar="X",
                   help="flag confidence below X, from 0 to 1 (default: %(default)s)")
    p.add_argument("--fail-on", choices=FAIL_ON, default="warning",
                   help="exit 1 when a warning is flagged (warning, the default), when anything is "
                        "flagged (info), or never (never)")
    p.add_argument("--each", action="store_true",
                   help="list every evidence gap on its own line instead of one summary line")
    add_version(p)
    add_json(p)


def run_check(args: argparse.Namespace) -> int:
    """Print the findings of every check; exit 1 when they fail ``--fail-on`` (a warning by default)."""
    f = workbench.load(args.path, args.version)
    findings = run_checks(f, low_confidence=args.low_confidence, group=not args.each)
    if args.json:
        print_json({
            "path": str(args.path),
            "version": f.base_version,
            "case_id": f.meta.case_id,
            "template": f.template.id,
            "flagged": len(findings),
            "fail_on": args.fail_on,
            "failed": fails(findings, args.fail_on),
            "findings": _records(findings),
        })
    elif findings.empty:
        print(f"Nothing flagged in case {one_line(f.meta.case_id)} ({f.template.id}).")
    else:
        n = len(findings)
        print(f"{n} finding{'s' if n != 1 else ''} in case {one_line(f.meta.case_id)} ({f.template.id}):")
        for row in findings.to_dict("records"):
            print(f"- [{row['severity']}] {one_line(str(row['message']))}")
    return 1 if fails(findings, args.fail_on) else 0


# --- trace ------------------------------------------------------------------------------


def configure_trace(p: argparse.ArgumentParser) -> None:
    """Arguments of ``workbench trace``."""
    p.add_argument("path", metavar="PATH", help="the formulation file")
    p.add_argument("element", metavar="ELEMENT",
                   help="an element's label, or part of it (case does not matter), or its id (el-...)")
    way = p.add_mutually_exclusive_group()
    way.add_argument("--into", dest="direction", action="store_const", const="into",
                     help="the paths that lead into the element: its roots (the default)")
    way.add_argument("--out-of", dest="direction", action="store_const", const="out_of",
                     help="the paths that lead out of the element: what it feeds")
    p.set_defaults(direction="into")
    p.add_argument("--max-length", type=positive_number, default=MAX_LENGTH, metavar="N",
                   help="cut paths after N links (default: %(default)s)")
    p.add_argument("--max-paths", type=positive_number, default=MAX_PATHS, metavar="N",
                   help="list at most N paths (default: %(default)s)")
    add_version(p)
    add_json(p)


def run_trace(args: argparse.Namespace) -> int:
    """Print the paths into (or out of) an element as sentences."""
    f = workbench.load(args.path, args.version)
    element_id = find_element(f, args.element)
    tracer = roots_of if args.direction == "into" else consequences_of
    paths = tracer(f, element_id, max_length=args.max_length, max_paths=args.max_paths + 1)
    truncated = len(paths) > args.max_paths
    paths = paths[: args.max_paths]
    el = f.element(element_id)
    if args.json:
        print_json({
            "path": str(args.path),
            "version": f.base_version,
            "element": element_id,
            "label": el.label,
            "direction": args.direction,
            "truncated": truncated,
            "paths": [
                {"elements": list(p.elements), "links": list(p.links), "backward": list(p.backward),
                 "sentence": p.sentence, "complete": p.complete}
                for p in paths
            ],
        })
        return 0
    what = "Roots of" if args.direction == "into" else "What follows from"
    label = one_line(el.label)
    if not paths:
        nothing = "Nothing leads into" if args.direction == "into" else "Nothing leads on from"
        print(f"{nothing} “{label}”.")
        return 0
    print(f"{what} “{label}” ({len(paths)} path{'s' if len(paths) != 1 else ''}):")
    for number, p in enumerate(paths, start=1):
        more = "" if p.complete else f" (the path goes on beyond {args.max_length} links)"
        print(f"{number}. {one_line(p.sentence)}{more}")
    if truncated:
        print(f"Only the first {args.max_paths} paths are shown; use --max-paths to see more.")
    return 0


def find_element(f: Formulation, wanted: str) -> str:
    """Return the id of the element named by ``wanted``: its id, its label or an unambiguous part of it.

    Case does not matter (see :func:`workbench.model.resolve_element`). Raises
    :class:`~workbench.errors.ElementNotFound` when none match, naming where to look, and
    :class:`~workbench.errors.AmbiguousElement` naming the matches when several do.
    """
    try:
        return resolve_element(f, wanted)
    except errors.AmbiguousElement:
        raise
    except errors.ElementNotFound as err:
        raise errors.ElementNotFound(f"{err} 'workbench show PATH' lists the elements.") from None


# --- compare ----------------------------------------------------------------------------


def configure_compare(p: argparse.ArgumentParser) -> None:
    """Arguments of ``workbench compare``."""
    p.add_argument("path_a", metavar="PATH_A", help="formulation A (e.g. the supervisor's)")
    p.add_argument("path_b", metavar="PATH_B",
                   help="formulation B (e.g. the trainee's); may be the same file")
    p.add_argument("--version-a", type=version_number, metavar="N", help="version of A (default: the latest)")
    p.add_argument("--version-b", type=version_number, metavar="N", help="version of B (default: the latest)")
    p.add_argument("--threshold", type=_fraction, default=THRESHOLD, metavar="X",
                   help="pair labels whose word overlap is at least X, from 0 to 1 (default: %(default)s)")
    p.add_argument("--match", action="append", default=[], metavar="A_ID=B_ID", type=_pair,
                   help="pair two elements by hand (repeatable)")
    add_json(p)


def run_compare(args: argparse.Namespace) -> int:
    """Print how two formulations match and the agreement figures."""
    a = workbench.load(args.path_a, args.version_a)
    b = workbench.load(args.path_b, args.version_b)
    matching = match(a, b, matches=dict(args.match), threshold=args.threshold)
    matches = matches_table(a, b, matching)
    agreement = agreement_table(a, b, matching)
    if args.json:
        print_json({
            "a": {"path": str(args.path_a), "version": a.base_version, "case_id": a.meta.case_id,
                  "template": a.template.id},
            "b": {"path": str(args.path_b), "version": b.base_version, "case_id": b.meta.case_id,
                  "template": b.template.id},
            "threshold": args.threshold,
            "matches": _records(matches),
            "agreement": _records(agreement),
        })
        return 0
    counts = matches["side"].value_counts()
    print(f"A: {one_line(str(args.path_a))} (version {a.base_version}), "
          f"B: {one_line(str(args.path_b))} (version {b.base_version})")
    print(f"Elements: {counts.get('shared', 0)} shared, {counts.get('only_a', 0)} only in A, "
          f"{counts.get('only_b', 0)} only in B.")
    print()
    rows = [[r["side"], r["kind"], r["a_label"], r["b_label"], r["method"]]
            for r in matches.to_dict("records")]
    print(_text_table(["side", "kind", "label in A", "label in B", "paired by"], rows))
    print()
    rows = [[r["figure"], r["scope"], r["kind"], _count(r), _number(r["value"])]
            for r in agreement.to_dict("records")]
    print(_text_table(["figure", "of", "kind", "counts", "value"], rows))
    return 0


#: The analysis subcommands, in the order ``--help`` lists them.
COMMANDS: tuple[Command, ...] = (
    Command("check", "flag gaps: unrooted symptoms, isolated elements, missing evidence, ...",
            configure_check, run_check),
    Command("trace", "the paths into or out of an element, as sentences", configure_trace, run_trace),
    Command("compare", "match two formulations and report their agreement", configure_compare, run_compare),
)


# --- helpers ----------------------------------------------------------------------------


def _text_table(headers: list[str], rows: list[list[Any]]) -> str:
    """A table as ``workbench compare`` prints it: every cell cut to 40 characters, no rule."""
    return table(headers, rows, 40, last_limit=40, rule=False, empty=None)


def _count(row: Mapping[Any, Any]) -> str:
    if row["figure"] == "Jaccard":
        return f"{row['shared']} shared of {row['n_a']} + {row['n_b']}"
    return f"{row['agreements']} agree of {row['pairs']}"


def _number(value: Any) -> str:
    value = plain(value)
    return "undefined" if value is None else f"{float(value):.3f}"


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{str(k): jsonable(v) for k, v in row.items()} for row in frame.to_dict("records")]


def _fraction(text: str) -> float:
    try:
        number = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number from 0 to 1, not {text!r}") from None
    if not 0 <= number <= 1:
        raise argparse.ArgumentTypeError(f"expected a number from 0 to 1, not {text}")
    return number


def _pair(text: str) -> tuple[str, str]:
    a_id, sep, b_id = text.partition("=")
    if not sep or not a_id.strip() or not b_id.strip():
        raise argparse.ArgumentTypeError(f"expected A_ID=B_ID, not {text!r}")
    return a_id.strip(), b_id.strip()
