"""The overview's curves: SVG for the page, the same panels as the PNG download (no browser
needed)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from dashboard.figures.compare import curves_chart
from experiments.comparison import build_scenarios, run_comparison
from simulation import STATES


def test_the_curves_are_svg_for_the_page_and_png_on_download():
    plans = build_scenarios(["provide-and-pray", "bootstrap"],
                            {"weeks": 30, "organization.employees": 150})
    c = run_comparison(plans, replicates=3, seed=5, engine="numba", workers=1)
    chart = curves_chart(c)
    svg = ET.fromstring(chart.svg)
    ns = "{http://www.w3.org/2000/svg}"
    assert float(svg.get("width")) > 0 and float(svg.get("height")) > 0
    texts = [t.text for t in svg.iter(f"{ns}text")]
    assert {"provide-and-pray", "bootstrap", "week", "share of staff", *STATES} <= set(texts)
    # per plan and state: the median's line and its band
    assert len(list(svg.iter(f"{ns}polyline"))) == 2 * len(STATES)
    assert len(list(svg.iter(f"{ns}polygon"))) == 2 * len(STATES)
    assert callable(chart.png) and chart.png()[:4] == b"\x89PNG"
    assert chart.csv().splitlines()[0] == "plan,state,week,median,p10,p90"
