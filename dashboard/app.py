"""The app: its pages and the layout around them (``solara run dashboard.app``).

A new page is a module in :mod:`dashboard.pages` with a ``Page`` component, added to
``routes`` below; it reuses the panels in :mod:`dashboard.panels` (for example the network view
and the run machinery in :mod:`dashboard.runs`).
"""

from __future__ import annotations

import solara
import solara.lab

from .pages import compare, live, network, play, sweep

__all__ = ["Layout", "routes"]


@solara.component
def Layout(children=()):
    route, routes_ = solara.use_route()
    with solara.AppLayout(title="adoptsim", navigation=True, sidebar_open=False) as main:
        with solara.AppBar(), solara.lab.Tabs(align="center"):
            for r in routes_:
                solara.lab.Tab(r.label, path_or_route=r)
        with solara.Column(style={"max-width": "1600px"}):
            solara.Title(f"adoptsim · {route.label}" if route else "adoptsim")
            solara.Column(children=list(children))
    return main


routes = [
    solara.Route(path="/", component=compare.Page, label="Compare plans", layout=Layout),
    solara.Route(path="network", component=network.Page, label="Network"),
    solara.Route(path="sweep", component=sweep.Page, label="Sweep results"),
    solara.Route(path="live", component=live.Page, label="Classroom: live"),
    solara.Route(path="play", component=play.Page, label="Classroom: play"),
]
