"""A plain-language Markdown narrative of a formulation, ordered by the template's layers.

For case reports and seminar handouts. Every piece of user text (and of the
template's names, since templates are user-editable files) is escaped, so a
label cannot add formatting, links, images or HTML to the narrative. Evidence
quotes and private notes are left out: the narrative names only the sessions
that the evidence comes from, unless ``quotes=True`` asks for the quotes behind
each element and link (for the clinician's own record; a share-safe copy has
none). Session notes themselves are never in the narrative.

Example
-------
>>> import workbench
>>> f = workbench.new(case_id="T-1", title="Demo")
>>> _ = f.add_element("early_experience", "Father *often* absent", confidence="high")
>>> print(narrative_markdown(f))  # doctest: +NORMALIZE_WHITESPACE
# Case formulation: Demo
<BLANKLINE>
Case T-1 · Psychodynamic formulation
<BLANKLINE>
## Early experiences
<BLANKLINE>
- **Early experience**: Father \\*often\\* absent (high confidence; a hypothesis; no evidence yet)
<BLANKLINE>
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from workbench._values import plain
from workbench.analysis._phrases import chain_sentence
from workbench.analysis.alliance import alliance_timeline
from workbench.analysis.ccrt import COMPONENTS, ccrt_score, has_ccrt
from workbench.analysis.evidence import Quote
from workbench.analysis.evidence import quotes as quotes_behind
from workbench.analysis.trace import cycles
from workbench.model import Element, Evidence, Formulation, Link, confidence_name

__all__ = ["escape_markdown", "narrative_markdown"]

# Characters that Markdown (CommonMark, GitHub's dialect, Jupyter's $maths$) gives a meaning to inside a
# line; parentheses and full stops only matter after "]" or at the start of a line, handled apart.
_INLINE = re.compile(r"([\\`*_{}\[\]!|~$])")
# What GitHub-flavoured renderers turn into links without brackets: "http://", "www.", "a@b.c".
_AUTOLINK = re.compile(r":(?=//)|(?<=\bwww)\.|@", re.IGNORECASE)
# What may open a block at the start of a line: a heading, a list item, a numbered item, a rule.
_LINE_START = re.compile(r"^(\d{1,9})?([#+\-=.)])")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_ENTITY_TABLE = str.maketrans(_ENTITIES)


def escape_markdown(text: str) -> str:
    """Return ``text`` as literal Markdown: one line, every special character escaped.

    Line breaks become spaces (so text cannot start a heading, list or
    quote); ``& < >`` become entities (no HTML, no autolinks); Markdown
    punctuation gets a backslash (no emphasis, code, links, images or
    maths), and so do the ``:`` of ``://``, the ``.`` of ``www.`` and ``@``,
    which extended renderers would otherwise turn into links.

    >>> print(escape_markdown("[click](javascript:alert(1)) <b>*bold*</b>"))
    \\[click\\](javascript:alert(1)) &lt;b&gt;\\*bold\\*&lt;/b&gt;
    >>> print(escape_markdown("1. # not a list"))
    1\\. # not a list
    """
    text = " ".join(str(text).split())
    text = text.translate(_ENTITY_TABLE)
    text = _INLINE.sub(r"\\\1", text)
    text = _AUTOLINK.sub(lambda m: "\\" + m.group(0), text)
    return _LINE_START.sub(lambda m: f"{m.group(1) or ''}\\{m.group(2)}", text)


def narrative_markdown(f: Formulation, *, quotes: bool = False) -> str:
    """Return the formulation as a Markdown narrative: one section per template layer, then the links.

    Each element is given with its kind, label, description, confidence (as a
    named level), status and the sessions its evidence comes from; each link
    as a sentence built from the template's verb phrases. Cycles are named in
    their own section; discarded hypotheses are listed last. With ``quotes``,
    each is followed by the quotes behind it, those no longer found word for
    word in their session's notes marked as such.
    """
    t = f.template
    behind: dict[str, list[Quote]] = {}
    if quotes:
        for q in quotes_behind(f):
            behind.setdefault(q.target, []).append(q)
    meta = f.meta
    lines = [f"# Case formulation: {escape_markdown(meta.title or meta.case_id)}", ""]
    about = f"Case {escape_markdown(meta.case_id)} · {escape_markdown(t.name)}"
    if meta.clinician:
        about += f" · by {escape_markdown(meta.clinician)}"
    if meta.fictional:
        about += " · a fictional teaching case"
    lines += [about, ""]
    if meta.description:
        lines += [escape_markdown(meta.description), ""]

    kept = [el for el in f.element_records() if el.status != "discarded"]
    dropped = [el for el in f.element_records() if el.status == "discarded"]
    dropped_ids = {el.id for el in dropped}
    kind_order = {k: i for i, k in enumerate(t.element_kinds)}
    by_layer: dict[int, list[Element]] = {}
    for el in sorted(kept, key=lambda e: kind_order[e.kind]):
        by_layer.setdefault(t.element_kinds[el.kind].layer, []).append(el)
    for layer in sorted(by_layer):
        lines += [f"## {escape_markdown(t.layer_name(layer))}", ""]
        lines += [_with_quotes(_element_line(f, el), behind.get(el.id)) for el in by_layer[layer]]
        lines.append("")
    if not kept:
        lines += ["No elements are recorded yet.", ""]

    links = [ln for ln in f.link_records()
             if ln.source not in dropped_ids and ln.target not in dropped_ids and ln.status != "discarded"]
    if links:
        lines += ["## How they link", ""]
        lines += [_with_quotes(_link_line(f, ln), behind.get(ln.id)) for ln in links]
        lines.append("")

    if has_ccrt(t):
        lines += _ccrt_section(f)
    lines += _alliance_section(f)

    kept_links = {ln.id for ln in links}
    found = cycles(f)
    if len(found):
        found = found[[all(ln in kept_links for ln in lns) for lns in found["links"]]]
    if len(found):
        lines += ["## Repeating and maintaining patterns", ""]
        for row in found.to_dict("records"):
            text = str(row["sentence"])
            if row["through_therapist"]:
                text += " This pattern also appears with the therapist (transference)."
            kind = escape_markdown(str(row["type"]).capitalize())
            lines.append(f"- {kind}: {escape_markdown(text)}")
        lines.append("")

    dropped_links = [ln for ln in f.link_records() if ln.id not in kept_links]  # by id: one pass
    if dropped or dropped_links:
        lines += ["## Discarded hypotheses", ""]
        lines += [_with_quotes(_element_line(f, el), behind.get(el.id)) for el in dropped]
        lines += [_with_quotes(_link_line(f, ln), behind.get(ln.id)) for ln in dropped_links]
        lines.append("")
    return "\n".join(lines)


# --- helpers -------------------------------------------------------------------


def _ccrt_section(f: Formulation) -> list[str]:
    """The CCRT in sentences, then each component's categories with frequency and pervasiveness."""
    score = ccrt_score(f)
    lines = ["## Core Conflictual Relationship Theme (CCRT)", ""]
    lines += [f"- {escape_markdown(line)}" for line in score.summary()]
    lines.append("")
    n = len(score.episodes)
    if not n:
        return lines
    headings = ["Component", "Category", "Episodes", "Pervasiveness", "Positive", "Negative", "Actual",
                "Expected", "CCRT"]
    lines += [f"Categories by the number of the {n} episodes they occur in (pervasiveness: their share):", "",
              "| " + " | ".join(headings) + " |", "|" + " --- |" * len(headings)]
    for component in COMPONENTS:
        for c in score.component(component).categories:
            name = f"{c.category} {c.name}" if c.coded else c.name
            marks = ["", "", "", ""] if component == "W" else [str(c.positive), str(c.negative), "", ""]
            if component == "RO":
                marks[2:] = [str(c.actual), str(c.expected)]
            ccrt = ("tie" if c.tie else "yes") if c.in_ccrt else ""
            cells = [component, escape_markdown(name), f"{c.frequency} of {n}",
                     f"{round(c.pervasiveness * 100)}%", *marks, ccrt]
            lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    return lines


