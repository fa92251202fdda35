"""Write the fictional teaching cases into ``notebooks/cases/teaching/``.

Every case here is invented for teaching: the clients, the clinicians, the
sessions and every quote. Each case uses a different framework template and is
saved as several versions, session by session, so that the step-through
presenter, the history and the compare panel have something to show.

The script is deterministic: the clock is fixed (``workbench._clock.now`` is
replaced by a session-by-session clock), every id is given explicitly and the
file identities come from a fixed sequence, so running it again writes
byte-identical files.

    python3 scripts/make_teaching_cases.py            # writes notebooks/cases/teaching/
    python3 scripts/make_teaching_cases.py --out DIR  # somewhere else
"""

from __future__ import annotations

import argparse
import hashlib
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import workbench
from workbench import _clock
from workbench.fileformat import writer

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "notebooks" / "cases" / "teaching"
SUFFIX = ".formulation.json"

FICTION_NOTE = (
    "FICTIONAL TEACHING CASE. The client, the clinicians, the sessions and every quote are invented "
    "for teaching; any resemblance to a real person is coincidental."
)

THERAPIST = "Therapist A (fictional)"
SUPERVISOR = "Supervisor S (fictional)"
TRAINEE = "Trainee B (fictional)"
RATER = "Second rater R (fictional)"


class SessionClock:
    """A stand-in for ``workbench._clock.now``: a fixed time that moves one second per call."""

    def __init__(self) -> None:
        self._base = datetime(2026, 1, 5, 17, 0, tzinfo=UTC)
        self._tick = 0

    def at(self, day: date, hour: int = 17) -> None:
        """Move the clock to ``day`` at ``hour``:00 UTC."""
        self._base = datetime(day.year, day.month, day.day, hour, 0, tzinfo=UTC)
        self._tick = 0

    def __call__(self) -> str:
        stamp = self._base + timedelta(seconds=self._tick)
        self._tick += 1
        return stamp.isoformat().replace("+00:00", "Z")


class _FileIds:
    """A stand-in for the file layer's random file identity: the same ids, in the same order, every run."""

    def __init__(self) -> None:
        self._count = 0

    def __call__(self) -> str:
        self._count += 1
        return hashlib.sha1(f"teaching-case-file-{self._count}".encode()).hexdigest()[:32]


class CaseWriter:
    """Build one case session by session with fixed ids, saving a version after each step."""

    def __init__(
        self, clock: SessionClock, path: Path, formulation: workbench.Formulation, first_session: date
    ) -> None:
        self.clock = clock
        self.path = path
        self.f = formulation
        self.first_session = first_session
        self.ids: dict[str, str] = {}
        self._prefix = formulation.meta.case_id + "/" + path.name

    # --- session bookkeeping ------------------------------------------------------

    def day(self, session: int) -> date:
        """The (fictional) date of a session: weekly from the first one."""
        return self.first_session + timedelta(weeks=session - 1)

    def session(self, number: int, hour: int = 17) -> None:
        """Start the edits that follow session ``number``."""
        self.clock.at(self.day(number), hour)

    def ev(self, session: int, quote: str = "", note: str = "") -> dict[str, Any]:
        """An evidence item from a session, dated with that session's day."""
        return {"session": session, "date": self.day(session).isoformat(), "quote": quote, "note": note}

    # --- edits with fixed ids --------------------------------------------------------

    def _id(self, prefix: str, key: str) -> str:
        digest = hashlib.sha1(f"{self._prefix}:{prefix}:{key}".encode()).hexdigest()[:8]
        self.ids[key] = f"{prefix}-{digest}"
        return self.ids[key]

    def el(self, key: str, kind: str, label: str, **fields: Any) -> str:
        """Add an element known to the script as ``key``."""
        return self.f.add_element(kind, label, id=self._id("el", key), **fields)

    def ln(self, key: str, source: str, target: str, kind: str, **fields: Any) -> str:
        """Add a link ``key`` between the elements known as ``source`` and ``target``."""
        return self.f.add_link(self.ids[source], self.ids[target], kind, id=self._id("ln", key), **fields)

    def update(self, key: str, **fields: Any) -> None:
        """Change an element or a link known as ``key``."""
        target = self.ids[key]
        if self.f.has_element(target):
            self.f.update_element(target, **fields)
        else:
            self.f.update_link(target, **fields)

    def more_evidence(self, key: str, *items: dict[str, Any]) -> None:
        """Add evidence items to an element or link known as ``key``."""
        target = self.ids[key]
        record = self.f.element(target) if self.f.has_element(target) else self.f.link(target)
        self.update(key, evidence=[*record.evidence, *items])

    def comment(self, key: str, text: str, *, author: str, on: str | None = None) -> str:
        """Add a comment ``key`` on the element or link known as ``on`` (or the whole case)."""
        target = self.ids[on] if on is not None else None
        return self.f.add_comment(text, author=author, target=target, id=self._id("cm", key))

    def resolve(self, key: str) -> None:
        """Mark the comment known as ``key`` resolved."""
        self.f.resolve_comment(self.ids[key])

    def save(self, message: str, *, author: str, session: int | None) -> int:
        """Save a new version of the case."""
        return workbench.save(self.f, self.path, message=message, author=author, session=session)


def _writer(clock: SessionClock, out: Path, name: str, first_session: date, **new: Any) -> CaseWriter:
    clock.at(first_session, 9)
    path = out / f"{name}{SUFFIX}"
    formulation = workbench.new(fictional=True, **new)
    return CaseWriter(clock, path, formulation, first_session)


# --- case 1: psychodynamic ---------------------------------------------------------------

PSYCHODYNAMIC_TITLE = "The self-sufficient carer (fictional teaching case)"
PSYCHODYNAMIC_DESCRIPTION = (
    f"{FICTION_NOTE} A woman in her thirties seeks help for low mood and exhaustion, overwork and "
    "quarrels with her partner about closeness. Over six sessions a formulation emerges: early "
    "experiences of an often absent father and a withdrawn mother, a fear of being left and a wish to "
    "be cared for, both kept out of awareness by compulsive self-sufficiency, and the same pattern "
    "appearing with the therapist before a break."
)


