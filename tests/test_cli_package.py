"""The ``workbench.cli`` package: its registry of commands and its shared text helpers.

The commands' behaviour is tested in ``test_cli*.py``; here, that adding a command is one
module plus one line in ``GROUPS``, and that nothing is left out or listed twice.
"""

from __future__ import annotations

import ast
import importlib
import re
import subprocess
import sys
from pathlib import Path

import pytest

from workbench import cli
from workbench.cli import COMMANDS, GROUPS, Command, build_parser
from workbench.cli._common import clean, one_line, table

CLI_DIR = Path(cli.__file__).resolve().parent

#: The order ``workbench --help`` has always listed these commands in (others may be added among them).
HELP_ORDER = ["new", "validate", "repair", "log", "show", "diff", "render", "templates", "check", "trace",
              "compare", "export", "stepthrough", "app"]


def _modules_defining_commands() -> set[str]:
    """The modules of the package that assign a module-level ``COMMANDS``."""
    found = set()
    for path in CLI_DIR.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            targets = [node.target] if isinstance(node, ast.AnnAssign) else getattr(node, "targets", [])
            if any(isinstance(t, ast.Name) and t.id == "COMMANDS" for t in targets):
                found.add(path.stem)
    return found


def test_every_module_with_commands_is_a_registered_group() -> None:
    assert _modules_defining_commands() - {"commands"} == set(GROUPS)


@pytest.mark.parametrize("group", GROUPS)
def test_each_group_lists_command_rows(group: str) -> None:
    rows = importlib.import_module(f"workbench.cli.{group}").COMMANDS
    assert isinstance(rows, tuple) and rows
    assert all(isinstance(row, Command) for row in rows)
    assert all(row.name and row.help and callable(row.configure) and callable(row.run) for row in rows)


def test_the_registry_keeps_the_order_and_every_name_once() -> None:
    names = [command.name for command in COMMANDS]
    assert len(names) == len(set(names))
    kept = [name for name in names if name in HELP_ORDER]  # new commands may come anywhere
    assert kept == HELP_ORDER
    listed = build_parser().format_help()
    positions = [re.search(rf"^    {name}\b", listed, re.MULTILINE).start() for name in HELP_ORDER]  # type: ignore[union-attr]
    assert positions == sorted(positions)


def test_a_new_group_is_one_line_in_groups(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """What the package docstring promises: a module with COMMANDS plus its name in GROUPS."""
    module = tmp_path / "wb_cli_probe.py"
    module.write_text(
        "from workbench.cli._common import Command\n"
        "def configure(p): p.add_argument('word')\n"
        "def run(args):\n    print('probe', args.word)\n    return 0\n"
        "COMMANDS = (Command('probe', 'a probe command', configure, run),)\n",
        encoding="utf-8",
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setitem(sys.modules, "workbench.cli.probe", importlib.import_module("wb_cli_probe"))
    from workbench.cli import commands

    groups = (*commands.GROUPS, "probe")  # the one line
    monkeypatch.setattr(commands, "COMMANDS", commands.commands_of(groups))
    assert commands.main(["probe", "hello"]) == 0
    assert capsys.readouterr().out == "probe hello\n"
    assert commands.main(["--help"]) == 0
    listed = capsys.readouterr().out
    assert listed.index("    app ") < listed.index("    probe ")  # listed where its group is


def test_python_dash_m_workbench_cli_runs_the_command() -> None:
    done = subprocess.run([sys.executable, "-m", "workbench.cli", "templates", "--json"],
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.lstrip().startswith("[")


def test_one_line_and_clean_make_hostile_text_safe() -> None:
    assert one_line("a\nb\x1b[31m  c\u202e") == "a b [31m c"
    assert clean("x" * 300, 200) == "x" * 200
    assert "\n" not in one_line("line one\r\nline two")


def test_table_cuts_pads_and_marks_an_empty_table() -> None:
    text = table(["id", "label"], [["e1", "x" * 60], ["element-2", None]], limit=5)
    lines = text.splitlines()
    assert lines[0] == "id     label"
    assert lines[1] == "-----  " + "-" * 60
    assert lines[2].startswith("e1     x")  # the last column is not cut to the limit
    assert lines[3] == "elem…"  # an empty last cell leaves no trailing space
    assert table(["a", "b"], []).splitlines()[-1] == "(none)"
    plain = table(["a", "b"], [["1", "x" * 50]], 40, last_limit=40, rule=False, empty=None)
    assert plain.splitlines() == ["a  b", "1  " + "x" * 39 + "…"]
    assert table(["a", "b"], [], rule=False, empty=None) == "a  b"
