"""``workbench hub``: the administrator's commands for a seminar on a shared machine (JupyterHub).

``workbench hub setup --root /srv/workbench --trainees a,b --supervisors s --cases DIR`` creates
the groups, the case library, the references and the hand-in and feedback folders with their
permissions (see :mod:`workbench.classroom.folders`); running it again changes only what is missing.
"""

from __future__ import annotations

import argparse

from workbench.classroom import folders
from workbench.cli._common import Command

__all__ = ["COMMANDS", "configure_command", "run_command"]


def configure_command(p: argparse.ArgumentParser) -> None:
    """Add ``workbench hub setup`` and its options."""
    sub = p.add_subparsers(title="hub commands", metavar="ACTION", dest="hub_action")
    setup = sub.add_parser(
        "setup", help="create or repair the seminar's folders and groups (as root; safe to run again)",
        description="Create the groups wb-trainees and wb-supervisors, the case library (read-only), "
        "the references (supervisors only), and one hand-in and one feedback folder per trainee, "
        "with their permissions. Running it again changes only what is missing or wrong.",
    )
    setup.add_argument("--root", default=None,
                       help="the seminar folder (default: $WORKBENCH_SEMINAR_ROOT or /srv/workbench)")
    setup.add_argument("--trainees", type=_names, default=[], help="trainees' login names, comma-separated")
    setup.add_argument("--supervisors", type=_names, default=[],
                       help="supervisors' login names, comma-separated")
    setup.add_argument("--cases", metavar="DIR",
                       help="formulations to use as references; a starter of each (no elements) goes "
                       "into the library")
    setup.add_argument("--library", metavar="DIR", help="cases to copy into the library as they are")
    setup.add_argument("--references", metavar="DIR", help="reference formulations to copy as they are")
    setup.add_argument("--teaching", metavar="DIR", action="append", default=[],
                       help="notebooks and cases every user gets a copy of in ~/formulations (repeatable)")


def run_command(args: argparse.Namespace) -> int:
    """Run ``workbench hub ACTION``."""
    if args.hub_action != "setup":
        raise folders.SetupError("name what to do, for example: workbench hub setup --help")
    root = folders.seminar_folders(args.root).root
    done = folders.setup(root, trainees=args.trainees, supervisors=args.supervisors, cases=args.cases,
                         library=args.library, references=args.references, teaching=args.teaching)
    for line in done:
        print(line)
    print(f"The seminar folders in {root} are set up ({len(done)} changes).")
    return 0


def _names(text: str) -> list[str]:
    return [name.strip() for name in text.split(",") if name.strip()]


#: ``workbench hub``: its :class:`~workbench.cli._common.Command` row (registered in ``GROUPS``).
COMMANDS = (
    Command("hub", "set up the folders of a seminar on a shared machine (JupyterHub; as root)",
            configure_command, run_command),
)