def psychodynamic_case(clock: SessionClock, out: Path) -> CaseWriter:
    """Six versions of a psychodynamic formulation (template ``psychodynamic``)."""
    w = _writer(
        clock, out, "psychodynamic_self_sufficient_carer", date(2026, 1, 12),
        template="psychodynamic", case_id="TEACH-PD-01", title=PSYCHODYNAMIC_TITLE,
        clinician=THERAPIST, description=PSYCHODYNAMIC_DESCRIPTION,
    )

    # Session 1: what brings her, and one piece of history.
    w.session(1)
    w.el("mood", "present_symptom", "Low mood and exhaustion",
         description="Flat and tired most days for about six months; still working full time.",
         evidence=[w.ev(1, "I'm tired all the time, even at weekends.")],
         confidence="high", status="supported", time_frame="present")
    w.el("partner", "present_symptom", "Conflict with partner over closeness",
         description="Rows start when her partner wants to talk or to spend an evening together.",
         evidence=[w.ev(1, "When he wants to talk I suddenly find something to tidy.")],
         confidence="moderate", time_frame="present")
    w.el("work", "present_symptom", "Overwork: cannot say no at work",
         evidence=[w.ev(1, "If someone is off sick it lands on my desk, and I just take it.")],
         confidence="moderate", time_frame="present")
    w.el("father", "early_experience", "Father often absent for work",
         description="Away for weeks at a time through most of her childhood.",
         evidence=[w.ev(1, "Dad worked away a lot. We got postcards.")],
         confidence="moderate", time_frame="past")
    w.save("Session 1: presenting problems and first history", author=THERAPIST, session=1)

    # Session 2: more history and a first hypothesis.
    w.session(2)
    w.el("mother", "early_experience", "Mother low and withdrawn after a sibling's birth",
         evidence=[w.ev(2, "Mum was in bed a lot that year. I made my own packed lunches.")],
         confidence="moderate", time_frame="past")
    w.el("fear_left", "unconscious_fear", "Fear of being left",
         description="A dread that the people she depends on will go; shows when her partner travels.",
         evidence=[w.ev(2, note="Restless describing her partner's work trip; changed the subject.")],
         confidence="moderate")
    w.el("self_suff", "defense", "Compulsive self-sufficiency",
         description="Needing nobody, so nobody can let her down.",
         evidence=[w.ev(2, "I don't like asking anyone for anything.")],
         confidence="moderate")
    w.ln("father_fear", "father", "fear_left", "gives_rise_to", confidence="moderate")
    w.ln("mother_suff", "mother", "self_suff", "gives_rise_to", confidence="moderate")
    w.ln("suff_fear", "self_suff", "fear_left", "defends_against", confidence="moderate")
    w.ln("fear_partner", "fear_left", "partner", "expressed_as", confidence="low")
    w.ln("suff_work", "self_suff", "work", "expressed_as", confidence="low")
    w.save("Session 2: early history and a first hypothesis", author=THERAPIST, session=2)

    # Session 3: the pattern appears with the therapist.
    w.session(3)
    w.el("wish_care", "unconscious_wish", "Wish to be cared for without having to ask",
         evidence=[w.ev(3, "It would be nice if someone just noticed, for once.")],
         confidence="moderate")
    w.el("carer", "relational_pattern", "Looks after others and hides her own needs",
         description="Expects others to be too busy for her; gives care and gets thanks but no care back; "
                     "feels quietly resentful.",
         evidence=[w.ev(3, "I'm the one everyone calls. Nobody asks how I am.")],
         confidence="moderate", time_frame="present")
    w.el("tr_apology", "transference", "Apologises for taking up the therapist's time",
         description="Plays down her distress and offers to miss a session before the therapist's break.",
         evidence=[w.ev(3, "Sorry, I'm going on a bit.", note="Said it three times; offered to skip.")],
         confidence="low", time_frame="in_session")
    w.el("intellect", "defense", "Intellectualisation",
         evidence=[w.ev(3, "I've read that it's probably an attachment thing.")],
         confidence="low")
    w.ln("mother_wish", "mother", "wish_care", "gives_rise_to", confidence="moderate")
    w.ln("suff_wish", "self_suff", "wish_care", "defends_against", confidence="moderate")
    w.ln("suff_carer", "self_suff", "carer", "expressed_as", confidence="moderate")
    w.ln("carer_tr", "carer", "tr_apology", "repeats_in", confidence="low")
    w.ln("tr_fear", "tr_apology", "fear_left", "triggers", confidence="low",
         description="The coming break stirs the fear of being left, which she manages by leaving first.")
    w.ln("fear_suff", "fear_left", "self_suff", "maintains", confidence="moderate")
    w.ln("carer_partner", "carer", "partner", "expressed_as", confidence="moderate")
    w.ln("partner_fear", "partner", "fear_left", "triggers", confidence="low")
    w.ln("intellect_wish", "intellect", "wish_care", "defends_against", confidence="low")
    w.save("Session 3: transference emerging", author=THERAPIST, session=3)

    # Session 4: anger, turned against herself.
    w.session(4)
    w.el("protest", "unconscious_wish", "Angry protest at being left (disowned)",
         evidence=[w.ev(4, "I wasn't angry with him. I was angry with myself for minding.")],
         confidence="low")
    w.el("anger_self", "defense", "Turning anger against the self",
         evidence=[w.ev(4, "I just told myself to stop being so needy.")],
         confidence="moderate")
    w.ln("fear_protest", "fear_left", "protest", "gives_rise_to", confidence="low")
    w.ln("anger_protest", "anger_self", "protest", "defends_against", confidence="moderate")
    w.ln("anger_mood", "anger_self", "mood", "expressed_as", confidence="moderate")
    w.save("Session 4: anger turned against the self", author=THERAPIST, session=4)

    # Supervision after session 4.
    w.session(4, hour=19)
    w.comment("c_break", "Note the offer to skip the session before your break. Worth taking up the fear "
              "of being left in the here and now, before the break rather than after it.",
              author=SUPERVISOR, on="tr_apology")
    w.comment("c_work", "What is the evidence that the overwork is defensive rather than a realistic "
              "workload? Keep this link a hypothesis until you hear more.",
              author=SUPERVISOR, on="suff_work")
    w.comment("c_strengths", "A coherent first formulation. Where are her strengths? Add what has held "
              "her together so far.", author=SUPERVISOR)
    w.save("Supervision: comments on the transference, the evidence and strengths",
           author=SUPERVISOR, session=4)

    # Sessions 5 and 6: strengths, and hypotheses revised.
    w.session(6)
    w.el("friend", "strength", "Long friendship with a former colleague",
         evidence=[w.ev(5, "She's the one person I could ring at midnight.")],
         confidence="high", status="supported", time_frame="present")
    w.el("curious", "strength", "Curious about her own reactions; uses the sessions well",
         evidence=[w.ev(6, note="Picked up the link between the break and her partner's trip herself.")],
         confidence="moderate", time_frame="in_session")
    w.ln("friend_mood", "friend", "mood", "protects_against", confidence="moderate")
    w.ln("curious_suff", "curious", "self_suff", "protects_against", confidence="low")
    w.update("intellect", status="discarded",
             notes="Seen only once; on reflection ordinary interest rather than a defense.")
    w.more_evidence("fear_left", w.ev(5, "When he said he'd be away for a week I booked extra shifts."))
    w.update("fear_left", status="supported", confidence="high")
    w.more_evidence("tr_apology", w.ev(5, "It was no bother at all, the break. I hardly noticed."))
    w.update("tr_apology", status="supported", confidence="moderate")
    w.more_evidence("suff_work", w.ev(6, "My manager offered help and I said I was fine. I wasn't."))
    w.update("suff_work", status="supported", confidence="moderate")
    w.resolve("c_work")
    w.resolve("c_strengths")
    w.save("Session 6: strengths added; hypotheses revised", author=THERAPIST, session=6)
    return w


