"""Form fields come from the scenario schema; a plan built from them round-trips as TOML."""

from __future__ import annotations

import pytest

from experiments.scenario_form import (
    build_plan,
    errors_by_field,
    form,
    intervention_forms,
    parse_value,
    plan_items,
    section_fields,
)
from scenarios import Scenario, load_scenario, scenario_to_toml
from simulation import ConfigError


def test_every_intervention_type_has_a_form_with_the_schemas_ranges_and_units():
    from simulation.interventions import intervention_types, tag_of

    tags = {tag_of(cls): cls for cls in intervention_types()}
    forms = {f.type: f for f in intervention_forms()}
    assert set(forms) == set(tags)
    for tag, cls in tags.items():
        for field in forms[tag].fields:
            if "." in field.key:
                continue
            info = cls.model_fields[field.key]
            extra = info.json_schema_extra or {}
            assert field.unit == extra.get("unit", ""), (tag, field.key)
            assert field.help == (info.description or ""), (tag, field.key)
            if "hi" in extra:
                assert (field.lo, field.hi) == (extra["lo"], extra["hi"]), (tag, field.key)
    assert [f.key for f in forms["communities"].fields][:2] == ["start", "end"]
    assert form("champion_tribe").field("target.share").default == 0.04


def test_sections_come_from_the_schema_too():
    org = {f.key: f for f in section_fields("organization")}
    assert org["employees"].kind == "int" and org["employees"].default == 1000
    conditions = {f.key: f for f in section_fields("conditions")}
    assert conditions["trust"].kind == "range" and conditions["trust"].hi == 1.0
    with pytest.raises(ConfigError):
        section_fields("no_such_section")


@pytest.mark.parametrize("text, value, problem", [
    ("12", 12, None), ("1,040", 1040, None), ("", None, None), ("1041", None, "to 1040"),
    ("-1", None, "from 0"), ("2.5", None, "whole number"), ("abc", None, "not a number"),
])
def test_a_typed_value_is_checked_against_the_schema(text, value, problem):
    got, why = parse_value(form("education").field("end"), text)
    assert got == value
    assert (why is None) if problem is None else (problem in why)


def test_share_must_be_above_zero():
    _, why = parse_value(form("education").field("target.share"), "0")
    assert "above 0" in why


def test_a_built_plan_round_trips_through_toml(tmp_path):
    items = [(t, v) for t, v in plan_items(load_scenario("bootstrap"))]
    items[0][1]["goal_fit"] = 0.65
    items.append(("publish_outcomes", {"start": 30, "target.roles": ["leader"]}))
    data, sc = build_plan("my-bootstrap", "Edited.", items)
    path = tmp_path / "my-bootstrap.toml"
    path.write_text(scenario_to_toml(sc))
    again = load_scenario(path)
    assert again.model_dump() == sc.model_dump()
    assert again.plan[0].goal_fit == 0.65 and again.plan[-1].target.roles == ("leader",)
    assert isinstance(again, Scenario) and data["plan"][-1]["target"] == {"roles": ["leader"]}


def test_the_loaders_messages_are_filed_under_their_field():
    with pytest.raises(ConfigError) as e:
        build_plan("x", "", [("education", {"start": 9, "end": 2}),
                             ("mandate", {"reach": 7.0})])
    by = errors_by_field(str(e.value))
    assert "end (week 2) is before start (week 9)" in by["plan.0"]
    assert "plan.1.reach" in by and "Allowed range" in by["plan.1.reach"]
