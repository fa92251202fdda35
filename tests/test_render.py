"""Unit tests of workbench.render: vis-network data, assets and the offline, escaped page."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import workbench
from workbench.errors import RenderError
from workbench.model import Formulation
from workbench.render import assets
from workbench.render.html import CSP, json_for_script, render_html, to_pyvis_network
from workbench.render.visdata import (
    LABEL_LINES,
    LABEL_WIDTH,
    NEGATIVE_COLOR,
    ROW_LIMIT,
    edge_for,
    legend_items,
    levels,
    link_legend_items,
    network_options,
    node_for,
    vis_data,
    wrap_label,
)
from workbench.templates import get_template

PAYLOADS = [
    "<script>window.__pwned=1</script>",
    '<img src=x onerror="window.__pwned=2">',
    "</script><script>alert(3)</script>",
    "javascript:alert(4)",
    '<a href="https://example.com/x">link</a>',
    "{{ 7*7 }} {% if 1 %}x{% endif %}",
    '" onmouseover="alert(6)" x="',
    "line\u2028sep\u2029para </script>",
    "Tom & Jerry <b>bold</b> > less",
]


@pytest.fixture
def f() -> Formulation:
    return Formulation.new(case_id="C-1", title="Unit test case")


def _all_kinds(f: Formulation) -> dict[str, str]:
    return {kind: f.add_element(kind, f"A {kind}") for kind in f.template.element_kinds}


def _script_blocks(page: str) -> list[str]:
    return re.findall(r"<script\b[^>]*>(.*?)</script>", page, flags=re.DOTALL | re.IGNORECASE)


def _data_block(page: str) -> dict[str, object]:
    match = re.search(r'<script id="wb-data" type="application/json">(.*?)</script>', page, flags=re.DOTALL)
    assert match, "the page has no data block"
    return json.loads(match.group(1))  # type: ignore[no-any-return]


# --- nodes ------------------------------------------------------------------------------


def test_nodes_take_shape_colour_and_level_from_their_kind(f: Formulation) -> None:
    ids = _all_kinds(f)
    template = f.template
    for kind_id, el_id in ids.items():
        kind = template.element_kinds[kind_id]
        node = node_for(f, el_id)
        assert node["id"] == el_id
        assert node["kind"] == kind_id
        assert node["shape"] == kind.shape
        assert node["color"]["background"] == kind.color
        assert node["level"] == kind.layer
        assert node["layer_name"] == template.layer_name(kind.layer)
    shapes = [node_for(f, i)["shape"] for i in ids.values()]
    colours = [node_for(f, i)["color"]["background"] for i in ids.values()]
    assert len(set(shapes)) == len(shapes), "every kind needs its own shape"
    # every kind its own colour as far as the Okabe-Ito palette goes (9 colours, with black and grey)
    assert len(set(colours)) == min(len(colours), 9), "every kind needs its own colour"


def test_layers_read_from_early_experience_down_to_present_problems(f: Formulation) -> None:
    ids = _all_kinds(f)
    level = {kind: node_for(f, el)["level"] for kind, el in ids.items()}
    assert level["early_experience"] < level["unconscious_fear"] < level["defense"]
    assert level["defense"] < level["relational_pattern"] < level["present_symptom"]
    options = network_options(f.template)
    hier = options["layout"]["hierarchical"]
    assert hier["enabled"] is True and hier["direction"] == "UD"
    assert options["physics"]["enabled"] is False
    assert network_options(f.template, direction="LR")["layout"]["hierarchical"]["direction"] == "LR"
    with pytest.raises(ValueError):
        network_options(f.template, direction="DU")


def test_a_full_layer_wraps_onto_more_rows_and_later_layers_move_down(f: Formulation) -> None:
    past = f.add_element("early_experience", "Loss")
    defenses = [f.add_element("defense", f"Defense {i}") for i in range(2 * ROW_LIMIT + 1)]
    mood = f.add_element("present_symptom", "Low mood")
    rows = levels(f)
    assert rows[past] == 0
    assert [rows[d] for d in defenses] == [2] * ROW_LIMIT + [3] * ROW_LIMIT + [4]
    assert rows[mood] == 4 + 2
    data = vis_data(f)
    assert [n["level"] for n in data["nodes"]] == [rows[n["id"]] for n in data["nodes"]]
    assert node_for(f, mood)["level"] == 6 and node_for(f, mood)["layer"] == 4
    f.remove_element(defenses[-1])
    assert levels(f)[mood] == 4 + 1


def test_status_and_confidence_change_the_outline(f: Formulation) -> None:
    plain = f.add_element("defense", "Denial")
    sure = f.add_element("defense", "Projection", status="supported")
    gone = f.add_element("defense", "Splitting", status="discarded")
    low = f.add_element("defense", "Humour", confidence="low")
    high = f.add_element("defense", "Sublimation", confidence="very high")
    n = {i: node_for(f, i) for i in (plain, sure, gone, low, high)}
    assert n[plain]["opacity"] == 1 and n[plain]["shapeProperties"]["borderDashes"] is False
    assert n[sure]["borderWidth"] > n[plain]["borderWidth"]
    assert n[sure]["color"]["border"] != n[plain]["color"]["border"]
    assert n[gone]["opacity"] < 0.5 and n[gone]["shapeProperties"]["borderDashes"]
    assert n[high]["borderWidth"] > n[low]["borderWidth"]
    assert n[high]["size"] > n[low]["size"]  # hexagons are labelled below: the symbol grows too
    assert [n[i]["status"] for i in (plain, sure, gone)] == ["hypothesis", "supported", "discarded"]


def test_text_inside_a_shape_is_readable(f: Formulation) -> None:
    box = node_for(f, f.add_element("early_experience", "Loss"))  # orange box: dark text
    below = node_for(f, f.add_element("relational_pattern", "Withdraws"))  # label under a square
    assert box["font"]["color"] == "#1F1F1F"
    assert below["font"]["color"] == "#1F1F1F"


def test_node_tooltip_is_plain_text_with_kind_description_confidence_status_and_evidence(
    f: Formulation,
) -> None:
    el = f.add_element(
        "early_experience",
        "Father often absent",
        description="Worked abroad from age 6 to 12.",
        confidence=0.72,
        status="supported",
        time_frame="past",
        tags=["loss", "father"],
        evidence=[
            {"session": 3, "date": "2024-03-18", "quote": "He never came to my games.", "note": "tearful"},
            {"note": "Mother confirms"},
        ],
    )
    tip = node_for(f, el)["title"]
    lines = tip.split("\n")
    assert lines[0] == "Father often absent"
    assert lines[1] == "Early experience · Early experiences"
    assert "Status: supported · Confidence: 0.72 (high)" in lines
    assert "Time frame: past" in lines
    assert "Tags: loss, father" in lines
    assert "Worked abroad from age 6 to 12." in lines
    assert "Evidence (2):" in lines
    assert "• Session 3, 2024-03-18: “He never came to my games.” (tearful)" in lines
    assert "• Undated: Mother confirms" in lines
    unrated = node_for(f, f.add_element("defense", "Denial"))["title"]
    assert "Confidence: not rated" in unrated
    assert "Evidence" not in unrated


def test_labels_are_wrapped_and_cut_on_the_map_but_whole_in_data_and_tooltip(f: Formulation) -> None:
    long = "A very long label about a childhood in which father was away and mother was ill for years"
    node = node_for(f, f.add_element("early_experience", long))
    lines = node["label"].split("\n")
    assert len(lines) == LABEL_LINES
    assert all(len(line) <= LABEL_WIDTH for line in lines)
    assert node["label"].endswith("…")
    assert node["full_label"] == long
    assert node["title"].split("\n")[0] == long
    assert wrap_label("Low mood") == "Low mood"


# --- edges ------------------------------------------------------------------------------


def test_edges_carry_verb_arrow_dashes_and_a_distinct_negative_sign(f: Formulation) -> None:
    past = f.add_element("early_experience", "Father absent")
    fear = f.add_element("unconscious_fear", "Fear of being left")
    mood = f.add_element("present_symptom", "Low mood")
    friends = f.add_element("strength", "Friendships")
    gives = edge_for(f, f.add_link(past, fear, "gives_rise_to", confidence="high"))
    keeps = edge_for(f, f.add_link(fear, mood, "maintains"))
    protects = edge_for(f, f.add_link(friends, mood, "protects_against", weight=0.8))
    assert gives["from"] == past and gives["to"] == fear and gives["kind"] == "gives_rise_to"
    assert gives["label"] == "gives rise to"
    assert gives["arrows"]["to"]["enabled"] is True and gives["arrows"]["to"]["type"] == "arrow"
    assert gives["dashes"] is False and keeps["dashes"] is True
    assert gives["sign"] == 1 and protects["sign"] == -1
    assert protects["arrows"]["to"]["type"] == "bar"
    assert protects["color"]["color"] == NEGATIVE_COLOR != gives["color"]["color"]
    assert gives["width"] > keeps["width"]  # high confidence draws a thicker line
    tip = protects["title"].split("\n")
    assert tip[0] == "Friendships protects against Low mood"
    assert "Link: protects against (lessens: negative sign)" in tip
    assert "Weight: 0.8" in tip


def test_links_that_would_overlap_are_bent(f: Formulation) -> None:
    a = f.add_element("unconscious_wish", "To be cared for")
    b = f.add_element("unconscious_fear", "Fear of being left")
    c = f.add_element("present_symptom", "Low mood")
    down = edge_for(f, f.add_link(b, c, "expressed_as"))
    same_layer = edge_for(f, f.add_link(a, b, "gives_rise_to"))
    first = edge_for(f, f.add_link(b, c, "maintains"))
    assert "smooth" not in down  # a lone link between layers follows the layout
    assert same_layer["smooth"]["type"] == "curvedCW" and same_layer["same_level"] is True
    down_again = edge_for(f, down["id"])
    assert down_again["smooth"]["roundness"] != first["smooth"]["roundness"]


def test_discarded_links_are_faded_and_dotted(f: Formulation) -> None:
    a = f.add_element("defense", "Denial")
    b = f.add_element("unconscious_fear", "Fear")
    edge = edge_for(f, f.add_link(a, b, "defends_against", status="discarded"))
    assert edge["color"]["opacity"] < 0.5
    assert edge["dashes"] == [2, 5]


# --- whole data, highlight, legend ------------------------------------------------------


def test_vis_data_holds_every_element_and_link_as_plain_json(f: Formulation) -> None:
    a = f.add_element("early_experience", PAYLOADS[0], description=PAYLOADS[1])
    b = f.add_element("unconscious_fear", PAYLOADS[2], evidence=[{"quote": PAYLOADS[3]}])
    ln = f.add_link(a, b, "gives_rise_to", description=PAYLOADS[4])
    data = vis_data(f)
    assert [n["id"] for n in data["nodes"]] == [a, b]
    assert [e["id"] for e in data["edges"]] == [ln]
    assert json.loads(json.dumps(data)) == data  # only JSON types, nothing browser-specific
    node_a = data["nodes"][0]
    assert node_a["full_label"] == PAYLOADS[0]  # text kept as it is: escaping belongs to the page
    assert PAYLOADS[1] in node_a["title"]
    assert PAYLOADS[3] in data["nodes"][1]["title"]
    assert PAYLOADS[4] in data["edges"][0]["title"]
    assert all(n["highlighted"] is False and n["opacity"] == 1 for n in data["nodes"])


def test_single_nodes_and_edges_match_the_whole_data(f: Formulation) -> None:
    """The live widget patches single items: they must equal what a full redraw sends."""
    a = f.add_element("unconscious_wish", "A")
    b = f.add_element("unconscious_fear", "B")
    c = f.add_element("present_symptom", "C")
    for source, target, kind in [(a, b, "gives_rise_to"), (b, a, "gives_rise_to"), (b, c, "expressed_as"),
                                 (b, c, "maintains"), (c, b, "triggers"), (a, c, "expressed_as")]:
        f.add_link(source, target, kind)
    data = vis_data(f, highlight=[b])
    assert data["nodes"] == [node_for(f, n["id"], highlight=[b]) for n in data["nodes"]]
    assert data["edges"] == [edge_for(f, e["id"], highlight=[b]) for e in data["edges"]]
    roundness = [e["smooth"]["roundness"] for e in data["edges"] if {e["from"], e["to"]} == {b, c}]
    assert len(set(roundness)) == 3  # three links between B and C, three different bends


def test_highlight_marks_the_chosen_items_and_dims_the_rest(f: Formulation) -> None:
    a = f.add_element("early_experience", "A")
    b = f.add_element("unconscious_fear", "B")
    c = f.add_element("present_symptom", "C")
    ab = f.add_link(a, b, "gives_rise_to")
    bc = f.add_link(b, c, "expressed_as")
    plain = vis_data(f)
    data = vis_data(f, highlight=[b, ab])
    nodes = {n["id"]: n for n in data["nodes"]}
    edges = {e["id"]: e for e in data["edges"]}
    assert nodes[b]["highlighted"] is True and nodes[a]["highlighted"] is False
    assert nodes[b]["borderWidth"] > plain["nodes"][1]["borderWidth"]
    assert nodes[b]["opacity"] == 1 and nodes[a]["opacity"] < 1 and nodes[c]["opacity"] < 1
    assert edges[ab]["highlighted"] is True and edges[ab]["width"] > plain["edges"][0]["width"]
    assert edges[bc]["color"]["opacity"] < 1
    assert node_for(f, b, highlight={b})["highlighted"] is True
    assert vis_data(f, highlight=[]) == plain


def test_legend_lists_every_kind_by_layer_with_colour_and_shape() -> None:
    template = get_template("psychodynamic")
    items = legend_items(template)
    assert {i["kind"] for i in items} == set(template.element_kinds)
    assert [i["layer"] for i in items] == sorted(i["layer"] for i in items)
    first = items[0]
    assert first["kind"] == "early_experience"
    assert (first["name"], first["color"], first["shape"], first["layer_name"]) == (
        "Early experience",
        "#E69F00",
        "box",
        "Early experiences",
    )
    links = {i["kind"]: i for i in link_legend_items(template)}
    assert set(links) == set(template.link_kinds)
    assert links["protects_against"]["arrow"] == "bar" and links["protects_against"]["sign"] == -1
    assert links["maintains"]["dashes"] is True and links["gives_rise_to"]["verb"] == "gives rise to"


# --- assets ------------------------------------------------------------------------------


def test_vis_network_is_vendored_and_its_stylesheet_comes_from_pyvis() -> None:
    js, css = assets.vis_network_js(), assets.vis_network_css()
    assert "vis-network" in js[:300] and "@version 9.1.2" in js[:300]
    assert js == (assets.VENDOR / "vis-network.min.js").read_text(encoding="utf-8")
    assert ".vis-tooltip" in css
    assert assets.vis_network_js() is js and assets.vis_network_css() is css  # read once
    assert assets.vis_network_dir().parts[-4:] == ("pyvis", "templates", "lib", "vis-9.1.2")


def test_missing_vis_network_gives_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assets._read.cache_clear()
    monkeypatch.setattr(assets, "vis_network_dir", lambda: tmp_path)
    monkeypatch.setattr(assets, "VENDOR", tmp_path)
    try:
        with pytest.raises(RenderError, match=r"vis-network.*missing.*pip install"):
            assets.vis_network_css()
        with pytest.raises(RenderError, match=r"vis-network\.min\.js is missing.*pip install"):
            assets.vis_network_js()
    finally:
        monkeypatch.undo()
        assets._read.cache_clear()
    assert assets.vis_network_js() and assets.vis_network_css()


# --- the page ---------------------------------------------------------------------------


def _hostile(f: Formulation) -> Formulation:
    ids = [
        f.add_element(
            "early_experience",
            payload,
            description=payload,
            notes=payload,
            evidence=[{"session": 1, "quote": payload, "note": payload}],
        )
        for payload in PAYLOADS
    ]
    for a, b in itertools.pairwise(ids):
        f.add_link(a, b, "maintains", description=PAYLOADS[0])
    return f


def test_page_is_offline_and_inlines_vis_network(f: Formulation) -> None:
    page = render_html(_hostile(f))
    assert not re.search(r"""(?:src|href|action)\s*=\s*["']?\s*(?:https?:)?//""", page, flags=re.IGNORECASE)
    assert not re.search(r"@import|url\(\s*['\"]?\s*(?:https?:)?//", page, flags=re.IGNORECASE)
    assert "<link" not in page.lower()
    assert not re.search(r"<script[^>]*\bsrc\s*=", page, flags=re.IGNORECASE)
    assert assets.vis_network_js() in page
    assert assets.vis_network_css() in page
    assert f'<meta http-equiv="Content-Security-Policy" content="{CSP.replace(chr(39), "&#x27;")}">' in page
    assert "default-src 'none'" in CSP and "connect-src" not in CSP  # default-src covers fetch/XHR/WebSocket
    assert page.index("Content-Security-Policy") < page.index("<style")


