"""The CCRT scored from relationship episodes, checked against figures worked out by hand."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import workbench
from workbench.analysis.ccrt import FRAME_COLUMNS, NotACCRTFormulation, ccrt_score
from workbench.model import Formulation
from workbench.templates import get_template, load_template

ROOT = Path(__file__).resolve().parents[1]
TEACHING = ROOT / "notebooks" / "cases" / "teaching"


def four_episodes() -> tuple[Formulation, dict[str, str]]:
    """Four episodes, worked by hand:

    ====  ===========  =====================  ==================
    RE    W            RO                     RS
    ====  ===========  =====================  ==================
    RE1   a (W6)       x (RO5), actual        p (RS7)
    RE2   b (W1)       y (RO8), expected      q (RS5)
    RE3   a, b         x, actual              none
    RE4   none         x, actual              p
    ====  ===========  =====================  ==================

    Links: a met negatively by x, b met positively by y, x followed negatively by p,
    y followed positively by q.

    W: W6 in RE1, RE3 and W1 in RE2, RE3: a tie, 2 of 4 episodes (0.5) each; RE4 has no W.
    RO: RO5 in RE1, RE3, RE4 = 3 of 4 (0.75), negative in each (in RE4 through the fallback to
    any wish's link, since RE4 has no wish), actual; RO8 in RE2 = 1 (0.25), positive, expected.
    RS: RS7 in RE1, RE4 = 2 of 4 (0.5), negative; RS5 in RE2 = 1, positive; RE3 has no RS.
    """
    f = workbench.new("ccrt", case_id="T-CCRT")
    ids = {}
    kinds = ("episode_current", "episode_past", "episode_therapist", "episode_current")
    for n, kind in enumerate(kinds, start=1):
        ids[f"re{n}"] = f.add_element(kind, f"RE {n}")
    ids["a"] = f.add_element("wish", "To be heard", code="W6")
    ids["b"] = f.add_element("wish", "To decide for himself", code="W1")
    ids["x"] = f.add_element("response_of_other", "Talks over him", code="RO5")
    ids["y"] = f.add_element("response_of_other", "Takes him seriously", code="RO8")
    ids["p"] = f.add_element("response_of_self", "Goes quiet", code="RS7")
    ids["q"] = f.add_element("response_of_self", "Feels steady", code="RS5")
    for re, target, kind in [
        ("re1", "a", "expresses"), ("re1", "x", "contains"), ("re1", "p", "contains"),
        ("re2", "b", "expresses"), ("re2", "y", "expects"), ("re2", "q", "contains"),
        ("re3", "a", "expresses"), ("re3", "b", "expresses"), ("re3", "x", "contains"),
        ("re4", "x", "contains"), ("re4", "p", "contains"),
    ]:
        f.add_link(ids[re], ids[target], kind)
    f.add_link(ids["a"], ids["x"], "met_negatively")
    f.add_link(ids["b"], ids["y"], "met_positively")
    f.add_link(ids["x"], ids["p"], "followed_negatively")
    f.add_link(ids["y"], ids["q"], "followed_positively")
    return f, ids


def test_frequency_and_pervasiveness_by_hand() -> None:
    f, ids = four_episodes()
    score = ccrt_score(f)
    assert len(score.episodes) == 4
    ro = {c.category: c for c in score.component("RO").categories}
    assert (ro["RO5"].frequency, ro["RO5"].pervasiveness) == (3, 0.75)
    assert ro["RO5"].episodes == (ids["re1"], ids["re3"], ids["re4"])
    assert (ro["RO8"].frequency, ro["RO8"].pervasiveness) == (1, 0.25)
    rs = {c.category: c for c in score.component("RS").categories}
    assert (rs["RS7"].frequency, rs["RS7"].pervasiveness) == (2, 0.5)
    assert (rs["RS5"].frequency, rs["RS5"].pervasiveness) == (1, 0.25)
    assert [c.category for c in score.component("RO").ccrt] == ["RO5"]
    assert [c.category for c in score.component("RS").ccrt] == ["RS7"]
    assert not score.component("RO").ccrt[0].tie


def test_ties_are_shown_as_ties() -> None:
    f, _ids = four_episodes()
    score = ccrt_score(f)
    wishes = score.component("W").ccrt
    assert sorted(c.category for c in wishes) == ["W1", "W6"]
    assert all(c.tie and c.frequency == 2 and c.pervasiveness == 0.5 for c in wishes)
    line = score.summary()[0]
    assert "tied with" in line and "(a tie)" in line and "2 of 4 episodes (50%)" in line


def test_episodes_missing_a_component_count_in_the_denominator_and_are_named() -> None:
    f, ids = four_episodes()
    score = ccrt_score(f)
    assert score.component("W").missing == (ids["re4"],)
    assert score.component("RS").missing == (ids["re3"],)
    assert score.component("RO").missing == ()
    by_id = {ep.id: ep for ep in score.episodes}
    assert by_id[ids["re3"]].missing == ("RS",)
    assert by_id[ids["re4"]].missing == ("W",)
    assert score.summary()[-1] == "4 relationship episodes; 2 lack a component (RE 3: no RS; RE 4: no W)."


def test_positive_negative_and_expected_actual() -> None:
    f, ids = four_episodes()
    score = ccrt_score(f)
    ro = {c.category: c for c in score.component("RO").categories}
    assert (ro["RO5"].positive, ro["RO5"].negative, ro["RO5"].actual, ro["RO5"].expected) == (0, 3, 3, 0)
    assert (ro["RO8"].positive, ro["RO8"].negative, ro["RO8"].actual, ro["RO8"].expected) == (1, 0, 0, 1)
    rs = {c.category: c for c in score.component("RS").categories}
    assert (rs["RS7"].positive, rs["RS7"].negative) == (0, 2)
    assert (rs["RS5"].positive, rs["RS5"].negative) == (1, 0)
    assert score.component("RO").valence_counts() == {"positive": 1, "negative": 3, "mixed": 0, "": 0}
    assert score.component("RO").reality_counts() == {"actual": 3, "expected": 1}
    assert "RO scored 4 times: 1 positive, 3 negative; 3 actual, 1 expected." in score.summary()
    re2 = next(ep for ep in score.episodes if ep.id == ids["re2"])
    (y,) = re2.component("RO")
    assert (y.valence, y.reality) == ("positive", "expected")


def test_valence_comes_from_the_episodes_own_wish_first() -> None:
    # x is met negatively by a and positively by b: in an episode with only b it is positive,
    # with only a negative, with both (or neither: every link counts) mixed.
    f = workbench.new("ccrt", case_id="T-2")
    a = f.add_element("wish", "To be heard")
    b = f.add_element("wish", "To be left alone")
    x = f.add_element("response_of_other", "Leaves the room")
    f.add_link(a, x, "met_negatively")
    f.add_link(b, x, "met_positively")
    episodes = {}
    for name, wishes in (("only a", [a]), ("only b", [b]), ("both", [a, b]), ("neither", [])):
        ep = f.add_element("episode_current", name)
        episodes[name] = ep
        for w in wishes:
            f.add_link(ep, w, "expresses")
        f.add_link(ep, x, "contains")
    score = ccrt_score(f)
    valence = {ep.label: ep.component("RO")[0].valence for ep in score.episodes}
    assert valence == {"only a": "negative", "only b": "positive", "both": "mixed", "neither": "mixed"}
    (count,) = score.component("RO").categories
    assert (count.positive, count.negative, count.unmarked) == (3, 3, 0)


def test_unmarked_responses_and_tailor_made_categories() -> None:
    # Uncoded elements are their own (tailor-made) categories, named by their labels; with no link
    # from a wish, a response is unmarked. Nothing coded: no cluster level.
    f = workbench.new("ccrt", case_id="T-3")
    heard = f.add_element("wish", "To be heard")
    cut = f.add_element("response_of_other", "Cuts him short")
    for n in (1, 2):
        ep = f.add_element("episode_current", f"RE {n}")
        f.add_link(ep, heard, "expresses")
        f.add_link(ep, cut, "contains")
    score = ccrt_score(f)
    (w,) = score.component("W").ccrt
    assert (w.category, w.name, w.coded) == (heard, "To be heard", False)
    assert (w.frequency, w.pervasiveness) == (2, 1.0)
    assert score.component("W").clusters == ()
    (ro,) = score.component("RO").categories
    assert (ro.unmarked, ro.positive, ro.negative) == (2, 0, 0)
    assert score.summary()[0] == "W (wish): “To be heard”, in 2 of 2 episodes (100%)."
    assert score.summary()[2] == "RS (response of self): not scored in any episode."
    assert "RO scored 2 times: 0 positive, 0 negative, 2 not marked; 2 actual, 0 expected." in score.summary()


def test_a_category_counts_once_per_episode() -> None:
    f = workbench.new("ccrt", case_id="T-4")
    ep = f.add_element("episode_past", "RE 1")
    for label in ("To be close", "To be held"):
        f.add_link(ep, f.add_element("wish", label, code="W5"), "expresses")
    (w5,) = ccrt_score(f).component("W").categories
    assert (w5.frequency, w5.pervasiveness, w5.labels) == (1, 1.0, ("To be close", "To be held"))


def test_discarded_elements_and_links_are_left_out() -> None:
    f, ids = four_episodes()
    f.update_element(ids["re4"], status="discarded")
    score = ccrt_score(f)
    assert len(score.episodes) == 3
    ro = {c.category: c for c in score.component("RO").categories}
    assert (ro["RO5"].frequency, ro["RO5"].pervasiveness) == (2, 2 / 3)
    link = next(ln.id for ln in f.link_records() if ln.source == ids["re2"] and ln.target == ids["q"])
    f.update_link(link, status="discarded")
    assert ccrt_score(f).component("RS").missing == (ids["re2"], ids["re3"])


def test_categories_count_for_their_cluster(tmp_path: Path) -> None:
    # A site that holds the manual adds standard categories to the clusters; W6a and W6b are
    # different categories of cluster W6. By category: a three-way tie (1 of 3 each);
    # by cluster: W6 in 2 of 3 episodes.
    text = (ROOT / "templates" / "ccrt.toml").read_text(encoding="utf-8")
    text = text.replace('id = "ccrt"\n', 'id = "ccrt_site"\n', 1)
    marker = '  { id = "W8", name = "To achieve and help others" },\n]\n'  # the end of the wish clusters
    assert marker in text
    codes = "".join(f'\n[[code_sets.codes]]\nid = "{code}"\nname = "{name}"\ncluster = "W6"\n'
                    for code, name in (("W6a", "To be understood"), ("W6b", "To be loved")))
    text = text.replace(marker, marker + codes)
    path = tmp_path / "ccrt_site.toml"
    path.write_text(text, encoding="utf-8")
    f = workbench.new(load_template(path), case_id="T-5")
    for n, code in enumerate(("W6a", "W6b", "W1"), start=1):
        ep = f.add_element("episode_current", f"RE {n}")
        f.add_link(ep, f.add_element("wish", f"wish {n}", code=code), "expresses")
    w = ccrt_score(f).component("W")
    assert [(c.category, c.frequency, c.tie) for c in w.ccrt] == [("W6a", 1, True), ("W6b", 1, True),
                                                                 ("W1", 1, True)]
    clusters = [(c.category, c.name, c.frequency) for c in w.ccrt_clusters]
    assert clusters == [("W6", "To be loved and understood", 2)]
    frame = ccrt_score(f).to_frame()
    rows = frame[(frame["component"] == "W") & (frame["level"] == "cluster")]
    assert rows.set_index("category")["frequency"].to_dict() == {"W6": 2, "W1": 1}
    by_cluster = "By cluster: W6 “To be loved and understood”, in 2 of 3 episodes (67%)."
    assert by_cluster in ccrt_score(f).summary()[0]


def test_to_frame_holds_every_category_and_cluster() -> None:
    f, _ids = four_episodes()
    frame = ccrt_score(f).to_frame()
    assert list(frame.columns) == FRAME_COLUMNS
    categories = frame[frame["level"] == "category"]
    assert len(categories) == 6 and len(frame) == 12  # every code here is a cluster id
    ro5 = categories[categories["category"] == "RO5"].iloc[0]
    assert (ro5["frequency"], ro5["pervasiveness"], bool(ro5["ccrt"]), ro5["negative"]) == (3, 0.75, True, 3)


def test_episodes_frame_marks_each_component() -> None:
    f, ids = four_episodes()
    table = ccrt_score(f).episodes_frame().set_index("episode")
    assert table.loc[ids["re2"], "RO"] == "Takes him seriously [RO8] (positive, expected)"
    assert table.loc[ids["re4"], "missing"] == "W"
    assert table.loc[ids["re3"], "W"] == "To be heard [W6]; To decide for himself [W1]"


def test_a_formulation_without_episodes_is_refused_in_a_sentence() -> None:
    f = workbench.new("psychodynamic", case_id="T-6")
    with pytest.raises(NotACCRTFormulation, match=r"needs a CCRT formulation \(template 'ccrt'\)"):
        ccrt_score(f)


def test_an_empty_ccrt_formulation_says_so() -> None:
    score = ccrt_score(workbench.new("ccrt", case_id="T-7"))
    assert score.episodes == () and score.component("W").ccrt == ()
    assert score.summary() == ["No relationship episodes are scored yet."]


def test_files_made_before_expects_existed_load_and_score_as_actual() -> None:
    # tests/data/templates_v1 holds a CCRT case written with template version 1 (no "expects" link).
    f = workbench.load(ROOT / "tests" / "data" / "templates_v1" / "ccrt_unheard_colleague.formulation.json")
    assert get_template("ccrt").version >= 2
    score = ccrt_score(f)
    assert score.component("RO").reality_counts()["expected"] == 0
    assert score.component("RO").reality_counts()["actual"] > 0


def test_the_teaching_case_has_a_ccrt() -> None:
    f = workbench.load(TEACHING / "ccrt_unheard_colleague.formulation.json")
    score = ccrt_score(f)
    assert [c.category for c in score.component("W").ccrt] == ["W6"]
    assert [c.category for c in score.component("RO").ccrt] == ["RO5"]
    assert [c.category for c in score.component("RS").ccrt] == ["RS7"]
    assert score.component("RO").reality_counts()["expected"] == 1  # the RO in the episode with the therapist


# --- property: the counts agree with a plain count of the episodes' codes ------------------------

CODES = {"wish": ["W1", "W5", "W6"], "response_of_other": ["RO2", "RO5"], "response_of_self": ["RS6", "RS7"]}
COMPONENT_OF = {"wish": "W", "response_of_other": "RO", "response_of_self": "RS"}


@st.composite
def scored_episodes(draw: st.DrawFn) -> tuple[Formulation, list[dict[str, set[str]]]]:
    """Random episodes, each linked to some coded components; returns the codes each episode holds."""
    f = workbench.new("ccrt", case_id="P")
    elements = {kind: [f.add_element(kind, f"{code} element", code=code) for code in codes]
                for kind, codes in CODES.items()}
    held: list[dict[str, set[str]]] = []
    for n in range(draw(st.integers(min_value=0, max_value=6))):
        episode = f.add_element("episode_current", f"RE {n}")
        codes: dict[str, set[str]] = {"W": set(), "RO": set(), "RS": set()}
        for kind, ids in elements.items():
            for element in draw(st.lists(st.sampled_from(ids), max_size=3, unique=True)):
                link = "expresses" if kind == "wish" else draw(st.sampled_from(["contains", "expects"]))
                if kind == "response_of_self":
                    link = "contains"
                f.add_link(episode, element, link)
                codes[COMPONENT_OF[kind]].add(str(f.element(element).code))
        held.append(codes)
    return f, held


@settings(max_examples=60, deadline=None)
@given(scored_episodes())
def test_frequencies_pervasiveness_and_the_ccrt_agree_with_a_plain_count(
    case: tuple[Formulation, list[dict[str, set[str]]]],
) -> None:
    f, held = case
    score = ccrt_score(f)
    assert len(score.episodes) == len(held)
    for component in ("W", "RO", "RS"):
        expected = {code: sum(code in ep[component] for ep in held)
                    for code in {c for ep in held for c in ep[component]}}
        counts = {c.category: c for c in score.component(component).categories}
        assert {code: c.frequency for code, c in counts.items()} == expected
        for c in counts.values():
            assert c.pervasiveness == c.frequency / len(held)
        top = max(expected.values(), default=0)
        assert {c.category for c in score.component(component).ccrt} == {
            code for code, n in expected.items() if n == top}
        tied = sum(n == top for n in expected.values()) > 1
        assert all(c.tie == tied for c in score.component(component).ccrt)
        assert len(score.component(component).missing) == sum(not ep[component] for ep in held)


def test_a_sites_copy_of_the_version_1_template_still_gets_its_ccrt(tmp_path: Path) -> None:
    # A site that copied the version 1 template (no [analysis.ccrt], no "expects") to add its
    # standard categories keeps the CCRT summary: the shipped kinds are recognised.
    path = tmp_path / "ccrt.toml"
    text = (ROOT / "tests" / "data" / "templates_v1" / "ccrt_template_v1.toml").read_text(encoding="utf-8")
    path.write_text(text.replace('id = "ccrt"\n', 'id = "ccrt_site"\n', 1), encoding="utf-8")
    f = workbench.new(load_template(path), case_id="T-8")
    episode = f.add_element("episode_past", "RE 1")
    f.add_link(episode, f.add_element("response_of_other", "Leaves", code="RO5"), "contains")
    (ro,) = ccrt_score(f).component("RO").ccrt
    assert (ro.category, ro.actual, ro.expected) == ("RO5", 1, 0)
