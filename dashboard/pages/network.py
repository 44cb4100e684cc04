"""The organization as a network, coloured by state at a chosen week (placeholder)."""

import solara


@solara.component
def Page():
    solara.Markdown("Network view: run a comparison first.")
