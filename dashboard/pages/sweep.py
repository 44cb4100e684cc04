"""Sweep results (placeholder)."""

import solara


@solara.component
def Page():
    solara.Markdown("Sweep results.")
