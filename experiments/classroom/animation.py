"""A run as an animation for slides: the organization coloured by state week by week, the
curves growing beside it, and the week's event in words underneath.

One frame per week, week 0 included (``weeks + 1`` frames). GIF through Pillow (a fixed palette
of the few colours drawn, so frames compress well: 104 weeks of 500 people take well under a
few MB), MP4 through the ``imageio-ffmpeg`` package's own ffmpeg where it is installed
(``pip install adoptsim[video]``). Drawing reuses one matplotlib figure: the ties are drawn
once, and each frame only recolours the people and extends the curves.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from scenarios import Scenario
from simulation import ROLES, STATES

from ..layout import network_layout
from ..outputs import check_file
from ..report import ROLE_MARKERS, STATE_COLOURS
from .live import LiveRun
from .narrate import narrate

__all__ = ["ANIMATION_FORMATS", "Animation", "animate", "video_available"]

ANIMATION_FORMATS = (".gif", ".mp4")
_CURVES = ("aware", "trying", "adopted", "engaged", "lapsed")
_CAPTION_WEEKS = 6  # an event's words stay on screen this long


@dataclass(frozen=True)
class Animation:
    path: Path
    frames: int
    bytes: int


def video_available() -> bool:
    """MP4 can be written: the imageio-ffmpeg package (it brings its own ffmpeg) is here."""
    try:
        import imageio_ffmpeg

        imageio_ffmpeg.get_ffmpeg_exe()
    except (ImportError, RuntimeError):
        return False
    return True


class _Drawing:
    """The figure, drawn once; :meth:`frame` updates it to a week and returns RGB pixels."""

    def __init__(self, run: LiveRun, title: str, size: tuple[int, int], dpi: int = 80):
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.collections import LineCollection
        from matplotlib.figure import Figure
        from matplotlib.patches import Rectangle

        self.run = run
        org = run.organization
        layout = network_layout(org)  # the dashboard's network view's positions (cached)
        self.xy = layout.xy
        self.fig = fig = Figure(figsize=(size[0] / dpi, size[1] / dpi), dpi=dpi)
        FigureCanvasAgg(fig)  # pixels without a GUI backend
        net = fig.add_axes((0.01, 0.16, 0.56, 0.72))
        net.set_axis_off()
        src = np.repeat(np.arange(org.n), np.diff(org.indptr))
        keep = src < org.indices  # each tie once
        segs = np.stack([self.xy[src[keep]], self.xy[org.indices[keep]]], axis=1)
        net.add_collection(LineCollection(segs, colors="#dddddd", linewidths=0.3, zorder=0))
        role = run.model.people.role
        self.groups = []
        for r, name in enumerate(ROLES):
            idx = np.flatnonzero(role == r)
            size_pt = {"employee": 14, "leader": 60}.get(name, 26)
            sc = net.scatter(self.xy[idx, 0], self.xy[idx, 1], s=size_pt,
                             marker=ROLE_MARKERS[name], linewidths=0, zorder=2)
            self.groups.append((idx, sc))
        from matplotlib.lines import Line2D

        handles = [Line2D([], [], marker=ROLE_MARKERS[r], ls="", color="#777777",
                          label=r.replace("_", " ")) for r in ROLES]
        net.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=4,
                   fontsize=7, frameon=False)
        for box in layout.boxes:
            if box.size:
                net.add_patch(Rectangle((box.x0, box.y0), box.x1 - box.x0, box.y1 - box.y0,
                                        fill=False, lw=0.5, ec="#aaaaaa"))
                net.text(box.x0 + 0.004, box.y1 - 0.004, box.name, fontsize=7, va="top",
                         color="#555555")
        net.set_aspect("equal")
        net.autoscale_view()
        self.colours = np.array([_rgba(STATE_COLOURS[s]) for s in STATES])
        curves = fig.add_axes((0.64, 0.22, 0.34, 0.66))
        weeks = run.horizon
        curves.set_xlim(0, weeks)
        curves.set_ylim(0, 1)
        curves.set_xlabel("week", fontsize=8)
        curves.set_ylabel("share of staff", fontsize=8)
        curves.tick_params(labelsize=7)
        self.lines = {
            s: curves.plot([], [], color=STATE_COLOURS[s], lw=1.8, label=s)[0] for s in _CURVES
        }
        curves.legend(fontsize=7, loc="upper left", frameon=False)
        self.title = fig.text(0.01, 0.96, "", fontsize=11, weight="bold", va="top")
        self.name = title
        self.caption = fig.text(0.01, 0.02, "", fontsize=9, va="bottom", color="#333333")
        self.n = org.n

    def frame(self, week: int, caption: str) -> np.ndarray:
        state = self.run.states[week]
        for idx, sc in self.groups:
            sc.set_facecolor(self.colours[state[idx]])
        counts = np.stack(self.run.counts[: week + 1])
        x = np.arange(week + 1)
        for s, line in self.lines.items():
            line.set_data(x, counts[:, STATES.index(s)] / self.n)
        self.title.set_text(f"{self.name}: week {week}")
        self.caption.set_text(caption)
        canvas = self.fig.canvas
        canvas.draw()
        return np.asarray(canvas.buffer_rgba())[..., :3].copy()


def _rgba(hex_colour: str) -> tuple[float, float, float, float]:
    h = hex_colour.lstrip("#")
    return tuple(int(h[i : i + 2], 16) / 255 for i in (0, 2, 4)) + (1.0,)


def _captions(run: LiveRun) -> list[str]:
    """For each week, the latest event in words shown for a few weeks (or nothing)."""
    by_week: dict[int, str] = {}
    for e in run.events:
        by_week.setdefault(e.week, narrate(e))
    out, current, since = [], "", -_CAPTION_WEEKS
    for week in range(run.week + 1):
        if week in by_week:
            current, since = by_week[week], week
        out.append(current if week - since < _CAPTION_WEEKS else "")
    return out


def _palette() -> list[int]:
    """The GIF's one palette: each state's colour blended with white at a few strengths
    (antialiased edges, faint ties), greys for text and axes; index 255 is transparent."""
    colours = {(255, 255, 255), (0, 0, 0)}
    for hex_colour in STATE_COLOURS.values():
        rgb = np.array(_rgba(hex_colour)[:3]) * 255
        for a in np.linspace(0.15, 1.0, 10):
            colours.add(tuple(int(round(v)) for v in a * rgb + (1 - a) * 255))
    colours |= {(g, g, g) for g in range(0, 256, 6)}
    flat = [v for c in sorted(colours)[:255] for v in c]
    return flat + [0] * (768 - len(flat))


_CLEAR = 255  # the palette index of "unchanged since the last frame"


def _write_gif(frames: list[np.ndarray], path: Path, fps: int) -> None:
    """Every frame on one palette; pixels unchanged since the frame before are transparent
    (the frame is drawn over the last), which is most of them: small files."""
    from PIL import Image

    ref = Image.new("P", (1, 1))
    ref.putpalette(_palette())
    indexed = [
        np.asarray(Image.fromarray(f).quantize(palette=ref, dither=Image.Dither.NONE))
        for f in frames
    ]
    images = [Image.fromarray(indexed[0], "P")]
    for prev, cur in zip(indexed, indexed[1:], strict=False):
        images.append(Image.fromarray(np.where(cur == prev, _CLEAR, cur).astype(np.uint8), "P"))
    for im in images:
        im.putpalette(_palette())
    images[0].save(path, save_all=True, append_images=images[1:], duration=round(1000 / fps),
                   loop=0, optimize=False, transparency=_CLEAR, disposal=1)


def _write_mp4(frames: list[np.ndarray], path: Path, fps: int) -> None:
    import imageio_ffmpeg

    h, w = frames[0].shape[:2]
    writer = imageio_ffmpeg.write_frames(
        str(path), (w, h), fps=fps, codec="libx264", pix_fmt_out="yuv420p",
        macro_block_size=2, ffmpeg_log_level="error", output_params=["-crf", "28"],
    )
    writer.send(None)
    for f in frames:
        writer.send(np.ascontiguousarray(f))
    writer.close()


def animate(
    scenario: Scenario,
    seed: int,
    out: Path | str,
    *,
    fps: int = 8,
    size: tuple[int, int] = (960, 540),
    engine: str = "numba",
    progress: Callable[[int], None] | None = None,
) -> Animation:
    """Run ``scenario`` on the organization of ``seed`` and write it as a GIF or MP4 (by
    ``out``'s suffix). ``progress(frame)`` after each frame drawn."""
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in ANIMATION_FORMATS:
        raise ValueError(f"{out}: write .gif or .mp4")
    if suffix == ".mp4" and not video_available():
        raise ValueError("MP4 needs the imageio-ffmpeg package (pip install adoptsim[video])")
    width, height = (int(size[0]) // 2 * 2, int(size[1]) // 2 * 2)  # even: video codecs
    check_file(out, 0, option="--out")
    run = LiveRun(scenario, seed, engine)
    run.run_to(run.horizon)
    drawing = _Drawing(run, scenario.name, (width, height))
    frames = []
    for week, caption in enumerate(_captions(run)):
        frames.append(drawing.frame(week, caption))
        if progress is not None:
            progress(week)
    tmp = out.with_name(f".{out.name}.part{suffix}")
    try:
        (_write_gif if suffix == ".gif" else _write_mp4)(frames, tmp, fps)
        tmp.replace(out)  # atomically: a half-written animation never has the final name
    finally:
        tmp.unlink(missing_ok=True)
    return Animation(out, len(frames), out.stat().st_size)
