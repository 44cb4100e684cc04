"""Classic rules in the scenario language: fields validated with the usual errors."""

from __future__ import annotations

import pytest

from scenarios import builtin_names, load_scenario
from simulation import ConfigError

CLASSIC = ("classic-bass", "classic-granovetter", "classic-watts", "classic-complex-contagion")


def test_classic_library_scenarios_exist_and_are_tagged():
    assert set(CLASSIC) <= set(builtin_names())
    for name in CLASSIC:
        sc = load_scenario(name)
        assert "classic" in sc.tags and sc.rule != "social-business" and sc.description


def test_default_rule_is_the_social_business_model():
    assert load_scenario("provide-and-pray").rule == "social-business"


def _write(tmp_path, text):
    f = tmp_path / "s.toml"
    f.write_text(text)
    return f


def test_unknown_classic_key_suggests_closest(tmp_path):
    f = _write(tmp_path, 'rule = "threshold"\n[classic]\nmean_degre = 3\n')
    with pytest.raises(ConfigError, match=r"classic\.mean_degre: unknown field.*'mean_degree'"):
        load_scenario(f)


def test_unknown_rule_lists_the_rules(tmp_path):
    f = _write(tmp_path, 'rule = "sir"\n')
    with pytest.raises(ConfigError, match=r"rule = 'sir'.*'bass'.*'granovetter'"):
        load_scenario(f)


@pytest.mark.parametrize(
    "overrides, fragment",
    [
        (["classic.threshold=2"], "must be in [0, 1]"),
        (["classic.network='edge-list'"], "classic.edges_file: Value error, network"),
        (["classic.k=5"], "must be even"),
        (["classic.rewire=1.5"], "Allowed range: [0.0, 1.0]"),
    ],
)
def test_bad_classic_values_name_the_field(overrides, fragment):
    with pytest.raises(ConfigError) as e:
        load_scenario("classic-watts", overrides)
    assert fragment in str(e.value) and "classic" in str(e.value)


def test_relative_edges_file_is_relative_to_the_scenario_file(tmp_path):
    sub = tmp_path / "study"
    sub.mkdir()
    f = sub / "s.toml"
    f.write_text('rule = "threshold"\n[classic]\nnetwork = "edge-list"\nedges_file = "e.txt"\n')
    assert load_scenario(f).classic.edges_file == str(sub / "e.txt")
