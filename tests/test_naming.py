"""Tests of workbench.model.naming: naming an element by its label, part of it, or its name."""

from __future__ import annotations

import pytest

import workbench
from workbench.errors import AmbiguousElement, ElementNotFound
from workbench.model import element_name, element_names, match_elements, resolve_element


def case() -> tuple[workbench.Formulation, dict[str, str]]:
    f = workbench.new(case_id="N-1")
    ids = {
        "low": f.add_element("present_symptom", "Low mood since being passed over"),
        "lowself": f.add_element("present_symptom", "Low self-esteem"),
        "mother_past": f.add_element("early_experience", "Mother often ill"),
        "mother_tr": f.add_element("transference", "Mother often ill"),
        "panic1": f.add_element("present_symptom", "Panic"),
        "panic2": f.add_element("present_symptom", "Panic"),
        "mood": f.add_element("present_symptom", "Low mood"),
    }
    return f, ids


def test_an_exact_label_wins_over_labels_that_contain_it() -> None:
    f, ids = case()
    assert resolve_element(f, "Low mood") == ids["mood"]
    assert resolve_element(f, "  LOW   mood ") == ids["mood"]  # case and spacing do not matter


def test_an_unambiguous_part_of_a_label_names_the_element() -> None:
    f, ids = case()
    assert resolve_element(f, "passed over") == ids["low"]
    assert resolve_element(f, "SELF-ESTEEM") == ids["lowself"]
    assert resolve_element(f, "mood passed") == ids["low"]  # every word, in any order


def test_several_matches_are_named_in_the_message() -> None:
    f, ids = case()
    with pytest.raises(AmbiguousElement) as err:
        resolve_element(f, "low")
    assert set(err.value.matches) == {ids["low"], ids["lowself"], ids["mood"]}
    message = str(err.value)
    assert message.startswith("'low' matches 3 elements: ")
    assert "Low self-esteem (Present symptom or problem)" in message
    assert "Type more of the label" in message
    assert "el-" not in message  # names, not raw ids


def test_duplicates_are_told_apart_by_kind_then_by_number() -> None:
    f, ids = case()
    names = element_names(f)
    assert names["Mother often ill (Early experience)"] == ids["mother_past"]
    assert names["Mother often ill (Transference)"] == ids["mother_tr"]
    assert names["Panic (Present symptom or problem 1)"] == ids["panic1"]
    assert names["Panic (Present symptom or problem 2)"] == ids["panic2"]
    assert element_name(f, ids["panic2"]) == "Panic (Present symptom or problem 2)"
    with pytest.raises(AmbiguousElement):
        resolve_element(f, "Mother often ill")
    assert resolve_element(f, "mother often ill (transference)") == ids["mother_tr"]
    assert resolve_element(f, "Panic (Present symptom or problem 2)") == ids["panic2"]
    assert resolve_element(f, "ill (early") == ids["mother_past"]  # part of the name counts too


def test_ids_and_nothing_found() -> None:
    f, ids = case()
    assert resolve_element(f, ids["panic1"]) == ids["panic1"]
    assert match_elements(f, "") == [] and match_elements(f, "   ") == []
    with pytest.raises(ElementNotFound, match="There is no element called 'grief'"):
        resolve_element(f, "grief")
    with pytest.raises(ElementNotFound, match="Type the label"):
        resolve_element(f, " ")
