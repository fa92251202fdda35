"""diff() and apply_diff(): field-by-field differences between formulations, and applying them."""

from __future__ import annotations

from dataclasses import replace

import pytest
from fileformat_helpers import fixed_clock, same_fields, sample

import workbench
from workbench.diffing import FormulationDiff, RecordChange, apply_diff, diff, patch
from workbench.errors import DiffDoesNotApply, ElementInUse


@pytest.fixture
def a() -> workbench.Formulation:
    with fixed_clock():
        return sample()


def test_equal_formulations_give_an_empty_diff(a: workbench.Formulation) -> None:
    d = diff(a, a.copy())
    assert d.is_empty
    assert d.summary() == "No changes"
    assert d.to_frame().empty
    assert list(d.to_frame().columns) == ["what", "id", "change", "field", "old", "new", "label"]


def test_added_removed_and_changed_records_field_by_field(a: workbench.Formulation) -> None:
    b = a.copy()
    with fixed_clock("2026-02-01T00:00:00"):
        b.update_element("el-0001", label="Father left when she was 6", tags=["loss"])
        b.remove_element("el-0003", cascade=True)
        new = b.add_element("present_symptom", "Low mood", id="el-0009")
        b.add_link("el-0002", new, "expressed_as", id="ln-0009")
        b.resolve_comment("cm-0002")
        b.update_meta(title="Renamed case")
    d = diff(a, b)

    assert [el.id for el in d.elements_added] == ["el-0009"]
    assert [el.id for el in d.elements_removed] == ["el-0003"]
    assert d.elements_removed[0] == a.element("el-0003")
    assert d.elements_changed == [
        RecordChange(
            "el-0001",
            {
                "label": ("Father often absent", "Father left when she was 6"),
                "tags": (("loss", "father"), ("loss",)),
                "updated": (a.element("el-0001").updated, "2026-02-01T00:00:01Z"),
            },
        )
    ]
    assert [ln.id for ln in d.links_added] == ["ln-0009"]
    assert [ln.id for ln in d.links_removed] == ["ln-0002"]  # went with the removed element
    assert d.links_changed == []
    assert d.comments_changed == [RecordChange("cm-0002", {"resolved": (False, True)})]
    assert d.meta_changed == {"title": ("Teaching case", "Renamed case")}
    assert d.summary() == (
        "1 element added, 1 element removed, 1 element changed, 1 link added, 1 link removed, "
        "1 comment changed, case details changed (title)"
    )
    assert not d.is_empty


def test_to_frame_has_one_row_per_record_or_changed_field(a: workbench.Formulation) -> None:
    b = a.copy()
    b.update_element("el-0002", label="Fear of abandonment", status="hypothesis")
    b.remove_link("ln-0001")
    frame = diff(a, b).to_frame()
    rows = {(r.what, r.id, r.change, r.field) for r in frame.itertuples()}
    assert ("element", "el-0002", "changed", "label") in rows
    assert ("element", "el-0002", "changed", "status") in rows
    assert ("link", "ln-0001", "removed", "") in rows
    label_row = frame[(frame["id"] == "el-0002") & (frame["field"] == "label")].iloc[0]
    assert (label_row["old"], label_row["new"]) == ("Fear of being left", "Fear of abandonment")
    assert label_row["label"] == "Fear of abandonment"
    link_row = frame[frame["id"] == "ln-0001"].iloc[0]
    assert link_row["old"] is None and link_row["new"] is None
    assert link_row["label"] == "Father often absent gives rise to Fear of being left"


def test_summary_counts_plurals() -> None:
    d = FormulationDiff(elements_added=[], links_changed=[RecordChange("ln-1", {"weight": (1.0, 2.0)})] * 2)
    assert d.summary() == "2 links changed"


def test_apply_diff_reproduces_b_exactly_and_leaves_a_alone(a: workbench.Formulation) -> None:
    before = a.copy()
    b = a.copy()
    with fixed_clock("2026-03-01T00:00:00"):
        b.update_element("el-0001", kind="early_experience", description="New", evidence=[{"session": 4}])
        b.update_link("ln-0001", weight=-0.5, target="el-0003", kind="gives_rise_to")
        b.remove_element("el-0002", cascade=True)
        b.add_comment("New remark", author="Dr Ng", target="el-0001", id="cm-0009")
    result = apply_diff(a, diff(a, b))
    assert result == b
    same_fields(result, b)
    assert a == before  # pure: the input is unchanged
    assert result is not a


def test_apply_diff_moves_a_link_from_a_removed_element_to_a_new_one(a: workbench.Formulation) -> None:
    b = a.copy()
    new = b.add_element("unconscious_wish", "Wish to be cared for", id="el-0010")
    b.update_link("ln-0001", target=new)
    b.update_link("ln-0002", target=new)
    b.remove_element("el-0002", cascade=True)
    assert apply_diff(a, diff(a, b)) == b


def test_apply_diff_refuses_changes_that_do_not_fit(a: workbench.Formulation) -> None:
    b = a.copy()
    b.update_element("el-0001", label="Changed")
    d = diff(a, b)
    other = a.copy()
    other.update_element("el-0001", label="Someone else's label")
    with pytest.raises(DiffDoesNotApply, match="expect label 'Father often absent' on element 'el-0001'"):
        apply_diff(other, d)
    with pytest.raises(DiffDoesNotApply, match="add element 'el-0001', which is already there"):
        apply_diff(a, FormulationDiff(elements_added=[a.element("el-0001")]))
    with pytest.raises(DiffDoesNotApply, match="remove link 'ln-404', which is not there"):
        apply_diff(a, FormulationDiff(links_removed=[replace(a.link("ln-0001"), id="ln-404")]))


def test_patch_changes_in_place_and_remove_records_does_not_cascade(a: workbench.Formulation) -> None:
    b = a.copy()
    b.remove_comment("cm-0001")
    patch(a, diff(a, b))
    assert a == b
    with pytest.raises(ElementInUse):
        a.remove_records(elements=["el-0002"])  # links still use it: no silent cascade
    a.remove_records(links=["ln-0001", "ln-0002"], elements=["el-0002"])
    assert not a.has_element("el-0002")
    assert [c.id for c in a.comment_records()] == ["cm-0002"]


def test_template_switch_cannot_be_applied(a: workbench.Formulation) -> None:
    other = workbench.new("ccrt", case_id="C-017", title="Teaching case", clinician="Dr Rivera")
    d = diff(a.copy(), other)
    assert "template" in d.meta_changed
    with pytest.raises(workbench.errors.WorkbenchError):
        apply_diff(a, d)
