"""Write the fictional demo case that the first notebook and ``scripts/start`` open.

The case is invented: the client, the clinician, the supervisor, the sessions
and every quote. It is a psychodynamic formulation built over four saved
versions, session by session, so that the app's history has something to show.

The script is deterministic (a fixed clock, fixed ids and file identity), so running it again
writes a byte-identical file:

    python3 scripts/make_demo_case.py                 # writes notebooks/cases/demo.formulation.json
    python3 scripts/make_demo_case.py --out FILE      # somewhere else
"""

from __future__ import annotations

import argparse
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import workbench
from workbench import _clock
from workbench.fileformat import writer

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "notebooks" / "cases" / "demo.formulation.json"

CASE_ID = "DEMO-01"
TITLE = "Passed over (FICTIONAL demo case)"
DESCRIPTION = (
    "FICTIONAL DEMO CASE, invented for trying out the workbench: the client, the clinicians, the "
    "sessions and every quote are made up; any resemblance to a real person is coincidental. "
    "A man in his forties seeks help for panic before meetings and angry outbursts at work after a "
    "promotion went to a colleague. Over seven sessions a formulation emerges: a father who criticised "
    "every mistake and praise that came only for achievements, a wish to be admired and a fear of "
    "humiliation, kept away by perfectionism and by devaluing others, and the same pattern appearing "
    "with the therapist."
)
THERAPIST = "Dr T. Example (fictional therapist)"
SUPERVISOR = "Dr S. Example (fictional supervisor)"
FIRST_SESSION = date(2026, 9, 7)


class Demo:
    """Build the case with fixed ids and a session-by-session clock."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.ids: dict[str, str] = {}
        self._when = datetime(FIRST_SESSION.year, FIRST_SESSION.month, FIRST_SESSION.day, 9, tzinfo=UTC)
        self._tick = 0

    # --- clock -------------------------------------------------------------------------

    def now(self) -> str:
        """Stand-in for ``workbench._clock.now``: the current session's time, one second per call."""
        stamp = self._when + timedelta(seconds=self._tick)
        self._tick += 1
        return stamp.isoformat().replace("+00:00", "Z")

    def after_session(self, number: int) -> None:
        """Move the clock to the evening of session ``number`` (weekly sessions)."""
        day = self.day(number)
        self._when = datetime(day.year, day.month, day.day, 18, tzinfo=UTC)
        self._tick = 0

    @staticmethod
    def day(session: int) -> date:
        """The (fictional) date of a session."""
        return FIRST_SESSION + timedelta(weeks=session - 1)

    def ev(self, session: int, quote: str = "", note: str = "") -> dict[str, Any]:
        """An evidence item from ``session``."""
        return {"session": session, "date": self.day(session).isoformat(), "quote": quote, "note": note}

    # --- ids ---------------------------------------------------------------------------

    def id(self, prefix: str, key: str) -> str:
        """A fixed id for the record known to this script as ``key``."""
        digest = hashlib.sha1(f"{CASE_ID}:{prefix}:{key}".encode()).hexdigest()[:8]
        self.ids[key] = f"{prefix}-{digest}"
        return self.ids[key]


@contextmanager
def fixed_clock(demo: Demo) -> Iterator[None]:
    """Replace the workbench clock and the file identity with fixed ones for the duration."""
    original_now, original_file_id = _clock.now, writer.new_file_id
    _clock.now = demo.now
    writer.new_file_id = lambda: hashlib.sha1(f"{CASE_ID}:file".encode()).hexdigest()[:32]
    try:
        yield
    finally:
        _clock.now, writer.new_file_id = original_now, original_file_id


