"""The ticker's words (experiments.classroom.narrate) say the records' facts."""

from __future__ import annotations

from experiments.classroom import TONES, intervention_name, narrate, tone
from simulation import EVENT_KINDS, Event


def test_the_issue_examples_read_as_sentences_with_their_numbers():
    e = Event(12, "lapse_cluster", "veteran", "Claims",
              {"gave_up": 4, "were_active": 2, "size": 20, "elsewhere": 3})
    assert narrate(e) == (
        "Week 12: 4 veterans in Claims gave up (2 had been using it for their work); "
        "3 more elsewhere."
    )
    f = Event(13, "newcomers_followed", "newcomers", "Claims",
              {"stopped": 9, "contacts_gave_up": 5, "veterans": 4, "elsewhere": 0})
    assert narrate(f) == (
        "Week 13: 9 newcomers in Claims stopped trying, next to 5 colleagues who had just "
        "given up (4 veterans among them)."
    )
    c = Event(30, "community_passed", "community", "Sales", {"level": 0.5, "count": 13,
                                                           "size": 24})
    assert narrate(c) == "Week 30: The Sales community passed 50% active (13 of 24 members)."
    assert tone(e) == "bad" and tone(c) == "good"


def test_every_kind_has_words_and_a_tone():
    samples = {
        "intervention_started": ("launch_platform", {"people": 500}),
        "intervention_ended": ("marketing_campaign", {"weeks": 12}),
        "milestone": ("active", {"level": 0.25, "count": 130, "share": 0.26}),
        "most_gave_up": ("organization", {"tried": 40, "gave_up": 30, "active": 2}),
        "department_passed": ("department", {"level": 0.5, "count": 30, "size": 58}),
        "community_passed": ("community", {"level": 0.5, "count": 13, "size": 24}),
        "role_passed": ("middle_manager", {"count": 30, "size": 58, "level": 0.5}),
        "role_fell": ("leader", {"count": 1, "size": 9, "level": 1 / 3}),
        "lapse_cluster": ("employee", {"gave_up": 5, "were_active": 0, "size": 30,
                                       "elsewhere": 0}),
        "newcomers_followed": ("newcomers", {"stopped": 2, "contacts_gave_up": 3,
                                             "veterans": 0, "elsewhere": 0}),
        "critics_turned": ("critics", {"count": 6, "size": 22, "level": 0.25}),
        "momentum_lost": ("organization", {"peak": 0.4, "share": 0.31}),
        "stalled": ("organization", {"weeks": 8, "share": 0.02, "growth": 0.0}),
    }
    assert set(samples) == set(EVENT_KINDS) == set(TONES)
    for kind, (who, numbers) in samples.items():
        text = narrate(Event(7, kind, who, "Sales", numbers))
        assert text.startswith("Week 7: ") and text.endswith(".")
        fallback = kind.replace("_", " ")
        assert text != f"Week 7: {fallback[:1].upper()}{fallback[1:]} ({who})."  # worded
        for key in ("count", "gave_up", "stopped", "people", "tried"):
            if key in numbers:
                assert str(numbers[key]) in text
    assert "Launch platform started, reaching 500 people" in narrate(
        Event(0, "intervention_started", "launch_platform", None, {"people": 500}))
    assert "31%" in narrate(Event(9, "momentum_lost", "organization", None,
                                  {"peak": 0.4, "share": 0.31}))


def test_a_type_registered_later_is_named_from_its_tag():
    assert intervention_name("onboarding") == "Onboarding"
    assert intervention_name("veteran_reinforcement") == "Veteran reinforcement"
    assert narrate(Event(3, "intervention_started", "new_thing", "HR", {"people": 4})) == (
        "Week 3: New thing started, reaching 4 people in HR.")
