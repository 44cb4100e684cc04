"""Words for the events a run's detector found (:mod:`simulation.events`): one sentence each,
for the classroom's ticker and an animation's captions. The facts are the records'; only the
words are here, so a test can hold the two against each other."""

from __future__ import annotations

from simulation import Event

__all__ = ["TONES", "intervention_name", "narrate", "role_words", "tone"]

#: how a kind of event reads for the initiative: good news, bad news, or neither
TONES = {
    "intervention_started": "plan",
    "intervention_ended": "plan",
    "milestone": "good",
    "department_passed": "good",
    "community_passed": "good",
    "role_passed": "good",
    "critics_turned": "good",
    "role_fell": "bad",
    "lapse_cluster": "bad",
    "newcomers_followed": "bad",
    "most_gave_up": "bad",
    "momentum_lost": "bad",
    "stalled": "bad",
}

_ROLE_WORDS = {
    "employee": ("employee", "employees"),
    "middle_manager": ("middle manager", "middle managers"),
    "veteran": ("veteran", "veterans"),
    "leader": ("leader", "leaders"),
}


def role_words(role: str, count: int) -> str:
    """``3 veterans``, ``1 middle manager``."""
    one, many = _ROLE_WORDS.get(role, (role.replace("_", " "), role.replace("_", " ") + "s"))
    return f"{count} {one if count == 1 else many}"


def intervention_name(tag: str) -> str:
    """An intervention type's name in words, from its registry tag (``launch_platform`` ->
    ``Launch platform``), so that a new type reads without a word list to extend."""
    words = tag.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def tone(event: Event) -> str:
    return TONES.get(event.kind, "plan")


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def _milestone(e: Event) -> str:
    n, share = e.numbers["count"], e.numbers["share"]
    if e.who == "aware":
        return f"{_pct(share)} of staff have heard of it ({n} people)"
    if e.who == "tried":
        return f"{n} people ({_pct(share)} of staff) have tried it"
    if e.who == "engaged":
        return f"{n} people ({_pct(share)}) now contribute and help others"
    return f"{_pct(share)} of staff now use it for their work ({n} people)"


def _lapses(e: Event) -> str:
    x = e.numbers
    text = f"{role_words(e.who, x['gave_up'])} in {e.where} gave up"
    if x.get("were_active"):
        text += f" ({x['were_active']} had been using it for their work)"
    if x.get("elsewhere"):
        text += f"; {x['elsewhere']} more elsewhere"
    return text


def _followers(e: Event) -> str:
    x = e.numbers
    who = "newcomer" if x["stopped"] == 1 else "newcomers"
    text = (
        f"{x['stopped']} {who} in {e.where} stopped trying, next to "
        f"{x['contacts_gave_up']} colleagues who had just given up"
    )
    if x.get("veterans"):
        text += f" ({role_words('veteran', x['veterans'])} among them)"
    return text


def _started(e: Event) -> str:
    where = f" in {e.where}" if e.where else ""
    return f"{intervention_name(e.who)} started, reaching {e.numbers['people']} people{where}"


_SAY = {
    "intervention_started": _started,
    "intervention_ended": lambda e: (
        f"{intervention_name(e.who)} ended after {e.numbers['weeks']} weeks"
    ),
    "milestone": _milestone,
    "most_gave_up": lambda e: (
        f"{e.numbers['gave_up']} of the {e.numbers['tried']} people who tried it have given "
        f"up; {e.numbers['active']} use it for their work"
    ),
    "department_passed": lambda e: (
        f"{e.where} passed {_pct(e.numbers['level'])} active "
        f"({e.numbers['count']} of {e.numbers['size']} people)"
    ),
    "community_passed": lambda e: (
        f"the {e.where} community passed {_pct(e.numbers['level'])} active "
        f"({e.numbers['count']} of {e.numbers['size']} members)"
    ),
    "role_passed": lambda e: (
        f"more than half the {role_words(e.who, 2).split(' ', 1)[1]} use it now "
        f"({e.numbers['count']} of {e.numbers['size']})"
    ),
    "role_fell": lambda e: (
        f"only {e.numbers['count']} of {role_words(e.who, e.numbers['size'])} still use it"
    ),
    "lapse_cluster": _lapses,
    "newcomers_followed": _followers,
    "critics_turned": lambda e: (
        f"{e.numbers['count']} of the {e.numbers['size']} critics now use it for their work"
    ),
    "momentum_lost": lambda e: (
        f"momentum lost: {_pct(e.numbers['share'])} use it, down from a peak of "
        f"{_pct(e.numbers['peak'])}"
    ),
    "stalled": lambda e: (
        f"no growth in {e.numbers['weeks']} weeks: {_pct(e.numbers['share'])} of staff use it"
    ),
}


def narrate(event: Event) -> str:
    """``Week 12: 4 veterans in Claims gave up; 3 more elsewhere.``"""
    say = _SAY.get(event.kind)
    text = say(event) if say else f"{event.kind.replace('_', ' ')} ({event.who})"
    return f"Week {event.week}: {text[:1].upper()}{text[1:]}."
