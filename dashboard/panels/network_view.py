"""The organization at one week: people coloured by state (roles as shapes, departments
grouped) up to ``MAX_PEOPLE``, departments as blocks above that.

Reusable by any page that has an organization and everyone's state (a comparison's traced run,
or a model stepped live week by week): give it the arrays and a key that changes when they do.
Positions come from :func:`experiments.layout.network_layout`, computed once per organization
and cached, so a redraw (another week) only recolours.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import numpy as np
import solara

from experiments.layout import department_boxes, network_layout
from simulation import Organization

from ..figures.network import departments_chart, people_chart, tie_segments
from .chart_card import ChartCard, draw

__all__ = ["MAX_PEOPLE", "DepartmentsView", "NetworkView"]

#: people drawn one by one at most; larger organizations are drawn by department
MAX_PEOPLE = 3000


@solara.component
def NetworkView(
    org: Organization,
    state: np.ndarray,
    role: np.ndarray,
    title: str,
    key: Hashable,
    ties: bool = True,
):
    """Everyone in ``org``: ``state`` and ``role`` are int8 arrays (one per person) at the
    week shown; ``key`` identifies them (the drawing is redone only when it changes)."""
    layout = solara.use_memo(lambda: network_layout(org), [id(org)])
    segments = solara.use_memo(lambda: tie_segments(org, layout) if ties else None,
                               [layout.key, ties])
    chart = solara.use_memo(lambda: draw(people_chart, layout, state, role, title, segments),
                            [layout.key, key, title])
    ChartCard(chart)


@solara.component
def DepartmentsView(
    sizes: Sequence[int],
    names: Sequence[str],
    counts: np.ndarray,
    title: str,
    key: Hashable,
):
    """Departments as blocks (area = ``sizes``), banded by ``counts`` (departments x states)."""
    boxes = solara.use_memo(lambda: department_boxes(sizes, names), [tuple(sizes), tuple(names)])
    chart = solara.use_memo(lambda: draw(departments_chart, boxes, counts, title), [key, title])
    ChartCard(chart)
