"""Shared fixtures. Slow, browser and cluster tests are marked and still run in CI."""

from __future__ import annotations

import numpy as np
import pytest

from simulation import ModelConfig, OrganizationConfig, generate_organization


@pytest.fixture(scope="session")
def default_org():
    """The default 1,000-employee organization (seeded)."""
    return generate_organization(OrganizationConfig(), np.random.default_rng(12345))


@pytest.fixture
def small_config():
    return ModelConfig(weeks=30, organization=OrganizationConfig(employees=300))
