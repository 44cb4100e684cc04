"""Risk: how often each plan succeeds, and the paired difference between plans."""

from __future__ import annotations

import itertools

import pandas as pd
import solara

from experiments.comparison import Comparison
from experiments.outcomes import paired_success

from .tables import frame_markdown

__all__ = ["PairedTable", "paired_frame"]


def paired_frame(c: Comparison) -> pd.DataFrame:
    """Every pair of plans on the same organizations (McNemar's comparison)."""
    rows = []
    for a, b in itertools.combinations(c.names, 2):
        p = paired_success(a, c.runs(a), b, c.runs(b))
        rows.append({
            "plan A": a, "plan B": b, "organizations": p.n, "both succeed": p.both,
            "only A": p.only_a, "only B": p.only_b, "neither": p.neither,
            "difference A - B": p.difference, "ci_low": p.low, "ci_high": p.high,
            "p_value": p.p_value,
        })
    return pd.DataFrame(rows)


@solara.component
def PairedTable(c: Comparison):
    frame = solara.use_memo(lambda: paired_frame(c), [c])
    shown = frame.assign(**{
        "difference A - B": [f"{100 * d:+.0f} pts ({100 * lo:+.0f} to {100 * hi:+.0f})"
                             for d, lo, hi in zip(frame["difference A - B"], frame.ci_low,
                                                  frame.ci_high, strict=True)],
        "p_value": [f"{p:.2g}" for p in frame.p_value],
    }).drop(columns=["ci_low", "ci_high"])
    with solara.Card("Paired comparison (McNemar)", margin=0, classes=["paired"]):
        solara.Markdown(frame_markdown(shown))
        solara.Text(
            "Each pair of plans met the same organizations: 'only A' counts the organizations "
            "where A succeeded and B failed. The difference in success rate has a 95% interval "
            "for paired proportions; p is the exact two-sided McNemar test.",
            style={"color": "#555", "font-size": "0.85em"},
        )
        solara.FileDownload(frame.to_csv(index=False), filename="paired.csv", label="CSV",
                            mime_type="text/csv")
