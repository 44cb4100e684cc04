"""Values on the command line: seeds in range, options that contradict --set, interventions
that would never act, a byte-order mark in a sweep spec (the installed command)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ADOPTSIM = str(Path(sys.executable).parent / "adoptsim")
SMALL = ["--employees", "200", "--weeks", "10"]


def cli(*args) -> subprocess.CompletedProcess:
    return subprocess.run([ADOPTSIM, *map(str, args)], capture_output=True, text=True,
                          timeout=300)


@pytest.mark.parametrize(
    "args, fragments",
    [
        (["run", "mandate", *SMALL, "--seed", "-1"], ["--seed", "greater than or equal to 0"]),
        (["run", "mandate", *SMALL, "--seed", str(2**63)], ["--seed", str(2**63 - 1)]),
        (["compare", "mandate", *SMALL, "--seed", "-5"], ["--seed"]),
        (["run", "mandate", *SMALL, "--set", "weeks=20"],
         ["--weeks 10 and --set 'weeks=20' both set weeks"]),
        (["compare", "mandate", "--employees", "300", "--set", "organization.employees=400"],
         ["--employees 300 and --set 'organization.employees=400'"]),
        (["run", "bootstrap", "--weeks", "20"],
         ["plan.4 (launch_platform) starts in week 26", "--allow-late-interventions"]),
        (["run", "mandate", "--set", "weeks=true"], ["weeks = true: a boolean is not a number"]),
    ],
)
def test_bad_values_exit_2(args, fragments, assert_user_error):
    assert_user_error(cli(*args), *fragments)


def test_late_interventions_run_with_a_warning_when_allowed():
    proc = cli("run", "bootstrap", "--employees", "300", "--weeks", "20",
               "--allow-late-interventions")
    assert proc.returncode == 0, proc.stderr
    err = proc.stderr.replace("\n", " ")
    assert "warning: bootstrap: plan.4 (launch_platform) starts in week 26" in err


def test_a_sweep_spec_with_a_byte_order_mark_and_an_out_of_range_seed(tmp_path,
                                                                     assert_user_error):
    spec = tmp_path / "spec.toml"
    spec.write_bytes(b'\xef\xbb\xbfscenario = "mandate"\nweeks = 3\n'
                     b'[parameters]\n"organization.employees" = [100]\n')
    proc = cli("sweep", spec, "--out", tmp_path / "out", "--workers", "1")
    assert proc.returncode == 0, proc.stderr
    spec.write_text(f'scenario = "mandate"\nseed = {2**63}\n')
    assert_user_error(cli("sweep", spec, "--out", tmp_path / "o2"), "seed", str(2**63 - 1))
    assert not (tmp_path / "o2").exists()
    spec.write_text('scenario = "mandate"\nreplicates = true\n')  # TOML's spelling, strict
    assert_user_error(cli("sweep", spec, "--out", tmp_path / "o3"),
                      "replicates = true: a boolean is not a number here")
