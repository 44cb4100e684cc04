"""Network positions: grouped by department, computed once per organization, no springs."""

from __future__ import annotations

import numpy as np

from experiments.layout import department_boxes, network_layout
from simulation import OrganizationConfig, generate_organization


def _org(n=1200, departments=8, seed=5):
    return generate_organization(OrganizationConfig(employees=n, departments=departments),
                                 np.random.default_rng(seed))


def test_everyone_is_placed_inside_their_department():
    org = _org()
    lay = network_layout(org)
    assert lay.xy.shape == (org.n, 2) and np.isfinite(lay.xy).all()
    for d, box in enumerate(lay.boxes):
        x, y = lay.xy[org.department == d].T
        assert ((x >= box.x0) & (x <= box.x1) & (y >= box.y0) & (y <= box.y1)).all(), box.name


def test_teams_sit_together():
    """A manager's direct reports are drawn closer to one another than people in general."""
    org = _org()
    xy = network_layout(org).xy
    team = org.manager == org.manager[50]
    spread_team = np.linalg.norm(xy[team] - xy[team].mean(axis=0), axis=1).mean()
    spread_all = np.linalg.norm(xy - xy.mean(axis=0), axis=1).mean()
    assert spread_team < spread_all / 10


def test_departments_get_areas_in_proportion_and_do_not_overlap():
    sizes = [500, 120, 80, 300, 0, 40]
    boxes = department_boxes(sizes, [f"d{i}" for i in range(6)], aspect=0.6)
    areas = np.array([(b.x1 - b.x0) * (b.y1 - b.y0) for b in boxes])
    assert areas[4] == 0
    share = areas / areas.sum()
    assert np.allclose(share, np.array(sizes) / sum(sizes), atol=0.02)
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            if a.size and b.size:
                assert a.x1 <= b.x0 or b.x1 <= a.x0 or a.y1 <= b.y0 or b.y1 <= a.y0


def test_positions_are_computed_once_per_organization():
    """Cached by the organization's structure: the same organization (another object) gets
    the same positions object back, a different one its own (speed: benchmarks, not here)."""
    org = _org(seed=9)
    first = network_layout(org)
    same = _org(seed=9)  # another object, the same organization
    assert network_layout(same) is first
    assert network_layout(_org(seed=10)) is not first
