"""One error style (issue 9.7): a user's value that cannot be used is an ``InvalidValue``, never a bare
``ValueError`` or ``TypeError``; ``workbench.app``, ``supervise``, ``teach``, ``trace`` and the CLI tell
a failure the same way (``workbench.errors.user_message``, ``workbench.ui._common.failure_message``)."""

from __future__ import annotations

import ast
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import workbench
from workbench import errors
from workbench._paths import case_path, file_name
from workbench.analysis.checks import fails, run_checks
from workbench.analysis.compare import cohens_kappa, jaccard, kappa_terms
from workbench.analysis.trace import roots_of
from workbench.cli import main
from workbench.cli.app import voila_env
from workbench.errors import InvalidValue, user_message
from workbench.model import resolve_element
from workbench.render.html import render_html
from workbench.render.visdata import network_options
from workbench.session import EditSession
from workbench.ui import supervision
from workbench.ui._common import failure_message
from workbench.ui.app import App
from workbench.ui.trace_panel import TracePanel

PACKAGE = Path(workbench.__file__).resolve().parent
ROOT = PACKAGE.parent
CARER = ROOT / "notebooks" / "cases" / "teaching" / "psychodynamic_self_sufficient_carer.formulation.json"


@pytest.fixture(autouse=True)
def _own_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))  # the app's recent-cases list goes there


# --- no bare ValueError or TypeError -------------------------------------------------------------


def bare_raises(path: Path) -> list[int]:
    """The lines of ``path`` that raise a bare ``ValueError`` or ``TypeError`` (called or not)."""
    lines = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Raise) and node.exc is not None:
            exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            if isinstance(exc, ast.Name) and exc.id in ("ValueError", "TypeError"):
                lines.append(node.lineno)
    return sorted(lines)


def test_the_workbench_raises_no_bare_value_or_type_error() -> None:
    found = [f"{p.relative_to(ROOT)}:{n}" for p in sorted(PACKAGE.rglob("*.py")) for n in bare_raises(p)]
    assert not found, f"raise workbench.errors.InvalidValue (a ValueError too) instead: {found}"


def test_the_scan_sees_a_bare_raise(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("def f(x):\n    if x:\n        raise ValueError('no')\n    raise TypeError\n"
                      "def g():\n    raise errors.InvalidValue('fine')\n", encoding="utf-8")
    assert bare_raises(module) == [3, 4]


@pytest.mark.parametrize(
    "call",
    [
        lambda: run_checks(workbench.new(case_id="E-1"), low_confidence=2),
        lambda: fails(run_checks(workbench.new(case_id="E-1")), "sometimes"),
        lambda: roots_of(_one_element(), "el-1", max_length=0),
        lambda: jaccard(5, 2, 3),
        lambda: cohens_kappa(["a"], ["a", "b"]),
        lambda: kappa_terms([], []),
        lambda: network_options(workbench.new(case_id="E-1").template, direction="sideways"),
        lambda: render_html(workbench.new(case_id="E-1"), extra_script="</script><b>"),
        lambda: voila_env({}, token=""),
        lambda: resolve_element(workbench.new(case_id="E-1"), 3),  # type: ignore[arg-type]
        lambda: file_name(3),
        lambda: file_name("a\0b.formulation.json"),
        lambda: case_path("a\0b.formulation.json", "/tmp"),
        lambda: workbench.load("a\0b.formulation.json"),
        lambda: workbench.export(workbench.new(case_id="E-1"), "a\0b.md"),
    ],
    ids=["low-confidence", "fail-on", "max-length", "jaccard", "kappa-units", "kappa-empty", "direction",
         "extra-script", "token", "element-name", "file-name-type", "file-name-null", "case-path",
         "load", "export"],
)
def test_a_value_that_cannot_be_used_is_an_invalid_value_and_a_value_error(call: Callable[[], Any]) -> None:
    with pytest.raises(InvalidValue) as caught:
        call()
    assert isinstance(caught.value, ValueError)  # callers that catch ValueError still work
    message = str(caught.value)
    assert message[:1].isupper() and message.endswith((".", "'.")), message
    assert "\0" not in message


def _one_element() -> workbench.Formulation:
    f = workbench.new(case_id="E-1")
    f.add_element("present_symptom", "Low mood", id="el-1")
    return f


# --- which failures are the user's ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("err", "message"),
    [
        (errors.InvalidValue("The weight is a number."), "The weight is a number."),
        (errors.ElementNotFound("There is no element called 'x'."), "There is no element called 'x'."),
        (FileNotFoundError(2, "No such file or directory", "c.json"), "c.json: no such file or folder."),
        (IsADirectoryError(21, "Is a directory", "cases"), "cases is a folder, not a file."),
        (PermissionError(13, "Permission denied", "c.json"), "c.json: permission denied."),
        (OSError(36, "File name too long", "c\x1b.json"), "c .json: File name too long."),
        (UnicodeDecodeError("utf-8", b"\xff", 0, 1, "bad"),
         "the file is not readable text (it is not UTF-8)."),
        (ZeroDivisionError("private detail"), None),
        (KeyError("x"), None),
        (ValueError("a bug, not the user's"), None),
    ],
)
def test_user_message_tells_the_users_failures_and_not_bugs(err: BaseException, message: str | None) -> None:
    assert user_message(err) == message


def test_failure_message_logs_a_bug_and_shows_only_its_type(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR, logger="workbench.ui"):
        try:
            raise ZeroDivisionError("private detail")
        except ZeroDivisionError as err:
            shown = failure_message(err, then="please report it.")
    assert shown == "Something went wrong (ZeroDivisionError); please report it."
    assert caplog.records and caplog.records[0].exc_info is not None  # the traceback is in the log
    assert failure_message(InvalidValue("Pick a kind.")) == "Pick a kind."


