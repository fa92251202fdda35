"""Tests of workbench.analysis.narrative: layer order, sentences, and hostile labels kept as text."""

from __future__ import annotations

import re

import mistune
import pytest

import workbench
from workbench.analysis.narrative import escape_markdown, narrative_markdown
from workbench.model import Formulation

#: Raw HTML allowed and GitHub-style extensions on: the escaping alone must keep labels as text.
render = mistune.create_markdown(escape=False, plugins=["strikethrough", "table", "url", "math"])

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click me](javascript:alert(1))",
    "![pixel](https://tracker.example/p.png)",
    "**bold** _em_ `code` ~~gone~~",
    "# Heading\n- item\n> quote",
    "1. numbered",
    "- dash first",
    "line one\n\n<div>two</div>",
    "https://evil.example/x and www.evil.example and mail@evil.example",
    "<https://evil.example>",
    "[ref]: https://evil.example",
    "| a | b |\n|---|---|",
    "$\\alpha$ and $$x$$",
    "&lt;b&gt; entity &amp; ampersand",
    "back\\slash \\*",
]


def case() -> tuple[Formulation, dict[str, str]]:
    f = workbench.new(case_id="C-1", title="The self-sufficient carer", clinician="Dr A", fictional=True,
                      description="A fictional teaching case.")
    i = {
        "problem": f.add_element("present_symptom", "Low mood", evidence=[{"session": 1}, {"session": 3}],
                                 status="supported", confidence="high"),
        "past": f.add_element("early_experience", "Father often absent", evidence=[{"session": 2}],
                              description="Away for weeks."),
        "fear": f.add_element("unconscious_fear", "Fear of being left", confidence=0.3),
        "old": f.add_element("defense", "Denial", status="discarded"),
    }
    i["l1"] = f.add_link(i["past"], i["fear"], "gives_rise_to", evidence=[{"session": 2}])
    i["l2"] = f.add_link(i["fear"], i["problem"], "expressed_as",
                         description="shows when her partner travels.")
    i["l3"] = f.add_link(i["old"], i["fear"], "defends_against")
    return f, i


def test_narrative_follows_the_template_layers() -> None:
    f, _ = case()
    text = narrative_markdown(f)
    headings = re.findall(r"^## (.+)$", text, flags=re.MULTILINE)
    assert headings == ["Early experiences", "Unconscious wishes and fears", "Present problems and strengths",
                        "How they link", "Discarded hypotheses"]
    assert text.startswith("# Case formulation: The self-sufficient carer\n")
    assert "Case C-1 · Psychodynamic formulation · by Dr A · a fictional teaching case" in text
    assert ("- **Early experience**: Father often absent — Away for weeks. "
            "(a hypothesis; evidence from session 2)") in text
    assert ("- **Present symptom or problem**: Low mood "
            "(high confidence; supported; evidence from sessions 1 and 3)") in text
    assert ("- **Unconscious fear**: Fear of being left "
            "(low confidence; a hypothesis; no evidence yet)") in text
    assert text.index("Early experiences") < text.index("Unconscious wishes") < text.index("Present problems")
    assert text.endswith("\n")


def test_links_read_as_sentences_and_discarded_ones_come_last() -> None:
    f, _ = case()
    text = narrative_markdown(f)
    links = text[text.index("## How they link"):text.index("## Discarded hypotheses")]
    assert ("- Early experience “Father often absent” gives rise to unconscious fear “Fear of being left” "
            "(a hypothesis; evidence from session 2).") in links
    assert ("- Unconscious fear “Fear of being left” is expressed as present symptom or problem “Low mood” "
            "— shows when her partner travels (a hypothesis; no evidence yet).") in links
    assert "Denial" not in links
    discarded = text[text.index("## Discarded hypotheses"):]
    assert "- **Defense**: Denial (discarded; no evidence yet)" in discarded
    assert "Defense “Denial” defends against unconscious fear “Fear of being left”" in discarded


def test_cycles_get_their_own_section() -> None:
    f, i = case()
    f.add_link(i["problem"], i["fear"], "maintains")
    text = narrative_markdown(f)
    section = text[text.index("## Repeating and maintaining patterns"):text.index("## Discarded")]
    assert "- Maintaining cycle: Unconscious fear “Fear of being left” is expressed as" in section


def test_an_empty_formulation_says_so() -> None:
    text = narrative_markdown(workbench.new(case_id="E-1"))
    assert "No elements are recorded yet." in text
    assert "##" not in text


def test_escape_markdown_examples() -> None:
    assert escape_markdown("plain words, (in brackets).") == "plain words, (in brackets)."
    assert escape_markdown("a *b* _c_") == "a \\*b\\* \\_c\\_"
    assert escape_markdown("two\nlines") == "two lines"
    assert escape_markdown("# x") == "\\# x"
    assert escape_markdown("12) x") == "12\\) x"
    assert escape_markdown("<b>&") == "&lt;b&gt;&amp;"
    assert escape_markdown("$5") == "\\$5"


@pytest.mark.parametrize("label", HOSTILE)
def test_hostile_labels_stay_text(label: str) -> None:
    f = workbench.new(case_id=label.replace("\n", " "), title=label, clinician=label, description=label)
    a = f.add_element("early_experience", label, description=label)
    b = f.add_element("present_symptom", label)
    f.add_link(a, b, "maintains", description=label)
    text = narrative_markdown(f)
    # Our own structure is intact: one title, our headings only, every bullet ours.
    assert len(re.findall(r"^# ", text, flags=re.MULTILINE)) == 1
    assert re.findall(r"^## (.+)$", text, flags=re.MULTILINE) == [
        "Early experiences", "Present problems and strengths", "How they link"]
    html = render(text)
    body = html.split("</h1>", 1)[1]
    # No markup from the label survives into the HTML: only our headings, lists, paragraphs and bold kinds.
    tags = set(re.findall(r"<\s*([a-zA-Z0-9]+)", body))
    assert tags <= {"p", "h2", "ul", "li", "strong"}, tags
    assert "href" not in html and "src=" not in html.replace("src=x", "")
    # The label is shown as written (whitespace folded), once per place it is used.
    shown = re.sub(r"<[^>]+>", "", html).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    assert " ".join(label.split()) in shown


def test_narrative_does_not_change_the_formulation() -> None:
    f, _ = case()
    before = f.copy()
    narrative_markdown(f)
    assert f == before


def test_cycles_through_discarded_links_are_left_out() -> None:
    f, i = case()
    back = f.add_link(i["problem"], i["fear"], "maintains")
    assert "## Repeating and maintaining patterns" in narrative_markdown(f)
    f.update_link(back, status="discarded")
    text = narrative_markdown(f)
    assert "## Repeating and maintaining patterns" not in text
    assert "maintains unconscious fear “Fear of being left” (discarded" in text
