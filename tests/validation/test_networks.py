"""Research networks: the sizes, degrees and clustering their definitions promise."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from scenarios.edgelist import read_edge_list
from simulation import OrganizationError
from simulation.classic.networks import (
    Network,
    erdos_renyi,
    from_edges,
    rewire_degree_preserving,
    watts_strogatz,
)


def assert_simple_symmetric(net: Network) -> None:
    src = np.repeat(np.arange(net.n), net.degree)
    assert not np.any(src == net.indices), "self-tie"
    pairs = set(zip(src.tolist(), net.indices.tolist(), strict=True))
    assert len(pairs) == net.indices.size, "duplicate tie"
    assert all((b, a) in pairs for a, b in pairs), "not symmetric"


def to_networkx(net: Network) -> nx.Graph:
    g = nx.empty_graph(net.n)
    g.add_edges_from(zip(*net.edges(), strict=True))
    return g


@pytest.mark.parametrize("z", [0.5, 4.0, 10.0])
def test_erdos_renyi_mean_degree_and_poisson_spread(z):
    rng = np.random.default_rng(1)
    degrees = np.concatenate([erdos_renyi(10_000, z, rng).degree for _ in range(5)])
    assert degrees.mean() == pytest.approx(z, rel=0.02)
    assert degrees.var() == pytest.approx(z * (1 - z / 9_999), rel=0.06)  # binomial degrees
    assert_simple_symmetric(erdos_renyi(2_000, z, rng))


def test_erdos_renyi_matches_networkx_in_distribution():
    rng = np.random.default_rng(2)
    ours = [erdos_renyi(500, 3.0, rng).n_ties for _ in range(200)]
    theirs = [
        nx.fast_gnp_random_graph(500, 3.0 / 499, seed=s).number_of_edges() for s in range(200)
    ]
    expected = 500 * 499 / 2 * 3.0 / 499
    assert np.mean(ours) == pytest.approx(expected, rel=0.02)
    assert np.mean(theirs) == pytest.approx(expected, rel=0.02)
    assert np.std(ours) == pytest.approx(np.std(theirs), rel=0.25)


def test_ring_lattice_is_regular_with_the_known_clustering():
    net = watts_strogatz(1_000, 4, 0.0, np.random.default_rng(0))
    assert (net.degree == 4).all() and net.n_ties == 2_000
    assert net.neighbours(0).tolist() == [1, 2, 998, 999]
    # C(0) = 3(k - 2) / (4(k - 1)) for a ring lattice (Watts & Strogatz 1998)
    assert net.clustering() == pytest.approx(0.5)
    assert net.clustering() == pytest.approx(nx.average_clustering(to_networkx(net)))


def test_watts_strogatz_clustering_drops_with_rewiring_and_ties_are_kept():
    rng = np.random.default_rng(3)
    clustering = []
    for p in (0.0, 0.01, 0.1, 0.5, 1.0):
        net = watts_strogatz(2_000, 6, p, rng)
        assert net.n_ties == 6_000 and (net.degree >= 3).all()
        assert_simple_symmetric(net)
        clustering.append(net.clustering())
    assert all(a > b for a, b in zip(clustering, clustering[1:], strict=False))
    assert clustering[0] == pytest.approx(0.6) and clustering[-1] < 0.02
    g = to_networkx(watts_strogatz(500, 6, 0.1, np.random.default_rng(4)))
    assert nx.average_clustering(g) == pytest.approx(
        watts_strogatz(500, 6, 0.1, np.random.default_rng(4)).clustering()
    )


def test_degree_preserving_swaps_keep_every_degree_and_randomise():
    rng = np.random.default_rng(5)
    base = watts_strogatz(1_000, 4, 0.0, rng)
    swapped, done = rewire_degree_preserving(base, 1.0, rng)
    assert done > 1_000
    assert np.array_equal(base.degree, swapped.degree)
    assert swapped.n_ties == base.n_ties
    assert_simple_symmetric(swapped)
    assert swapped.clustering() < 0.05  # long ties: the lattice's clustering is gone
    unchanged, none = rewire_degree_preserving(base, 0.0, rng)
    assert none == 0 and unchanged is base


def test_from_edges_drops_self_ties_and_merges_duplicates():
    net = from_edges(4, np.array([0, 1, 1, 2, 3]), np.array([1, 0, 1, 3, 2]))
    assert net.n_ties == 2 and net.degree.tolist() == [1, 1, 1, 1]


# -- edge-list files -------------------------------------------------------------------------
def test_edge_list_file_reads_ids_comments_and_extra_columns(tmp_path):
    f = tmp_path / "net.txt"
    f.write_text("# a comment\n0 1\n1,2, 0.5\n\n2\t3  # trailing comment\n3 3\n1 0\n")
    net = read_edge_list(f)
    assert net.n == 4 and net.n_ties == 3  # self-tie dropped, repeated tie merged


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("0 1\n1 x\n", "line 2, column 2 (target): not a node id"),  # the value is not quoted
        ("0 1\n-3 2\n", "line 2, column 1 (source): not a node id"),
        ("0 1\n\n7\n", "line 3: expected two columns"),
        ("# nothing\n", "the edge list has no ties"),
    ],
)
def test_bad_edge_list_files_name_file_line_and_column(tmp_path, text, fragment):
    f = tmp_path / "bad.txt"
    f.write_text(text)
    with pytest.raises(OrganizationError) as e:
        read_edge_list(f)
    assert str(f) in str(e.value) and fragment in str(e.value)
    said = str(e.value).replace(str(f), "")
    assert "'x'" not in said and "-3" not in said  # the file's content is never quoted


def test_missing_edge_list_file(tmp_path):
    with pytest.raises(OrganizationError, match="not found"):
        read_edge_list(tmp_path / "nope.txt")
