"""``adoptsim animate SCENARIO --out run.gif``: a run as an animation for slides.

Registered in :mod:`experiments.cli`; the drawing is :func:`experiments.classroom.animate`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

import typer

from simulation import ConfigError

from . import cli
from .classroom import ANIMATION_FORMATS, animate, video_available

__all__ = ["animate_command"]


def _size(text: str) -> tuple[int, int]:
    m = re.fullmatch(r"\s*(\d+)\s*[xX]\s*(\d+)\s*", text)
    if not m:
        raise ConfigError(f"--size {text!r}: give WIDTHxHEIGHT in pixels, such as 960x540")
    w, h = int(m[1]), int(m[2])
    if not (320 <= w <= 1920 and 180 <= h <= 1080):
        raise ConfigError(f"--size {text}: from 320x180 to 1920x1080 pixels")
    return w, h


def animate_command(
    scenario: str,
    out: Annotated[
        Path, typer.Option("--out", help="The animation: .gif, or .mp4 (needs imageio-ffmpeg).")
    ],
    seed: cli.Seed = cli.DEFAULT_SEED,
    engine: cli.Engine = "numba",
    weeks: cli.Weeks = None,
    employees: cli.Employees = None,
    set_: cli.Sets = None,
    fps: Annotated[int, typer.Option("--fps", min=1, max=30, help="Weeks per second.")] = 8,
    size: Annotated[
        str, typer.Option("--size", help="WIDTHxHEIGHT in pixels (a 16:9 slide: 960x540).")
    ] = "960x540",
):
    """Run a scenario once and write it as an animation: the organization coloured by state
    (roles as shapes), the curves growing, the week's event in words; one frame a week."""
    suffix = out.suffix.lower()
    if suffix not in ANIMATION_FORMATS:
        raise ConfigError(f"--out {out}: the animation's file name ends in .gif or .mp4")
    if suffix == ".mp4" and not video_available():
        raise ConfigError(
            "--out .mp4 needs the imageio-ffmpeg package (pip install 'adoptsim[video]'); "
            "or write a .gif"
        )
    cli._check_engine(engine)
    pixels = _size(size)
    sc = cli._load(scenario, cli._overrides(set_, weeks, employees), False)
    if sc.rule != "social-business":
        raise ConfigError(f"{sc.name}: only social-business scenarios have people to animate")
    with cli._nothing_written_on_ctrl_c(), cli._progress() as bar:
        task = bar.add_task("frames", total=sc.weeks + 1)
        result = animate(sc, seed, out, fps=fps, size=pixels, engine=engine,
                         progress=lambda week: bar.advance(task))
    cli.out_console.print(
        f"wrote {result.path}: {result.frames} frames (weeks 0-{result.frames - 1}), "
        f"{result.bytes / 1e6:.1f} MB"
    )
