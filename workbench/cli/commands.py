"""The ``workbench`` command itself: :func:`main`, the parser, the registry of commands and the
error reporting.

Only this package prints or chooses exit codes; the library below raises typed
errors (:mod:`workbench.errors`). :func:`main` takes the argument list, so it
can be called from tests and scripts:

- exit 0: done;
- exit 1: a user or file error, told in one line ``error: <message>`` on stderr;
- exit 2: a usage error (unknown command, missing or malformed argument).

The subcommands live in one module per group (:data:`GROUPS`), each listing its
own :class:`~workbench.cli._common.Command` rows in a ``COMMANDS`` tuple; see
:mod:`workbench.cli` for how to add one.

Example
-------
>>> main(["templates", "--json"]) == 0  # doctest: +ELLIPSIS
[...
True
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import warnings
from collections.abc import Callable, Iterable, Sequence

import workbench
from workbench import errors
from workbench.cli._common import Command, one_line

__all__ = ["COMMANDS", "GROUPS", "Command", "build_parser", "commands_of", "main"]

PROG = "workbench"

#: Environment variable that, when set, lets unexpected errors show their traceback.
DEBUG_ENV = "WORKBENCH_DEBUG"

#: The modules of ``workbench.cli`` that hold commands, in the order ``workbench --help`` lists
#: them. Each has a ``COMMANDS`` tuple of :class:`Command` rows. Add a line to add a group.
GROUPS: tuple[str, ...] = (
    "files",  # new, validate, repair, log, show, diff
    "render",  # render
    "templates",  # templates
    "analysis",  # check, trace, compare
    "export",  # export, stepthrough
    "ccrt",  # ccrt: the CCRT summary of a CCRT formulation
    "evidence",  # evidence, timeline
    "app",  # app: the Voilà launcher
    "hub",  # hub setup: the seminar folders on a shared machine (JupyterHub)
)


def commands_of(groups: Iterable[str]) -> tuple[Command, ...]:
    """The ``COMMANDS`` of the modules ``workbench.cli.<group>``, one group after the other.

    (``tests/test_cli_package.py`` checks that each is a tuple of :class:`Command` rows
    and that no module of the package is left out of :data:`GROUPS`.)
    """
    found: list[Command] = []
    for group in groups:
        found += importlib.import_module(f"workbench.cli.{group}").COMMANDS
    return tuple(found)


#: Every subcommand, in the order ``workbench --help`` lists them.
COMMANDS: tuple[Command, ...] = commands_of(GROUPS)


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
    except BrokenPipeError:  # the reader went away (workbench show ... | head): not an error
        _silence_stdout()
        return 0
    except (errors.WorkbenchError, UnicodeError, OSError) as exc:  # the user's: told as a sentence
        _say_error(errors.user_message(exc) or str(exc))
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
        text = one_line(str(w.message))
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
    print(f"error: {one_line(message)}", file=sys.stderr)

