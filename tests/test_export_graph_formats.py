"""GraphML and GEXF exports read back with networkx and keep kinds, labels and attributes."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.export.graph_formats import graphml_text, to_graph, write_gexf, write_graphml
from workbench.model import Formulation

HOSTILE = 'Father <script>alert("x")</script> & "often" absent\x07\x00'


@pytest.fixture
def formulation() -> Formulation:
    f = Formulation.new(case_id="C-017", title="Teaching <case> & co", fictional=True)
    past = f.add_element(
        "early_experience",
        HOSTILE,
        description="Left when the client was six; <b>bold</b>",
        confidence=0.7,
        status="supported",
        time_frame="past",
        tags=["loss", "father"],
        evidence=[{"session": 3, "quote": "He never came."}, {"session": 1, "note": "intake"}],
    )
    fear = f.add_element("unconscious_fear", "Fear of being left")
    defense = f.add_element("defense", "Self-sufficiency", status="hypothesis")
    symptom = f.add_element("present_symptom", "Conflict with partner over closeness")
    strength = f.add_element("strength", "Loyal friendships")
    f.add_link(past, fear, "gives_rise_to", weight=2.5, confidence="high", evidence=[{"session": 4}])
    f.add_link(past, fear, "gives_rise_to", description="second reading")  # parallel link
    f.add_link(defense, fear, "defends_against")
    f.add_link(fear, symptom, "expressed_as")
    f.add_link(strength, symptom, "protects_against")
    return f


def _expected_nodes(f: Formulation) -> dict[str, tuple[str, str]]:
    return {el.id: (el.kind, el.label) for el in f.element_records()}


def test_flat_graph_has_only_file_safe_types(formulation: Formulation) -> None:
    g = to_graph(formulation)
    for _, data in g.nodes(data=True):
        assert all(type(v) in (str, int, float, bool) for v in data.values()), data
    for _, _, data in g.edges(data=True):
        assert all(type(v) in (str, int, float, bool) for v in data.values()), data
    assert "confidence" not in g.nodes[formulation.element_records()[1].id]  # unset values are left out


def test_graphml_round_trip_keeps_kinds_labels_and_attributes(
    formulation: Formulation, tmp_path: Path
) -> None:
    path = write_graphml(formulation, tmp_path / "case.graphml")
    g = nx.read_graphml(path, force_multigraph=True)
    assert isinstance(g, nx.MultiDiGraph)
    expected = _expected_nodes(formulation)
    assert set(g.nodes) == set(expected)
    for node, (kind, label) in expected.items():
        assert g.nodes[node]["kind"] == kind
        assert g.nodes[node]["label"] == label.replace("\x07", "\ufffd").replace("\x00", "\ufffd")
    past = formulation.element_records()[0]
    node = g.nodes[past.id]
    assert node["kind_name"] == "Early experience"
    assert node["layer"] == 0 and node["layer_name"] == "Early experiences"
    assert node["color"] == "#E69F00"
    assert node["status"] == "supported"
    assert node["confidence"] == pytest.approx(0.7)
    assert node["confidence_name"] == "high"
    assert node["time_frame"] == "past"
    assert node["tags"] == "loss, father"
    assert node["evidence_count"] == 2
    assert node["sessions"] == "1, 3"
    assert node["description"] == "Left when the client was six; <b>bold</b>"
    assert g.graph["case_id"] == "C-017" and g.graph["template"] == "psychodynamic"
    # links: ids as edge keys, kinds, verbs, weights (signed), parallel links kept
    links = {ln.id: ln for ln in formulation.link_records()}
    edges = {key: (u, v, data) for u, v, key, data in g.edges(keys=True, data=True)}
    assert set(edges) == set(links)
    for link_id, (u, v, data) in edges.items():
        ln = links[link_id]
        assert (u, v, data["kind"]) == (ln.source, ln.target, ln.kind)
        assert data["verb"] == formulation.template.link_kinds[ln.kind].verb
    first = formulation.link_records()[0]
    assert edges[first.id][2]["weight"] == 2.5 and edges[first.id][2]["confidence"] == pytest.approx(0.7)
    assert edges[first.id][2]["sessions"] == "4"
    protects = next(ln for ln in formulation.link_records() if ln.kind == "protects_against")
    assert edges[protects.id][2]["weight"] == -1.0 and edges[protects.id][2]["sign"] == -1


def test_graphml_carries_yed_graphics_with_escaped_labels(formulation: Formulation) -> None:
    text = graphml_text(formulation)
    assert "<script>" not in text  # escaped as &lt;script&gt;
    root = ET.fromstring(text)
    ns = {"g": "http://graphml.graphdrawing.org/xmlns", "y": "http://www.yworks.com/xml/graphml"}
    keys = {k.get("yfiles.type") for k in root.findall("g:key", ns)}
    assert {"nodegraphics", "edgegraphics"} <= keys
    labels = [n.text for n in root.iter("{http://www.yworks.com/xml/graphml}NodeLabel")]
    assert sorted(labels) == sorted(el.label.replace("\x07", "\ufffd").replace("\x00", "\ufffd")
                                    for el in formulation.element_records())
    fills = {f.get("color") for f in root.iter("{http://www.yworks.com/xml/graphml}Fill")}
    assert "#E69F00" in fills
    edge_labels = [e.text for e in root.iter("{http://www.yworks.com/xml/graphml}EdgeLabel")]
    assert edge_labels.count("gives rise to") == 2
    plain = graphml_text(formulation, yed=False)
    assert "yworks" not in plain.split("<graph", 1)[1]


def test_gexf_round_trip_keeps_kinds_labels_attributes_and_colours(
    formulation: Formulation, tmp_path: Path
) -> None:
    path = write_gexf(formulation, tmp_path / "case.gexf")
    g = nx.read_gexf(path)
    assert isinstance(g, nx.MultiDiGraph)
    for node, (kind, label) in _expected_nodes(formulation).items():
        assert g.nodes[node]["kind"] == kind
        assert g.nodes[node]["label"] == label.replace("\x07", "\ufffd").replace("\x00", "\ufffd")
    past = formulation.element_records()[0]
    node = g.nodes[past.id]
    assert node["viz"]["color"] == {"r": 230, "g": 159, "b": 0, "a": 1.0}
    assert node["evidence_count"] == 2 and node["tags"] == "loss, father"
    assert node["confidence"] == pytest.approx(0.7)
    edges = {data["id"]: data for _, _, data in g.edges(data=True)}
    assert set(edges) == {ln.id for ln in formulation.link_records()}
    first = formulation.link_records()[0]
    assert edges[first.id]["weight"] == 2.5 and edges[first.id]["label"] == "gives rise to"
    assert edges[first.id]["kind"] == "gives_rise_to"


def test_layers_give_rows_top_to_bottom(formulation: Formulation, tmp_path: Path) -> None:
    g = nx.read_graphml(write_graphml(formulation, tmp_path / "case.graphml"))
    ys = {g.nodes[n]["kind"]: float(g.nodes[n]["y"]) for n in g.nodes}
    assert ys["early_experience"] < ys["unconscious_fear"] < ys["defense"] < ys["present_symptom"]


def test_empty_formulation_exports(tmp_path: Path) -> None:
    f = Formulation.new(case_id="empty")
    assert nx.read_graphml(write_graphml(f, tmp_path / "e.graphml")).number_of_nodes() == 0
    assert nx.read_gexf(write_gexf(f, tmp_path / "e.gexf")).number_of_nodes() == 0


ANY_CHAR = st.characters(exclude_categories=())  # control characters and lone surrogates too


def _as_xml_keeps(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(
        "\ufffd" if (ord(c) < 0x20 and c not in "\t\n") or 0xD800 <= ord(c) <= 0xDFFF or c in "\ufffe\uffff"
        else c
        for c in text
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(labels=st.lists(st.text(ANY_CHAR, min_size=1, max_size=40).filter(str.strip), min_size=1, max_size=4),
       description=st.text(ANY_CHAR, max_size=60))
def test_any_text_survives_both_formats(tmp_path: Path, labels: list[str], description: str) -> None:
    f = Formulation.new(case_id="P-1", title=description)
    ids = [f.add_element("defense", label, description=description, tags=[label]) for label in labels]
    g1 = nx.read_graphml(write_graphml(f, tmp_path / "p.graphml"))
    g2 = nx.read_gexf(write_gexf(f, tmp_path / "p.gexf"))
    for element_id in ids:
        el = f.element(element_id)
        for g in (g1, g2):
            assert g.nodes[element_id]["label"] == _as_xml_keeps(el.label)
            assert g.nodes[element_id].get("description", "") == _as_xml_keeps(el.description)