def psychodynamic_trainee(clock: SessionClock, out: Path) -> CaseWriter:
    """A trainee's own formulation of the same case, for the compare panel (two versions)."""
    w = _writer(
        clock, out, "psychodynamic_self_sufficient_carer_trainee", date(2026, 1, 12),
        template="psychodynamic", case_id="TEACH-PD-01",
        title="The self-sufficient carer: trainee's formulation (fictional teaching case)",
        clinician=TRAINEE,
        description=f"{FICTION_NOTE} A trainee's formulation of the same fictional case, written from the "
                    "session notes presented in the case seminar, to compare with the therapist's own.",
    )
    w.session(3, hour=20)
    w.el("mood", "present_symptom", "low mood and exhaustion", time_frame="present",
         evidence=[w.ev(1, "I'm tired all the time, even at weekends.")])
    w.el("partner", "present_symptom", "Conflict with partner about closeness", time_frame="present")
    w.el("work", "present_symptom", "Overwork", time_frame="present")
    w.el("father", "early_experience", "Father often absent for work", time_frame="past")
    w.el("mother", "early_experience", "Mother depressed after her sibling was born", time_frame="past")
    w.el("fear", "unconscious_fear", "Fear of abandonment")
    w.el("self_suff", "defense", "Compulsive self-sufficiency")
    w.ln("father_fear", "father", "fear", "gives_rise_to")
    w.ln("mother_suff", "mother", "self_suff", "gives_rise_to")
    w.ln("suff_fear", "self_suff", "fear", "defends_against")
    w.ln("fear_partner", "fear", "partner", "expressed_as")
    w.save("Seminar after session 3: trainee's first formulation", author=TRAINEE, session=3)

    w.session(4, hour=20)
    w.el("wish_care", "unconscious_wish", "Wish to be cared for without having to ask")
    w.el("reaction", "defense", "Reaction formation: excessive helpfulness")
    w.el("caretaking", "relational_pattern", "Caretaking of others")
    w.ln("suff_wish", "self_suff", "wish_care", "defends_against")
    w.ln("reaction_wish", "reaction", "wish_care", "defends_against")
    w.ln("reaction_caretaking", "reaction", "caretaking", "expressed_as")
    w.ln("caretaking_work", "caretaking", "work", "expressed_as")
    w.ln("mood_suff", "mood", "self_suff", "maintains")
    w.save("Seminar after session 4: wish and caretaking added", author=TRAINEE, session=4)
    return w


# --- case 1b: psychodynamic, the working alliance ------------------------------------------

ALLIANCE_TITLE = "The polite latecomer (fictional teaching case)"
ALLIANCE_DESCRIPTION = (
    f"{FICTION_NOTE} A man in his fifties comes with panic attacks on the way to work since a "
    "restructure. He agrees with everything the therapist says and then arrives late. In session 4 a "
    "comment on his lateness is followed by a withdrawal rupture; in session 5 the therapist takes it up "
    "and the rupture is repaired. The case shows the psychodynamic template's working alliance, ruptures "
    "and repairs, and a defense enacted in the transference."
)


