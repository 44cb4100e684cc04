"""The analytic results the validations compare against."""

from __future__ import annotations

import math

import numpy as np
import pytest

from simulation.classic import theory as T


def test_bass_closed_form_solves_the_bass_equation():
    p, q = 0.03, 0.38
    t = np.linspace(0, 12, 2001)
    f = T.bass_closed_form(t, p, q)
    assert f[0] == 0 and f[-1] < 1
    dfdt = np.gradient(f, t)
    assert np.allclose(dfdt, (p + q * f) * (1 - f), atol=1e-4)
    peak = t[np.argmax(dfdt)]
    assert peak == pytest.approx(T.bass_peak_time(p, q), abs=0.01)
    assert T.bass_peak_time(p, q) == pytest.approx(math.log(q / p) / (p + q))


def test_bass_discretisation_is_first_order():
    p, q = 0.03, 0.38
    errors = []
    for per_year in (52, 104, 208):
        steps = 10 * per_year
        f = T.bass_recurrence(steps, p, q, 1 / per_year)
        errors.append(np.abs(f - T.bass_closed_form(np.arange(steps + 1) / per_year, p, q)).max())
    assert errors[0] / errors[1] == pytest.approx(2, rel=0.1)
    assert errors[1] / errors[2] == pytest.approx(2, rel=0.1)


def test_watts_window_for_phi_018():
    lower, upper = T.watts_window(0.18)
    assert lower == pytest.approx(1.02, abs=0.01)  # just above the percolation point z = 1
    assert upper == pytest.approx(5.76, abs=0.01)
    # the condition's sign changes at both edges
    assert T.watts_cascade_condition(lower - 0.05, 0.18) < 0 < T.watts_cascade_condition(3, 0.18)
    assert T.watts_cascade_condition(upper + 0.05, 0.18) < 0


def test_watts_probability_and_size_vanish_outside_the_window():
    assert T.watts_cascade_probability(0.8, 0.18) == pytest.approx(0, abs=1e-9)
    assert T.watts_cascade_probability(8.0, 0.18) == pytest.approx(0, abs=1e-9)
    assert 0.8 < T.watts_cascade_probability(3.5, 0.18) < 0.95
    assert T.watts_cascade_size(3.5, 0.18) > 0.9
    assert T.watts_cascade_size(8.0, 0.18) < 0.01


def test_poisson_pmf_sums_to_one():
    assert T.poisson_pmf(4.0, 60).sum() == pytest.approx(1.0)
