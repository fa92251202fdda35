"""Share-safe copies of a formulation for seminars, with warnings about identifying details.

:func:`share_safe` returns a copy that keeps the structure (elements, links,
kinds, labels, status, confidence, which sessions the evidence came from) but
drops what is private: the session notes, evidence quotes, notes, dates and
positions, the ``notes`` fields of elements and links, the clinician's name,
and (unless asked to keep them) comments. The case id becomes a neutral code such as ``"Case 7QK"``.

It also scans the text that is left (case title and description, labels,
descriptions, tags, kept comments) for details that may identify a client:
personal names, places, dates, phone numbers, e-mail and postal addresses,
postcodes, adult ages and birth years. Each finding is a row of a table
(``id, what, label, field, text, category, why``) so the user can disguise
it before the seminar. The scan is a heuristic aid: it flags what *looks*
identifying and cannot promise to find everything.

Example
-------
>>> from workbench.model import Formulation
>>> f = Formulation.new(case_id="Smith-2024")
>>> e = f.add_element("early_experience", "Father left", notes="private",
...                   evidence=[{"session": 2, "quote": "He just went."}])
>>> f.add_element("present_symptom", "Rows with Tom since 12 May 2023") and None
>>> safe, warnings = share_safe(f, case_code="Case A")
>>> safe.meta.case_id, safe.element(e).notes, safe.element(e).evidence[0].quote
('Case A', '', '')
>>> sorted(warnings["text"])
['12 May 2023', 'Tom']
"""

from __future__ import annotations

import random
import re
import secrets
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

import pandas as pd

from workbench.model import Evidence, Formulation

__all__ = ["Finding", "identifying_details", "scan_text", "share_safe"]

#: Columns of the warnings table.
WARNING_COLUMNS = ["id", "what", "label", "field", "text", "category", "why"]

_CODE_ALPHABET = "ACDEFGHJKLMNPQRTUVWXY34679"  # no look-alikes (0/O, 1/I, 5/S, 8/B, 2/Z)


class Finding(NamedTuple):
    """One likely identifying detail in a text: what matched, where, and why it may identify."""

    text: str
    category: str
    why: str
    start: int
    end: int


def share_safe(
    formulation: Formulation,
    *,
    case_code: str | None = None,
    keep_comments: bool = False,
    keep_clinician: bool = False,
    seed: int | None = None,
) -> tuple[Formulation, pd.DataFrame]:
    """Return a share-safe copy of ``formulation`` and a table of warnings.

    The copy drops the session notes (the clinician's process notes never leave
    the case file), evidence quotes, notes and dates (the session numbers stay),
    the ``notes`` of every element and link, the clinician (unless
    ``keep_clinician``) and all comments (unless ``keep_comments``). Its case id
    is ``case_code``, or a random neutral code like ``"Case 7QK"`` (repeatable
    with ``seed``); the old case id is also replaced wherever it appears in the
    text. The original is not changed.

    The warnings table lists each likely identifying detail left in the copy's
    text, one row per finding (see :func:`identifying_details`).
    """
    code = case_code.strip() if case_code and case_code.strip() else _random_code(seed)
    old_id = formulation.meta.case_id

    def neutral(text: str) -> str:
        return text.replace(old_id, code) if old_id and old_id in text else text

    meta = replace(
        formulation.meta,
        case_id=code,
        title=neutral(formulation.meta.title),
        description=neutral(formulation.meta.description),
        clinician=formulation.meta.clinician if keep_clinician else "",
    )
    safe = Formulation(meta, formulation.template)
    safe.restore_records(
        elements=[
            replace(
                el,
                label=neutral(el.label),
                description=neutral(el.description),
                tags=tuple(neutral(t) for t in el.tags),
                notes="",
                evidence=_strip_evidence(el.evidence),
            )
            for el in formulation.element_records()
        ],
        links=[
            replace(ln, description=neutral(ln.description), notes="", evidence=_strip_evidence(ln.evidence))
            for ln in formulation.link_records()
        ],
        comments=[replace(c, text=neutral(c.text)) for c in formulation.comment_records()]
        if keep_comments
        else [],
    )
    safe.base_version, safe.file_id, safe.modified = None, None, True
    return safe, identifying_details(safe)


