"""Values in the scenario language are what they say: strict types (a boolean is not a number),
a byte-order mark is fine, an intervention that would never act is an error, and a file a
scenario names is read relative to it and never quoted."""

from __future__ import annotations

import pytest

from scenarios import late_interventions, load_scenario
from scenarios.edgelist import read_edge_list
from simulation import ConfigError, OrganizationError

STRICT = {
    "weeks = true": ("weeks = true\n", "weeks = true: a boolean is not a number"),
    "try_rate = true": ("[dynamics]\ntry_rate = true\n", "dynamics.try_rate = true: a boolean"),
    "employees = false": ("[organization]\nemployees = false\n", "organization.employees = false"),
    "a condition": ("[conditions]\ntrust = true\n", "conditions.trust = true: give a number"),
    "a range bound": ("[conditions]\ntrust = { low = true, high = 0.5 }\n", "conditions.trust"),
    "a plan start": ('[[plan]]\ntype = "launch_platform"\nstart = true\n', "plan.0.start = true"),
    "a target count": ('[[plan]]\ntype = "champion_tribe"\ntarget = { count = true }\n',
                       "plan.0.target.count = true"),
    "text for a number": ('weeks = "52"\n', "weeks = '52': text is not a number"),
    "a fraction for a whole number": ("weeks = 52.5\n", "weeks = 52.5: give a whole number"),
}


@pytest.mark.parametrize("case", list(STRICT))
def test_booleans_and_text_are_not_numbers(case, tmp_path):
    text, fragment = STRICT[case]
    f = tmp_path / "s.toml"
    f.write_text(text)
    with pytest.raises(ConfigError) as e:
        load_scenario(f)
    assert fragment in str(e.value)


def test_booleans_are_not_numbers_in_overrides_either():
    with pytest.raises(ConfigError, match="weeks = true: a boolean is not a number"):
        load_scenario("mandate", ["weeks=true"])
    assert load_scenario("mandate", ["dynamics.try_rate=1"]).dynamics.try_rate == 1.0  # int: ok


def test_a_byte_order_mark_is_accepted(tmp_path):
    f = tmp_path / "s.toml"
    f.write_bytes(b"\xef\xbb\xbfweeks = 10\n")
    assert load_scenario(f).weeks == 10


def test_not_utf8_is_named(tmp_path):
    f = tmp_path / "s.toml"
    f.write_bytes(b"weeks = 10\nname = '\xff'\n")
    with pytest.raises(ConfigError, match=r"not UTF-8 text \(byte 19\)"):
        load_scenario(f)


def test_an_intervention_that_would_never_act_is_an_error_unless_allowed(tmp_path):
    with pytest.raises(ConfigError) as e:
        load_scenario("bootstrap", ["weeks=20"])
    msg = str(e.value)
    assert "plan.4 (launch_platform) starts in week 26" in msg and "weeks = 20" in msg
    assert "plan.3" not in msg  # the tribe starts in week 16: it acts
    sc = load_scenario("bootstrap", ["weeks=20"], allow_late=True)
    assert len(late_interventions(sc)) == 1


def test_a_scenario_file_names_its_edge_list_relative_to_itself_and_it_is_never_quoted(
    tmp_path, monkeypatch
):
    def run_one(f):
        return read_edge_list(load_scenario(f).classic.edges_file)

    (tmp_path / "nets").mkdir()
    (tmp_path / "nets" / "ring.txt").write_text("".join(f"{i} {(i + 1) % 30}\n" for i in range(30)))
    f = tmp_path / "s.toml"
    f.write_text('rule = "threshold"\nweeks = 5\n[classic]\nnetwork = "edge-list"\n'
                 'edges_file = "nets/ring.txt"\n')
    monkeypatch.chdir("/")  # elsewhere: the path is the scenario file's, not the cwd's
    assert run_one(f).n == 30
    secret = tmp_path / "nets" / "ring.txt"
    secret.write_text("password=hunter2 x\n")
    with pytest.raises(OrganizationError) as e:
        run_one(f)
    assert "line 1, column 1" in str(e.value) and "hunter2" not in str(e.value)
    secret.write_text("only-one-column-hunter2\n")
    with pytest.raises(OrganizationError) as e:
        run_one(f)
    assert "found 1" in str(e.value) and "hunter2" not in str(e.value)
    secret.unlink()
    secret.mkdir()
    with pytest.raises(OrganizationError, match="must be a regular file"):
        run_one(f)
