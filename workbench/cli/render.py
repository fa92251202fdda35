"""The ``workbench render`` command: a formulation as a standalone HTML page.

Listed in :data:`COMMANDS` for :mod:`workbench.cli.commands` to register.
"""

from __future__ import annotations

import argparse

import workbench
from workbench.cli._common import Command, add_version, clean, output_file

__all__ = ["COMMANDS"]


def _configure_render(p: argparse.ArgumentParser) -> None:
    p.add_argument("path", metavar="PATH", help="the formulation file")
    p.add_argument("-o", "--output", required=True, metavar="OUT.html", help="the HTML file to write")
    p.add_argument("--title", help="heading of the page (default: the case title)")
    add_version(p, "the version to draw (default: the latest)")


def _cmd_render(args: argparse.Namespace) -> int:
    out = output_file(args.output, args.path)
    f = workbench.load(args.path, version=args.version)
    page = workbench.render_html(f, title=args.title)
    out.write_text(page, encoding="utf-8")
    version = f"version {f.base_version}" if f.base_version is not None else "the latest version"
    print(f"Wrote {clean(str(out))} ({version} of {clean(str(args.path))}, {len(f)} elements).")
    return 0


#: ``workbench render``, for :mod:`workbench.cli.commands` to register.
COMMANDS: tuple[Command, ...] = (
    Command("render", "draw a formulation as a standalone HTML page", _configure_render, _cmd_render),
)
