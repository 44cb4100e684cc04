"""The scenario language: built-ins, files, overrides, and errors that say where and why."""

from __future__ import annotations

import pytest

from scenarios import (
    builtin_names,
    late_interventions,
    load_scenario,
    parse_override,
    scenario_to_toml,
)
from simulation import AdoptionModel, ConfigError, PlanError
from simulation.classic import ClassicModel

REQUIRED = (
    "provide-and-pray",
    "mandate",
    "platform-first-marketing",
    "goal-led-communities",
    "bootstrap",
    "executive-sponsorship",
)


def test_required_builtins_exist_and_all_builtins_load_and_build():
    names = builtin_names()
    assert set(REQUIRED) <= set(names)
    for name in names:
        sc = load_scenario(name, ["organization.employees=200", "weeks=30"])  # every start
        assert sc.name == name and sc.description
        model = AdoptionModel if sc.rule == "social-business" else ClassicModel
        model(sc, rng=0, engine="numba").run()  # every plan is possible


def test_show_round_trips(tmp_path):
    for name in builtin_names():
        sc = load_scenario(name)
        f = tmp_path / f"{name}.toml"
        f.write_text(scenario_to_toml(sc, full=True))
        assert load_scenario(f) == sc


def _write(tmp_path, text, name="s.toml"):
    f = tmp_path / name
    f.write_text(text)
    return f


def test_unknown_key_suggests_closest(tmp_path):
    f = _write(tmp_path, "weeks = 10\n[organization]\nemployes = 500\n")
    with pytest.raises(ConfigError) as e:
        load_scenario(f)
    msg = str(e.value)
    assert str(f) in msg and "organization.employes" in msg and "'employees'" in msg


def test_unknown_intervention_field_and_type(tmp_path):
    f = _write(tmp_path, '[[plan]]\ntype = "communities"\ngoal_fitt = 0.9\n')
    with pytest.raises(ConfigError, match=r"plan\.0\.goal_fitt: unknown field.*'goal_fit'"):
        load_scenario(f)
    f = _write(tmp_path, '[[plan]]\ntype = "comunities"\n')
    with pytest.raises(ConfigError, match=r"plan\.0\.type = 'comunities'.*'communities'"):
        load_scenario(f)
    f = _write(tmp_path, "[[plan]]\nstart = 3\n")
    with pytest.raises(ConfigError, match=r"plan\.0\.type needs a 'type'"):
        load_scenario(f)


def test_out_of_range_value_names_field_value_and_range(tmp_path):
    f = _write(tmp_path, "[dynamics]\ntry_rate = 1.5\n")
    with pytest.raises(ConfigError) as e:
        load_scenario(f)
    msg = str(e.value)
    assert "dynamics.try_rate = 1.5" in msg and "[0.0, 1.0]" in msg and str(f) in msg


def test_bad_toml_and_missing_file(tmp_path):
    f = _write(tmp_path, "weeks = = 3\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_scenario(f)
    with pytest.raises(ConfigError, match="Did you mean 'bootstrap'"):
        load_scenario("bootstrapp")


def test_end_before_start_is_rejected(tmp_path):
    f = _write(tmp_path, '[[plan]]\ntype = "mandate"\nstart = 10\nend = 5\n')
    with pytest.raises(ConfigError, match="before start"):
        load_scenario(f)


def test_overrides_are_validated_like_the_file():
    sc = load_scenario(
        "goal-led-communities",
        ["weeks=52", "plan.1.goal_fit=0.9", "conditions.trust={low=0.2,high=0.4}"],
    )
    assert sc.weeks == 52 and sc.plan[1].goal_fit == 0.9
    assert sc.conditions.trust.low == 0.2
    with pytest.raises(ConfigError, match="with --set overrides"):
        load_scenario("goal-led-communities", ["conditions.trust=2"])
    with pytest.raises(ConfigError, match="KEY=VALUE"):
        parse_override("weeks")
    with pytest.raises(ConfigError, match="out of range"):
        load_scenario("provide-and-pray", ["plan.5.start=3"])
    with pytest.raises(ConfigError, match="unknown field"):
        load_scenario("provide-and-pray", ["dynamics.no_such=3"])


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("high", "conditions.trust = 'high': give a number, or a range { low = ..., high = ... }"),
        ("[1, 2]", "conditions.trust = [1, 2]: give a number, or a range"),
        ("{low=0.6,high=0.2}", "low (0.6) must not exceed high (0.2). A range is"),
        ("{low=0.2,hi=0.3}", "high: field required; hi: extra inputs are not permitted"),
    ],
)
def test_a_bad_condition_gets_one_message_not_one_per_union_branch(value, says):
    """A condition is a number or a {low, high} range: the message says so once, without
    pydantic's names for the branches of the union (float, function-after[...])."""
    with pytest.raises(ConfigError) as err:
        load_scenario("goal-led-communities", [f"conditions.trust={value}"])
    text = str(err.value)
    assert says in text and "(allowed: 0 to 1" in text
    assert "function-after" not in text and ".float" not in text
    assert text.count("conditions.trust") == 1


def test_impossible_plans_are_rejected_with_a_clear_message():
    def build(*sets):
        return AdoptionModel(
            load_scenario("provide-and-pray", ["organization.employees=300", *sets]), rng=0
        )

    with pytest.raises(PlanError, match="department 'Astrology' does not exist"):
        build('plan.0.target={departments=["Astrology"]}')
    with pytest.raises(PlanError, match="exceeds the 300 eligible"):
        build('plan=[{type="champion_tribe", target={count=500}}]')
    with pytest.raises(ConfigError, match="experts"):
        build('plan=[{type="center_of_excellence", experts=0}]')
    # an intervention due at or after the horizon would never act: an error, unless allowed
    with pytest.raises(ConfigError, match=r"plan\.0 \(launch_platform\) starts in week 104"):
        build("plan.0.start=104")
    sc = load_scenario(
        "provide-and-pray", ["organization.employees=300", "plan.0.start=200"], allow_late=True
    )
    assert late_interventions(sc) and not late_interventions(load_scenario("provide-and-pray"))
    m = AdoptionModel(sc, rng=0).run()
    assert m.signups == 0 and m.rollout.costs(m.week, 60.0)[0]["cost"] == 0


def test_communities_reject_a_target_share_they_would_ignore():
    with pytest.raises(ConfigError, match="set members instead"):
        load_scenario("goal-led-communities", ["plan.1.target={share=0.5}"])
