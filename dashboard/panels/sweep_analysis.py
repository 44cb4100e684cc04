"""The analyses `adoptsim analyze` stored with a sweep: its summary in words, tables, plots."""

from __future__ import annotations

import solara

from experiments.sweep_view import analyses

__all__ = ["SweepAnalysis"]


@solara.component
def SweepAnalysis(path: str):
    found = solara.use_memo(lambda: analyses(path), [path])
    with solara.Card("Analysis", margin=0, classes=["sweep-analysis"]):
        if not found:
            solara.Markdown(
                "No analysis is stored with this sweep yet. Run "
                f"`adoptsim analyze {path}` (Sobol or Morris indices for a Sobol or Morris "
                "design, PRIM scenario discovery otherwise) and reopen it here."
            )
            return
        for a in found:
            with solara.Details(a.name, expand=a is found[0]):
                if a.summary:
                    solara.Markdown(a.summary)
                for png in a.figures:
                    solara.Image(png.read_bytes(), width="100%")
                for csv in a.tables:
                    solara.FileDownload(csv.read_bytes(), filename=csv.name,
                                        label=csv.name, mime_type="text/csv")
