"""The classic rules: both engines give the same trajectory, state for state; seeds matter."""

from __future__ import annotations

import numpy as np
import pytest

from experiments.runner import RunSpec, run_one
from scenarios import load_scenario
from simulation import ConfigError
from simulation.classic import ClassicModel
from simulation.states import ADOPTED, STATES, UNAWARE

CASES = {
    "bass": ("classic-bass", ["organization.employees=400", "weeks=200"]),
    "granovetter": ("classic-granovetter", []),
    "granovetter-normal": (
        "classic-granovetter",
        [
            "classic.threshold_distribution='normal'",
            "classic.threshold=20",
            "classic.threshold_sd=10",
            "classic.n_seeds=2",
        ],
    ),
    "watts-er": ("classic-watts", ["organization.employees=1500", "weeks=40", "classic.n_seeds=5"]),
    "watts-spread-thresholds": (
        "classic-watts",
        ["organization.employees=800", "classic.threshold_sd=0.1", "classic.n_seeds=3"],
    ),
    "complex-ws": (
        "classic-complex-contagion",
        ["organization.employees=300", "classic.rewire=0.02", "weeks=200"],
    ),
    "complex-swaps": (
        "classic-complex-contagion",
        ["organization.employees=300", "classic.degree_preserving_swaps=0.01", "weeks=200"],
    ),
    "organization-network": (
        "classic-watts",
        [
            "organization.employees=400",
            "classic.network='organization'",
            "classic.threshold=0.1",
            "classic.n_seeds=10",
            "weeks=30",
        ],
    ),
}


def trajectory(name: str, overrides: list[str], engine: str, seed: int = 7) -> np.ndarray:
    sc = load_scenario(name, overrides)
    model = ClassicModel(sc, rng=seed, engine=engine)
    states = [model.state.copy()]
    while model.week < sc.weeks:
        model.step()
        states.append(model.state.copy())
    return np.array(states)


@pytest.mark.parametrize("case", list(CASES))
def test_agents_and_numba_engines_give_the_same_trajectory(case):
    name, overrides = CASES[case]
    agents = trajectory(name, overrides, "agents")
    numba = trajectory(name, overrides, "numba")
    assert agents.shape == numba.shape
    assert np.array_equal(agents, numba)
    assert agents[-1].sum() > agents[0].sum()  # something happened


@pytest.mark.parametrize("case", ["bass", "watts-er"])
def test_same_seed_same_result_different_seed_differs(case):
    name, overrides = CASES[case]
    a = trajectory(name, overrides, "numba", seed=1)
    assert np.array_equal(a, trajectory(name, overrides, "numba", seed=1))
    assert not np.array_equal(a, trajectory(name, overrides, "numba", seed=2))


def test_numba_engine_gives_agent_views_on_demand():
    sc = load_scenario("classic-watts", ["organization.employees=200", "weeks=10"])
    model = ClassicModel(sc, rng=3, engine="numba").run()
    seed = int(model.seeds[0])
    agent = model.agent(seed)
    assert agent.state == ADOPTED and agent.state_name == "adopted"
    assert agent.threshold == pytest.approx(0.18)
    assert len(model.agents) == 1  # no agent objects for the others


def test_granovetter_instigator_and_fixed_point():
    sc = load_scenario("classic-granovetter")
    model = ClassicModel(sc, rng=0, engine="agents").run()
    assert model.n_active == 100 and model.fixed_point_week == 100
    assert model.datacollector.model_vars["adopted"][:4] == [0, 1, 2, 3]


def test_run_one_dispatches_to_the_classic_rule_with_the_documented_shape():
    sc = load_scenario("classic-watts", ["organization.employees=500", "weeks=20"])
    result = run_one(RunSpec(sc, 11, "numba"))
    assert result.n_employees == 500 and result.weeks == 20 and result.engine == "numba"
    assert result.series["week"] == list(range(21))
    for w in range(21):
        assert sum(result.series[s][w] for s in STATES) == 500
    assert result.series["adopted"][0] == 1  # the seed
    assert result.metrics["rule"] == "threshold"
    assert set(result.by_role["employee"]) == set(STATES)


def test_seed_neighbourhood_and_explicit_seeds():
    sc = load_scenario(
        "classic-complex-contagion", ["organization.employees=100", "classic.seeds=[10]"]
    )
    model = ClassicModel(sc, rng=0, engine="numba")
    assert model.seeds.tolist() == [8, 9, 10, 11, 12]
    assert (model.state == ADOPTED).sum() == 5 and (model.state == UNAWARE).sum() == 95


@pytest.mark.parametrize(
    "overrides, fragment",
    [
        (["classic.seeds=[5000]"], "classic.seeds contains id 5000"),
        (["classic.thresholds=[1, 2, 3]"], "classic.thresholds has 3 values"),
        (["classic.n_seeds=20000"], "classic.n_seeds = 20000 exceeds"),
        (["classic.k=1000", "organization.employees=1000"], "classic.k = 1000 must be smaller"),
    ],
)
def test_impossible_classic_settings_are_config_errors(overrides, fragment):
    name = "classic-complex-contagion" if "classic.k" in overrides[0] else "classic-watts"
    sc = load_scenario(name, ["organization.employees=1000", *overrides])
    with pytest.raises(ConfigError, match=fragment.replace("[", r"\[")):
        ClassicModel(sc, rng=0, engine="numba")


def test_ladder_thresholds_need_head_counts():
    sc = load_scenario("classic-watts", ["classic.threshold_distribution='ladder'"])
    with pytest.raises(ConfigError, match="threshold_kind = 'absolute'"):
        ClassicModel(sc, rng=0, engine="numba")
