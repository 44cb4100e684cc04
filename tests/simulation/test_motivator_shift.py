"""organization.motivator_shift: one motivator's organization mean moved on its own (claim 12's
knockouts), from the same random numbers as at the defaults."""

from __future__ import annotations

import numpy as np
import pytest

from simulation import AdoptionModel, ModelConfig, OrganizationConfig
from simulation import interventions as P
from simulation.config import MotivatorShift

ATTRIBUTE = {"autonomy": "autonomy", "mastery": "mastery", "purpose": "purpose",
             "community": "community_drive"}
OTHERS = ("trust", "threshold", "critic", "influence", "attitude", "fit", "role", "hired_week")
PLAN = (P.LaunchPlatform(type="launch_platform"), P.Communities(type="communities"))


def _config(n=500, weeks=12, **shift):
    return ModelConfig(weeks=weeks, organization=OrganizationConfig(
        employees=n, motivator_shift=MotivatorShift(**shift)), plan=PLAN,
        dynamics={"turnover_per_year": 0.5})


def test_defaults_shift_nothing():
    assert MotivatorShift().model_dump() == dict.fromkeys(ATTRIBUTE, 0.0)
    a = AdoptionModel(_config(), rng=4)
    b = AdoptionModel(_config(autonomy=0.0, mastery=0.0, purpose=0.0, community=0.0), rng=4)
    for name in (*ATTRIBUTE.values(), *OTHERS):
        assert np.array_equal(getattr(a.people, name), getattr(b.people, name)), name


@pytest.mark.parametrize("motivator", list(ATTRIBUTE))
@pytest.mark.parametrize("shift", [-0.3, 0.2])
def test_a_shift_moves_only_its_motivator_and_keeps_every_draw(motivator, shift):
    base = AdoptionModel(_config(), rng=7)
    moved = AdoptionModel(_config(**{motivator: shift}), rng=7)
    assert moved.conditions == base.conditions
    assert np.array_equal(moved.org.manager, base.org.manager)
    for m, name in ATTRIBUTE.items():
        a, b = getattr(base.people, name), getattr(moved.people, name)
        if m != motivator:
            assert np.array_equal(a, b), name
            continue
        # the same draw, its location moved: clip(x + shift) wherever x was not clipped
        inside = (a > 0) & (a < 1)
        assert np.allclose(b[inside], np.clip(a[inside] + shift, 0, 1), atol=1e-6)
        assert abs((b.mean() - a.mean()) - shift) < 0.05  # few clipped at motivation ~0.5
    for name in OTHERS:
        assert np.array_equal(getattr(base.people, name), getattr(moved.people, name)), name


def test_new_hires_are_drawn_with_the_shift_too():
    m = AdoptionModel(_config(weeks=30, purpose=-0.4), rng=2).run()
    hired = m.people.hired_week > 0
    assert hired.sum() > 20
    assert m.people.purpose[hired].mean() < m.people.autonomy[hired].mean() - 0.25


def test_engines_identical_with_a_motivator_shifted(assert_engines_identical):
    assert_engines_identical(_config(n=300, weeks=10, mastery=-0.3, community=0.2), 5)
