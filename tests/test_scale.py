"""Scaling without timing: step-through by versions holds one version at a time, versions are read
once, long histories are shown by session, and checks, cycles and layer steps need no all-pairs work.

The figures (time and memory at 5,000 elements and 10,000 versions) come from
``benchmarks/bench_scale.py``; these tests assert the structure that makes them flat.
"""

from __future__ import annotations

import gc
import itertools
import json
import random
import re
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench import cli
from workbench.analysis import checks
from workbench.analysis._cycles import bounded_cycles
from workbench.analysis.roles import roles_for
from workbench.errors import InvalidValue
from workbench.export import stepthrough
from workbench.export.stepthrough import (
    AUTO_LIMIT,
    layer_steps,
    pick_versions,
    stepthrough_versions_html,
)
from workbench.fileformat import each_version, load, save, store
from workbench.model import Formulation
from workbench.render.visdata import ROW_LIMIT


def _extra(page: str) -> dict[str, Any]:
    match = re.search(r'<script id="wb-extra" type="application/json">(.*?)</script>', page, re.S)
    assert match
    data: dict[str, Any] = json.loads(match.group(1))
    return data


def _saved_many(path: Path, versions: int, per_session: int = 1) -> Formulation:
    """Save ``versions`` versions of a small formulation, one element renamed each time."""
    f = Formulation.new(case_id="S-1", title="Many versions")
    ids = [f.add_element("defense", f"Defense {i}") for i in range(4)]
    for version in range(1, versions + 1):
        if version > 1:
            f.update_element(ids[version % 4], label=f"Defense renamed in version {version}")
        save(f, path, message=f"Save {version}", author="Dr A", session=1 + (version - 1) // per_session)
    return f


# --- step-through by versions: one version at a time --------------------------------------


def test_versions_page_holds_at_most_the_version_before(tmp_path: Path) -> None:
    path = tmp_path / "case.formulation.json"
    _saved_many(path, 12)
    alive: list[weakref.ref[Formulation]] = []
    most_alive = 0

    def pairs() -> Iterator[tuple[dict[str, Any], Formulation]]:
        nonlocal most_alive
        for revision, f in each_version(path):
            gc.collect()
            most_alive = max(most_alive, sum(r() is not None for r in alive))
            alive.append(weakref.ref(f))
            yield revision, f
            del f

    page = stepthrough_versions_html(pairs())
    assert [s["title"] for s in _extra(page)["steps"]] == [f"Version {v}" for v in range(1, 13)]
    # when a version is read, only the one before it (for "what changed") is still held
    assert most_alive <= 1


def test_each_version_reads_the_file_once_and_builds_only_the_wanted_versions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "case.formulation.json"
    _saved_many(path, 30)
    built: list[int] = []
    real_build = store._Opened.build

    def counted_build(self: store._Opened, state: Any, version: int) -> Formulation:
        built.append(version)
        return real_build(self, state, version)

    monkeypatch.setattr(store._Opened, "build", counted_build)
    opened: list[str] = []
    real_open = store.locked_for_reading
    monkeypatch.setattr(
        store, "locked_for_reading", lambda p, shown: opened.append(shown) or real_open(p, shown)
    )

    got = [(revision["version"], f) for revision, f in each_version(path, {3, 17, 30})]

    assert [v for v, _ in got] == built == [3, 17, 30]
    assert len(opened) == 1
    monkeypatch.undo()
    for version, f in got:
        assert f == load(path, version)
        assert f.base_version == version


def test_each_version_stops_after_the_last_wanted_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "case.formulation.json"
    _saved_many(path, 20)
    parsed: list[int | None] = []
    real = store._Opened.parse_revision
    monkeypatch.setattr(store._Opened, "parse_revision",
                        lambda self, raw, version: parsed.append(version) or real(self, raw, version))
    assert [r["version"] for r, _ in each_version(path, {2, 5})] == [2, 5]
    assert max(v for v in parsed if v is not None) == 5


def test_each_version_names_a_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "case.formulation.json"
    _saved_many(path, 3)
    lines = path.read_bytes().splitlines(keepends=True)
    lines[2] = b'{"delta": 1}\n'
    path.write_bytes(b"".join(lines))
    with pytest.raises(Exception, match="line 3"):
        list(each_version(path))


# --- which versions a long history shows --------------------------------------------------


def _table(sessions: list[int | None]) -> pd.DataFrame:
    return pd.DataFrame({"version": range(1, len(sessions) + 1),
                         "session": pd.array(sessions, dtype="Int64")})


def test_a_short_history_shows_every_version_and_a_long_one_the_last_save_of_each_session() -> None:
    short = _table([1, 1, 2])
    assert pick_versions(short) == [1, 2, 3]
    assert pick_versions(short, "session") == [2, 3]
    long = _table([s for s in range(1, 11) for _ in range(AUTO_LIMIT // 5)])  # 10 sessions, 200 saves
    assert pick_versions(long) == [v * AUTO_LIMIT // 5 for v in range(1, 11)]
    assert pick_versions(long, "version") == list(range(1, 2 * AUTO_LIMIT + 1))  # the user's choice holds


def test_more_sessions_than_the_limit_are_spread_evenly_ending_with_the_newest() -> None:
    table = _table([*range(1, 1001), None, None])
    picked = pick_versions(table, limit=50)
    assert len(picked) == 50
    assert picked == sorted(picked)
    assert picked[-1] == 1002 and picked[0] == 1
    gaps = {b - a for a, b in itertools.pairwise(picked)}
    assert max(gaps) - min(gaps) <= 2
    with pytest.raises(InvalidValue, match="not 'hourly'"):
        pick_versions(table, "hourly")


def test_cli_stepthrough_of_a_long_history_shows_sessions_unless_asked_for_every_version(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "case.formulation.json"
    _saved_many(path, AUTO_LIMIT + 20, per_session=10)
    out = tmp_path / "s.html"
    assert cli.main(["stepthrough", str(path), "-o", str(out), "--versions"]) == 0
    printed = capsys.readouterr().out
    assert "(step-through 12 of 120 versions of " in printed
    assert "the last save of each session" in printed and "--every version shows all 120" in printed
    titles = [s["title"] for s in _extra(out.read_text(encoding="utf-8"))["steps"]]
    assert titles == [f"Version {v}" for v in range(10, 121, 10)]
    assert cli.main(["stepthrough", str(path), "-o", str(out), "--versions", "--every", "version"]) == 0
    assert "(step-through 120 versions" in capsys.readouterr().out
    assert len(_extra(out.read_text(encoding="utf-8"))["steps"]) == 120


# --- layers, checks and cycles --------------------------------------------------------------


def test_a_layer_wrapped_onto_several_rows_is_one_step() -> None:
    f = Formulation.new(case_id="L-1")
    for i in range(3 * ROW_LIMIT):
        f.add_element("defense", f"Defense {i}")
    f.add_element("present_symptom", "Low mood")
    steps = layer_steps(f)
    assert [s.title for s in steps] == [f.template.layer_name(2), f.template.layer_name(4)]
    assert [len(s.nodes) for s in steps] == [3 * ROW_LIMIT, 3 * ROW_LIMIT + 1]
    # the next step shares the node data of the one before: the page stores each once
    page = _extra(stepthrough.stepthrough_html(f))
    assert len(page["pool"]["nodes"]) == 3 * ROW_LIMIT + 1


def _random_formulation(seed: int, n: int = 40, m: int = 80) -> Formulation:
    rng = random.Random(seed)
    f = Formulation.new(case_id="R-1")
    kinds = list(f.template.element_kinds)
    ids = [f.add_element(rng.choice(kinds), f"Element {i}",
                         status=rng.choice(["hypothesis", "supported", "discarded"])) for i in range(n)]
    for _ in range(m):
        a, b = rng.sample(ids, 2)
        allowed = f.template.allowed_link_kinds(f.element(a).kind, f.element(b).kind)
        if allowed:
            f.add_link(a, b, rng.choice(allowed).id)
    return f


@pytest.mark.parametrize("seed", range(6))
def test_rooted_symptoms_and_drives_agree_with_the_ancestors_of_each(seed: int) -> None:
    f = _random_formulation(seed)
    roles = roles_for(f.template)
    graph = checks._causal_graph(f)

    def unrooted(kinds: set[str], sources: set[str]) -> set[str]:
        return {el.id for el in checks._active_elements(f) if el.kind in kinds
                and not any(f.element(a).kind in sources for a in nx.ancestors(graph, el.id))}

    assert set(checks.symptoms_without_roots(f)["id"]) == unrooted(roles.symptoms, roles.roots | roles.drives)
    assert set(checks.drives_without_roots(f)["id"]) == unrooted(roles.drives, roles.roots)


@settings(max_examples=60, deadline=None)
@given(
    edges=st.lists(st.tuples(st.integers(0, 9), st.integers(0, 9)), max_size=40),
    bound=st.integers(1, 6),
)
def test_bounded_cycles_are_exactly_networkx_simple_cycles(edges: list[tuple[int, int]], bound: int) -> None:
    graph = nx.DiGraph(edges)
    rank = {n: -n for n in graph}  # any order: the highest number first

    def canonical(cycle: list[int]) -> tuple[int, ...]:
        start = cycle.index(min(cycle, key=rank.__getitem__))
        return tuple(cycle[start:] + cycle[:start])

    ours = [tuple(c) for c in bounded_cycles(graph, rank, bound)]
    theirs = {canonical(c) for c in nx.simple_cycles(graph, length_bound=bound)}
    assert len(ours) == len(set(ours))  # each cycle once
    assert set(ours) == theirs  # and each starts at its first node in the order
    firsts = [rank[c[0]] for c in ours]
    assert firsts == sorted(firsts)


def test_cycle_search_visits_each_component_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    real = nx.strongly_connected_components
    monkeypatch.setattr(nx, "strongly_connected_components", lambda g: calls.append(1) or real(g))
    f = _random_formulation(3, n=60, m=150)
    checks.cycle_findings(f)
    assert len(calls) == 1  # not once per element, as networkx's own search does


def test_presenter_versions_follow_the_choice_of_versions(tmp_path: Path) -> None:
    from workbench.ui.presenter import Presenter

    path = tmp_path / "case.formulation.json"
    _saved_many(path, 6, per_session=2)
    every_save = Presenter(path, mode="versions")
    assert [fr.title for fr in every_save.frames] == [f"Version {v}" for v in range(1, 7)]
    by_session = Presenter(path, mode="versions", every="session")
    assert [fr.title for fr in by_session.frames] == ["Version 2", "Version 4", "Version 6"]
