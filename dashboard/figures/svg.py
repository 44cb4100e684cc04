"""Share-over-weeks panels as SVG text, for the page: the browser draws them.

matplotlib takes 0.15-0.4 s of the server's CPU for the overview's three panels (most of it
making and drawing ticks and text), after the runs and before the page can show anything; this
writes the same picture (a panel per plan, each line a median with its 10th-90th percentile
band, fixed ticks, the legend in the first panel) as a few kilobytes of SVG in milliseconds.
The PNG download is still drawn by matplotlib, when it is asked for.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

import numpy as np

from experiments.outcomes import Band

__all__ = ["share_panels"]

PX = 96 / 72  # pixels per point (the charts' 96 dpi)
FONT = 'font-family="DejaVu Sans, Bitstream Vera Sans, Arial, sans-serif"'


def _xy(xs: np.ndarray, ys: np.ndarray) -> str:
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in zip(xs.tolist(), ys.tolist(), strict=True))


def _runs(ok: np.ndarray) -> list[tuple[int, int]]:
    """(start, stop) of each run of True in ``ok``."""
    edges = np.flatnonzero(np.diff(np.r_[0, ok.astype(np.int8), 0]))
    return list(zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True))


def _series(out: list[str], b: Band, colour: str, sx, sy) -> None:
    """The band as polygons and the median as polylines (split where a value is missing)."""
    x = sx(np.asarray(b.weeks, float))
    low, high, med = (np.asarray(v, float) for v in (b.low, b.high, b.median))
    for a, z in _runs(np.isfinite(low) & np.isfinite(high)):
        pts = _xy(np.r_[x[a:z], x[a:z][::-1]], np.r_[sy(low[a:z]), sy(high[a:z])[::-1]])
        out.append(f'<polygon points="{pts}" fill="{colour}" fill-opacity="0.18"/>')
    for a, z in _runs(np.isfinite(med)):
        out.append(f'<polyline points="{_xy(x[a:z], sy(med[a:z]))}" fill="none" '
                   f'stroke="{colour}" stroke-width="{1.8 * PX:.2f}" stroke-linejoin="round"/>')


def share_panels(
    panels: Sequence[tuple[str, Sequence[tuple[str, str, Band]]]],
    horizon: int,
    ylabel: str,
    *,
    width: float = 4.2,
    height: float = 3.0,
    cols: int = 3,
    margins: tuple[float, float, float, float] = (0.6, 0.5, 0.1, 0.3),
) -> str:
    """``panels``: (title, [(label, colour, band), ...]) each, laid out as
    ``dashboard.figures.compare`` lays out its matplotlib panels (``width`` x ``height`` inches
    each, ``cols`` a row, figure ``margins`` left, bottom, right, top in inches; shares from 0
    to 1, weeks from 0 to ``horizon``); the legend of the first panel's labels in it."""
    n = len(panels)
    cols = max(1, min(cols, n))
    rows = -(-n // cols)
    W, H = 96 * width * cols, 96 * height * rows
    left, bottom, right, top = (96 * m for m in margins)
    aw = (W - left - right) / (cols + (cols - 1) * 0.08)  # matplotlib's wspace, hspace
    ah = (H - top - bottom) / (rows + (rows - 1) * 0.45)
    xt = np.unique(np.linspace(0, horizon, 5).round())
    yt = np.linspace(0, 1, 6)
    font = 10 * PX
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W:.0f}" height="{H:.0f}" '
           f'viewBox="0 0 {W:.0f} {H:.0f}" {FONT} font-size="{font:.1f}">',
           f'<rect width="{W:.0f}" height="{H:.0f}" fill="white"/>']
    for k, (title, series) in enumerate(panels):
        x0 = left + (k % cols) * aw * 1.08
        y0 = top + (k // cols) * ah * 1.45
        def sx(v, x0=x0):
            return x0 + aw * np.asarray(v, float) / max(horizon, 1)

        def sy(v, y0=y0):
            return y0 + ah * (1.0 - np.asarray(v, float))

        out.append(f'<svg x="{x0:.1f}" y="{y0:.1f}" width="{aw:.1f}" height="{ah:.1f}" '
                   f'viewBox="{x0:.1f} {y0:.1f} {aw:.1f} {ah:.1f}" overflow="hidden">')
        for t in xt.tolist():
            out.append(f'<line x1="{sx(t):.1f}" x2="{sx(t):.1f}" y1="{y0:.1f}" '
                       f'y2="{y0 + ah:.1f}" stroke="#b0b0b0" stroke-opacity="0.3"/>')
        for t in yt.tolist():
            out.append(f'<line x1="{x0:.1f}" x2="{x0 + aw:.1f}" y1="{sy(t):.1f}" '
                       f'y2="{sy(t):.1f}" stroke="#b0b0b0" stroke-opacity="0.3"/>')
        for _label, colour, b in series:
            _series(out, b, colour, sx, sy)
        out.append("</svg>")
        out.append(f'<rect x="{x0:.1f}" y="{y0:.1f}" width="{aw:.1f}" height="{ah:.1f}" '
                   f'fill="none" stroke="black" stroke-width="{0.8 * PX:.2f}"/>')
        tick = 3.5 * PX
        for t in xt.tolist():
            out.append(f'<line x1="{sx(t):.1f}" x2="{sx(t):.1f}" y1="{y0 + ah:.1f}" '
                       f'y2="{y0 + ah + tick:.1f}" stroke="black"/>'
                       f'<text x="{sx(t):.1f}" y="{y0 + ah + 2 * tick + font * 0.8:.1f}" '
                       f'text-anchor="middle">{t:g}</text>')
        for t in yt.tolist():
            out.append(f'<line x1="{x0 - tick:.1f}" x2="{x0:.1f}" y1="{sy(t):.1f}" '
                       f'y2="{sy(t):.1f}" stroke="black"/>')
            if k % cols == 0:
                out.append(f'<text x="{x0 - 2 * tick:.1f}" y="{sy(t) + font * 0.35:.1f}" '
                           f'text-anchor="end">{t:.1f}</text>')
        out.append(f'<text x="{x0 + aw / 2:.1f}" y="{y0 + ah + 2 * tick + font * 2:.1f}" '
                   f'text-anchor="middle">week</text>'
                   f'<text x="{x0 + aw / 2:.1f}" y="{y0 - 6 * PX:.1f}" '
                   f'text-anchor="middle">{escape(title)}</text>')
        if k == 0:
            ly = y0 + ah / 2
            lx = x0 - 2 * tick - font * 2.2
            out.append(f'<text x="{lx:.1f}" y="{ly:.1f}" text-anchor="middle" '
                       f'transform="rotate(-90 {lx:.1f} {ly:.1f})">{escape(ylabel)}</text>')
            out.append(_legend(series, x0, y0))
    out.append("</svg>")
    return "".join(out)


def _legend(series: Sequence[tuple[str, str, Band]], x0: float, y0: float) -> str:
    """Two columns of line-and-label entries in the panel's upper left corner (7 pt)."""
    size = 7 * PX
    rows = -(-len(series) // 2)
    col = max((len(label) for label, _, _ in series), default=0) * size * 0.6 + size * 3.2
    w, h = 2 * col + size * 0.8, rows * size * 1.35 + size * 0.8
    x, y = x0 + 5, y0 + 5
    out = [f'<g font-size="{size:.1f}"><rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" '
           f'height="{h:.1f}" rx="2" fill="white" fill-opacity="0.8" stroke="#cccccc"/>']
    for i, (label, colour, _) in enumerate(series):
        ex = x + size * 0.4 + (i // rows) * col
        ey = y + size * 0.4 + (i % rows + 0.5) * size * 1.35
        out.append(f'<line x1="{ex:.1f}" x2="{ex + size * 2:.1f}" y1="{ey:.1f}" y2="{ey:.1f}" '
                   f'stroke="{colour}" stroke-width="{1.8 * PX:.2f}"/>'
                   f'<text x="{ex + size * 2.6:.1f}" y="{ey + size * 0.35:.1f}">'
                   f'{escape(label)}</text>')
    out.append("</g>")
    return "".join(out)