def alliance_case(clock: SessionClock, out: Path) -> CaseWriter:
    """Five versions of a psychodynamic formulation with the working alliance, a rupture and its repair."""
    w = _writer(
        clock, out, "psychodynamic_polite_latecomer", date(2026, 5, 4),
        template="psychodynamic", case_id="TEACH-PD-02", title=ALLIANCE_TITLE,
        clinician=THERAPIST, description=ALLIANCE_DESCRIPTION,
    )

    w.session(1)
    w.el("panic", "present_symptom", "Panic attacks on the train to work",
         evidence=[w.ev(1, "By the second stop my heart is going and I have to get off.")],
         confidence="high", status="supported", time_frame="present")
    w.el("father", "early_experience", "Father who mocked mistakes at the dinner table",
         evidence=[w.ev(1, "If you got something wrong it was the joke of the evening.")],
         confidence="moderate", time_frame="past")
    w.el("alliance", "working_alliance", "Agreed focus on the panic; a polite, careful bond",
         description="Agrees to weekly sessions and to keeping a panic diary; keeps his coat on.",
         evidence=[w.ev(1, "Whatever you think is best. I'll do my homework.")],
         confidence="moderate", time_frame="in_session")
    w.el("keeps_going", "strength", "Keeps going to work despite the panic",
         evidence=[w.ev(1, "I get off, I walk the rest. I've not missed a day.")],
         confidence="high", status="supported", time_frame="present")
    w.ln("going_panic", "keeps_going", "panic", "protects_against", confidence="moderate")
    w.save("Session 1: the presenting problem and an agreed focus", author=THERAPIST, session=1)

    w.session(2)
    w.el("fear", "unconscious_fear", "Fear of being exposed as incompetent",
         evidence=[w.ev(2, note="Flushed when describing a question he could not answer in a meeting.")],
         confidence="moderate")
    w.el("wish", "unconscious_wish", "Wish to be thought capable without being examined",
         evidence=[w.ev(2, "I just want them to trust me to get on with it.")], confidence="low")
    w.el("comply", "defense", "Compliance: agrees at once, then quietly does it his own way",
         evidence=[w.ev(2, "I said yes in the meeting and then redid it my way at night.")],
         confidence="moderate")
    w.el("defers", "relational_pattern", "Defers to his manager, then stays late redoing the work",
         evidence=[w.ev(2, "She's the boss. I'd never argue. I just fix it afterwards.")],
         confidence="moderate", time_frame="present")
    w.ln("father_fear", "father", "fear", "gives_rise_to", confidence="moderate")
    w.ln("father_wish", "father", "wish", "gives_rise_to", confidence="low")
    w.ln("comply_fear", "comply", "fear", "defends_against", confidence="moderate")
    w.ln("fear_panic", "fear", "panic", "expressed_as", confidence="moderate")
    w.ln("comply_defers", "comply", "defers", "expressed_as", confidence="moderate")
    w.ln("wish_defers", "wish", "defers", "expressed_as", confidence="low")
    w.save("Session 2: an early fear, and the compliance that keeps it away", author=THERAPIST, session=2)

    w.session(3)
    w.el("tr_agrees", "transference", "Agrees with every comment, then arrives late to the next session",
         evidence=[w.ev(3, "Yes, absolutely.", note="Twelve minutes late; apologised twice.")],
         confidence="low", time_frame="in_session")
    w.ln("comply_tr", "comply", "tr_agrees", "enacted_in", confidence="moderate",
         description="The compliance he shows his manager, lived out with the therapist.")
    w.ln("defers_tr", "defers", "tr_agrees", "repeats_in", confidence="low")
    w.save("Session 3: transference emerging: agreement, then lateness", author=THERAPIST, session=3)

    w.session(4)
    w.el("rupture", "rupture", "Withdrawal after a comment on his lateness: apologises, then goes quiet",
         evidence=[w.ev(4, "You're right. Sorry. It won't happen again.",
                        note="Said little for the rest of the session; left without the usual handshake.")],
         confidence="moderate", time_frame="in_session")
    w.ln("tr_rupture", "tr_agrees", "rupture", "surfaces_as", confidence="moderate")
    w.ln("rupture_alliance", "rupture", "alliance", "strains", confidence="moderate")
    w.save("Session 4: a rupture in the alliance", author=THERAPIST, session=4)

    w.session(4, hour=19)
    w.comment("c_rupture", "A withdrawal rupture: the apology closes the subject. Come back to it at the "
              "start of the next session: how did the comment on his lateness land?",
              author=SUPERVISOR, on="rupture")
    w.comment("c_lateness", "Is the lateness the other side of the compliance, a quiet protest? Keep it as a "
              "hypothesis until you have heard more.", author=SUPERVISOR, on="tr_agrees")
    w.comment("c_alliance", "Say where the alliance stands now: the bond as well as the agreed focus.",
              author=SUPERVISOR)
    w.save("Supervision: the rupture, and how to come back to it", author=SUPERVISOR, session=4)

    w.session(5)
    w.el("repair", "repair",
         "Therapist asks how the comment landed and owns that it sounded like a reprimand",
         evidence=[w.ev(5, "It felt like being back at the dinner table.",
                        note="He then said he had been angry all week, and laughed.")],
         confidence="moderate", status="supported", time_frame="in_session")
    w.el("names_anger", "strength", "Can name his anger when asked directly",
         evidence=[w.ev(5, "Honestly? I was fuming.")], confidence="moderate", time_frame="in_session")
    w.ln("repair_rupture", "repair", "rupture", "resolves", confidence="moderate")
    w.ln("repair_alliance", "repair", "alliance", "strengthens", confidence="moderate")
    w.ln("anger_alliance", "names_anger", "alliance", "strengthens", confidence="low")
    w.update("alliance", description="Agreed focus on the panic. After the repair in session 5 the bond is "
             "less polite and more open: he took his coat off.")
    w.more_evidence("alliance", w.ev(5, note="Took his coat off for the first time."))
    w.more_evidence("tr_agrees", w.ev(5, "I suppose I say yes so nobody looks too closely."))
    w.update("tr_agrees", confidence="moderate")
    w.resolve("c_rupture")
    w.resolve("c_alliance")
    w.save("Session 5: the rupture taken up and repaired", author=THERAPIST, session=5)
    return w


# --- case 2: CCRT ------------------------------------------------------------------------

