"""Share-safe copies: private material is stripped, structure kept, identifying details warned about."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.export.share_safe import WARNING_COLUMNS, identifying_details, scan_text, share_safe
from workbench.model import Formulation


@pytest.fixture
def case() -> Formulation:
    f = Formulation.new(
        case_id="Miller-0423",
        title="Miller-0423: Ms K., 34-year-old teacher",
        clinician="Dr. Ruth Weber",
        description="Referred by GP on 12/03/2024.",
    )
    past = f.add_element(
        "early_experience",
        "Father often absent",
        description="Left the family when she was six.",
        notes="Client asked me not to tell her sister Claire.",
        evidence=[
            {"session": 2, "date": "2024-03-18", "quote": "Dad never came to my games.", "note": "tearful"},
            {"session": 5, "quote": "Tom at 14 Elm Road said the same."},
        ],
        confidence=0.7,
        status="supported",
        tags=["loss"],
    )
    fear = f.add_element("unconscious_fear", "Fear of being left", evidence=[{"quote": "No session"}])
    symptom = f.add_element("present_symptom", "Rows with partner Daniel since March 2023")
    defense = f.add_element("defense", "Self-sufficiency", notes="private hunch")
    f.add_link(past, fear, "gives_rise_to", notes="my private note", evidence=[{"session": 3, "quote": "q"}],
               weight=2.0)
    f.add_link(fear, symptom, "expressed_as", description="She texted him from 07700 900123 at night.")
    f.add_link(defense, fear, "defends_against")
    f.add_comment("Ask about Claire's wedding on 3 June", author="supervisor", target=past)
    f.add_comment("Nice work overall", author="supervisor")
    return f


def test_strips_private_material_and_keeps_structure(case: Formulation) -> None:
    before = case.copy()
    safe, _ = share_safe(case, case_code="Case A")
    assert case == before  # the original is untouched
    assert safe.meta.case_id == "Case A"
    assert "Miller-0423" not in safe.meta.title and safe.meta.title.startswith("Case A:")
    assert safe.meta.clinician == ""
    assert safe.comment_records() == []
    assert safe.base_version is None and safe.file_id is None
    assert [e.id for e in safe.element_records()] == [e.id for e in case.element_records()]
    assert [(ln.id, ln.source, ln.target, ln.kind, ln.weight) for ln in safe.link_records()] == [
        (ln.id, ln.source, ln.target, ln.kind, ln.weight) for ln in case.link_records()
    ]
    for original, stripped in zip(case.element_records(), safe.element_records(), strict=True):
        assert (stripped.kind, stripped.label, stripped.status, stripped.confidence, stripped.tags) == (
            original.kind, original.label, original.status, original.confidence, original.tags
        )
        assert stripped.notes == ""
        assert [e.session for e in stripped.evidence] == [e.session for e in original.evidence]
        assert all(e.quote == "" and e.note == "" and e.date is None for e in stripped.evidence)
    assert all(ln.notes == "" for ln in safe.link_records())
    assert all(e.quote == "" for ln in safe.link_records() for e in ln.evidence)
    # nothing private survives anywhere in the copy's tables
    dump = " ".join(
        [safe.elements().to_csv(), safe.links().to_csv(), safe.comments().to_csv(), repr(safe.meta)]
    )
    for secret in ("Claire", "games", "private", "tearful", "2024-03-18", "Ruth", "Miller-0423"):
        assert secret not in dump


def test_comments_can_be_kept_and_are_then_scanned(case: Formulation) -> None:
    safe, warnings = share_safe(case, case_code="Case B", keep_comments=True, keep_clinician=True)
    assert len(safe.comment_records()) == 2
    assert safe.meta.clinician == "Dr. Ruth Weber"
    comment_rows = warnings[warnings["what"] == "comment"]
    assert set(comment_rows["text"]) == {"Claire's", "3 June"}
    assert "Dr. Ruth" in set(warnings.loc[warnings["field"] == "clinician", "text"])


def test_warnings_table_lists_each_identifying_detail(case: Formulation) -> None:
    _, warnings = share_safe(case, case_code="Case A")
    assert list(warnings.columns) == WARNING_COLUMNS
    found = {(row.id, row.field, row.text, row.category) for row in warnings.itertuples()}
    symptom = next(e for e in case.element_records() if e.kind == "present_symptom")
    expressed = next(ln for ln in case.link_records() if ln.kind == "expressed_as")
    assert ("case", "title", "Ms K.", "name") in found
    assert ("case", "title", "34-year-old", "age") in found
    assert ("case", "description", "12/03/2024", "date") in found
    assert (symptom.id, "label", "Daniel", "name") in found
    assert (symptom.id, "label", "March 2023", "date") in found
    assert (expressed.id, "description", "07700 900123", "phone") in found
    # stripped material is no longer there to warn about
    assert not any("Elm Road" in t or "Claire" in t for t in warnings["text"])
    assert all(isinstance(w, str) and w for w in warnings["why"])
    labels = set(warnings.loc[warnings["id"] == symptom.id, "label"])
    assert labels == {symptom.label}


def test_random_codes_are_neutral_and_repeatable_with_a_seed(case: Formulation) -> None:
    a, _ = share_safe(case, seed=7)
    b, _ = share_safe(case, seed=7)
    c, _ = share_safe(case)
    assert a.meta.case_id == b.meta.case_id
    for code in (a.meta.case_id, c.meta.case_id):
        assert code.startswith("Case ") and len(code) == 8 and "Miller" not in code


def test_identifying_details_scans_evidence_of_an_unstripped_formulation(case: Formulation) -> None:
    table = identifying_details(case)
    quotes = table[table["field"] == "evidence 2 quote"]
    pairs = set(zip(quotes["text"], quotes["category"], strict=True))
    assert pairs == {("Tom", "name"), ("14 Elm Road", "address")}
    assert "Claire" in set(table.loc[table["field"] == "notes", "text"])


IDENTIFYING = [
    ("Argument with John at Christmas", "John", "name"),
    ("Fight with John Smith over money", "John Smith", "name"),
    ("Mrs Patel from next door looked after him", "Mrs Patel", "name"),
    ("Herr Müller, der Vermieter, drohte", "Herr Müller", "name"),
    ("Felt humiliated by teacher Anna K. in class", "Anna K.", "name"),
    ("Moved to Leeds at twelve", "Leeds", "name_or_place"),
    ("Mail from anna.k@example.org upset her", "anna.k@example.org", "email"),
    ("Calls her mother at 07700 900123 every night", "07700 900123", "phone"),
    ("Office line +44 20 7946 0958", "+44 20 7946 0958", "phone"),
    ("US number (555) 123-4567", "(555) 123-4567", "phone"),
    ("Handy +49 171 1234567", "+49 171 1234567", "phone"),
    ("Lives at 12 Baker Street with her aunt", "12 Baker Street", "address"),
    ("Grew up on Abbey Road", "Abbey Road", "address"),
    ("Wohnt in der Hauptstraße 5", "Hauptstraße 5", "address"),
    ("Office at 1600 Pennsylvania Avenue", "1600 Pennsylvania Avenue", "address"),
    ("Postcode NW1 6XE", "NW1 6XE", "postcode"),
    ("zog nach 10115 Berlin", "10115 Berlin", "postcode"),
    ("Sent to Springfield, IL 62704", "IL 62704", "postcode"),
    ("Crisis on 18 March 2024", "18 March 2024", "date"),
    ("Seen first on 2024-03-18", "2024-03-18", "date"),
    ("Mother died on 03/11/1998", "03/11/1998", "date"),
    ("Overdose on March 5th, 2023", "March 5th, 2023", "date"),
    ("Trennung am 3. Mai 2021", "3. Mai 2021", "date"),
    ("Is a 34-year-old nurse", "34-year-old", "age"),
    ("Now aged 52", "aged 52", "age"),
    ("Client (born 1987) works nights", "born 1987", "birth_year"),
    ("Patientin, geb. 12.03.1980", "geb. 12.03.1980", "birth_year"),
    ("DOB: 14 Feb 1989", "DOB: 14 Feb 1989", "birth_year"),
]


@pytest.mark.parametrize(("text", "expected", "category"), IDENTIFYING)
def test_identifying_examples_warn(text: str, expected: str, category: str) -> None:
    found = [(f.text, f.category) for f in scan_text(text)]
    assert (expected, category) in found, found


NOT_IDENTIFYING = [
    "Fear of being left",
    "Father often absent",
    "Conflict with partner over closeness",
    "Self-sufficiency",
    "Mother depressed after the birth of his brother",
    "Wish to be cared for",
    "Sessions 3 and 4 were missed",
    "Sessions 1 2 3 4 5 6 7 8",
    "Felt 'invisible' at school",
    "Scored 27 on PHQ-9",
    "At age 7 parents divorced",
    "Trust in God",
    "Oedipal rivalry with father",
    "Will to be independent",
    "Hope that things will change",
    "Fear Of Being Left",
    "Anger at the therapist before the summer break",
    "Konflikt mit dem Chef am Arbeitsplatz",
    "Kleinian splitting: all good or all bad",
    "Mum was unpredictable; Dad drank",
    "Feels 3-4 times a week that nobody cares",
    "Early experience gives rise to Unconscious fear",
    '<img src=x onerror="alert(1)"> & <script>fetch("//evil")</script>',
]


@pytest.mark.parametrize("text", NOT_IDENTIFYING)
def test_ordinary_clinical_text_does_not_warn(text: str) -> None:
    assert scan_text(text, ignore=["Early", "Unconscious"]) == []


def test_findings_give_positions_in_the_text() -> None:
    text = "Rows with Tom since 12 May 2023"
    for finding in scan_text(text):
        assert text[finding.start : finding.end] == finding.text


def test_hostile_and_huge_text_is_scanned_with_true_positions() -> None:
    """Markup, digit runs, hyphen chains and a run of ``@`` (the shapes that make naive patterns
    backtrack) are scanned to the end with true, ordered positions; a name and a phone number placed
    after them are still found. How fast this is is measured by benchmarks/bench_share_safe.py."""
    hostile = ("<b onmouseover=alert(1)>A a " * 4000) + ("1 " * 20000) + ("Aa-" * 5000) + "@" * 5000
    text = hostile + " She texted Daniel from 07700 900123."
    findings = scan_text(text)
    for finding in findings:
        assert text[finding.start : finding.end] == finding.text
    assert all(a.end <= b.start for a, b in itertools.pairwise(findings))
    tail = {f.text for f in findings if f.start >= len(hostile)}
    assert "Daniel" in tail
    assert any("07700" in found for found in tail)


def test_empty_and_clean_formulation_has_no_warnings() -> None:
    f = Formulation.new(case_id="C-1", title="Teaching case")
    f.add_element("unconscious_fear", "Fear of being left")
    safe, warnings = share_safe(f, case_code="Case A")
    assert warnings.empty and list(warnings.columns) == WARNING_COLUMNS
    assert safe.meta.title == "Teaching case"


@settings(max_examples=60, deadline=None)
@given(st.text(st.characters(exclude_categories=()), max_size=200))
def test_scan_never_fails_and_reports_true_positions(text: str) -> None:
    findings = scan_text(text)
    for finding in findings:
        assert text[finding.start : finding.end] == finding.text
    starts = [f.start for f in findings]
    assert starts == sorted(starts)
    assert all(a.end <= b.start for a, b in itertools.pairwise(findings))  # no overlaps


@settings(max_examples=25, deadline=None)
@given(
    labels=st.lists(st.text(min_size=1, max_size=30).filter(str.strip), min_size=1, max_size=4),
    notes=st.text(min_size=1, max_size=30).filter(str.strip),  # add_comment refuses blank text
)
def test_share_safe_never_keeps_notes_or_quotes(labels: list[str], notes: str) -> None:
    f = Formulation.new(case_id="Secret-ID-9")
    for label in labels:
        f.add_element("defense", label, notes=notes, evidence=[{"session": 1, "quote": notes, "note": notes}])
    f.add_comment(notes, author="sup")
    safe, warnings = share_safe(f, case_code="Case Z")
    assert all(el.notes == "" for el in safe.element_records())
    assert all(e.quote == "" and e.note == "" for el in safe.element_records() for e in el.evidence)
    assert safe.comment_records() == [] and safe.meta.case_id == "Case Z"
    assert [el.label for el in safe.element_records()] == [el.label for el in f.element_records()]
    assert set(warnings["field"]) <= {"label", "tags", "description", "title"}
