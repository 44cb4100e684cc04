"""The four reproductions pass their stated tolerances (fewer runs than the report, same checks).

Replicate counts here are chosen for time (about a minute in all on two cores); the tolerances
are the report's (docs/VALIDATION.md). Watts and complex contagion use a subset of the report's
grid that still brackets both edges of the window and both regimes.
"""

from __future__ import annotations

import pytest

from experiments.validation import bass, contagion, granovetter, watts

WORKERS = 2


def _assert_passed(result):
    failed = [c for c in result.checks if not c.passed]
    assert not failed, "\n".join(
        f"{c.what}: {c.measured} (tolerance {c.tolerance})" for c in failed
    )


def test_granovetter_riot_exactly():
    result = granovetter.run()
    _assert_passed(result)
    assert result.figures["rioters[uniform 0..99, numba]"] == 100
    assert result.figures["rioters[threshold 1 moved to 2, agents]"] == 1
    assert set(result.plots) == {"granovetter.png"}


@pytest.mark.slow
def test_bass_follows_the_closed_form():
    result = bass.run(replicates=8, seed=11, workers=WORKERS)
    _assert_passed(result)
    assert result.figures["curve_error"] <= bass.TOL_CURVE


@pytest.mark.slow
def test_watts_cascade_window_and_frequency():
    grid = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0, 4.0, 5.0, 5.75, 6.0, 6.25, 6.5, 7.5, 9.0)
    result = watts.run(replicates=100, seed=12, workers=WORKERS, z_values=grid)
    _assert_passed(result)
    lower, upper = result.figures["measured_window"]
    assert 0.9 < lower < 1.3 and 5.5 < upper < 7.25


@pytest.mark.slow
def test_complex_contagion_stopped_by_long_ties():
    result = contagion.run(
        replicates=20, seed=13, workers=WORKERS, rewiring=(0.0, 0.002, 0.01, 0.1, 1.0)
    )
    _assert_passed(result)