CCRT_TITLE = "The unheard colleague (fictional teaching case)"
CCRT_DESCRIPTION = (
    f"{FICTION_NOTE} A man in his late twenties comes because he is irritable and withdrawn at work. "
    "Relationship episodes with his manager, his partner, his father and the therapist are scored for "
    "the wish (W), the response of other (RO) and the response of self (RS), each coded to the CCRT "
    "standard-category clusters. The core theme: a wish to be listened to and understood, met by others "
    "who dismiss him, followed by withdrawal, disappointment and later resentment; in session 5 a first "
    "positive episode."
)


def ccrt_case(clock: SessionClock, out: Path) -> CaseWriter:
    """Five versions of a CCRT formulation (template ``ccrt``), coded to the cluster codes."""
    w = _writer(
        clock, out, "ccrt_unheard_colleague", date(2026, 2, 2),
        template="ccrt", case_id="TEACH-CCRT-01", title=CCRT_TITLE,
        clinician=THERAPIST, description=CCRT_DESCRIPTION,
    )

    w.session(1)
    w.el("re_meeting", "episode_current", "RE 1: the manager passes over his proposal in a team meeting",
         evidence=[w.ev(1, "I'd prepared it for a week. She just said 'right, next item'.")],
         time_frame="present", status="supported")
    w.el("re_phone", "episode_current", "RE 2: his partner checks her phone while he tells her about his day",
         evidence=[w.ev(1, "I was halfway through and she was scrolling.")],
         time_frame="present", status="supported")
    w.el("w_heard", "wish", "To be listened to and understood", code="W6",
         evidence=[w.ev(1, "I just want someone to actually hear it.")], confidence="moderate")
    w.el("ro_dismiss", "response_of_other", "Dismisses him and moves on", code="RO5", confidence="moderate")
    w.el("rs_withdraw", "response_of_self", "Goes quiet and withdraws", code="RS7",
         evidence=[w.ev(1, "I didn't say anything else all meeting.")], confidence="moderate")
    w.el("rs_snap", "response_of_self", "Snaps at someone later", code="RS4",
         evidence=[w.ev(1, "Then I was short with a colleague who'd done nothing.")], confidence="low")
    for re in ("re_meeting", "re_phone"):
        w.ln(f"{re}_w", re, "w_heard", "expresses")
        w.ln(f"{re}_ro", re, "ro_dismiss", "contains")
        w.ln(f"{re}_rs", re, "rs_withdraw", "contains")
    w.ln("meeting_snap", "re_meeting", "rs_snap", "contains")
    w.ln("heard_dismiss", "w_heard", "ro_dismiss", "met_negatively", confidence="moderate")
    w.ln("dismiss_withdraw", "ro_dismiss", "rs_withdraw", "followed_negatively", confidence="moderate")
    w.ln("dismiss_snap", "ro_dismiss", "rs_snap", "followed_negatively", confidence="low")
    w.save("Session 1: two relationship episodes scored", author=THERAPIST, session=1)

    w.session(2)
    w.el("re_father", "episode_past", "RE 3: his father laughs at his school project at dinner",
         description="Remembered from about the age of ten.",
         evidence=[w.ev(2, "He picked it up, laughed, and passed it round.")], time_frame="past")
    w.el("re_mother", "episode_past", "RE 4: his mother tells him not to upset his father",
         evidence=[w.ev(2, "She said, just leave it, you know what he's like.")], time_frame="past")
    w.el("w_peace", "wish", "To keep the peace and avoid a row", code="W4", confidence="low")
    w.el("ro_belittle", "response_of_other", "Belittles him", code="RO5", confidence="moderate")
    w.el("ro_quiet", "response_of_other", "Tells him to keep quiet", code="RO2", confidence="moderate")
    w.el("rs_ashamed", "response_of_self", "Feels ashamed and hides his work", code="RS8",
         evidence=[w.ev(2, "I didn't show anyone my drawings after that.")], confidence="moderate")
    w.el("rs_gives_in", "response_of_self", "Gives in and stays silent", code="RS6", confidence="low")
    w.ln("father_w", "re_father", "w_heard", "expresses")
    w.ln("father_ro", "re_father", "ro_belittle", "contains")
    w.ln("father_rs", "re_father", "rs_ashamed", "contains")
    w.ln("mother_w", "re_mother", "w_peace", "expresses")
    w.ln("mother_ro", "re_mother", "ro_quiet", "contains")
    w.ln("mother_rs", "re_mother", "rs_gives_in", "contains")
    w.ln("heard_belittle", "w_heard", "ro_belittle", "met_negatively", confidence="moderate")
    w.ln("belittle_ashamed", "ro_belittle", "rs_ashamed", "followed_negatively", confidence="moderate")
    w.ln("peace_quiet", "w_peace", "ro_quiet", "met_positively", confidence="low",
         description="His wish to avoid a row is granted, at the price of his first wish.")
    w.ln("quiet_gives_in", "ro_quiet", "rs_gives_in", "followed_negatively", confidence="low")
    w.ln("meeting_father", "re_meeting", "re_father", "parallels", confidence="low")
    w.save("Session 2: two episodes from childhood", author=THERAPIST, session=2)

    w.session(3)
    w.el("re_therapist", "episode_therapist",
         "RE 5: the therapist ends the session on time while he is mid-sentence",
         evidence=[w.ev(3, "It's fine. It wasn't important anyway.", note="Said while standing to leave.")],
         time_frame="in_session")
    w.el("rs_apologise", "response_of_self", "Apologises and says it was not important", code="RS7",
         evidence=[w.ev(3, "Sorry, I've gone on.")], time_frame="in_session", confidence="moderate")
    w.ln("therapist_w", "re_therapist", "w_heard", "expresses")
    w.ln("therapist_ro", "re_therapist", "ro_dismiss", "expects",
         description="Expected rather than actual: he was sure the therapist was bored.")
    w.ln("therapist_rs", "re_therapist", "rs_apologise", "contains")
    w.ln("dismiss_apologise", "ro_dismiss", "rs_apologise", "followed_negatively", confidence="moderate")
    w.ln("therapist_father", "re_therapist", "re_father", "parallels", confidence="low")
    w.update("meeting_father", confidence="moderate")
    w.save("Session 3: transference emerging", author=THERAPIST, session=3)

    w.session(3, hour=19)
    w.comment("c_expected", "Score the RO in this episode as an expected response: the therapist did not "
              "dismiss him, he expected it. Mark it so when you present the CCRT.",
              author=SUPERVISOR, on="therapist_ro")
    w.comment("c_peace", "Is 'to keep the peace' a second wish, or his response to the first? Raters often "
              "disagree here; code it both ways and compare.", author=SUPERVISOR, on="w_peace")
    w.comment("c_pervasive", "Pervasiveness: the wish to be listened to appears in four of five episodes. "
              "Write the CCRT in one sentence (W, RO, RS).", author=SUPERVISOR)
    w.save("Supervision: comments on scoring and pervasiveness", author=SUPERVISOR, session=3)

    w.session(5)
    w.el("re_speaks_up", "episode_current", "RE 6: he tells his manager he disagrees with the plan",
         evidence=[w.ev(5, "I said I thought it wouldn't work, and why. She asked me to write it up.")],
         time_frame="present")
    w.el("w_assert", "wish", "To stand up for his own ideas", code="W1", confidence="moderate")
    w.el("ro_takes_seriously", "response_of_other", "Takes his point seriously", code="RO8",
         confidence="moderate")
    w.el("rs_calm", "response_of_self", "Stays calm and sure of his point", code="RS5",
         evidence=[w.ev(5, "I felt, actually, quite steady.")], confidence="moderate")
    w.ln("speaks_w", "re_speaks_up", "w_assert", "expresses")
    w.ln("speaks_ro", "re_speaks_up", "ro_takes_seriously", "contains")
    w.ln("speaks_rs", "re_speaks_up", "rs_calm", "contains")
    w.ln("assert_serious", "w_assert", "ro_takes_seriously", "met_positively", confidence="moderate")
    w.ln("serious_calm", "ro_takes_seriously", "rs_calm", "followed_positively", confidence="moderate")
    w.update("w_heard", status="supported", confidence="high")
    w.update("ro_dismiss", status="supported")
    w.update("rs_withdraw", status="supported")
    w.comment("c_summary", "CCRT: W to be listened to and understood (W6); RO dismisses or belittles him "
              "(RO5); RS withdraws, disappointed (RS7), later resentful (RS4). First positive episode in "
              "session 5.", author=THERAPIST)
    w.resolve("c_pervasive")
    w.resolve("c_expected")
    w.save("Session 5: a first positive relationship episode", author=THERAPIST, session=5)
    return w


