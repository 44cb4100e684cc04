"""Invariants of the synthetic organization generator."""

from __future__ import annotations

import numpy as np
import pytest

from simulation import ConfigError, OrganizationConfig, generate_organization
from simulation.organization import IC, LEADER_POS, MANAGER_POS, WEIGHT_SCALE, depth_of


def test_everyone_reaches_the_one_top_leader(default_org):
    org = default_org
    assert (org.manager < 0).sum() == 1
    depth = depth_of(org.manager)
    assert depth.min() == 0  # reachable: no -1 (cycle / orphan)
    assert (depth == 0).sum() == 1
    assert org.position[org.top()] == LEADER_POS


def test_span_of_control_and_positions(default_org):
    org = default_org
    cfg = OrganizationConfig()
    reports = np.bincount(org.manager[org.manager >= 0], minlength=org.n)
    assert reports.max() <= cfg.span_of_control
    # managers and leaders have reports; individual contributors have none
    assert np.all(reports[org.position == IC] == 0)
    assert np.all(reports[org.position == MANAGER_POS] > 0)
    # the top leader plus one head per department
    assert (org.position == LEADER_POS).sum() == cfg.departments + 1
    # managers are roughly 1/span of staff (teams of about span_of_control people)
    share = (org.position == MANAGER_POS).mean()
    assert 0.8 / cfg.span_of_control < share < 1.5 / cfg.span_of_control


def test_departments_are_all_used_and_heads_report_to_the_top(default_org):
    org = default_org
    counts = np.bincount(org.department, minlength=org.n_departments)
    assert np.all(counts >= 2)
    heads = np.flatnonzero(org.manager == org.top())
    assert sorted(org.department[heads]) == list(range(org.n_departments))
    # everyone below a head is in the head's department
    below = org.manager >= 0
    boss_dept = org.department[np.maximum(org.manager, 0)]
    not_head = below & (org.manager != org.top())
    assert np.all(org.department[not_head] == boss_dept[not_head])


def test_ties_are_symmetric_simple_and_team_dense(default_org):
    org = default_org
    src = np.repeat(np.arange(org.n), org.degree)
    assert not np.any(src == org.indices)  # no self ties
    pairs = set(zip(src.tolist(), org.indices.tolist(), strict=True))
    assert all((b, a) in pairs for a, b in pairs)  # symmetric
    for i in range(org.n):  # sorted, no duplicates
        row = org.neighbours(i)
        assert np.all(np.diff(row) > 0)
    # every manager is tied to each direct report
    for i in np.flatnonzero(org.manager >= 0)[:200]:
        assert org.manager[i] in set(org.neighbours(i).tolist())
    assert org.weight.min() >= min(0.4, 0.5, 1.0) * WEIGHT_SCALE


def test_degree_distribution_small_world(default_org):
    org = default_org
    deg = org.degree
    assert deg.min() >= 1
    assert 8 <= deg.mean() <= 20  # DESIGN: about 10-20 informal ties each
    cross = org.cross_department_mask().mean()
    assert 0.03 < cross < 0.2  # sparse across silos, but present (shortcuts)
    # clustering well above a random graph of the same density (small world)
    rng = np.random.default_rng(0)
    nodes = rng.choice(org.n, 200, replace=False)
    clust = []
    for i in nodes:
        nb = set(org.neighbours(i).tolist())
        k = len(nb)
        links = sum(len(nb & set(org.neighbours(j).tolist())) for j in nb) / 2
        clust.append(links / (k * (k - 1) / 2) if k > 1 else 0)
    assert np.mean(clust) > 10 * deg.mean() / org.n


def test_influence_heavy_tailed_and_veterans(default_org):
    from simulation import ModelConfig
    from simulation.people import draw_people
    from simulation.states import ROLE_VETERAN

    cond = ModelConfig().conditions.draw(np.random.default_rng(1))
    people = draw_people(default_org, OrganizationConfig(), cond, np.random.default_rng(2))
    infl = np.sort(people.influence)[::-1]
    top_share = infl[: len(infl) // 10].sum() / infl.sum()
    assert top_share > 0.25  # the top 10% carry well over 10% of the voice
    vet = (people.role == ROLE_VETERAN).mean()
    assert 0.15 < vet < 0.5


def test_generator_is_seeded_and_scales():
    cfg = OrganizationConfig(employees=5000)
    a = generate_organization(cfg, np.random.default_rng(7))
    b = generate_organization(cfg, np.random.default_rng(7))
    c = generate_organization(cfg, np.random.default_rng(8))
    assert np.array_equal(a.indices, b.indices) and np.array_equal(a.manager, b.manager)
    assert not np.array_equal(a.indices, c.indices)
    assert a.n == 5000


def test_too_small_organization_is_rejected():
    with pytest.raises(ConfigError, match="too small"):
        generate_organization(
            OrganizationConfig(employees=10, departments=8), np.random.default_rng(0)
        )


def test_unique_pairs_keeps_the_heaviest_listing_of_each_undirected_pair():
    from simulation.kernels.build import unique_pairs

    rng = np.random.default_rng(3)
    for _ in range(300):
        n = int(rng.integers(2, 40))
        m = int(rng.integers(0, 200))
        src, dst = rng.integers(0, n, m), rng.integers(0, n, m)
        w = rng.integers(1, 5, m).astype(np.int32)
        ok = src != dst
        src, dst, w = src[ok], dst[ok], w[ok]
        lo, hi, wt = unique_pairs(n, src, dst, w)
        # a plain reference: every listing of a pair, either direction, the largest weight
        best: dict[tuple[int, int], int] = {}
        for a, b, x in zip(src.tolist(), dst.tolist(), w.tolist(), strict=True):
            key = (min(a, b), max(a, b))
            best[key] = max(best.get(key, 0), x)
        assert list(zip(lo.tolist(), hi.tolist(), wt.tolist(), strict=True)) == [
            (a, b, x) for (a, b), x in sorted(best.items())
        ]
        assert wt.dtype == np.int32
