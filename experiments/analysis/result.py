"""The result of an analysis: plain-words summary, tables, figures, JSON, and writing them out."""

from __future__ import annotations

import math
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from simulation import ConfigError

from ..report import to_json, write_atomic

__all__ = ["AnalysisResult", "check_out", "default_out"]

#: a file every analysis folder holds: an existing folder is replaced only when it has one
MARKER = ".adoptsim-analysis"

#: the keys of each entry of the --json "indices" or "boxes" list (the issue's shapes), plus
#: "scenario" (a sweep can hold several plans)
JSON_KEYS = {
    "sobol": ("parameter", "S1", "S1_conf", "ST", "ST_conf"),
    "morris": ("parameter", "mu_star", "mu_star_conf", "sigma"),
}


def default_out(path: str | Path, method: str, metric: str) -> Path:
    """Where ``adoptsim analyze`` writes by default: DIR/analysis/<method>-<metric>/."""
    return Path(path) / "analysis" / f"{method}-{metric}"


def check_out(out: Path) -> None:
    """Refuse an output folder that exists and holds anything but a previous analysis (which
    is replaced): an analysis never deletes a user's files."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise ConfigError(f"--out {out}: exists and is not a folder")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise ConfigError(
            f"--out {out}: the folder holds other files; choose a new or empty folder (an "
            "analysis replaces only a previous analysis's folder)"
        )


def _number(v: Any) -> Any:
    if isinstance(v, float) and not math.isfinite(v):
        return None
    return v


@dataclass
class AnalysisResult:
    """What ``experiments.analyze`` found.

    ``method`` (sobol | morris | prim), ``metric``, ``n_runs`` (runs analysed), ``summary``
    (markdown in plain words), ``table`` (one row per scenario and parameter for the indices;
    one row per box and restricted input for PRIM), ``tables`` (every table, by file stem:
    ``indices`` or ``boxes``, and ``interactions``, ``feature_scores``, ``trajectories`` where
    they apply). ``figures()`` draws the plots (matplotlib Figures, by file stem);
    ``as_json()`` is the ``--json`` payload; ``write(out)`` writes it all.
    """

    method: str
    metric: str
    n_runs: int
    path: Path
    summary: str
    table: pd.DataFrame
    tables: dict[str, pd.DataFrame]
    payload: list[dict[str, Any]]
    plotters: dict[str, Callable[[], Any]] = field(default_factory=dict, repr=False)
    notes: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        key = "boxes" if self.method == "prim" else "indices"
        return {
            "method": self.method,
            "metric": self.metric,
            "n_runs": self.n_runs,
            key: [{k: _number(v) for k, v in e.items()} for e in self.payload],
        }

    def figures(self) -> dict[str, Any]:
        """The plots as matplotlib Figures (no pyplot state: safe in a server)."""
        return {name: draw() for name, draw in self.plotters.items()}

    def default_out(self) -> Path:
        return default_out(self.path, self.method, self.metric)

    def write(self, out: str | Path | None = None) -> list[Path]:
        """Write summary.md, the CSV tables and the PNG plots into ``out`` (default
        :meth:`default_out`). The files are staged in a temporary folder beside ``out`` and
        moved into place together, so ``out`` never holds half an analysis."""
        out = Path(out) if out is not None else self.default_out()
        check_out(out)
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            stage = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
        except OSError as e:
            raise ConfigError(f"--out {out}: cannot write there ({e.strerror})") from None
        try:
            names = self._write_into(stage)
            self._swap(stage, out)
        finally:
            shutil.rmtree(stage, ignore_errors=True)
        return [out / n for n in names]

    def _write_into(self, stage: Path) -> list[str]:
        names = ["summary.md"]
        (stage / MARKER).write_text(f"adoptsim analyze: {self.method} of {self.metric}\n")
        write_atomic(stage / "summary.md", self.summary)
        for stem, table in self.tables.items():
            write_atomic(stage / f"{stem}.csv", table.to_csv(index=False))
            names.append(f"{stem}.csv")
        for stem, fig in self.figures().items():
            fig.savefig(stage / f"{stem}.png", dpi=120, bbox_inches="tight")
            names.append(f"{stem}.png")
        return names

    @staticmethod
    def _swap(stage: Path, out: Path) -> None:
        """Replace ``out`` (a previous analysis, or nothing) with ``stage``."""
        old = None
        if out.exists():
            old = out.with_name(f".{out.name}.old")
            shutil.rmtree(old, ignore_errors=True)
            out.rename(old)
        stage.rename(out)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)

    def json_text(self) -> str:
        return to_json(self.as_json())