def test_the_map_builder_comes_before_the_scripts_that_use_it(f: Formulation) -> None:
    """wbBuildMap (render/map_build.js) puts the map on the canvas in slices, on the page and the live map."""
    page = render_html(f)
    builder = page.index("function wbBuildMap(")
    assert builder > page.index(assets.vis_network_js()[-200:])
    assert builder < page.index("function wbEdgeLabels(") < page.index("wbBuildMap(network, data.nodes")
    from workbench.ui.graph_view import GraphView

    script = GraphView._esm
    assert script.index("function wbBuildMap(") < script.rindex("wbBuildMap(network, nodeItems")


def test_hostile_text_never_appears_unescaped_in_the_page(f: Formulation) -> None:
    _hostile(f)
    f.update_meta(title=PAYLOADS[1], case_id=PAYLOADS[0])
    page = render_html(f)
    for payload in PAYLOADS:
        if any(ch in payload for ch in "<>&\"\u2028"):
            assert payload not in page, f"unescaped: {payload!r}"
    assert "\u2028" not in page and "\u2029" not in page
    blocks = _script_blocks(page)
    # the data, the map's start (options), vis-network and the page's own script
    assert len(blocks) == 4, "a label closed or opened a script element"
    ours = page.replace(assets.vis_network_js(), "").lower()  # the library has a harmless "<script>" string
    assert ours.count("<script") == 4 and ours.count("</script") == 4
    assert "&lt;img src=x onerror=&quot;window.__pwned=2&quot;&gt;" in page  # the escaped heading
    data = _data_block(page)
    labels = [n["full_label"] for n in data["nodes"]]  # type: ignore[index]
    assert labels == PAYLOADS  # the JSON decodes back to the very same text