def ccrt_second_rater(clock: SessionClock, out: Path, first: CaseWriter) -> CaseWriter:
    """An independent second coding of the same episodes: same components, some codes differ.

    Made from the therapist's latest version so that the elements match one to one; the
    differences are in the cluster codes, which is what CCRT reliability studies compare.
    """
    clock.at(first.day(5), 21)
    f = workbench.load(first.path)
    f.update_meta(clinician=RATER,
                  title="The unheard colleague: second rater's coding (fictional teaching case)")
    for comment in f.comment_records():
        f.remove_comment(comment.id)
    recode = {"w_peace": "W5", "rs_withdraw": "RS2", "rs_gives_in": "RS8",
              "ro_belittle": "RO4"}
    for key, code in recode.items():
        f.update_element(first.ids[key], code=code)
    w = CaseWriter(clock, out / f"ccrt_unheard_colleague_second_rater{SUFFIX}", f, first.first_session)
    w.ids = dict(first.ids)
    w.save("Independent coding of the six relationship episodes", author=RATER, session=5)
    return w


# --- case 3: CMP ---------------------------------------------------------------------------

CMP_TITLE = "The obliging student (fictional teaching case)"
CMP_DESCRIPTION = (
    f"{FICTION_NOTE} A postgraduate student in her twenties comes with anxiety and a thesis that is "
    "months behind. Her Cyclical Maladaptive Pattern: expecting others to be irritated and drop her if "
    "she disagrees, she agrees to everything and keeps her views to herself; others take her for granted "
    "and ask more of her, which confirms the expectation; she treats herself as harshly as she feels "
    "treated. In session 3 the therapist notices being pulled into giving advice, a re-enactment; in "
    "session 6 a first new experience."
)


