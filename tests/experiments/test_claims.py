"""The twelve domain claims of DESIGN section 3, over seeded replicate organizations.

Every library scenario is renamed before it runs: the checks select scenarios by tags and plan
structure only, so a renamed scenario must change nothing. Each check states its tolerance in
``experiments.claims.CHECKS``; the same figures are published in docs/PLAYBOOK.md.
"""

from __future__ import annotations

import pytest

from experiments.claims import CHECKS, collect, library_plans, motivation_variants
from scenarios import builtin_names

REPLICATES = 300  # organizations per scenario; P&P's 95% CI is then about +-4 points
SEED = 2026


@pytest.fixture(scope="module")
def claim_data():
    renamed = {}
    for i, sc in enumerate(library_plans().values()):
        renamed[f"plan-{i:02d}"] = sc.model_copy(update={"name": f"plan-{i:02d}"})
    return collect(REPLICATES, SEED, scenarios=renamed,
                   variants=motivation_variants(list(renamed.values())), workers=2)


@pytest.mark.slow
def test_no_library_name_is_used(claim_data):
    assert all(n.startswith("plan-") or "[motivation" in n for n in claim_data.runs)
    assert not set(claim_data.runs) & set(builtin_names())


@pytest.mark.slow
@pytest.mark.parametrize("check", CHECKS, ids=lambda c: f"claim{c.claim}-{c.statement[:30]}")
def test_claim(claim_data, check):
    outcome = check.evaluate(claim_data)
    assert outcome.passed, f"claim {check.claim} ({check.tolerance}): {outcome.measured}"
