"""Tests of the ``workbench`` command: each command in-process, and the installed script once."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import workbench
from workbench.cli import COMMANDS, main


@pytest.fixture(autouse=True)
def _no_user_templates(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the developer's own template folders and debug settings out of these tests."""
    monkeypatch.setenv("HOME", str(tmp_path_factory.mktemp("home")))
    monkeypatch.delenv("WORKBENCH_TEMPLATE_PATH", raising=False)
    monkeypatch.delenv("WORKBENCH_DEBUG", raising=False)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run ``workbench argv`` in-process; return (exit code, stdout, stderr)."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def one_error_line(err: str) -> str:
    """Assert that stderr is exactly one ``error:`` line, and return it."""
    lines = err.splitlines()
    assert len(lines) == 1, f"expected one line on stderr, got: {err!r}"
    assert lines[0].startswith("error: ")
    assert "Traceback" not in err
    return lines[0]


@pytest.fixture
def case(tmp_path: Path) -> Path:
    """A file with three versions of a small psychodynamic formulation."""
    path = tmp_path / "case.formulation.json"
    f = workbench.new(case_id="C-017", title="Teaching case", clinician="Dr A")
    past = f.add_element(
        "early_experience", "Father often absent", evidence=[{"session": 2, "quote": "never there"}]
    )
    fear = f.add_element("unconscious_fear", "Fear of being left")
    assert workbench.save(f, path, message="First sketch", author="Dr A", session=1) == 1
    f.add_link(past, fear, "gives_rise_to", confidence="high")
    assert workbench.save(f, path, message="Linked the fear", author="Dr A", session=2) == 2
    f.update_element(fear, label="Fear of being abandoned", status="supported")
    f.add_comment("Is this the core fear?", author="Supervisor", target=fear)
    assert workbench.save(f, path, message="Supervision", author="Dr B") == 3
    return path


# --- the parser ---------------------------------------------------------------------


def test_every_issue_command_is_registered_once() -> None:
    names = [c.name for c in COMMANDS]
    assert len(names) == len(set(names))
    assert {"new", "validate", "log", "show", "diff", "render", "templates"} <= set(names)


def test_no_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys)
    assert code == 2
    assert out == ""
    assert "usage: workbench" in err and "error: name a command" in err


@pytest.mark.parametrize(
    "argv",
    [
        ["frobnicate"],
        ["show"],
        ["diff", "x.formulation.json", "1"],
        ["diff", "x.formulation.json", "one", "2"],
        ["show", "x", "--version", "0"],
        ["new", "x.formulation.json"],
        ["render", "x.formulation.json"],
        ["templates", "--bogus"],
    ],
    ids=[
        "unknown-command",
        "missing-path",
        "missing-version",
        "version-not-number",
        "version-zero",
        "new-without-case-id",
        "render-without-output",
        "unknown-option",
    ],
)
def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert "usage:" in err and "Traceback" not in err


def test_help_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--help")
    assert code == 0
    for command in COMMANDS:
        assert command.name in out


def test_version_option(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--version")
    assert code == 0
    assert out.strip() == f"workbench {workbench.__version__}"


# --- templates ------------------------------------------------------------------------


def test_templates_lists_names_and_methods(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "templates")
    assert code == 0 and err == ""
    for tid in ("ccrt", "cmp", "five_ps", "malan", "psychodynamic"):
        t = workbench.get_template(tid)
        assert any(line.startswith(tid) and t.name in line for line in out.splitlines())
    assert "Core Conflictual Relationship Theme method (Luborsky)" in out


def test_templates_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "templates", "--json")
    assert code == 0
    data = json.loads(out)
    assert [t["id"] for t in data] == ["ccrt", "cmp", "five_ps", "malan", "psychodynamic"]
    assert set(data[0]) == {"id", "name", "method", "description", "references", "path", "version"}