def cmp_case(clock: SessionClock, out: Path) -> CaseWriter:
    """Five versions of a Cyclical Maladaptive Pattern (template ``cmp``)."""
    w = _writer(
        clock, out, "cmp_obliging_student", date(2026, 3, 2),
        template="cmp", case_id="TEACH-CMP-01", title=CMP_TITLE,
        clinician=THERAPIST, description=CMP_DESCRIPTION,
    )

    w.session(1)
    w.el("agrees", "acts_of_self", "Agrees to whatever others ask and keeps her views to herself",
         evidence=[w.ev(1, "I said yes to marking the first-year essays again. I always say yes.")],
         confidence="high", status="supported", time_frame="present")
    w.el("taken_for_granted", "acts_of_others", "Others take her help for granted and ask for more",
         evidence=[w.ev(1, "Now it's just assumed I'll do it.")], confidence="moderate", time_frame="present")
    w.el("self_critic", "acts_of_self_toward_self", "Calls herself lazy and useless over every delay",
         evidence=[w.ev(1, "I'm just lazy. Anyone else would have finished by now.")],
         confidence="moderate", time_frame="present")
    w.ln("agrees_granted", "agrees", "taken_for_granted", "evokes", confidence="moderate")
    w.save("Session 1: first CMP categories", author=THERAPIST, session=1)

    w.session(2)
    w.el("expects_drop", "expectations_of_others",
         "Expects that if she disagrees, others will be irritated and drop her",
         evidence=[w.ev(2, "If I said no they'd just find someone else and that would be that.")],
         confidence="moderate")
    w.el("no_help", "acts_of_self", "Does not ask for help with her own work",
         evidence=[w.ev(2, "I haven't told my supervisor how behind I am.")], confidence="moderate",
         time_frame="present")
    w.el("curt", "acts_of_others", "Her supervisor gives brief feedback and little contact",
         evidence=[w.ev(2, "Two lines of comments, then nothing for a month.")], confidence="low",
         time_frame="present")
    w.ln("drop_agrees", "expects_drop", "agrees", "shapes", confidence="moderate")
    w.ln("drop_no_help", "expects_drop", "no_help", "shapes", confidence="moderate")
    w.ln("no_help_curt", "no_help", "curt", "evokes", confidence="low")
    w.ln("granted_drop", "taken_for_granted", "expects_drop", "confirms", confidence="moderate")
    w.ln("curt_critic", "curt", "self_critic", "internalised_as", confidence="low")
    w.ln("critic_no_help", "self_critic", "no_help", "shapes", confidence="low")
    w.save("Session 2: the expectation that closes the cycle", author=THERAPIST, session=2)

    w.session(3)
    w.el("th_advice", "therapist_reaction", "Therapist finds herself giving advice and setting tasks",
         evidence=[w.ev(3, note="Wrote out a weekly writing plan for her; she agreed to all of it at once.")],
         confidence="moderate", time_frame="in_session")
    w.el("agrees_in_session", "acts_of_self", "Agrees at once with everything the therapist suggests",
         evidence=[w.ev(3, "Yes, that's a really good idea. I'll do that.")], confidence="moderate",
         time_frame="in_session")
    w.ln("drop_in_session", "expects_drop", "agrees_in_session", "shapes", confidence="moderate")
    w.ln("pull_advice", "agrees_in_session", "th_advice", "pulls_for", confidence="moderate")
    w.ln("advice_granted", "th_advice", "taken_for_granted", "re_enacts", confidence="low",
         description="Like the others, the therapist takes her agreement at face value and asks more of her.")
    w.ln("advice_drop", "th_advice", "expects_drop", "confirms", confidence="low")
    w.save("Session 3: transference emerging: the therapist pulled into advice-giving",
           author=THERAPIST, session=3)

    w.session(4, hour=19)
    w.comment("c_reaction", "Your pull to give advice is the most useful information you have: it is the "
              "cycle happening in the room. Notice it aloud with her rather than acting on it.",
              author=SUPERVISOR, on="th_advice")
    w.comment("c_curt", "Is this what the supervisor actually does, or what she fears? The CMP asks for "
              "acts of others as she reports them. Ask for a specific instance.",
              author=SUPERVISOR, on="curt")
    w.comment("c_goal", "Think about the new experience you want her to have in the sessions: disagreeing "
              "with you and finding that you stay interested.", author=SUPERVISOR)
    w.save("Supervision: the therapist's reaction as data", author=SUPERVISOR, session=4)

    w.session(6)
    w.el("disagrees", "acts_of_self", "Disagrees openly with the therapist for the first time",
         evidence=[w.ev(6, "Actually, I don't think the plan helped. It made me feel worse.")],
         confidence="moderate", status="supported", time_frame="in_session")
    w.el("th_engaged", "therapist_reaction", "Therapist feels more engaged when she disagrees",
         evidence=[w.ev(6, note="The session felt livelier; no urge to advise.")], confidence="moderate",
         time_frame="in_session")
    w.el("neglect", "acts_of_self_toward_self", "Skips meals and sleep when a deadline is near",
         evidence=[w.ev(5, "I lived on toast that week.")], confidence="moderate", time_frame="present")
    w.ln("pull_engaged", "disagrees", "th_engaged", "pulls_for", confidence="moderate")
    w.ln("granted_neglect", "taken_for_granted", "neglect", "internalised_as", confidence="low")
    w.ln("critic_drop", "self_critic", "expects_drop", "confirms", confidence="low",
         description="Calling herself useless bears out her expectation that others will drop her: "
                     "the full four-step cycle.",
         evidence=[w.ev(6, "If I'm this useless, of course they'd rather ask someone else.")])
    w.more_evidence("curt", w.ev(5, "She replied the same day when I finally asked. I didn't expect that."))
    w.update("curt", confidence="low", notes="Her fear more than her supervisor's conduct; keep in view.")
    w.update("expects_drop", status="supported", confidence="high")
    w.comment("c_new", "New experience in session 6: the irritation she expected did not come.",
              author=THERAPIST, on="disagrees")
    w.resolve("c_curt")
    w.resolve("c_goal")
    w.save("Session 6: a new experience in the session", author=THERAPIST, session=6)
    return w


# --- case 4: Malan -------------------------------------------------------------------------

MALAN_TITLE = "The cheerful younger brother (fictional teaching case)"
MALAN_DESCRIPTION = (
    f"{FICTION_NOTE} A man in his forties comes with tension headaches and irritability since his elder "
    "brother took over the decisions in the family business. Triangle of conflict: anger at being "
    "overlooked (F) arouses guilt (A), kept away by cheerful compliance (D). Triangle of person: the "
    "same conflict with his brother (O), with his father, who favoured the elder son (P), and, from "
    "session 3, with the therapist (T)."
)


