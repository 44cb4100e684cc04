"""A sweep's analysis: which parameters matter (Sobol', Morris) or where a plan fails (PRIM),
from ``experiments.analyze`` — the analyses stored with the sweep by ``adoptsim analyze``, and
a new one run here in the background (and saved with the sweep on request)."""

from __future__ import annotations

import io

import solara
import solara.lab

from experiments import AnalysisResult, analyze
from experiments.sweep_view import SweepTable, analyses
from simulation import AdoptsimError

__all__ = ["SweepAnalysis"]

METHODS = ["auto", "sobol", "morris", "prim"]


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=96, bbox_inches="tight")
    return buf.getvalue()


@solara.component
def Stored(path: str, version: int):
    found = solara.use_memo(lambda: analyses(path), [path, version])
    names = [a.name for a in found]
    shown, set_shown = solara.use_state(None)
    if not found:
        solara.Markdown(f"No analysis is stored with this sweep yet (`adoptsim analyze {path}` "
                        "stores one; so does **Save** below).")
        return
    a = found[names.index(shown)] if shown in names else found[0]
    solara.Select("Stored analysis", names, value=a.name, on_value=set_shown)
    with solara.Column(classes=["stored-analysis"]):
        solara.Text(f"stored: {a.name}")
        if a.summary:
            solara.Markdown(a.summary)
        for png in a.figures:
            solara.Image(png.read_bytes(), width="100%")
        with solara.Row(style={"flex-wrap": "wrap"}):
            for csv in a.tables:
                solara.FileDownload(csv.read_bytes(), filename=csv.name, label=csv.name,
                                    mime_type="text/csv")


@solara.component
def Result(res: AnalysisResult, on_saved):
    saved, set_saved = solara.use_state(None)
    pngs = solara.use_memo(lambda: {k: _png(f) for k, f in res.figures().items()}, [id(res)])

    def save() -> None:
        try:
            files = res.write()
            set_saved(f"saved in {files[0].parent}")
            on_saved()
        except (AdoptsimError, OSError) as e:
            set_saved(f"could not save: {e}")

    solara.Markdown(res.summary)
    for name, png in pngs.items():
        solara.Image(png, width="100%")
        solara.FileDownload(png, filename=f"{name}.png", label=f"{name}.png",
                            mime_type="image/png")
    for stem, table in res.tables.items():
        solara.FileDownload(table.to_csv(index=False), filename=f"{stem}.csv",
                            label=f"{stem}.csv", mime_type="text/csv")
    with solara.Row(style={"align-items": "center"}):
        solara.Button(f"Save with the sweep ({res.default_out().name})", on_click=save,
                      classes=["save-analysis"])
        if saved:
            solara.Text(saved)


@solara.component
def SweepAnalysis(t: SweepTable):
    method, set_method = solara.use_state("auto")
    metric, set_metric = solara.use_state(t.outcomes[0])
    threshold, set_threshold = solara.use_state("")
    version, set_version = solara.use_state(0)
    request, set_request = solara.use_state(None)

    def work():
        if request is None:
            return None
        return analyze(t.path, method=request[0], metric=request[1],
                       threshold=request[2] or None)

    task = solara.lab.use_task(work, dependencies=[request], raise_error=False)
    with solara.Card("Analysis", margin=0, classes=["sweep-analysis"]):
        Stored(t.path, version)
        with solara.Row(style={"flex-wrap": "wrap"}):
            solara.Select("Method", METHODS, value=method, on_value=set_method)
            solara.Select("Metric to analyse", list(t.outcomes), value=metric,
                          on_value=set_metric)
            solara.InputText("Threshold (e.g. <0.2; optional)", value=threshold,
                             on_value=set_threshold)
        solara.Button("Analyse", color="primary", classes=["run-analysis"],
                      on_click=lambda: set_request((method, metric, threshold.strip())))
        if task.pending and request is not None:
            solara.Text("analysing (SALib and the EMA Workbench take a few seconds to load) ...")
            solara.ProgressLinear(True)
        elif task.error:
            e = task.exception
            text = str(e) if isinstance(e, AdoptsimError) else f"{type(e).__name__}: {e}"
            solara.Error(text, classes=["analysis-error"])
        elif task.finished and task.value is not None:
            Result(task.value, lambda: set_version(version + 1))
