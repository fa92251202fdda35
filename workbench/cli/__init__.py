"""The ``workbench`` command line and the app launcher: the top layer, next to :mod:`workbench.ui`.

:func:`main` runs the command (``workbench = "workbench.cli:main"``; also
``python -m workbench.cli``). The package holds one module per group of commands:

- :mod:`~workbench.cli.commands`: :func:`main`, the parser, the registry (``GROUPS``,
  ``COMMANDS``) and the one-line error reporting;
- :mod:`~workbench.cli.files`: ``new``, ``validate``, ``repair``, ``log``, ``show``, ``diff``;
- :mod:`~workbench.cli.render`: ``render``; :mod:`~workbench.cli.templates`: ``templates``;
- :mod:`~workbench.cli.analysis`: ``check``, ``trace``, ``compare``;
- :mod:`~workbench.cli.export`: ``export``, ``stepthrough``;
- :mod:`~workbench.cli.app`: ``app``, the Voilà launcher (:func:`~workbench.cli.app.launch`);
- :mod:`~workbench.cli.hub`: ``hub setup``, the seminar folders on a shared machine;
- :mod:`~workbench.cli._common`: what they share (:class:`Command`, options, tables, JSON).

Adding a command
----------------
1. Write its own module, ``workbench/cli/<group>.py``, with a ``configure(parser)``
   that adds its arguments, a ``run(args) -> int`` that does the work (print the
   result; raise :class:`workbench.errors.WorkbenchError` with a sentence for the
   user, never print an error yourself), and the rows::

       COMMANDS: tuple[Command, ...] = (
           Command("evidence", "one-line help", configure_evidence, run_evidence),
       )

2. Register the group with one line in :data:`workbench.cli.commands.GROUPS`
   (``"evidence",``), where ``workbench --help`` should list it.

A command with subcommands of its own (``workbench hub ...``) adds a subparser
set in its ``configure``. Use the helpers of :mod:`workbench.cli._common`
(``add_json``, ``add_version``, ``print_json``, ``jsonable``, ``table``,
``one_line``) so that options and output look like the other commands', and
document the command in ``docs/cli.md``.
"""

from __future__ import annotations

from workbench.cli._common import Command
from workbench.cli.commands import COMMANDS, GROUPS, build_parser, main

__all__ = ["COMMANDS", "GROUPS", "Command", "build_parser", "main"]
