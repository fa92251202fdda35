"""The export subcommands of ``workbench``: ``export`` and ``stepthrough``.

Like :mod:`workbench.cli.analysis`, each subcommand is a ``configure_*`` /
``run_*`` pair; :data:`COMMANDS` lists them for :mod:`workbench.cli.commands`
to register. Errors are raised as :class:`workbench.errors.WorkbenchError`;
:mod:`workbench.cli.commands` turns them into one-line messages.

- ``export PATH -o OUT [--format F] [--version N] [--share-safe]``: GraphML, GEXF,
  CSV, Excel, Markdown or HTML, chosen by the suffix of OUT or by ``--format``.
- ``stepthrough PATH -o OUT.html [--versions [--every auto|version|session]] [--mode layers|sessions]``:
  a standalone page for the seminar room; versions are read one at a time.

With ``--share-safe`` the export is of a share-safe copy (no evidence quotes,
notes, comments or clinician; a neutral case code) and every likely identifying
detail left in the text is listed as a ``warning:`` line on stderr.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from workbench.cli._common import Command, add_version, clean, output_file
from workbench.export import CCRT_TABLES, FORMATS, TABLES, export, format_for, share_safe
from workbench.export.share_safe import scan_text
from workbench.export.stepthrough import (
    AUTO_LIMIT,
    EVERY,
    MODES,
    pick_versions,
    stepthrough_html,
    stepthrough_versions_html,
)
from workbench.fileformat import each_version, history, load
from workbench.model import Formulation

__all__ = ["COMMANDS", "configure_export", "configure_stepthrough", "run_export", "run_stepthrough"]


# --- export -------------------------------------------------------------------------------


def configure_export(p: argparse.ArgumentParser) -> None:
    """Arguments of ``workbench export``."""
    p.add_argument("path", metavar="PATH", help="the formulation file")
    p.add_argument("-o", "--output", required=True, metavar="OUT",
                   help="the file to write; its suffix picks the format "
                        "(.graphml .gexf .csv .xlsx .md .html)")
    p.add_argument("--format", choices=sorted(FORMATS), metavar="F",
                   help="the format, if OUT's suffix does not say it: " + ", ".join(sorted(FORMATS)))
    p.add_argument("--table", choices=(*TABLES, *CCRT_TABLES), default="elements",
                   help="the table for a .csv file (default: %(default)s; ccrt and ccrt_episodes for a CCRT "
                        "formulation); a folder OUT gets every table")
    p.add_argument("--quotes", action="store_true",
                   help="in the Markdown narrative, list the quotes behind each element and link "
                        "(flagging those not found in the session notes); a share-safe copy has none")
    add_version(p, "the version to export (default: the latest)")
    _add_share_safe(p)


def run_export(args: argparse.Namespace) -> int:
    """Write the export; with ``--share-safe``, list the identifying details left."""
    out = _output(args)
    fmt = args.format or format_for(out)
    f = load(args.path, version=args.version)
    what = f"version {f.base_version}" if f.base_version is not None else "the latest version"
    if args.share_safe:
        f, warnings = share_safe(f, case_code=args.case_code)
        _print_warnings(warnings)
    export(f, out, fmt, table=args.table, quotes=args.quotes)
    safe = f", share-safe as {f.meta.case_id!r}" if args.share_safe else ""
    print(f"Wrote {_clean(str(out))} ({fmt}, {what} of {_clean(str(args.path))}, "
          f"{len(f)} elements, {len(f.link_records())} links{safe}).")
    return 0


# --- stepthrough ----------------------------------------------------------------------------


def configure_stepthrough(p: argparse.ArgumentParser) -> None:
    """Arguments of ``workbench stepthrough``."""
    p.add_argument("path", metavar="PATH", help="the formulation file")
    p.add_argument("-o", "--output", required=True, metavar="OUT.html", help="the HTML file to write")
    which = p.add_mutually_exclusive_group()
    which.add_argument("--versions", action="store_true",
                       help="replay the saved versions one by one (default: the latest, layer by layer)")
    add_version(which, "the version to export (default: the latest)")
    p.add_argument("--every", choices=EVERY, default="auto",
                   help="with --versions: show every saved version, the last save of each session, or "
                        f"'auto' (every version up to {AUTO_LIMIT}, else by session; default: %(default)s)")
    p.add_argument("--mode", choices=MODES, default="layers",
                   help="without --versions: reveal by template layer or by session (default: %(default)s)")
    p.add_argument("--title", help="heading of the page (default: the case title)")
    _add_share_safe(p)


def run_stepthrough(args: argparse.Namespace) -> int:
    """Write the step-through page."""
    out = _output(args)
    note = ""
    if args.versions:
        table = history(args.path)
        wanted = pick_versions(table, args.every)
        shown = [0]

        def pairs() -> Iterator[tuple[Any, Formulation]]:
            code = args.case_code
            for revision, f in each_version(args.path, set(wanted)):
                shown[0] += 1
                if args.share_safe:
                    f, warnings = share_safe(f, case_code=code)
                    code = f.meta.case_id  # one neutral code for every version
                    revision = {**revision, "author": ""}
                    _print_warnings(warnings, prefix=f"version {revision['version']}: ")
                    _print_message_warnings(revision)
                yield revision, f

        page = stepthrough_versions_html(pairs(), title=args.title)
        what = f"{shown[0]} versions" if shown[0] == len(table) else f"{shown[0]} of {len(table)} versions"
        if shown[0] < len(table):
            note = ("Shown: the last save of each session (spread evenly over a long history); "
                    f"--every version shows all {len(table)}.")
    else:
        f = load(args.path, version=args.version)
        if args.share_safe:
            f, warnings = share_safe(f, case_code=args.case_code)
            _print_warnings(warnings)
        page = stepthrough_html(f, mode=args.mode, title=args.title)
        what = f"by {args.mode}, version {f.base_version}"
    out.write_text(page, encoding="utf-8", errors="replace")  # a lone surrogate cannot be UTF-8
    print(f"Wrote {_clean(str(out))} (step-through {what} of {_clean(str(args.path))}).")
    if note:
        print(note)
    return 0


#: The export subcommands, for :mod:`workbench.cli.commands` to register.
COMMANDS: tuple[Command, ...] = (
    Command("export", "write GraphML, GEXF, CSV, Excel, Markdown or HTML (optionally share-safe)",
            configure_export, run_export),
    Command("stepthrough", "write a standalone page that steps through layers or versions",
            configure_stepthrough, run_stepthrough),
)


# --- helpers --------------------------------------------------------------------------------


def _add_share_safe(p: argparse.ArgumentParser) -> None:
    p.add_argument("--share-safe", action="store_true",
                   help="export a copy without quotes, notes, comments or clinician, and warn about "
                        "identifying details left in the text")
    p.add_argument("--case-code", metavar="CODE",
                   help="with --share-safe: the neutral case code (default: a random one such as 'Case 7QK')")


def _output(args: argparse.Namespace) -> Path:
    return output_file(args.output, args.path)


def _print_warnings(warnings: pd.DataFrame, prefix: str = "") -> None:
    for row in warnings.itertuples(index=False):
        where = "the case" if row.what == "case" else f"{row.what} {_clean(str(row.label or row.id))!r}"
        print(f"warning: {prefix}{where}, {row.field}: {_clean(str(row.text))!r} looks like {row.why}; "
              "disguise it before sharing.", file=sys.stderr)


def _print_message_warnings(revision: dict[str, Any]) -> None:
    for found in scan_text(str(revision.get("message") or "")):
        print(f"warning: version {revision['version']}, message: {_clean(found.text)!r} looks like "
              f"{found.why}; disguise it before sharing.", file=sys.stderr)


def _clean(text: str) -> str:
    """Without control characters and at most 200 characters long, for the terminal."""
    return clean(text, 200)

