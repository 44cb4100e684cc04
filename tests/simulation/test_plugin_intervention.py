"""A sixteenth intervention written as one module (tests/fixtures/working_out_loud.py) and
registered on import runs in both engines with identical trajectories, through the scenario
language, with no other file touched."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

from scenarios import load_scenario
from simulation import AdoptionModel, summarize
from simulation.interventions import parameters, spec_class, tags, unregister

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "working_out_loud.py"

SCENARIO = """
name = "circles"
weeks = 30
[organization]
employees = 500
[dynamics]
turnover_per_year = 0.3
[[plan]]
type = "working_out_loud_circles"
start = 2
[[plan]]
type = "launch_platform"
start = 4
[[plan]]
type = "communities"
start = 0
"""


@pytest.fixture
def circles():
    """The plug-in's class, registered for this test only."""
    spec = importlib.util.spec_from_file_location("working_out_loud", FIXTURE)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # as an import would (pydantic resolves annotations there)
    spec.loader.exec_module(module)
    yield module.WorkingOutLoudCircles
    unregister(module.WorkingOutLoudCircles)
    del sys.modules[spec.name]
    assert "working_out_loud_circles" not in tags()


def test_a_plugin_intervention_runs_in_both_engines_state_for_state(
    circles, tmp_path, assert_engines_identical
):
    path = tmp_path / "circles.toml"
    path.write_text(SCENARIO)
    sc = load_scenario(path)
    assert isinstance(sc.plan[0], circles) and spec_class("working_out_loud_circles") is circles
    agents, numba = assert_engines_identical(sc, 7)
    # it acts through its own effects: the same plan without it gives other trajectories
    without = sc.model_copy(update={"plan": sc.plan[1:]})
    other = AdoptionModel(without, rng=7, engine="numba").run()
    assert not np.array_equal(other.people.mastery, numba.people.mastery)
    cost = summarize(numba).costs[0]
    assert cost["type"] == "working_out_loud_circles" and cost["weeks"] == 12
    assert cost["hours"] == cost["people"] * 12 * 1.0
    # its parameters are documented like every built-in's
    documented = {r["path"]: r for r in parameters(circles)}
    assert documented["peer_help"]["unit"] == "helper units"
    assert {"mastery_gain", "hours_per_person_week"} <= set(documented)


def test_scenarios_name_the_plugin_among_the_types_while_it_is_registered(circles, tmp_path):
    from simulation import ConfigError

    path = tmp_path / "bad.toml"
    path.write_text('[[plan]]\ntype = "working_out_loud_circle"\n')
    with pytest.raises(ConfigError, match="Did you mean 'working_out_loud_circles'"):
        load_scenario(path)
    path.write_text('[[plan]]\ntype = "working_out_loud_circles"\npeer_help = 3\n')
    with pytest.raises(ConfigError, match=r"plan\.0\.peer_help = 3.*Allowed range: \[0\.0, 1\.0\]"):
        load_scenario(path)


def test_the_json_schema_of_a_plan_entry_is_the_tagged_union_of_the_registered_types(circles):
    """What a form builds its fields from (Scenario.model_json_schema()) lists every registered
    type, the plug-in included, under the ``type`` discriminator."""
    from scenarios import Scenario
    from simulation.interventions import intervention_types, tag_of

    schema = Scenario.model_json_schema()
    items = schema["properties"]["plan"]["items"]
    mapping = items["discriminator"]["mapping"]
    assert items["discriminator"]["propertyName"] == "type"
    assert set(mapping) == {tag_of(c) for c in intervention_types()}
    circles_def = schema["$defs"][mapping["working_out_loud_circles"].rsplit("/", 1)[-1]]
    assert circles_def["properties"]["peer_help"]["maximum"] == 1.0
