"""The ``classic`` section of a scenario: parameters of the classic diffusion rules, and the
names of the rules a scenario can choose. A leaf module: it imports no model (the models
register the rules they run in :mod:`simulation.rule_registry`).

A scenario chooses its rule with ``rule`` (``social-business``, ``bass``, ``threshold`` or
``granovetter``); this section holds everything the three classic rules need. The population
size of a fully mixed population, an Erdős–Rényi or a Watts–Strogatz network is the scenario's
``organization.employees``, so ``--employees`` and sweeps over ``organization.employees`` work
for classic rules too.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, ValidationInfo, field_validator

from .params import Frozen, param

__all__ = ["RULES", "ClassicConfig"]

#: the rules a scenario can choose; ``social-business`` is the adoption model of docs/ODD.md
RULES = ("social-business", "bass", "threshold", "granovetter")


class ClassicConfig(Frozen):
    """Parameters of the classic rules (docs/VALIDATION.md reproduces each from its source)."""

    p: float = param(
        0.03,
        0.0,
        1.0,
        "per Bass time unit",
        "Bass (1969) coefficient of innovation (external influence). 0.03 per year is the "
        "mean of published estimates (Sultan, Farley & Lehmann 1990).",
    )
    q: float = param(
        0.38,
        0.0,
        10.0,
        "per Bass time unit",
        "Bass (1969) coefficient of imitation (internal influence). 0.38 per year is the mean "
        "of published estimates (Sultan, Farley & Lehmann 1990).",
    )
    period_weeks: float = param(
        52.0,
        1.0,
        520.0,
        "weeks per Bass time unit",
        "Published p and q are mostly per year (annual sales data), so one Bass time unit is "
        "52 weekly steps; set 1 to give p and q per week.",
    )
    threshold_kind: Literal["fractional", "absolute"] = Field(
        "fractional",
        description="'fractional': adopt when at least `threshold` of one's neighbours are "
        "active (Watts 2002); 'absolute': when at least `threshold` of them are (Granovetter "
        "1978, Centola & Macy 2007). The granovetter rule always counts heads.",
    )
    threshold: float = param(
        0.18,
        0.0,
        1e9,
        "share of neighbours (fractional) or head count (absolute)",
        "Watts (2002) Fig. 1 uses phi = 0.18 for everyone. With threshold_kind = 'absolute' it "
        "is the number of active neighbours needed (2 = complex contagion, Centola & Macy "
        "2007).",
    )
    threshold_sd: float = param(
        0.0,
        0.0,
        1e9,
        "same unit as threshold",
        "Spread of a normal threshold distribution (truncated at 0); 0 gives everyone the "
        "same threshold, as in Watts (2002) Fig. 1.",
    )
    threshold_distribution: Literal["normal", "ladder"] = Field(
        "normal",
        description="'normal': mean `threshold`, spread `threshold_sd`; 'ladder': person i has "
        "threshold i (0, 1, ..., N-1), Granovetter's (1978) uniform distribution of the riot "
        "example (absolute counts only).",
    )
    thresholds: tuple[float, ...] = Field(
        (),
        description="Explicit thresholds, one per person (overrides the distribution), e.g. "
        "Granovetter's riot with one threshold moved from 1 to 2.",
    )
    seeds: tuple[int, ...] = Field(
        (),
        description="Ids (0..N-1) of the people active at the start; if empty, `n_seeds` "
        "people are drawn at random.",
    )
    n_seeds: int = param(
        1,
        0,
        1_000_000_000,
        "people",
        "Watts (2002) starts each cascade from one random seed. Bass and Granovetter start "
        "from nobody (their library scenarios set 0).",
    )
    seed_neighbours: bool = Field(
        False,
        description="Also activate the seeds' neighbours: the 'seed neighbourhood' of Centola "
        "& Macy (2007), without which a threshold of two neighbours cannot start.",
    )
    network: Literal["organization", "erdos-renyi", "watts-strogatz", "edge-list"] = Field(
        "organization",
        description="Who can influence whom under the threshold rule: the organization's "
        "informal ties (synthetic or imported), an Erdős–Rényi random graph, a Watts–Strogatz "
        "ring lattice, or an edge-list file. Bass and Granovetter are fully mixed.",
    )
    mean_degree: float = param(
        4.0,
        0.0,
        10_000.0,
        "ties per person",
        "Erdős–Rényi G(N, z/N): mean degree z; Watts (2002) Fig. 1 varies z from 1 to 10.",
    )
    k: int = param(
        4,
        2,
        10_000,
        "neighbours (even)",
        "Watts–Strogatz ring lattice: each person tied to the k/2 nearest on each side; 4 "
        "gives the clustered lattice where two-neighbour contagion spreads.",
    )
    rewire: float = param(
        0.0,
        0.0,
        1.0,
        "probability per tie",
        "Watts–Strogatz (1998) rewiring: each lattice tie moves its far end to a random person "
        "with this probability.",
    )
    degree_preserving_swaps: float = param(
        0.0,
        0.0,
        100.0,
        "attempted double-edge swaps per tie",
        "Degree-preserving randomisation (Maslov & Sneppen 2002), applied after the network is "
        "built: long ties without changing anyone's degree.",
    )
    edges_file: str | None = Field(
        None,
        description="Edge-list file for network = 'edge-list': one tie per line, 'source "
        "target' as non-negative integer ids (space, tab or comma separated, '#' comments). A "
        "relative path is relative to the scenario file.",
    )

    @field_validator("threshold")
    @classmethod
    def _share(cls, value: float, info: ValidationInfo) -> float:
        if info.data.get("threshold_kind") == "fractional" and value > 1.0:
            raise ValueError(
                "with threshold_kind = 'fractional' the threshold is a share of neighbours and "
                "must be in [0, 1]; set threshold_kind = 'absolute' for a head count"
            )
        return value

    @field_validator("k")
    @classmethod
    def _even(cls, value: int) -> int:
        if value % 2:
            raise ValueError("k must be even (k/2 neighbours on each side)")
        return value

    @field_validator("thresholds", "seeds")
    @classmethod
    def _non_negative(cls, values: tuple) -> tuple:
        if any(v < 0 for v in values):
            raise ValueError("values must be >= 0")
        return values

    @field_validator("edges_file")
    @classmethod
    def _needs_file(cls, value: str | None, info: ValidationInfo) -> str | None:
        if info.data.get("network") == "edge-list" and not value:
            raise ValueError("network = 'edge-list' needs the path of the edge list")
        return value

    def edge_list(self, rule: str) -> str | None:
        """The edge-list file the ``threshold`` rule runs on (None: no file to read)."""
        if rule == "threshold" and self.network == "edge-list" and self.edges_file:
            return self.edges_file
        return None
