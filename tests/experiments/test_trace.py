"""A traced run is the same run, with everyone's state kept week by week."""

from __future__ import annotations

from experiments import RunSpec, run_one
from experiments.trace import trace_run
from scenarios import load_scenario
from simulation import ROLES, STATES


def test_trace_is_the_run_and_its_states_add_up_to_the_series():
    sc = load_scenario("bootstrap", ["organization.employees=250", "weeks=40"])
    for engine in ("numba", "agents"):
        spec = RunSpec(sc, 17, engine)
        trace = trace_run(spec)
        plain = run_one(spec)
        assert trace.result.series == plain.series
        assert trace.result.by_department == plain.by_department
        assert trace.state.shape == (41, 250) and trace.weeks == 40
        for k, s in enumerate(STATES):
            assert (trace.state == k).sum(axis=1).tolist() == plain.series[s]
        for r, role in enumerate(ROLES):
            counts = ((trace.role == r) & (trace.state == STATES.index("engaged"))).sum(axis=1)
            assert counts.tolist() == plain.by_role[role]["engaged"]
        assert trace.organization.n == 250
