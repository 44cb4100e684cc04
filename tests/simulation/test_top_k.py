"""Selecting the k largest keys (interventions' weighted sampling) without a full sort."""

from __future__ import annotations

import numpy as np

from simulation.interventions import top_k


def test_top_k_selects_the_same_people_as_a_stable_sort():
    rng = np.random.default_rng(7)
    for trial in range(3000):
        n = int(rng.integers(1, 80))
        k = int(rng.integers(-1, n + 3))
        # continuous keys, and integer keys with many ties (ties go to the lower position)
        keys = rng.random(n) if trial % 2 else rng.integers(0, 4, n).astype(float)
        expected = np.sort(np.argsort(-keys, kind="stable")[: max(k, 0)])
        assert np.array_equal(np.sort(top_k(keys, k)), expected), (keys, k)


def test_top_k_on_integer_influence():
    influence = np.random.default_rng(1).integers(1, 300, 5000)
    got = np.sort(top_k(influence, 250))
    assert np.array_equal(got, np.sort(np.argsort(-influence, kind="stable")[:250]))
    assert got.size == 250
