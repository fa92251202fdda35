"""Every notebook under ``notebooks/`` runs top to bottom in a real kernel (nbclient).

Each notebook runs in a temporary copy of ``notebooks/`` (with the notebook's
folder as working directory), so the committed cases are never modified.

nbclient mimics the front end's ``Output`` widget by echoing its whole state
back to the kernel; with a large output this stalls until the cell timeout and
then goes on without an error (nbclient issue 312). The client here has no
such mimic; a cell that still overran its timeout raises (nbclient's default),
and every code cell must have run, in order. How long a run takes is not
asserted: on a busy machine that says nothing about the notebook.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
CELL_TIMEOUT = 120
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"

NOTEBOOK_PATHS = sorted(
    p.relative_to(NOTEBOOKS) for p in NOTEBOOKS.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts
)


def test_there_are_notebooks() -> None:
    assert Path("01_build_a_formulation.ipynb") in NOTEBOOK_PATHS


@pytest.mark.parametrize("relpath", NOTEBOOK_PATHS, ids=str)
def test_notebook_runs_top_to_bottom(relpath: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The kernel inherits this home: the app's list of recent cases must not reach the user's.
    (tmp_path / "home").mkdir()
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    copy = shutil.copytree(NOTEBOOKS, tmp_path / "notebooks",
                           ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    before = _snapshot(copy)
    path = copy / relpath
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb, timeout=CELL_TIMEOUT, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    )
    client.widget_registry = {}  # no Output-widget mimic: see nbclient issue 312
    client.execute()  # raises CellExecutionError on the first failing cell, CellTimeoutError on a stall

    counts = [cell.get("execution_count") for cell in nb.cells if cell.cell_type == "code"]
    assert counts == list(range(1, len(counts) + 1)), f"{relpath}: not every code cell ran: {counts}"
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        for output in cell.outputs:
            assert output.output_type != "error", f"cell {index} raised {output.get('ename')}"
            text = output.get("text", "") if output.output_type == "stream" else ""
            assert "Traceback" not in text, f"cell {index} printed a traceback:\n{text[:2000]}"
    if any("workbench.app(" in "".join(cell.source) for cell in nb.cells):
        _assert_app_opened_a_case(nb, relpath)
    # Running a notebook must not change the cases next to it (the app only saves on request).
    after = _snapshot(copy)
    changed = [name for name, content in before.items() if after.get(name) != content]
    assert not changed, f"running {relpath} changed {changed}"


def _assert_app_opened_a_case(nb: nbformat.NotebookNode, relpath: Path) -> None:
    """The app shows a case (not its start panel), no error, and a graph with elements."""
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    views = [o for o in outputs if WIDGET_VIEW in o.get("data", {})]
    assert views, f"{relpath} opened the app but showed no widget"
    states = [m["state"] for m in nb.metadata["widgets"][WIDGET_STATE]["state"].values()]

    def having(css_class: str) -> list[dict[str, Any]]:
        return [s for s in states if css_class in s.get("_dom_classes", [])]

    assert having("wb-main"), f"{relpath}: the app shows its start panel, not a case"
    errors = [s.get("value") for s in having("wb-status-error")]
    assert not errors, f"{relpath}: the app shows an error: {errors}"
    (graph,) = having("wb-graph")
    assert graph["snapshot"]["nodes"], f"{relpath}: the graph is empty"


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.suffix != ".ipynb" and "__pycache__" not in p.parts
    }
