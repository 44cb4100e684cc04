"""The page's words follow the facts (no browser needed)."""

from __future__ import annotations

from dashboard.wording import explanation_markdown, paired_sentence
from experiments.explain import explain
from experiments.outcomes import paired_success
from scenarios import validate_data
from tests.experiments.fake_runs import fake_run


def _plans():
    good = validate_data({"name": "good", "weeks": 11, "plan": [
        {"type": "communities"}, {"type": "launch_platform", "start": 6}]}, "test")
    weak = validate_data({"name": "weak", "weeks": 11, "plan": [
        {"type": "launch_platform"}, {"type": "gamification", "end": 3}]}, "test")
    rising = [0, 0.02, 0.05, 0.12, 0.2, 0.3, 0.4, 0.45, 0.5, 0.5, 0.5, 0.5]
    runs = {
        "good": [fake_run(rising) for _ in range(12)],
        "weak": [fake_run([0, 0.1, 0.12, 0.1] + [0.02] * 8, lapsed=[0] * 4 + [0.1] * 8)
                 for _ in range(11)] + [fake_run(rising)],
    }
    return [good, weak], runs


def test_the_explanation_names_the_best_plan_the_test_and_what_acted():
    scenarios, runs = _plans()
    text = explanation_markdown(explain(scenarios, runs))
    assert "**good** did best: it succeeded in 12 of 12 organizations, against 1 for weak" in text
    assert "succeeded where **weak** failed in 11, and the reverse happened in 0" in text
    assert "McNemar p < 0.001): more than chance would give" in text
    assert "communities (from week 0) was acting" in text
    assert "Launch platform (from week 6) started only after take-off" in text
    assert "just after gamification (from week 0) ended" in text
    assert "Adoption stalled everywhere" in text


def test_close_plans_are_said_to_be_too_close_to_tell():
    a = [fake_run([0, 0.5], success=s) for s in (True, True, False, True)]
    b = [fake_run([0, 0.5], success=s) for s in (True, False, True, True)]
    text = paired_sentence(paired_success("a", a, "b", b))
    assert "too close to tell apart" in text and "+0 points" in text
    same = paired_sentence(paired_success("a", a, "b", a))
    assert "did not differ in any organization" in same