# --- the four notebook functions tell a failure the same way --------------------------------------


def _app_status(path: object) -> tuple[bool, str]:
    a = workbench.app(path)  # type: ignore[arg-type]
    assert isinstance(a, App)  # the app still opens: its start screen, with the sentence
    return a.status.is_error, a.status.message


def _line(view: object) -> tuple[bool, str]:
    return view.is_error, view.message  # type: ignore[attr-defined]


ENTRY_POINTS: dict[str, Callable[[object], tuple[bool, str]]] = {
    "app": _app_status,
    "supervise": lambda p: _line(workbench.supervise(p)),  # type: ignore[arg-type]
    "teach": lambda p: _line(workbench.teach(p)),  # type: ignore[arg-type]
    "trace": lambda p: _line(workbench.trace(p, "Low mood")),  # type: ignore[arg-type]
}


@pytest.mark.parametrize("entry", sorted(ENTRY_POINTS))
@pytest.mark.parametrize(
    ("path", "sentence"),
    [
        (17, "A file name is text such as 'case.formulation.json', not 17."),
        ("a\0b.formulation.json",
         "The file name 'ab.formulation.json' holds a null character; type it again."),
    ],
    ids=["not-text", "null-character"],
)
def test_a_bad_file_name_is_the_same_sentence_everywhere(entry: str, path: object, sentence: str) -> None:
    assert ENTRY_POINTS[entry](path) == (True, sentence)


def test_a_file_that_is_not_a_case_is_told_by_every_entry_point(tmp_path: Path) -> None:
    bad = tmp_path / "notes.formulation.json"
    bad.write_text('{"hello": "world"}\n', encoding="utf-8")
    shown = {entry: open_it(bad) for entry, open_it in ENTRY_POINTS.items()}
    assert {is_error for is_error, _ in shown.values()} == {True}
    assert len({message for _, message in shown.values()}) == 1, shown
    assert "is not a formulation file" in shown["supervise"][1]


@pytest.mark.parametrize("entry", sorted(ENTRY_POINTS))
def test_a_bug_while_opening_is_a_short_sentence_everywhere(
    entry: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("private detail")

    monkeypatch.setattr(EditSession, "open_file", broken)  # app, supervise, trace
    monkeypatch.setattr(supervision, "Presenter", broken)  # teach
    with caplog.at_level(logging.ERROR, logger="workbench.ui"):
        is_error, message = ENTRY_POINTS[entry](CARER)
    assert is_error
    assert message == "Something went wrong (ZeroDivisionError); the case was not opened. Please report this."
    assert any(record.exc_info for record in caplog.records)


def test_a_wrong_trace_direction_is_a_sentence_not_a_widget_error() -> None:
    panel = workbench.trace(CARER, "Low mood", direction="sideways")
    assert isinstance(panel, TracePanel)
    assert panel.status.is_error
    assert panel.status.message == "A trace goes 'into' an element, 'out_of' it or 'both', not 'sideways'."


def test_the_cli_tells_an_os_error_as_user_message_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nowhere" / "c.formulation.json"
    assert main(["render", str(CARER), "-o", str(missing)]) == 1
    expected = user_message(FileNotFoundError(2, "No such file or directory", str(missing)))
    assert capsys.readouterr().err == f"error: {expected}\n"


# --- an empty entry in the app is an InvalidValue too ----------------------------------------------


@pytest.mark.parametrize(
    ("call", "sentence"),
    [
        (lambda s, p: s.save_as(p / "c.formulation.json", "First", "  "), "Please give a author"),
        (lambda s, p: s.save_as(p / "c.formulation.json", "", "Dr A"), "Please give a message"),
        (lambda s, p: s.save_as("  ", "First", "Dr A"), "Please give a file name to save the copy to."),
        (lambda s, p: case_path("  ", p), "Please type a file name for the case."),
    ],
    ids=["author", "message", "save-as-name", "case-path"],
)
def test_an_empty_entry_is_an_invalid_value_and_still_what_it_was(
    tmp_path: Path, call: Callable[[EditSession, Path], Any], sentence: str
) -> None:
    s = EditSession.new_case("psychodynamic", case_id="C-1")
    with pytest.raises(InvalidValue, match=sentence[:20]) as caught:
        call(s, tmp_path)
    assert isinstance(caught.value, ValueError)
    if "save" in sentence or "give" in sentence:
        assert isinstance(caught.value, errors.SessionError)  # callers that catch SessionError still work


def test_a_comment_without_author_or_text_is_an_invalid_entry_told_in_the_panel() -> None:
    from workbench.ui.comments_panel import CommentsPanel

    panel = CommentsPanel(EditSession.new_case("psychodynamic", case_id="C-1"))
    panel.text.value = "Is this the core fear?"
    with pytest.raises(errors.InvalidEntry, match="author"):
        CommentsPanel.add.__wrapped__(panel)  # type: ignore[attr-defined]  # under the panel's guard
    assert panel.add() is None  # the button's way: the sentence in the panel's status line
    assert panel.status.is_error
    assert panel.status.message == "Please give your name or role as the author of the comment."


def test_a_wrong_presenter_mode_is_an_invalid_entry_shown_in_the_presenter() -> None:
    from workbench.ui.presenter import Presenter

    shown = workbench.teach(CARER, mode="bogus")  # the presenter opens, saying why it stays as it is
    assert isinstance(shown, Presenter) and shown.status.is_error
    assert shown.status.message == "The presenter steps by layers, sessions or versions, not 'bogus'."
    with pytest.raises(errors.InvalidEntry):
        Presenter.set_mode.__wrapped__(shown, "sideways")  # type: ignore[attr-defined]  # under its guard