def test_page_header_shows_case_template_version_and_title_override(f: Formulation) -> None:
    f.add_element("present_symptom", "Low mood")
    f.base_version, f.modified = 7, False  # as the file layer leaves a loaded formulation
    page = render_html(f, title="Supervision <copy>")
    assert '<h1 id="wb-title">Supervision &lt;copy&gt;</h1>' in page
    sub = re.search(r'<p class="wb-sub" id="wb-sub">(.*?)</p>', page)
    assert sub and sub.group(1) == "Case C-1 · Psychodynamic formulation · version 7 · 1 element · 0 links"
    f.add_element("present_symptom", "Insomnia")
    assert "version 7 · unsaved changes · 2 elements" in render_html(f)
    assert "<title>Supervision &lt;copy&gt; — C-1</title>" in page
    for kind in f.template.element_kinds.values():
        assert f'<li data-kind="{kind.id}"' in page and kind.name in page


def test_page_carries_options_and_highlight(f: Formulation) -> None:
    a = f.add_element("present_symptom", "Low mood")
    f.add_element("present_symptom", "Insomnia")
    data = _data_block(render_html(f, highlight=[a], direction="LR"))
    assert data["options"]["layout"]["hierarchical"]["direction"] == "LR"  # type: ignore[index]
    assert [n["highlighted"] for n in data["nodes"]] == [True, False]  # type: ignore[index]


