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


def test_a_tie_list_keeps_the_heaviest_listing_of_each_undirected_pair():
    from simulation.kernels.build import listed_ties_csr

    rng = np.random.default_rng(3)
    none = np.zeros(0, np.int32)
    for _ in range(300):
        n = int(rng.integers(2, 40))
        m = int(rng.integers(0, 200))
        src, dst = rng.integers(0, n, m), rng.integers(0, n, m)
        w = rng.integers(1, 5, m).astype(np.int32)
        ok = src != dst
        src, dst, w = src[ok], dst[ok], w[ok]
        indptr, idx, wt = listed_ties_csr(n, src, dst, w, none, none, none)
        # a plain reference: every listing of a pair, either direction, the largest weight
        best: dict[tuple[int, int], int] = {}
        for a, b, x in zip(src.tolist(), dst.tolist(), w.tolist(), strict=True):
            key = (min(a, b), max(a, b))
            best[key] = max(best.get(key, 0), x)
        pairs = [
            (i, int(j), int(x))
            for i in range(n)
            for j, x in zip(idx[indptr[i] : indptr[i + 1]], wt[indptr[i] : indptr[i + 1]],
                            strict=True)
            if i < j
        ]
        assert pairs == [(a, b, x) for (a, b), x in sorted(best.items())]
        assert wt.dtype == np.int32


def _reference_csr(n, pairs):
    """A plain symmetric CSR from {(lo, hi): weight}: rows sorted by neighbour."""
    rows: list[list[tuple[int, int]]] = [[] for _ in range(n)]
    for (a, b), x in pairs.items():
        rows[a].append((b, x))
        rows[b].append((a, x))
    indptr = np.cumsum([0] + [len(r) for r in rows])
    flat = [e for r in rows for e in sorted(r)]
    return indptr, [b for b, _ in flat], [x for _, x in flat]


def test_csr_kernels_match_a_plain_reference():
    """edges_to_csr adds the weights of repeated ties; listed_ties_csr keeps the heaviest
    listing of a pair and adds its team tie. Rows come out sorted, hubs included (a bucket of
    more than 32 ties is sorted by the library sort, not the insertion sort)."""
    from simulation.kernels.build import edges_to_csr, listed_ties_csr

    rng = np.random.default_rng(11)
    for trial in range(200):
        n = int(rng.integers(2, 50))
        m = int(rng.integers(0, 300))
        src, dst = rng.integers(0, n, m), rng.integers(0, n, m)
        if trial % 3 == 0:
            src[: m // 2] = 0  # a hub: one long bucket
        w = rng.integers(1, 9, m).astype(np.int32)
        summed: dict[tuple[int, int], int] = {}
        for a, b, x in zip(src.tolist(), dst.tolist(), w.tolist(), strict=True):
            if a != b:
                key = (min(a, b), max(a, b))
                summed[key] = summed.get(key, 0) + x
        indptr, idx, wt = edges_to_csr(n, src, dst, w)
        ref = _reference_csr(n, summed)
        assert indptr.tolist() == ref[0].tolist() and idx.tolist() == ref[1]
        assert wt.tolist() == ref[2]
        ok = src != dst
        listed: dict[tuple[int, int], int] = {}
        for a, b, x in zip(src[ok].tolist(), dst[ok].tolist(), w[ok].tolist(), strict=True):
            key = (min(a, b), max(a, b))
            listed[key] = max(listed.get(key, 0), x)
        t_src = rng.integers(0, n, 20)
        t_dst = (t_src + rng.integers(1, n, 20)) % n
        t_w = np.full(20, 100, np.int32)
        both = dict(listed)
        for a, b in zip(t_src.tolist(), t_dst.tolist(), strict=True):
            key = (min(a, b), max(a, b))
            both[key] = both.get(key, 0) + 100
        indptr, idx, wt = listed_ties_csr(n, src[ok], dst[ok], w[ok], t_src, t_dst, t_w)
        ref = _reference_csr(n, both)
        assert indptr.tolist() == ref[0].tolist() and idx.tolist() == ref[1]
        assert wt.tolist() == ref[2]
        assert idx.dtype == np.int32 and wt.dtype == np.int32 and indptr.dtype == np.int64


def test_id_table_finds_exactly_the_rows_a_dict_finds():
    """The hash table of employee ids: first row of each id, repeats marked, empty or unknown
    values -1; Unicode, long and near-identical ids; Arrow string, large string and chunked
    inputs, and pandas Series."""
    import pandas as pd
    import pyarrow as pa

    from scenarios.ids import IdTable

    rng = np.random.default_rng(5)
    alphabet = list("ab01É😀 ,")
    for trial in range(60):
        n = int(rng.integers(1, 400))
        ids = ["".join(rng.choice(alphabet, int(rng.integers(0, 6)))) for _ in range(n)]
        values = ids[: n // 2] + ["".join(rng.choice(alphabet, 4)) for _ in range(200)] + [""]
        first: dict[str, int] = {}
        dup = []
        for i, s in enumerate(ids):
            dup.append(s in first and s != "")
            first.setdefault(s, i)
        expect = [first.get(v, -1) if v else -1 for v in values]
        kind = (pa.string(), pa.large_string())[trial % 2]
        table = IdTable(pa.array(ids, kind) if trial % 3 else pd.Series(ids, dtype=object))
        assert table.duplicate.tolist() == dup
        chunked = pa.chunked_array([pa.array(values[:50], kind), pa.array(values[50:], kind)])
        for given in (values, chunked, pd.Series(values)):
            got = table.rows(given)
            assert got.dtype == np.int32 and got.tolist() == expect
        assert table.rows(pa.array(values, kind).slice(3)).tolist() == expect[3:]  # an offset


def test_every_rule_a_scenario_can_name_has_a_registered_model():
    """The scenario language's rule names (a leaf module) and the models that register the
    rules they run are the same list."""
    from simulation import RULES, registered_rules, rule_named

    assert set(registered_rules()) == set(RULES)
    for name in RULES:
        rule = rule_named(name)
        assert callable(rule.model) and callable(rule.summarize)
    with pytest.raises(ConfigError, match="rule 'nope' is not one of"):
        rule_named("nope")


def test_an_org_chart_read_by_scenarios_is_built_by_the_model_layer(tmp_path):
    """scenarios reads and validates the files into an OrgChart; Organization.from_chart makes
    the organization (positions, tenures not given, ties), as load_org_chart does in one go."""
    from scenarios import load_org_chart, read_org_chart
    from simulation import Organization, OrgChart

    org_csv = tmp_path / "org.csv"
    org_csv.write_text("employee_id,manager_id,department,tenure_years\n"
                       "A,,Sales,10\nB,A,Sales,\nC,B,Sales,2\nD,B,Ops,\nE,A,Ops,1\n")
    chart = read_org_chart(org_csv)
    assert isinstance(chart, OrgChart) and chart.ties is None
    assert np.isnan(chart.tenure_years[1]) and chart.tenure_years[0] == 10
    cfg = OrganizationConfig()
    built = Organization.from_chart(chart, cfg, np.random.default_rng(4))
    loaded = load_org_chart(org_csv, None, cfg, np.random.default_rng(4))
    assert list(built.position) == [LEADER_POS, LEADER_POS, IC, IC, IC]
    assert built.tenure_years[0] == 10 and built.tenure_years[1] > cfg.promoted_tenure_years
    for name in ("manager", "department", "position", "tenure_years", "indptr", "indices"):
        assert np.array_equal(getattr(built, name), getattr(loaded, name))
