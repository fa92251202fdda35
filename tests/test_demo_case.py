"""The demo case opened by the first notebook and ``scripts/start``.

``scripts/make_demo_case.py`` must rebuild the committed file byte for byte (so a
change of the file format shows up here: run the script and commit the file),
and the case must be a sound, clearly fictional formulation worth exploring.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

import workbench

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "notebooks" / "cases" / "demo.formulation.json"
SCRIPT = ROOT / "scripts" / "make_demo_case.py"


@pytest.fixture(scope="module")
def script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_demo_case", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_demo_case"] = module
    spec.loader.exec_module(module)
    return module


def test_script_rebuilds_the_committed_file_exactly(script: ModuleType, tmp_path: Path) -> None:
    out = tmp_path / "demo.formulation.json"
    assert script.main(["--out", str(out)]) == 0
    assert out.read_bytes() == DEMO.read_bytes(), (
        "notebooks/cases/demo.formulation.json is out of date: run python3 scripts/make_demo_case.py"
    )


def test_demo_case_is_valid_fictional_and_rich() -> None:
    workbench.validate(DEMO)
    f = workbench.load(DEMO)
    assert f.meta.fictional
    assert "FICTIONAL" in f.meta.title and "FICTIONAL" in f.meta.description
    assert "fictional" in f.meta.clinician
    assert 12 <= len(f) <= 15
    t = f.template  # every layer (the alliance kinds of template version 2 share the relational row)
    assert {t.element_kinds[el.kind].layer for el in f} == set(range(len(t.layers)))
    assert set(t.element_kinds) - {el.kind for el in f} <= {"working_alliance", "rupture", "repair"}
    assert len(f.link_records()) >= len(f)
    quoted = [ev for el in f for ev in el.evidence if ev.quote and ev.session]
    assert len(quoted) >= 10
    assert {el.status for el in f} == {"hypothesis", "supported", "discarded"}
    assert f.comment_records()
    assert [s.number for s in f.session_notes()] == [6, 7]  # process notes: the Sessions tab has some
    quotes = [q for q in workbench.analysis.evidence.quotes(f) if q.session in (6, 7)]
    assert quotes and all(q.status == "found" for q in quotes)

    history = workbench.history(DEMO)
    assert 3 <= len(history) <= 4
    assert list(history["session"]) == sorted(history["session"])
    assert all("fictional" in author for author in history["author"])
