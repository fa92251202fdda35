"""Property tests (hypothesis) for the tracer and the agreement figures."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

import workbench
from workbench.analysis import cohens_kappa, cycles, jaccard, roots_of
from workbench.analysis.compare import kappa_terms
from workbench.analysis.trace import consequences_of
from workbench.model import Formulation

KINDS = ["early_experience", "unconscious_fear", "defense", "present_symptom", "relational_pattern"]


@st.composite
def formulations(draw: st.DrawFn) -> Formulation:
    """Random small psychodynamic formulations linked with 'maintains' and 'defends_against'."""
    f = workbench.new(case_id="P")
    n = draw(st.integers(min_value=1, max_value=7))
    ids = [f.add_element(draw(st.sampled_from(KINDS)), f"e{i}") for i in range(n)]
    for _ in range(draw(st.integers(min_value=0, max_value=14))):
        a, b = draw(st.sampled_from(ids)), draw(st.sampled_from(ids))
        defended = f.element(b).kind == "unconscious_fear" and f.element(a).kind == "defense"
        f.add_link(a, b, "defends_against" if defended and draw(st.booleans()) else "maintains")
    return f


@settings(max_examples=60, deadline=None)
@given(formulations(), st.data())
def test_every_traced_path_is_a_simple_chain_of_real_links(f: Formulation, data: st.DataObject) -> None:
    target = data.draw(st.sampled_from([el.id for el in f.element_records()]))
    for tracer, end in ((roots_of, -1), (consequences_of, 0)):
        paths = tracer(f, target, max_length=4)
        assert len({(p.elements, p.links) for p in paths}) == len(paths)  # no path twice
        for p in paths:
            assert p.elements[end] == target
            assert len(set(p.elements)) == len(p.elements)  # simple
            assert len(p.links) == len(p.elements) - 1 == len(p.backward) <= 4
            for i, link_id in enumerate(p.links):
                ln = f.link(link_id)
                ends = (p.elements[i], p.elements[i + 1])
                assert (ln.source, ln.target) == (ends[::-1] if p.backward[i] else ends)
                assert p.backward[i] == (ln.kind == "defends_against")
            assert p.sentence.endswith(".")


@settings(max_examples=60, deadline=None)
@given(formulations())
def test_every_cycle_closes_through_its_links(f: Formulation) -> None:
    table = cycles(f)
    for row in table.to_dict("records"):
        nodes, links = row["elements"], row["links"]
        assert len(nodes) == len(links) == row["length"]
        for i, link_id in enumerate(links):
            ln = f.link(link_id)
            assert (ln.source, ln.target) == (nodes[i], nodes[(i + 1) % len(nodes)])
    assert len(set(table["elements"])) == len(table)  # each cycle once, in one canonical rotation


codes = st.lists(st.tuples(st.sampled_from("abcd"), st.sampled_from("abcd")), min_size=1, max_size=30)


@settings(max_examples=200, deadline=None)
@given(codes)
def test_kappa_is_bounded_symmetric_and_exact(pairs: list[tuple[str, str]]) -> None:
    a = [x for x, _ in pairs]
    b = [y for _, y in pairs]
    observed, expected = kappa_terms(a, b)
    assert observed == Fraction(sum(x == y for x, y in pairs), len(pairs))
    assert kappa_terms(b, a) == (observed, expected)
    value = cohens_kappa(a, b)
    if expected == 1:
        assert value != value  # NaN: undefined
    else:
        assert -1 <= value <= 1
        assert value == float((observed - expected) / (1 - expected))
        assert (value == 1.0) == (a == b)


@given(st.integers(0, 20), st.integers(0, 20), st.integers(0, 20))
def test_jaccard_is_a_proportion(shared: int, extra_a: int, extra_b: int) -> None:
    n_a, n_b = shared + extra_a, shared + extra_b
    if n_a == n_b == 0:
        return
    value = jaccard(shared, n_a, n_b)
    assert 0 <= value <= 1
    assert value == jaccard(shared, n_b, n_a)
    assert (value == 1) == (extra_a == extra_b == 0)