def identifying_details(formulation: Formulation) -> pd.DataFrame:
    """Return a table of likely identifying details in a formulation's text.

    Columns: ``id`` (element, link or comment id; ``"case"`` for the case),
    ``what`` (element / link / comment / case), ``label`` (the element's label,
    to find it), ``field``, ``text`` (what matched), ``category`` (name,
    name_or_place, date, phone, email, address, postcode, age, birth_year) and
    ``why`` (a sentence). Evidence quotes and notes are scanned too when present.
    """
    ignore = _template_words(formulation)
    rows: list[dict[str, str]] = []
    for owner, what, label, field, text in _texts(formulation):
        for found in scan_text(text, ignore=ignore):
            rows.append(
                {"id": owner, "what": what, "label": label, "field": field, "text": found.text,
                 "category": found.category, "why": found.why}
            )
    return pd.DataFrame(rows, columns=WARNING_COLUMNS)


def scan_text(text: str, *, ignore: Iterable[str] = ()) -> list[Finding]:
    """Return the likely identifying details in ``text``, in reading order.

    ``ignore`` names capitalised words that are known not to be names (for
    instance the words of a template's kind names).

    >>> [(f.text, f.category) for f in scan_text("Call Anna on 07700 900123 before 3 June")]
    [('Anna', 'name'), ('07700 900123', 'phone'), ('3 June', 'date')]
    >>> scan_text("Fear of being left")
    []
    """
    if not text:
        return []
    ignored = {w.lower() for w in ignore}
    candidates: list[tuple[int, Finding]] = []
    for priority, (category, why, pattern, check) in enumerate(_PATTERNS):
        for match in pattern.finditer(text):
            if check is not None and not check(match.group()):
                continue
            candidates.append((priority, Finding(match.group(), category, why, *match.span())))
    candidates.extend((len(_PATTERNS) + rank, f) for rank, f in _name_findings(text, ignored))
    # keep the most specific finding where several overlap
    chosen: list[Finding] = []
    for _, finding in sorted(candidates, key=lambda c: (c[0], c[1].start)):
        if all(finding.end <= other.start or finding.start >= other.end for other in chosen):
            chosen.append(finding)
    return _join_names(sorted(chosen, key=lambda f: f.start), text)


# --- the copy --------------------------------------------------------------------------


def _random_code(seed: int | None) -> str:
    if seed is None:
        return "Case " + "".join(secrets.choice(_CODE_ALPHABET) for _ in range(3))
    rng = random.Random(seed)
    return "Case " + "".join(rng.choice(_CODE_ALPHABET) for _ in range(3))


def _strip_evidence(items: tuple[Evidence, ...]) -> tuple[Evidence, ...]:
    """Keep how much evidence there is and from which session, nothing it says."""
    return tuple(Evidence(session=item.session) for item in items)


def _texts(formulation: Formulation) -> Iterator[tuple[str, str, str, str, str]]:
    meta = formulation.meta
    yield "case", "case", "", "title", meta.title
    yield "case", "case", "", "description", meta.description
    yield "case", "case", "", "clinician", meta.clinician
    for el in formulation.element_records():
        yield el.id, "element", el.label, "label", el.label
        yield el.id, "element", el.label, "description", el.description
        yield el.id, "element", el.label, "notes", el.notes
        for tag in el.tags:
            yield el.id, "element", el.label, "tags", tag
        yield from _evidence_texts(el.id, "element", el.label, el.evidence)
    for ln in formulation.link_records():
        label = formulation.sentence(ln.id)
        yield ln.id, "link", label, "description", ln.description
        yield ln.id, "link", label, "notes", ln.notes
        yield from _evidence_texts(ln.id, "link", label, ln.evidence)
    for cm in formulation.comment_records():
        yield cm.id, "comment", "", "comment", cm.text


def _evidence_texts(
    owner: str, what: str, label: str, evidence: tuple[Evidence, ...]
) -> Iterator[tuple[str, str, str, str, str]]:
    for number, item in enumerate(evidence, start=1):
        yield owner, what, label, f"evidence {number} quote", item.quote
        yield owner, what, label, f"evidence {number} note", item.note
        if item.date:
            yield owner, what, label, f"evidence {number} date", item.date


