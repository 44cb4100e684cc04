"""Analysis of stored sweeps (docs/ANALYSIS.md): which parameters matter (Sobol', Morris with
SALib) and where a plan fails (PRIM scenario discovery with the EMA Workbench).

    from experiments import analyze

    res = analyze("results/sobol", method="auto", metric="success")
    print(res.summary)          # plain words (markdown)
    res.table                   # indices or boxes (a DataFrame)
    res.as_json()               # the --json payload
    res.figures()               # {name: matplotlib Figure}
    res.write()                 # DIR/analysis/<method>-<metric>/: summary.md, CSV, PNG

SALib and the EMA Workbench are imported when an analysis needs them (they take seconds).
"""

from .core import METHODS, analyze
from .result import AnalysisResult, check_out, default_out

__all__ = ["METHODS", "AnalysisResult", "analyze", "check_out", "default_out"]