def test_template_detail_shows_kinds_link_kinds_and_clusters(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "templates", "ccrt")
    assert code == 0
    assert "Element kinds" in out and "Link kinds" in out
    assert "response_of_other" in out and "is met negatively by" in out
    assert "W6" in out and "To be loved and understood" in out


def test_template_detail_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "templates", "five_ps", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["id"] == "five_ps"
    assert [k["id"] for k in data["element_kinds"]] == list(workbench.get_template("five_ps").element_kinds)
    protects = next(lk for lk in data["link_kinds"] if lk["id"] == "protects_against")
    assert protects["sign"] == -1
    assert protects["allow"] == [
        {"from": ["protective"], "to": ["perpetuating", "precipitating", "predisposing", "presenting"]}
    ]


def test_unknown_template_is_one_line_exit_1(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "templates", "nope")
    assert code == 1 and out == ""
    assert one_error_line(err) == (
        "error: There is no template 'nope'; "
        "installed templates are: ccrt, cmp, five_ps, malan, psychodynamic."
    )


def test_broken_user_template_is_a_warning_and_one_line_exit_1_where_used(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "broken.toml").write_text('id = "broken"\nelement_kinds = [\n', encoding="utf-8")
    monkeypatch.setenv("WORKBENCH_TEMPLATE_PATH", str(tmp_path))
    code, out, err = run(capsys, "templates")
    assert code == 0 and "psychodynamic" in out  # the others are listed (issue 14: no lock-out)
    assert "warning:" in err and "broken.toml is not valid TOML" in err
    code, _, err = run(capsys, "templates", "broken")
    assert code == 1
    line = one_error_line(err)
    assert "broken.toml is not valid TOML" in line


# --- new ---------------------------------------------------------------------------------