def build(path: Path) -> list[int]:
    """Write the demo case to ``path`` (replacing any file there); return the versions saved."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    d = Demo(path)
    with fixed_clock(d):
        return _sessions(d)


def _sessions(d: Demo) -> list[int]:
    f = workbench.new(
        "psychodynamic", case_id=CASE_ID, title=TITLE, clinician=THERAPIST, description=DESCRIPTION,
        fictional=True,
    )

    def el(key: str, kind: str, label: str, **fields: Any) -> str:
        return f.add_element(kind, label, id=d.id("el", key), **fields)

    def ln(key: str, source: str, target: str, kind: str, **fields: Any) -> str:
        return f.add_link(d.ids[source], d.ids[target], kind, id=d.id("ln", key), **fields)

    def more_evidence(key: str, *items: dict[str, Any]) -> None:
        f.update_element(d.ids[key], evidence=[*f.element(d.ids[key]).evidence, *items])

    def save(message: str, session: int) -> int:
        return workbench.save(f, d.path, message=message, author=THERAPIST, session=session)

    versions = []

    # Session 1: what brings him, and one piece of history.
    d.after_session(1)
    el("panic", "present_symptom", "Panic before meetings",
       description="Racing heart and breathlessness before meetings with senior staff, for three months.",
       evidence=[d.ev(1, "My heart races in the lift up to the board room.")],
       confidence="high", status="supported", time_frame="present", tags=["anxiety"])
    el("anger", "present_symptom", "Angry outbursts at work",
       description="Two outbursts at his manager since the promotion went to a colleague.",
       evidence=[d.ev(1, "I told my manager exactly what I thought of her reorganisation.")],
       confidence="high", status="supported", time_frame="present")
    el("father", "early_experience", "Father criticised every mistake",
       evidence=[d.ev(1, "I got 95 in maths and he asked about the missing five.")],
       confidence="moderate", time_frame="past")
    el("children", "strength", "Devoted to his own children",
       description="Coaches his daughter's football team; speaks warmly of both children.",
       evidence=[d.ev(1, note="Brightened and slowed down when talking about his children.")],
       confidence="high", status="supported", time_frame="present")
    ln("children_panic", "children", "panic", "protects_against", confidence="low",
       description="Weekends with the children are the only time he does not worry about work.")
    versions.append(save("Session 1: presenting problems and first history", 1))

    # Sessions 2-3: history, the central conflict, the defenses.
    d.after_session(3)
    el("praise", "early_experience", "Praised only for achievements",
       description="His mother's warmth came with good marks and trophies.",
       evidence=[d.ev(2, "Mum put my certificates on the fridge. That was how you knew she was pleased.")],
       confidence="moderate", time_frame="past")
    el("brother", "early_experience", "Rivalry with an older brother",
       evidence=[d.ev(2, note="Mentioned in passing; little feeling attached.")],
       confidence="low", time_frame="past")
    el("admired", "unconscious_wish", "Wish to be admired",
       evidence=[d.ev(3, "For once I'd like someone to say: that was brilliant.")],
       confidence="moderate")
    el("humiliation", "unconscious_fear", "Fear of humiliation",
       description="A dread of being exposed as ordinary or inadequate in front of others.",
       evidence=[d.ev(3, "If I'm not the best in the room, I'm nothing.")],
       confidence="moderate")
    el("perfectionism", "defense", "Perfectionism and control",
       description="Prepares for every meeting late into the night; cannot delegate.",
       evidence=[d.ev(3, "I rehearse every presentation until I could give it in my sleep.")],
       confidence="moderate", time_frame="present")
    el("rivalry", "relational_pattern", "Competes with people in authority",
       description="Expects superiors to belittle him and gets in first.",
       evidence=[d.ev(3, "Managers are all the same; they want you small.")],
       confidence="moderate", time_frame="present")
    ln("father_humiliation", "father", "humiliation", "gives_rise_to", confidence="moderate",
       evidence=[d.ev(3, note="Links the two himself: 'that feeling of the missing five'.")])
    ln("praise_admired", "praise", "admired", "gives_rise_to", confidence="moderate")
    ln("admired_rivalry", "admired", "rivalry", "expressed_as", confidence="low")
    ln("perfectionism_humiliation", "perfectionism", "humiliation", "defends_against", confidence="moderate")
    ln("humiliation_panic", "humiliation", "panic", "expressed_as", confidence="moderate")
    ln("father_rivalry", "father", "rivalry", "repeats_in", confidence="low")
    ln("rivalry_anger", "rivalry", "anger", "expressed_as", confidence="moderate")
    f.add_comment("Is the brother more important than he lets on? Ask about him again.",
                  author=THERAPIST, target=d.ids["brother"], id=d.id("cm", "brother_question"))
    versions.append(save("Sessions 2-3: history, wish and fear, first defenses", 3))

    # Sessions 4-5: the pattern appears with the therapist; supervision.
    d.after_session(5)
    el("passed_over", "present_symptom", "Low mood since being passed over",
       evidence=[d.ev(4, "Since the promotion went to Sam I can't see the point of trying.")],
       confidence="moderate", time_frame="present")
    el("testing", "transference", "Tests whether the therapist is good enough",
       description="Questions the therapist's training; arrives with articles that contradict her.",
       evidence=[d.ev(5, "Have you actually treated people like me before?")],
       confidence="moderate", time_frame="in_session")
    el("devaluing", "defense", "Devaluing others when hurt",
       evidence=[d.ev(5, "Sam only got it because he plays golf with the director.")],
       confidence="moderate")
    ln("rivalry_testing", "rivalry", "testing", "repeats_in", confidence="moderate",
       evidence=[d.ev(5, note="Same tone as when he speaks of his manager.")])
    ln("testing_humiliation", "testing", "humiliation", "triggers", confidence="low")
    ln("devaluing_humiliation", "devaluing", "humiliation", "defends_against", confidence="moderate")
    ln("humiliation_low", "humiliation", "passed_over", "expressed_as", confidence="moderate")
    ln("perfectionism_panic", "perfectionism", "panic", "maintains", confidence="moderate",
       description="The more he prepares, the more a meeting feels like an exam he could fail.")
    f.add_comment(
        "Worth naming the testing gently before the half-term break. If you notice yourself wanting to "
        "prove your competence, that is useful information about the transference.",
        author=SUPERVISOR, target=d.ids["testing"], id=d.id("cm", "supervision_testing"),
    )
    versions.append(save("Sessions 4-5: transference, devaluing; supervision notes", 5))

    # Sessions 6-7: firmer ground; one hypothesis dropped. The process notes of both sessions are
    # kept with the case (private: never exported); the quotes below are found in them word for word.
    d.after_session(7)
    f.add_session(6, date=d.day(6), text=(
        "Came straight from the board meeting, still flushed. About his manager: \"When she corrected "
        "my figures in front of everyone I wanted to vanish.\" Long silence.\n\n"
        "Later, about the weekend, softer: \"My daughter said I was the best coach. I nearly cried.\"\n\n"
        "I asked about his brother again. \"Tom? He looked out for me. It was Dad I had to beat.\" "
        "Less guarded than in the first weeks; left on time."))
    f.add_session(7, date=d.day(7), text=(
        "Arrived early. I named, carefully, how in the first weeks he had questioned my training. "
        "A pause, then he laughed: \"So I tested you too. Of course I did.\"\n\n"
        "He recognised the old fear of being shown up as we spoke about it. Warm ending."))
    el("humour", "strength", "Can laugh at himself in session",
       evidence=[d.ev(7, "So I tested you too. Of course I did.")],
       confidence="moderate", status="supported", time_frame="in_session")
    ln("humour_devaluing", "humour", "devaluing", "protects_against", confidence="low")
    ln("devaluing_anger", "devaluing", "anger", "expressed_as", confidence="moderate")
    ln("children_low", "children", "passed_over", "protects_against", confidence="moderate")
    more_evidence("humiliation",
                  d.ev(6, "When she corrected my figures in front of everyone I wanted to vanish."),
                  d.ev(7, note="Recognised the fear when the testing was named."))
    f.update_element(d.ids["humiliation"], status="supported", confidence="high")
    more_evidence("admired", d.ev(6, "My daughter said I was the best coach. I nearly cried."))
    f.update_link(d.ids["rivalry_testing"], status="supported", confidence="high")
    more_evidence("brother", d.ev(6, "Tom? He looked out for me. It was Dad I had to beat."))
    f.update_element(d.ids["brother"], status="discarded",
                     description="Asked again in session 6: the brother was protective, not a rival.")
    f.resolve_comment(d.ids["brother_question"])
    versions.append(save("Sessions 6-7: fear of humiliation supported; brother hypothesis discarded", 7))
    return versions


def main(argv: list[str] | None = None) -> int:
    """Write the demo case; print where and which versions."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="the case file to write")
    args = parser.parse_args(argv)
    versions = build(args.out)
    f = workbench.load(args.out)
    print(f"{args.out}: versions {versions[0]}-{versions[-1]}, {len(f.elements())} elements, "
          f"{len(f.links())} links")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
