"""Sealed layers: simulation <- scenarios <- experiments <- dashboard.

Layers import downward only: import-linter's layers contract (``[tool.importlinter]`` in
pyproject.toml, run by ``lint-imports`` in scripts/test.sh, and below). And from outside a
package, only its public face is imported: the package's own names (its ``__all__``) and its
public subpackages' (listed here), never a module inside it. This test reads every import of
the packages, scripts and benchmarks with ``ast``.
"""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: bottom to top
LAYERS = ("simulation", "scenarios", "experiments", "dashboard")
#: what other layers may import besides the packages themselves
PUBLIC_SUBPACKAGES = {
    "simulation.interventions",  # the intervention registry and types
    "simulation.classic",  # the classic diffusion rules
    "simulation.kernels",  # the numba flags and helpers for kernels
    "simulation.kernels.threads",  # the thread policy (benchmarks/bench_load.py)
    "experiments.sweep",  # run_sweep, load_sweep (README, docs/SWEEPS.md)
    "experiments.claims",  # the claim checks (scripts/playbook.py)
    "experiments.distributions",  # outcomes across organizations and people (scripts/playbook.py)
    "experiments.knockouts",  # claims' knockouts, falsifications, ranking (scripts/knockouts.py)
    "experiments.calibration",  # the defaults' joint fit and its record (scripts/calibrate.py)
    "experiments.validation",  # the classic-model reproductions (scripts/validation.py)
    "experiments.analysis",  # analyze (docs/ANALYSIS.md)
    "experiments.report",  # the tables and plots of compare and run
    "experiments.memory",  # the size guards' cost model (benchmarks/bench_memory.py)
    "experiments.classroom",  # lessons live, the play mode, animations (the classroom pages)
    # what the dashboard shows, computed and tested below it (docs/DASHBOARD.md, Structure)
    "experiments.comparison",  # plans + settings + organization -> compare's runs
    "experiments.pool",  # warm worker processes: a stoppable executor for compare
    "experiments.outcomes",  # bands, rates, paired success, money, milestones
    "experiments.explain",  # the facts behind the plain-language why
    "experiments.scenario_form",  # form fields from the scenario schema and registry
    "experiments.layout",  # cached positions of an organization's people
    "experiments.trace",  # one run with everyone's weekly state
    "experiments.sweep_view",  # a sweep folder as a table, trends, stored analyses
}
PUBLIC = set(LAYERS) | PUBLIC_SUBPACKAGES
CONSUMERS = [*LAYERS[1:], "scripts", "benchmarks"]


def _sources():
    for folder in CONSUMERS:
        for path in sorted((ROOT / folder).rglob("*.py")):
            yield folder, path


def _imports(path: Path):
    """(line, module, names) of every absolute import: names None for ``import module``."""
    tree = ast.parse(path.read_text(), str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, None
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module, [a.name for a in node.names]


def _exports(module: str) -> set[str]:
    return set(getattr(importlib.import_module(module), "__all__", ()))


def _public_module(module: str) -> bool:
    """A public package, or a module a public package exports by name."""
    if module in PUBLIC:
        return True
    parent, _, leaf = module.rpartition(".")
    return parent in PUBLIC and leaf in _exports(parent)


def _problems(folder: str, path: Path) -> list[str]:
    out = []
    where = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
    for line, module, names in _imports(path):
        top = module.split(".")[0]
        if top not in LAYERS or top == folder:
            continue  # another library, or the package's own modules
        if folder in LAYERS and LAYERS.index(top) > LAYERS.index(folder):
            out.append(f"{where}:{line}: {folder} imports {module}, a layer above it")
        elif not _public_module(module):
            out.append(f"{where}:{line}: imports {module}, which is not a public face of {top}")
        elif names is not None:
            exported = _exports(module)
            for name in names:
                if name not in exported and not _public_module(f"{module}.{name}"):
                    out.append(f"{where}:{line}: {name} is not a public name of {module}")
    return out


def test_upper_layers_import_only_public_names_of_lower_ones():
    problems = [p for folder, path in _sources() for p in _problems(folder, path)]
    assert not problems, "imports past a package's public face:\n" + "\n".join(problems)


def test_the_check_sees_private_imports_and_upward_ones(tmp_path):
    """The checker itself: a private module, a private name, a layer above are caught; public
    names pass."""
    bad = tmp_path / "bad.py"
    bad.write_text(
        "from simulation.engines import NumbaEngine\n"
        "from simulation import People, AdoptionModel\n"
        "import simulation.kernels.weekly\n"
        "from simulation.classic import theory, ClassicModel\n"
        "from experiments import compare\n"
    )
    problems = _problems("scenarios", bad)
    assert len(problems) == 4, problems
    assert "simulation.engines, which is not a public face" in problems[0]
    assert "People is not a public name of simulation" in problems[1]
    assert "simulation.kernels.weekly, which is not a public face" in problems[2]
    assert "scenarios imports experiments, a layer above it" in problems[3]


def test_import_linter_contracts_are_kept():
    done = subprocess.run([str(Path(sys.executable).parent / "lint-imports")], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