def _template_words(formulation: Formulation) -> set[str]:
    template = formulation.template
    names = [k.name for k in template.element_kinds.values()] + [k.name for k in template.link_kinds.values()]
    names += [*template.layers, template.name]
    return {w for name in names for w in re.findall(r"[^\W\d_]+", name)}


# --- patterns ---------------------------------------------------------------------------
# Earlier patterns win where findings overlap (a date beats the phone number it looks like).

_MONTHS_EN = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec"
)
_MONTHS_DE = "Januar|Februar|März|Maerz|Mai|Juni|Juli|Oktober|Dezember"
_MONTH = rf"(?:{_MONTHS_EN}|{_MONTHS_DE})\.?"
_ORD = r"(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d\d"
_UPPER = "A-ZÄÖÜÀ-ÖØ-ÞŁŚŻŹĆŃ"
_LOWER = "a-zäöüßà-öø-ÿłśżźćń"
_CAP_WORD = rf"[{_UPPER}][{_LOWER}]+"
_US_STATES = (
    "AL|AK|AZ|AR|CA|CO|CT|DE|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|"
    "NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|DC"
)
_STREET_EN = (
    r"Street|St\.|Road|Rd\.?|Avenue|Ave\.?|Lane|Drive|Boulevard|Blvd\.?|Close|Crescent|Terrace|Mews|"
    r"Grove|Parade"
)
_STREET_EN_NUMBERED = _STREET_EN + r"|Way|Place|Court|Square|Gardens|Hill|Row|Walk|Ln\.?|Dr\.?|Ct\.?|Pl\.?"


def _phone_ok(found: str) -> bool:
    digits = re.sub(r"\D", "", found)
    if not 7 <= len(digits) <= 15:
        return False
    if re.fullmatch(rf"{_YEAR}\s*[-–/]\s*(?:19|20)?\d\d", found):  # a span of years
        return False
    groups = re.findall(r"\d+", found)
    # "sessions 1 2 3 4 5 6 7" is a list, not a number: phone numbers come in groups of digits
    return sum(len(g) == 1 for g in groups) <= 1 or found.startswith(("+", "00", "("))


def _adult_age(found: str) -> bool:
    number = re.search(r"\d+", found)
    return number is not None and 18 <= int(number.group()) <= 120


_Check = Callable[[str], bool] | None


_Pattern = tuple[str, str, re.Pattern[str], _Check]


def _pattern(category: str, why: str, regex: str, check: _Check = None) -> _Pattern:
    return category, why, re.compile(regex), check