def malan_case(clock: SessionClock, out: Path) -> CaseWriter:
    """Five versions of a formulation with Malan's two triangles (template ``malan``)."""
    w = _writer(
        clock, out, "malan_cheerful_younger_brother", date(2026, 4, 6),
        template="malan", case_id="TEACH-MAL-01", title=MALAN_TITLE,
        clinician=THERAPIST, description=MALAN_DESCRIPTION,
    )

    w.session(1)
    w.el("comply", "defense", "Cheerful compliance: goes along with everything",
         evidence=[w.ev(1, "Oh, it's fine, he knows the figures better than me anyway.")],
         confidence="moderate", time_frame="present")
    w.el("brother", "current_other", "Elder brother, who now makes the business decisions",
         evidence=[w.ev(1, "He sorted the new supplier without asking. Which is fine.")],
         time_frame="present")
    w.ln("comply_brother", "comply", "brother", "felt_toward", confidence="moderate")
    w.save("Session 1: the defense, and the current other", author=THERAPIST, session=1)

    w.session(2)
    w.el("anger", "hidden_feeling", "Anger at being overlooked",
         evidence=[w.ev(2, note="Jaw tight, fist closed, while saying he did not mind.")], confidence="low")
    w.el("guilt", "anxiety", "Guilt, and fear of spoiling the family peace",
         evidence=[w.ev(2, "We don't do rows in our family.")], confidence="moderate")
    w.el("father", "past_parent", "Father, who always turned to the elder son",
         evidence=[w.ev(2, "It was always 'ask your brother'.")], time_frame="past")
    w.ln("anger_guilt", "anger", "guilt", "arouses", confidence="low")
    w.ln("guilt_comply", "guilt", "comply", "leads_to", confidence="moderate")
    w.ln("comply_anger", "comply", "anger", "defends_against", confidence="moderate")
    w.ln("anger_brother", "anger", "brother", "felt_toward", confidence="low")
    w.ln("anger_father", "anger", "father", "felt_toward", confidence="low")
    w.ln("father_brother", "father", "brother", "repeats_with", confidence="moderate")
    w.save("Session 2: the triangle of conflict, and the past", author=THERAPIST, session=2)

    w.session(3)
    w.el("therapist", "therapist", "The therapist: he agrees cheerfully with every comment, then forgets it",
         evidence=[w.ev(3, "Yes, absolutely, that makes sense.", note="Could not recall the point later.")],
         confidence="moderate", time_frame="in_session")
    w.ln("comply_therapist", "comply", "therapist", "felt_toward", confidence="moderate")
    w.ln("brother_therapist", "brother", "therapist", "repeats_with", confidence="low")
    w.ln("father_therapist", "father", "therapist", "repeats_with", confidence="low")
    w.save("Session 3: transference emerging", author=THERAPIST, session=3)

    w.session(3, hour=19)
    w.comment("c_sequence", "Malan tied the therapist-parent (T-P) link to a good outcome, but it needs its "
              "own evidence, and this one has none yet. Build on the T-O link first.",
              author=SUPERVISOR, on="father_therapist")
    w.comment("c_anxiety", "Is the anxiety guilt, or fear of his brother's retaliation? They call for "
              "different interventions. Listen for which.", author=SUPERVISOR, on="guilt")
    w.save("Supervision: the order of the links, and the anxiety", author=SUPERVISOR, session=3)

    w.session(5)
    w.el("grief", "hidden_feeling", "Grief for a father's approval he never had",
         evidence=[w.ev(5, "He came to every one of my brother's matches.", note="Tearful, briefly.")],
         confidence="low")
    w.el("headaches", "defense", "Anger turned into bodily tension (headaches)",
         evidence=[w.ev(4, "The headache started on the drive home from the meeting.")],
         confidence="low", time_frame="present")
    w.ln("grief_guilt", "grief", "guilt", "arouses", confidence="low")
    w.ln("grief_father", "grief", "father", "felt_toward", confidence="low")
    w.ln("headaches_anger", "headaches", "anger", "defends_against", confidence="low")
    w.ln("therapist_back_father", "therapist", "father", "links_back_to", confidence="low",
         description="The T/P link, made in session 5: the moved session felt like his father's preference.",
         evidence=[w.ev(5, "You sounded just like him then.")])
    w.ln("anger_therapist", "anger", "therapist", "felt_toward", confidence="moderate",
         description="When the therapist moved a session: 'I suppose that suits you.'")
    w.more_evidence("anger", w.ev(4, "I suppose that suits you.", note="When a session time was moved."))
    w.update("anger", status="supported", confidence="moderate")
    w.more_evidence("brother_therapist", w.ev(4, note="Took the new time as he defers to his brother."))
    w.update("brother_therapist", confidence="moderate", status="supported")
    w.resolve("c_anxiety")
    w.save("Session 5: anger in the room, and grief beneath it", author=THERAPIST, session=5)
    return w


# --- main ------------------------------------------------------------------------------

#: The files this script writes (without the suffix).
OUTPUTS = (
    "psychodynamic_self_sufficient_carer",
    "psychodynamic_self_sufficient_carer_trainee",
    "psychodynamic_polite_latecomer",
    "ccrt_unheard_colleague",
    "ccrt_unheard_colleague_second_rater",
    "cmp_obliging_student",
    "malan_cheerful_younger_brother",
)


def make_all(out: Path = DEFAULT_OUT) -> list[Path]:
    """Write every teaching case into ``out`` (replacing earlier copies); return the paths."""
    out.mkdir(parents=True, exist_ok=True)
    for name in OUTPUTS:
        (out / f"{name}{SUFFIX}").unlink(missing_ok=True)
    clock = SessionClock()
    original: Callable[[], str] = _clock.now
    original_file_id: Callable[[], str] = writer.new_file_id
    _clock.now = clock
    writer.new_file_id = _FileIds()
    try:
        ccrt = ccrt_case(clock, out)
        writers = [
            psychodynamic_case(clock, out),
            psychodynamic_trainee(clock, out),
            ccrt,
            ccrt_second_rater(clock, out, ccrt),
            cmp_case(clock, out),
            malan_case(clock, out),
            alliance_case(clock, out),  # last: the file identities of the others stay as they were
        ]
    finally:
        _clock.now = original
        writer.new_file_id = original_file_id
    return [w.path for w in writers]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder to write the cases into")
    args = parser.parse_args(argv)
    for path in make_all(args.out):
        count = len(workbench.history(path))
        print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: "
              f"{count} version{'s' if count != 1 else ''}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