def test_new_creates_version_1(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "new.formulation.json"
    code, out, err = run(
        capsys,
        "new",
        str(path),
        "--template",
        "ccrt",
        "--case-id",
        "C-9",
        "--title",
        "Demo",
        "--clinician",
        "Dr A",
        "--author",
        "Dr Z",
    )
    assert code == 0, err
    assert out.strip() == f"Created {path}: case C-9 (ccrt), version 1."
    f = workbench.load(path)
    assert (f.meta.case_id, f.meta.title, f.meta.clinician, f.meta.template) == (
        "C-9",
        "Demo",
        "Dr A",
        "ccrt",
    )
    history = workbench.history(path)
    assert list(history["version"]) == [1]
    assert list(history["author"]) == ["Dr Z"]


def test_new_refuses_to_overwrite(capsys: pytest.CaptureFixture[str], case: Path) -> None:
    before = case.read_bytes()
    code, out, err = run(capsys, "new", str(case), "--case-id", "C-1")
    assert code == 1 and out == ""
    assert "already exists" in one_error_line(err)
    assert case.read_bytes() == before


def test_new_with_unknown_template_or_empty_case_id(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(
        capsys, "new", str(tmp_path / "a.formulation.json"), "--template", "dream", "--case-id", "C-1"
    )
    assert code == 1 and "There is no template 'dream'" in one_error_line(err)
    code, _, err = run(capsys, "new", str(tmp_path / "b.formulation.json"), "--case-id", " ")
    assert code == 1 and "case id" in one_error_line(err)
    assert not (tmp_path / "a.formulation.json").exists() and not (tmp_path / "b.formulation.json").exists()


def test_new_in_missing_folder_is_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(
        capsys, "new", str(tmp_path / "no" / "such" / "dir" / "x.formulation.json"), "--case-id", "C-1"
    )
    assert code == 1
    one_error_line(err)


# --- validate and log -----------------------------------------------------------------------


def test_validate_good_file(capsys: pytest.CaptureFixture[str], case: Path) -> None:
    code, out, err = run(capsys, "validate", str(case))
    assert code == 0 and err == ""
    assert out.strip() == f"{case}: a valid formulation file with 3 versions."
    code, out, _ = run(capsys, "validate", str(case), "--json")
    assert code == 0
    assert json.loads(out) == {"path": str(case), "valid": True, "versions": 3, "error": None}


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"this is not json\n",
        b'{"format": "formulation-workbench", "format_version": 999}\n',
        b"\xff\xfe\x00garbage",
    ],
    ids=["empty", "not-json", "newer-or-unknown-header", "binary"],
)
def test_bad_files_give_one_line_and_exit_1(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "bad.formulation.json"
    path.write_bytes(content)
    for command in (
        ["validate", str(path)],
        ["show", str(path)],
        ["log", str(path)],
        ["render", str(path), "-o", str(tmp_path / "out.html")],
        ["diff", str(path), "1", "2"],
    ):
        code, out, err = run(capsys, *command)
        assert code == 1, command
        assert out == "", command
        line = one_error_line(err)
        assert "internal error" not in line, (command, line)
    assert not (tmp_path / "out.html").exists()


def test_validate_bad_file_json_still_reports(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "bad.formulation.json"
    path.write_text("not json\n", encoding="utf-8")
    code, out, err = run(capsys, "validate", str(path), "--json")
    assert code == 1
    data = json.loads(out)
    assert data["valid"] is False and data["versions"] is None
    assert one_error_line(err) == "error: " + data["error"]


def test_file_cut_inside_version_1_is_one_error_line(capsys: pytest.CaptureFixture[str], case: Path) -> None:
    lines = case.read_bytes().splitlines(keepends=True)
    case.write_bytes(lines[0] + lines[1][: len(lines[1]) // 2])
    for command in ("show", "validate", "log"):
        code, out, err = run(capsys, command, str(case))
        assert code == 1 and out == "", command
        assert "cut short" in one_error_line(err)


def test_interrupted_save_is_one_warning_line(capsys: pytest.CaptureFixture[str], case: Path) -> None:
    with case.open("ab") as fh:  # what a save killed half-way through leaves behind
        fh.write(b'{"revision": {"author": "Dr A", "vers')
    for command in ("show", "validate", "log"):
        code, out, err = run(capsys, command, str(case))
        assert code == 0, (command, err)
        assert out
        lines = err.splitlines()
        assert len(lines) == 1 and lines[0].startswith("warning: "), (command, err)
        assert "interrupted" in lines[0] and "version 4" in lines[0]


def test_closed_output_pipe_is_not_an_error(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    class ClosedPipe:
        def write(self, text: str) -> int:
            raise BrokenPipeError(32, "Broken pipe")

        def flush(self) -> None:
            raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(sys, "stdout", ClosedPipe())
    assert main(["templates"]) == 0
    monkeypatch.undo()
    _, err = capsys.readouterr()
    assert err == ""


@pytest.mark.parametrize("command", ["validate", "show", "log"])
def test_missing_file_is_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path, command: str) -> None:
    code, out, err = run(capsys, command, str(tmp_path / "nowhere.formulation.json"))
    assert code == 1 and out == ""
    assert "nowhere.formulation.json" in one_error_line(err)


def test_folder_instead_of_file_is_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "show", str(tmp_path))
    assert code == 1
    one_error_line(err)


def test_log_lists_versions(capsys: pytest.CaptureFixture[str], case: Path) -> None:
    code, out, err = run(capsys, "log", str(case))
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0].split() == ["version", "time", "author", "session", "message"]
    assert "First sketch" in lines[2] and "Dr A" in lines[2]
    assert lines[4].split()[0] == "3" and "Supervision" in lines[4]


def test_log_json(capsys: pytest.CaptureFixture[str], case: Path) -> None:
    code, out, _ = run(capsys, "log", str(case), "--json")
    assert code == 0
    rows = json.loads(out)
    assert [r["version"] for r in rows] == [1, 2, 3]
    assert [r["session"] for r in rows] == [1, 2, None]
    assert [r["author"] for r in rows] == ["Dr A", "Dr A", "Dr B"]
    assert set(rows[0]) == {"version", "time", "author", "session", "message"}
    assert all(r["time"].endswith("Z") for r in rows)


# --- show -------------------------------------------------------------------------------------


def test_show_latest_and_older_version(capsys: pytest.CaptureFixture[str], case: Path) -> None:
    code, out, err = run(capsys, "show", str(case))
    assert code == 0 and err == ""
    assert out.startswith("Case C-017: Teaching case\n")
    assert "version 3" in out and "clinician Dr A" in out
    assert "Father often absent gives rise to Fear of being abandoned" in out
    assert "Early experiences" in out and "Unconscious wishes and fears" in out
    assert "Comments (1, 1 open)" in out and "Is this the core fear?" in out
    code, out, _ = run(capsys, "show", str(case), "--version", "1")
    assert code == 0
    assert "version 1" in out and "Fear of being left" in out and "Links (0)" in out


def test_show_json(capsys: pytest.CaptureFixture[str], case: Path) -> None:
    code, out, _ = run(capsys, "show", str(case), "--json")
    assert code == 0
    data = json.loads(out)
    assert set(data) == {"path", "version", "case", "template", "elements", "links", "comments"}
    assert data["version"] == 3
    assert data["case"]["case_id"] == "C-017"
    assert data["template"]["id"] == "psychodynamic"
    labels = {e["label"]: e for e in data["elements"]}
    assert labels["Father often absent"]["evidence"] == [
        {"session": 2, "date": None, "quote": "never there", "note": "", "start": None}
    ]
    assert labels["Fear of being abandoned"]["status"] == "supported"
    assert data["links"][0]["sentence"] == "Father often absent gives rise to Fear of being abandoned"
    assert data["links"][0]["confidence"] == 0.7
    assert data["comments"][0]["text"] == "Is this the core fear?"


def test_show_missing_version(capsys: pytest.CaptureFixture[str], case: Path) -> None:
    code, out, err = run(capsys, "show", str(case), "--version", "9")
    assert code == 1 and out == ""
    one_error_line(err)


def test_show_escapes_terminal_control_characters(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "hostile.formulation.json"
    f = workbench.new(case_id="C-666")
    f.add_element("defense", "Denial\x1b[2J\x1b]0;pwned\x07\nsecond line\u202eevil")
    workbench.save(f, path, message="hostile", author="x")
    code, out, _ = run(capsys, "show", str(path))
    assert code == 0
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
    assert "Denial" in out and "second line" in out


# --- diff ---------------------------------------------------------------------------------------


def test_diff_text_and_json(capsys: pytest.CaptureFixture[str], case: Path) -> None:
    code, out, err = run(capsys, "diff", str(case), "1", "3")
    assert code == 0 and err == ""
    first = out.splitlines()[0]
    assert first.startswith("Version 1 -> 3: ") and "1 link added" in first and "1 element changed" in first
    assert "Fear of being left" in out and "Fear of being abandoned" in out
    code, out, _ = run(capsys, "diff", str(case), "1", "3", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["from"] == 1 and data["to"] == 3 and data["is_empty"] is False
    changes = {(c["what"], c["change"], c["field"]) for c in data["changes"]}
    assert ("link", "added", None) in changes
    assert ("element", "changed", "label") in changes
    label_change = next(c for c in data["changes"] if c["field"] == "label")
    assert (label_change["old"], label_change["new"]) == ("Fear of being left", "Fear of being abandoned")
    assert set(data["changes"][0]) == {"what", "id", "change", "field", "old", "new", "label"}


def test_diff_same_version_is_empty(capsys: pytest.CaptureFixture[str], case: Path) -> None:
    code, out, _ = run(capsys, "diff", str(case), "2", "2", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["is_empty"] is True and data["changes"] == []


def test_diff_unknown_version(capsys: pytest.CaptureFixture[str], case: Path) -> None:
    code, _, err = run(capsys, "diff", str(case), "1", "7")
    assert code == 1
    one_error_line(err)


# --- render ---------------------------------------------------------------------------------------


def test_render_writes_offline_html(capsys: pytest.CaptureFixture[str], case: Path, tmp_path: Path) -> None:
    out_path = tmp_path / "map.html"
    code, out, err = run(capsys, "render", str(case), "-o", str(out_path), "--version", "2")
    assert code == 0, err
    assert out.strip().startswith(f"Wrote {out_path} (version 2 of {case}")
    page = out_path.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert "Fear of being left" in page and "Fear of being abandoned" not in page
    assert "https://cdn" not in page


def test_render_will_not_overwrite_the_formulation(capsys: pytest.CaptureFixture[str], case: Path) -> None:
    before = case.read_bytes()
    code, _, err = run(capsys, "render", str(case), "-o", str(case))
    assert code == 1
    assert "formulation file itself" in one_error_line(err)
    assert case.read_bytes() == before


def test_render_to_unwritable_place_is_one_line(
    capsys: pytest.CaptureFixture[str], case: Path, tmp_path: Path
) -> None:
    code, _, err = run(capsys, "render", str(case), "-o", str(tmp_path / "missing-dir" / "map.html"))
    assert code == 1
    assert "no such file or folder" in one_error_line(err)


# --- unexpected errors ---------------------------------------------------------------------------


def test_internal_error_is_one_short_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken() -> dict[str, object]:
        raise ZeroDivisionError("boom with private detail")

    monkeypatch.setattr("workbench.cli.templates.templates", broken)
    code, _, err = run(capsys, "templates")
    assert code == 1
    line = one_error_line(err)
    assert "internal error, please report" in line and "ZeroDivisionError" in line
    assert "private detail" not in line
    monkeypatch.setenv("WORKBENCH_DEBUG", "1")
    with pytest.raises(ZeroDivisionError):
        main(["templates"])


# --- the installed console script -----------------------------------------------------------------


def test_installed_console_script(tmp_path: Path) -> None:
    beside_python = Path(sys.executable).parent / "workbench"
    script = str(beside_python) if beside_python.exists() else shutil.which("workbench")
    assert script, "the console script 'workbench' is not installed (pip install -e .)"
    path = tmp_path / "script.formulation.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith("WORKBENCH_")}
    env["HOME"] = str(tmp_path)
    made = subprocess.run(
        [script, "new", str(path), "--case-id", "S-1", "--template", "malan"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert made.returncode == 0, made.stderr
    shown = subprocess.run(
        [script, "show", str(path), "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout)["template"]["id"] == "malan"
    missing = subprocess.run(
        [script, "log", str(tmp_path / "missing.formulation.json")],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert missing.returncode == 1
    assert missing.stdout == ""
    assert missing.stderr.count("\n") == 1 and missing.stderr.startswith("error: ")
    usage = subprocess.run(
        [script, "show"], capture_output=True, text=True, env=env, timeout=120, check=False
    )
    assert usage.returncode == 2


def test_new_then_edit_elsewhere_then_validate_log_diff(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The everyday flow: create on the command line, edit in Python (the app), check on the command line."""
    path = tmp_path / "flow.formulation.json"
    assert (
        run(capsys, "new", str(path), "--template", "five_ps", "--case-id", "F-1", "--author", "Dr A")[0] == 0
    )
    f = workbench.load(path)
    problem = f.add_element("presenting", "Panic attacks at work")
    trigger = f.add_element("precipitating", "New manager")
    f.add_link(trigger, problem, "precipitates")
    assert workbench.save(f, path, message="First session", author="Dr A", session=1) == 2
    code, out, err = run(capsys, "validate", str(path))
    assert (code, err) == (0, "")
    assert "2 versions" in out
    code, out, _ = run(capsys, "diff", str(path), "1", "2")
    assert code == 0
    assert out.splitlines()[0] == "Version 1 -> 2: 2 elements added, 1 link added."
    assert "New manager precipitates Panic attacks at work" in out
