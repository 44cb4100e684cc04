"""Sweeps on an organization of the user's: an org chart (and tie list) instead of synthetic ones.

The files come from the spec (``org_csv``/``ties_csv``, relative to the spec file) or from
``adoptsim sweep --org-csv/--ties-csv`` (which win). The organization is read once, with the
sweep's root seed for what the files leave out (missing tenures, informal ties when there is
no tie list), exactly as ``adoptsim compare --org-csv`` does, and every run of every point
meets it: replicates differ in their drawn conditions and their agents' randomness. The
manifest records both paths and a SHA-256 of each file; a resumed sweep must read the same
files (by default the ones recorded).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from scenarios import Scenario, load_org_chart
from simulation import ConfigError, Organization

from .sweep_spec import SweepSpec

__all__ = ["OrgSource", "check_org_parameters", "org_source", "read_org", "resume_org_source"]


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


@dataclass(frozen=True)
class OrgSource:
    """The org chart (and tie list) a sweep runs on, with each file's SHA-256."""

    org_csv: Path
    ties_csv: Path | None
    org_sha256: str
    ties_sha256: str | None

    @classmethod
    def of(cls, org_csv: Path, ties_csv: Path | None, where: str) -> OrgSource:
        for flag, path in (("org_csv", org_csv), ("ties_csv", ties_csv)):
            if path is not None and not path.is_file():
                raise ConfigError(f"{where}{flag} {path}: no such file")
        return cls(
            org_csv.resolve(),
            ties_csv.resolve() if ties_csv is not None else None,
            _sha256(org_csv),
            _sha256(ties_csv) if ties_csv is not None else None,
        )

    def describe(self, org: Organization) -> dict[str, Any]:
        """The manifest's ``organization`` entry."""
        return {
            "org_csv": str(self.org_csv),
            "org_csv_sha256": self.org_sha256,
            "ties_csv": None if self.ties_csv is None else str(self.ties_csv),
            "ties_csv_sha256": self.ties_sha256,
            "employees": int(org.n),
            "departments": list(org.department_names),
        }


def org_source(
    spec: SweepSpec, org_csv: str | Path | None = None, ties_csv: str | Path | None = None
) -> OrgSource | None:
    """The files a new sweep runs on: the options' (relative to the working folder), else the
    spec's (relative to the spec file), else None (synthetic organizations)."""
    if ties_csv is not None and org_csv is None:
        raise ConfigError("--ties-csv needs --org-csv (ties refer to the org chart's ids)")
    if org_csv is not None:
        ties = Path(ties_csv) if ties_csv is not None else None
        return OrgSource.of(Path(org_csv), ties, "--")
    if spec.org_csv is None:
        return None
    ties = spec.base_dir / spec.ties_csv if spec.ties_csv is not None else None
    return OrgSource.of(spec.base_dir / spec.org_csv, ties, f"{spec.source}: ")


def resume_org_source(
    recorded: dict[str, Any] | None, given: OrgSource | None, out: Path
) -> OrgSource | None:
    """The files a resumed sweep runs on: the ones it was started with, unchanged."""
    if recorded is None:
        if given is not None:
            raise ConfigError(
                f"--org-csv: the sweep in {out} was started on synthetic organizations; resume "
                "it without --org-csv, or start a new sweep in another --out folder"
            )
        return None
    org = Path(recorded["org_csv"])
    ties = Path(recorded["ties_csv"]) if recorded.get("ties_csv") else None
    source = given or OrgSource.of(org, ties, "the sweep's recorded ")
    if (source.org_sha256, source.ties_sha256) != (
        recorded["org_csv_sha256"],
        recorded.get("ties_csv_sha256"),
    ):
        raise ConfigError(
            f"the org chart or tie list differs from the files the sweep in {out} was started "
            f"with ({org}{', ' + str(ties) if ties else ''}: SHA-256 in manifest.json), so new "
            "runs would not match the stored ones. Restore them, or start a new sweep"
        )
    return source


def check_org_parameters(spec: SweepSpec) -> None:
    """An imported organization fixes the head count, departments and ties: parameters of the
    synthetic organization would silently do nothing, so they are refused."""
    for p in spec.parameters:
        if p.name == "organization" or p.name.startswith("organization."):
            raise ConfigError(
                f"{spec.source}: {p.field}: describes the synthetic organization, "
                "but this sweep runs on an org chart (org_csv), which sets it; remove the "
                "parameter, or sweep without the org chart"
            )


def read_org(source: OrgSource, scenario: Scenario, seed: int) -> Organization:
    """The organization every run meets (read as ``adoptsim compare --org-csv`` reads it)."""
    return load_org_chart(
        source.org_csv, source.ties_csv, scenario.organization, np.random.default_rng(seed)
    )
