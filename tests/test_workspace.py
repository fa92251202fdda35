"""``scripts/start`` works on the user's own copy of the examples: the checkout stays clean.

The script runs ``python -m workbench.workspace notebooks <cases folder>`` and then
JupyterLab on that folder; these tests run the same step against a temporary HOME,
then use the app in the copied notebook (edit and save), and check that not one file
of the checkout changed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

import workbench
from workbench.workspace import WIDGET_VIEW, clear_widget_outputs, prepare_workspace

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
START = ROOT / "scripts" / "start"
DEMO = Path("cases") / "demo.formulation.json"


def _checkout_state() -> tuple[str, dict[str, bytes]]:
    """``git status`` of notebooks/ and the bytes of every file under it."""
    status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all", "--", "notebooks"],
                            cwd=ROOT, capture_output=True, text=True, check=False).stdout
    files = {str(p.relative_to(ROOT)): p.read_bytes() for p in sorted(NOTEBOOKS.rglob("*")) if p.is_file()}
    return status, files


def test_the_examples_are_copied_once_and_never_overwritten(tmp_path: Path) -> None:
    folder = tmp_path / "formulations"
    copied = prepare_workspace(NOTEBOOKS, folder)
    assert folder / DEMO in copied and folder / "01_build_a_formulation.ipynb" in copied
    assert (folder / DEMO).read_bytes() == (NOTEBOOKS / DEMO).read_bytes()
    assert (folder / "cases" / "teaching").is_dir()
    f = workbench.load(folder / DEMO)
    f.add_element("present_symptom", "Mine now")
    workbench.save(f, folder / DEMO, message="my edit", author="Dr A")
    mine = (folder / DEMO).read_bytes()
    assert prepare_workspace(NOTEBOOKS, folder) == []  # a second start copies nothing ...
    assert (folder / DEMO).read_bytes() == mine  # ... and keeps the user's edits


def test_stale_widget_outputs_are_cleared_other_outputs_kept(tmp_path: Path) -> None:
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("workbench.app('x')")
    cell.outputs = [
        nbformat.v4.new_output("display_data", data={WIDGET_VIEW: {"model_id": "abc", "version_major": 2,
                                                                   "version_minor": 0},
                                                     "text/plain": "App(...)"}),
        nbformat.v4.new_output("stream", name="stdout", text="kept\n"),
    ]
    nb.cells.append(cell)
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    path = tmp_path / "n.ipynb"
    nbformat.write(nb, path)
    assert clear_widget_outputs(path)
    again = nbformat.read(path, as_version=4)
    nbformat.validate(again)
    assert [o.output_type for o in again.cells[0].outputs] == ["stream"]
    assert "widgets" not in again.metadata
    assert not clear_widget_outputs(path)  # nothing left to clear: the file is not rewritten


def test_scripts_start_serves_the_cases_folder_and_opens_the_notebook() -> None:
    script = START.read_text(encoding="utf-8")
    assert '-m workbench.workspace "$REPO/notebooks" "${WORKBENCH_CASES:-$HOME/formulations}"' in script
    assert '--ServerApp.root_dir="$CASES"' in script and 'cd "$CASES"' in script
    assert '--LabApp.default_url="/lab/tree/$NOTEBOOK"' in script  # the printed address opens it
    assert "cd notebooks" not in script


@pytest.mark.slow
def test_the_checkout_stays_clean_after_a_session_in_the_app(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _checkout_state()
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))  # the kernel inherits it
    monkeypatch.delenv("WORKBENCH_CASES", raising=False)
    # What scripts/start runs, with the same arguments.
    done = subprocess.run([sys.executable, "-m", "workbench.workspace", str(NOTEBOOKS),
                           os.path.expanduser("~/formulations")],
                          capture_output=True, text=True, check=True, env={**os.environ, "HOME": str(home)})
    folder = Path(done.stdout.strip())
    assert folder == home / "formulations"
    # The first notebook, as JupyterLab runs it there, then a clinician's edit and save in the app.
    path = folder / "01_build_a_formulation.ipynb"
    nb = nbformat.read(path, as_version=4)
    app_cells = [c for c in nb.cells if c.cell_type == "code" and "workbench.app(" in c.source]
    assert app_cells == [nb.cells[-1]]
    nb.cells[-1].source = nb.cells[-1].source.replace("workbench.app(", "a = workbench.app(")
    nb.cells.append(nbformat.v4.new_code_cell(
        "a.session.add_element('present_symptom', 'Added in the test')\n"
        "a.saving.message.value = 'After session 5'\n"
        "a.saving.author.value = 'Dr Test'\n"
        "a.saving.save_button.click()\n"
        "print(a.status.message)"
    ))
    client = NotebookClient(nb, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(folder)}})
    client.widget_registry = {}  # see tests/test_notebooks.py (nbclient issue 312)
    client.execute()
    said = "".join(o.get("text", "") for o in nb.cells[-1].outputs)
    assert f"of {folder / DEMO}." in said, said
    assert workbench.history(folder / DEMO)["author"].iloc[-1] == "Dr Test"
    nbformat.write(nb, path)  # as JupyterLab's autosave would, outputs and all
    # The next start clears the stale widget outputs; the user's saved version stays.
    subprocess.run([sys.executable, "-m", "workbench.workspace", str(NOTEBOOKS), str(folder)],
                   capture_output=True, check=True, env={**os.environ, "HOME": str(home)})
    reopened = json.loads(path.read_text(encoding="utf-8"))
    assert not any(WIDGET_VIEW in o.get("data", {}) for c in reopened["cells"] for o in c.get("outputs", []))
    assert workbench.history(folder / DEMO)["author"].iloc[-1] == "Dr Test"
    assert _checkout_state() == before