def test_rendering_is_deterministic_and_works_when_empty(f: Formulation) -> None:
    empty = render_html(f)
    assert _data_block(empty)["nodes"] == []
    assert "has no elements yet" in empty
    f.add_element("defense", "Denial")
    assert render_html(f) == render_html(f)


def test_render_html_is_public_api() -> None:
    assert "render_html" in workbench.__all__
    assert workbench.render_html is render_html


def test_json_for_script_escapes_what_could_end_a_script() -> None:
    value = {"a": "</script><!-- & \u2028\u2029 >", "b": [1, 2.5, None, True]}
    text = json_for_script(value)
    for char in "<>&\u2028\u2029":
        assert char not in text
    assert json.loads(text) == value


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1, max_size=120).filter(lambda s: s.strip()))
def test_any_label_survives_the_page_exactly(label: str) -> None:
    f = Formulation.new(case_id="P-1")
    el = f.add_element("defense", label)
    node = node_for(f, el)
    assert node["full_label"] == label.strip()
    assert len(node["label"].split("\n")) <= LABEL_LINES
    text = json_for_script(vis_data(f))
    assert "</" not in text and "<!--" not in text
    assert json.loads(text)["nodes"][0]["full_label"] == label.strip()


def test_to_pyvis_network_uses_the_same_styling(f: Formulation) -> None:
    a = f.add_element("early_experience", "Father absent", description="see href notes")
    b = f.add_element("unconscious_fear", "Fear")
    f.add_link(a, b, "gives_rise_to")
    net = to_pyvis_network(f)
    assert [n["id"] for n in net.nodes] == [a, b]
    assert net.nodes[0]["shape"] == "box" and net.nodes[0]["color"]["background"] == "#E69F00"
    assert net.nodes[0]["level"] == 0 and net.edges[0]["label"] == "gives rise to"
    assert "href" not in net.nodes[0]["title"]  # keeps pyvis from switching tooltips to innerHTML
    page = net.generate_html()
    assert "Father absent" in page