def _alliance_section(f: Formulation) -> list[str]:
    """The working alliance, ruptures and repairs by the session of their first evidence (none: [])."""
    timeline = alliance_timeline(f)
    if timeline.empty:
        return []
    lines = ["## The therapeutic relationship over the sessions", ""]
    for row in timeline.to_dict("records"):
        session = plain(row["session"])
        when = "No session yet" if session is None else f"Session {int(session)}"
        text = f"{row['kind']}: {row['label']}" + (f" — {row['detail']}" if row["detail"] else "")
        lines.append(f"- {when} · {escape_markdown(text)}.")
    lines.append("")
    return lines


def _element_line(f: Formulation, el: Element) -> str:
    kind = escape_markdown(f.template.element_kinds[el.kind].name)
    text = f"- **{kind}**: {escape_markdown(el.label)}"
    if el.description:
        text += f" — {escape_markdown(el.description)}"
    return f"{text} ({_details(el.confidence, el.status, el.evidence)})"


def _with_quotes(line: str, items: list[Quote] | None) -> str:
    """The line of an element or link followed by the quotes behind it, as a nested list."""
    if not items:
        return line
    out = [line]
    for q in items:
        where = f"Session {q.session}" if q.session is not None else "No session"
        if q.date:
            where += f", {escape_markdown(q.date)}"
        text = f"  - {where}: “{escape_markdown(q.quote)}”"
        if q.flagged:
            text += " (not found word for word in the session's notes: edited notes or a paraphrase)"
        out.append(text)
    return "\n".join(out)


def _link_line(f: Formulation, ln: Link) -> str:
    sentence = chain_sentence(f, (ln.source, ln.target), (ln.id,))[:-1]
    if ln.description:
        sentence += f" — {ln.description.strip().rstrip('.')}"
    return f"- {escape_markdown(sentence)} ({_details(ln.confidence, ln.status, ln.evidence)})."


def _details(confidence: float | None, status: str, evidence: Iterable[Evidence]) -> str:
    items = list(evidence)
    parts = []
    if confidence is not None:
        parts.append(f"{confidence_name(confidence)} confidence")
    parts.append({"hypothesis": "a hypothesis", "supported": "supported", "discarded": "discarded"}
                 .get(status, escape_markdown(status)))
    sessions = sorted({e.session for e in items if e.session is not None})
    if sessions:
        word = "session" if len(sessions) == 1 else "sessions"
        parts.append(f"evidence from {word} {_join([str(s) for s in sessions])}")
    elif items:
        parts.append(f"{len(items)} piece{'s' if len(items) != 1 else ''} of evidence")
    else:
        parts.append("no evidence yet")
    return "; ".join(parts)


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"