_PATTERNS = [
    _pattern("email", "an e-mail address", r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),
    _pattern(
        "birth_year", "a birth date or birth year",
        r"(?i)\b(?:born(?:\s+(?:in|on))?|b\.|geb\.|geboren(?:\s+(?:am|im))?|jahrgang|d\.?o\.?b\.?:?)\s*"
        rf"(?:\d{{1,2}}(?:[./-]\d{{1,2}}[./-]|\.?\s+{_MONTH}\s+)|{_MONTH}\s+)?{_YEAR}\b",
    ),
    _pattern("birth_year", "a birth year", rf"(?<![\w*])\*\s?{_YEAR}\b"),
    _pattern("postcode", "a UK postcode", r"\b(?:[A-Z]{1,2}\d[A-Z\d]?|GIR) ?\d[ABD-HJLNP-UW-Z]{2}\b"),
    _pattern("postcode", "a US state and ZIP code", rf"\b(?:{_US_STATES})\s+\d{{5}}(?:-\d{{4}})?\b"),
    _pattern("postcode", "a US ZIP+4 code", r"\b\d{5}-\d{4}\b"),
    _pattern(
        "postcode", "a postcode and town",
        rf"\b(?:D-)?\d{{5}} {_CAP_WORD}(?:[ -](?:am|an der|im|ob der) {_CAP_WORD})?",
    ),
    _pattern(
        "address", "a street address",
        rf"\b\d{{1,5}}[a-zA-Z]?,?\s+(?:[{_UPPER}][\w'’.-]*\s+){{1,3}}(?:{_STREET_EN_NUMBERED})(?!\w)",
    ),
    _pattern("address", "a street name", rf"\b(?:[{_UPPER}][\w'’-]*\s+){{1,3}}(?:{_STREET_EN})(?!\w)"),
    _pattern(
        "address", "a street name",
        rf"\b[{_UPPER}][{_LOWER}-]*(?:straße|strasse|str\.|gasse|allee|chaussee)(?:\s+\d+[a-z]?)?",
    ),
    _pattern("address", "a street name", rf"\b[{_UPPER}][{_LOWER}-]*(?:weg|ring|damm|ufer)\s+\d+[a-z]?\b"),
    _pattern(
        "address", "a street name",
        rf"\b{_CAP_WORD}\s+(?:Straße|Strasse|Str\.|Weg|Gasse|Platz|Allee)(?:\s+\d+[a-z]?)?",
    ),
    _pattern("address", "a post office box", r"(?i)\b(?:P\.?\s?O\.?\s+Box|Postfach)\s+\d+"),
    _pattern("date", "a date", rf"\b{_YEAR}-\d\d?-\d\d?\b|\b\d\d?[./-]\d\d?[./-](?:19|20)?\d\d\b"),
    _pattern("date", "a date", rf"(?i)\b\d{{1,2}}{_ORD}\.?\s+(?:of\s+)?{_MONTH}(?:,?\s+{_YEAR})?(?!\w)"),
    _pattern("date", "a date", rf"\b{_MONTH}\s+\d\d?{_ORD}(?:,?\s+{_YEAR})?\b(?!:)"),
    _pattern("date", "a month and year", rf"(?i)\b{_MONTH}\s+{_YEAR}\b"),
    _pattern("phone", "a phone number", r"(?<![\w@.+-])(?:\+|\b00|\()?\d[\d ()./-]{5,20}\d(?![\w@])",
             _phone_ok),
    _pattern(
        "age", "an adult's age",
        r"(?i)\b\d{1,3}[- ]?(?:years?|yrs?)[- ]old\b|\baged?\s+\d{1,3}\b|\b\d{1,3}\s?(?:y/o|yo)\b|"
        r"\b\d{1,3}(?:-| )?(?:jährige[rn]?|Jahre alt)\b",
        _adult_age,
    ),
    _pattern(
        "date", "a year: with other details it can date events in the client's life",
        rf"(?<![\w./-]){_YEAR}(?![\w/-])",
    ),
]

# --- names ----------------------------------------------------------------------------------

_TITLE = re.compile(
    rf"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Herr|Frau|Fr|Hr)\.?\s+[{_UPPER}][{_LOWER}'’-]*\.?"
)
_WORD = re.compile(
    rf"(?<![\w'’-])[{_UPPER}][{_LOWER}'’-]*[{_LOWER}](?:'s|’s)?(?![\w'’-])|(?<![\w'’-])[{_UPPER}]\."
)

#: First names that are also everyday English words: flagged only inside a sentence.
_AMBIGUOUS = {
    "amber", "angel", "april", "august", "bill", "bob", "carol", "chase", "christian", "crystal", "dale",
    "dawn", "dean", "don", "drew", "earl", "ernest", "faith", "frank", "gene", "glen", "grace", "grant",
    "guy", "heather", "holly", "hope", "iris", "jack", "jay", "jewel", "joy", "june", "lee", "mark",
    "max", "may", "miles", "norman", "pat", "pearl", "penny", "ray", "rose", "ruby", "sandy", "sterling",
    "sue", "victor", "wade", "will", "art", "summer", "hunter", "king", "young", "page", "reed", "rich",
    "sunny", "lane", "rusty", "autumn", "harmony", "destiny", "star", "sky", "angela", "an", "ina", "fern",
    "ivy", "lily", "daisy", "violet", "olive", "hazel", "jade", "heide", "liebe", "ernst", "gay", "kay",
    "kelly", "willow", "mercedes", "else", "ella", "tim",
}

