"""Animations for slides: `adoptsim animate` writes one frame a week, GIF and MP4, small."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from experiments.classroom import LiveRun, animate, narrate, video_available
from experiments.classroom.animation import _captions, _Drawing
from experiments.report import ROLE_MARKERS
from scenarios import load_scenario
from simulation import ROLES


def _frames(path) -> int:
    with Image.open(path) as im:
        return im.n_frames


def test_cli_writes_a_gif_with_a_frame_a_week(tmp_path, adoptsim_cli):
    out = tmp_path / "run.gif"
    code, stdout, err = adoptsim_cli(
        "animate", "goal-led-communities", "--employees", 60, "--weeks", 12, "--out", out,
        "--size", "480x270",
    )
    assert code == 0, err
    assert _frames(out) == 13  # weeks 0 to 12
    assert "13 frames" in stdout
    with Image.open(out) as im:
        assert im.size == (480, 270)
        im.seek(12)
        last = np.asarray(im.convert("RGB"))
    assert len(np.unique(last.reshape(-1, 3), axis=0)) > 5  # drawn, not blank
    assert not list(tmp_path.glob(".*part*"))  # no temporary file left


def test_frames_show_the_run(tmp_path):
    """The last frame's people are coloured by the run's states: more people in the adopted
    and engaged greens when more are active (the same organization, two plans)."""
    greens = []
    for name in ("provide-and-pray", "goal-led-communities"):
        sc = load_scenario(name, ["organization.employees=80", "weeks=30"])
        out = tmp_path / f"{name}.gif"
        animate(sc, 5, out, size=(480, 270))
        run = LiveRun(sc, 5)
        run.run_to(30)
        with Image.open(out) as im:
            im.seek(30)
            rgb = np.asarray(im.convert("RGB")).reshape(-1, 3).astype(int)
        green = ((rgb[:, 1] > rgb[:, 0] + 40) & (rgb[:, 1] > rgb[:, 2] + 20)).sum()
        greens.append((run.snapshot().active_share, green))
    (share_a, green_a), (share_b, green_b) = sorted(greens)
    assert share_a < share_b and green_a < green_b


def test_roles_have_one_shape_each_in_every_drawing():
    """One role -> marker table (experiments.report) for the animation and the dashboard."""
    assert set(ROLE_MARKERS) == set(ROLES)
    assert len(set(ROLE_MARKERS.values())) == len(ROLES)  # told apart by shape alone
    run = LiveRun(load_scenario("provide-and-pray", ["organization.employees=80", "weeks=4"]), 5)
    drawing = _Drawing(run, "roles", (480, 270))
    legend = drawing.fig.axes[0].get_legend()
    assert [h.get_marker() for h in legend.legend_handles] == [ROLE_MARKERS[r] for r in ROLES]
    from dashboard.figures import network

    assert network.ROLE_MARKERS is ROLE_MARKERS  # the dashboard draws with the same table


def test_captions_word_the_events():
    sc = load_scenario("provide-and-pray", ["organization.employees=80", "weeks=20"])
    run = LiveRun(sc, 3)
    run.run_to(20)
    captions = _captions(run)
    assert len(captions) == 21
    first = run.events[0]
    assert captions[first.week] == narrate(first)


@pytest.mark.parametrize("bad, message", [
    (("--out", "run.avi"), ".gif or .mp4"),
    (("--out", "run.gif", "--size", "big"), "WIDTHxHEIGHT"),
    (("--out", "run.gif", "--size", "100x100"), "320x180"),
    (("--out", "run.gif", "--set", "weeks=zero"), "weeks"),
    (("--out", "run.gif", "--engine", "warp"), "--engine"),
])
def test_cli_bad_input_is_a_message(tmp_path, adoptsim_cli, bad, message):
    args = [a if a not in ("run.gif", "run.avi") else tmp_path / a for a in bad]
    code, _, err = adoptsim_cli("animate", "provide-and-pray", "--weeks", 4, *args)
    assert code == 2
    assert message in err and "Traceback" not in err
    assert not list(tmp_path.iterdir())


def test_mp4_has_a_frame_a_week(tmp_path):
    assert video_available(), "imageio-ffmpeg is a dev dependency: it must be installed"
    import imageio_ffmpeg

    sc = load_scenario("provide-and-pray", ["organization.employees=60", "weeks=15"])
    result = animate(sc, 2, tmp_path / "run.mp4", size=(480, 270))
    frames, _ = imageio_ffmpeg.count_frames_and_secs(str(result.path))
    assert frames == result.frames == 16


@pytest.mark.slow
def test_a_slide_sized_gif_of_two_years(tmp_path):
    """104 weeks of 500 people fit on a slide: 105 frames, under 3 MB."""
    sc = load_scenario("goal-led-communities", ["organization.employees=500", "weeks=104"])
    result = animate(sc, 4, tmp_path / "run.gif")
    assert _frames(result.path) == 105
    assert result.bytes < 3_000_000
