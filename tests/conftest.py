"""Shared fixtures. Slow, browser and cluster tests are marked and still run in CI."""

from __future__ import annotations

import numpy as np
import pytest

from simulation import ModelConfig, OrganizationConfig, generate_organization


@pytest.fixture(scope="session")
def default_org():
    """The default 1,000-employee organization (seeded)."""
    return generate_organization(OrganizationConfig(), np.random.default_rng(12345))


@pytest.fixture
def small_config():
    return ModelConfig(weeks=30, organization=OrganizationConfig(employees=300))


def _assert_user_error(proc, *fragments):
    """A command that failed on bad input: exit 2, no traceback, and ``fragments`` (what and
    where) in its message on stderr."""
    assert proc.returncode == 2, proc.stderr + proc.stdout
    assert "Traceback" not in proc.stderr + proc.stdout
    for f in fragments:
        assert f in proc.stderr, proc.stderr


@pytest.fixture
def assert_user_error():
    """:func:`_assert_user_error`, for tests of the command line."""
    return _assert_user_error


@pytest.fixture
def adoptsim_cli(monkeypatch, capsys):
    """``adoptsim ARGS`` run in this process (fast): returns (exit code, stdout, stderr)."""
    import sys

    from experiments import cli

    def run(*args) -> tuple[int, str, str]:
        monkeypatch.setattr(sys, "argv", ["adoptsim", *map(str, args)])
        with pytest.raises(SystemExit) as exc:
            cli.main()
        code = exc.value.code if isinstance(exc.value.code, int) else 0
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run