#: Capitalised words that are common in formulations and are neither names nor places.
_NOT_NAMES = {
    "i", "i'm", "i've", "i'd", "i'll", "mum", "mom", "mummy", "mommy", "dad", "daddy", "mother", "father",
    "mama", "papa", "granny", "grandma", "grandpa", "nan", "god", "christmas", "easter", "ramadan",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february",
    "march", "april", "june", "july", "august", "september", "october", "november", "december",
    "oedipal", "oedipus", "electra", "freud", "freudian", "klein", "kleinian", "winnicott", "bion",
    "kohut", "jung", "jungian", "lacan", "bowlby", "narcissus", "ego", "superego", "id", "self",
    "english", "british", "german", "american", "internet", "covid", "ok", "okay", "client", "therapist",
    "patient", "session", "case", "note", "notes", "see", "the", "this", "that", "a", "an",
}


@lru_cache(maxsize=1)
def _first_names() -> frozenset[str]:
    text = resources.files("workbench.export").joinpath("first_names.txt").read_text(encoding="utf-8")
    return frozenset(
        line.strip().lower() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


def _name_findings(text: str, ignored: set[str]) -> Iterator[tuple[int, Finding]]:
    """Names after a title (rank 0), then single capitalised words (rank 1)."""
    for match in _TITLE.finditer(text):
        yield 0, Finding(match.group(), "name", "a title followed by a name", *match.span())
    names = _first_names()
    capitals_say_nothing = _is_title_case(text) or _looks_german(text)
    for match in _WORD.finditer(text):
        word = match.group()
        base = re.sub(r"['’]s$", "", word).lower()
        at_start = _at_sentence_start(text, match.start())
        if base in _NOT_NAMES or base in ignored:
            continue
        if word.endswith(".") and len(word) == 2:  # an initial such as "K."
            if not at_start and _previous_word(text, match.start())[:1].isupper():
                yield 1, Finding(word, "name", "an initial of a name", *match.span())
            continue
        if base in names and (base not in _AMBIGUOUS or not at_start):
            yield 1, Finding(word, "name", "a common first name", *match.span())
        elif not at_start and not capitals_say_nothing and not word.isupper():
            yield 1, Finding(word, "name_or_place",
                             "a capitalised word inside a sentence: a name or a place?", *match.span())


def _join_names(findings: list[Finding], text: str) -> list[Finding]:
    """Join neighbouring name findings ("John" "Smith", "Anna" "K.") into one."""
    out: list[Finding] = []
    for finding in findings:
        last = out[-1] if out else None
        if (
            last is not None
            and last.category in ("name", "name_or_place")
            and finding.category in ("name", "name_or_place")
            and text[last.end : finding.start] == " "
        ):
            category = "name" if "name" in (last.category, finding.category) else "name_or_place"
            why = "a full name" if category == "name" else last.why
            out[-1] = Finding(text[last.start : finding.end], category, why, last.start, finding.end)
        else:
            out.append(finding)
    return out


_SENTENCE_MARKS = ".!?:;•*-–—([\"“‘'\n"


def _at_sentence_start(text: str, start: int) -> bool:
    i = start - 1
    while i >= 0 and text[i] in " \t":
        i -= 1
    return i < 0 or text[i] in _SENTENCE_MARKS


def _previous_word(text: str, start: int) -> str:
    match = re.search(r"(\w+)\s*$", text[max(0, start - 40) : start])
    return match.group(1) if match else ""


_GERMAN_WORDS = frozenset(
    {
        "der", "das", "und", "nicht", "ist", "mit", "im", "den", "dem", "des", "eine", "einen", "einer",
        "zum", "zur", "bei", "vom", "auf", "über", "für", "sich", "sie", "wird", "wurde", "nach", "oder",
        "aber", "wenn", "weil", "dass", "schon", "auch", "noch", "kein", "keine",
    }
)


def _looks_german(text: str) -> bool:
    """Whether a text is German, where every noun is capitalised."""
    return any(c in text for c in "äöüß") or not _GERMAN_WORDS.isdisjoint(text.lower().split())


def _is_title_case(text: str) -> bool:
    """Whether a text capitalises most words ("Fear Of Being Left"), so capitals say nothing."""
    words = [w for w in re.findall(r"[^\W\d_]+", text) if len(w) > 1 and not w.isupper()]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.75 * len(words)
