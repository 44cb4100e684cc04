"""Classroom, live: a lesson's plan run week by week on the lesson's organization, with the
question to ask, the talking points, and a ticker that narrates what happens.

Play, pause, step a week, reset, speed; the organization coloured by state (roles as shapes),
the curves growing, the events in words (:func:`experiments.classroom.narrate` of the
simulation's records). The run is :class:`experiments.classroom.LiveRun`: the same run as
``adoptsim run`` of the lesson's scenario with its seed.

Everything here is per session: the lesson, side and speed are ``solara.reactive`` values
(Solara keeps one per browser session, as for the other pages' state), and the run, the week
shown and whether it plays belong to the :func:`LiveLesson` component of that session (a new
one, at week 0, when the lesson or its side changes). While the run plays only the parts that
show the week (the week's label, the ticker, the network and the curves) are redrawn; the
control bar is redrawn only when playing starts or stops, so a click on Pause is never lost to
a redraw.
"""

from __future__ import annotations

import logging
import tempfile
import threading
import time
from pathlib import Path

import solara
import solara.lab

from experiments.classroom import LiveRun, animate, narrate, tone
from scenarios import lesson_names, load_lesson
from simulation import AdoptsimError

from ..figures.live import growing_chart
from ..panels.chart_card import ChartCard, draw
from ..panels.network_view import NetworkView
from ..panels.run_controls import error_text

__all__ = ["Page"]

logger = logging.getLogger("adoptsim.dashboard")

SPEEDS = {"slow (1 week/s)": 1.0, "normal (3 weeks/s)": 3.0, "fast (8 weeks/s)": 8.0}
TONE_COLOURS = {"good": "#1b7837", "bad": "#b2182b", "plan": "#2166ac"}
TICKER_LINES = 14
#: a sentence on a line of its own (solara.Text is inline: the ticker ran into one paragraph)
LINE = {"display": "block", "margin-bottom": "4px"}
#: the least time between a week drawn and the next step. The next step starts from the effect
#: of the last drawing; without a gap its change would join that drawing's render pass, which
#: would render again and again and never return to the session's messages (a Pause click
#: waited for ever behind the play).
GAP = 0.2

# per session (one value per browser session): the lesson shown, its side, the speed
lesson_name = solara.reactive("provide-and-pray")
side = solara.reactive(0)
speed = solara.reactive("normal (3 weeks/s)")


def _animation(run: LiveRun) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "run.gif"
        animate(run.scenario, run.seed, out)
        return out.read_bytes()


class _Player:
    """One session's run and what shows it: the week shown and whether it plays (reactive,
    read only by the components that must redraw when they change)."""

    def __init__(self, run: LiveRun):
        self.run = run
        self.lock = threading.Lock()  # one step at a time (the play loop, Step, Reset)
        self.week = solara.reactive(0)
        self.ended = solara.reactive(False)
        self.playing = solara.reactive(False)
        self.shown_at = 0.0  # when the last step was shown (monotonic)

    def _show(self) -> None:
        self.shown_at = time.monotonic()
        self.week.set(self.run.week)
        self.ended.set(self.run.done)

    def step(self, weeks: int = 1) -> None:
        with self.lock:
            self.run.step(weeks)
        self._show()  # redrawn outside the lock: a Pause or Reset never waits for a drawing

    def reset(self) -> None:
        self.playing.set(False)
        with self.lock:
            self.run.reset()
        self._show()

    def tick(self, cancel: threading.Event) -> None:
        """While playing: the next week, one tick of the speed after the last one. Started
        again after every week drawn (:func:`WeekLabel`), so the weeks never run ahead of the
        drawing: a slow machine shows them later, never queues redraws a Pause must wait
        behind."""
        if not self.playing.value:
            return
        if self.run.done:
            self.playing.set(False)
            return
        wait = 1.0 / SPEEDS[speed.value] - (time.monotonic() - self.shown_at)
        if cancel.wait(max(GAP, wait)):
            return  # paused, reset or left
        try:
            with self.lock:
                if cancel.is_set() or not self.playing.value:
                    return  # paused while waiting for the lock
                self.run.step(1)
            self._show()
        except Exception:  # a failed week stops the play; the page stays
            logger.exception("live run stopped")
            self.playing.set(False)


@solara.component
def Controls(player: _Player):
    playing, ended = player.playing.value, player.ended.value
    with solara.Row(gap="8px", classes=["live-controls"]):
        if playing:
            solara.Button("Pause", on_click=lambda: player.playing.set(False),
                          icon_name="mdi-pause")
        else:
            solara.Button("Play", on_click=lambda: player.playing.set(True), icon_name="mdi-play",
                          color="primary", disabled=ended)
        solara.Button("Step a week", on_click=lambda: player.step(1), disabled=playing or ended)
        solara.Button("Reset", on_click=player.reset, icon_name="mdi-restart")
        solara.Select("Speed", values=list(SPEEDS), value=speed)
        WeekLabel(player)


@solara.component
def WeekLabel(player: _Player):
    """The week shown, and the clock: after each week is drawn the next tick starts (not
    intrusive: a Pause is seen between two weeks, never inside a step)."""
    week, playing = player.week.value, player.playing.value
    solara.use_thread(player.tick, dependencies=[week, playing], intrusive_cancel=False)
    solara.Text(f"week {week} of {player.run.horizon}", classes=["live-week"])


@solara.component
def Ticker(player: _Player, watch: tuple[str, ...]):
    week = player.week.value
    events = [e for e in player.run.events if e.week <= week]
    with solara.Card("What is happening", margin=0, classes=["ticker"]):
        if not events:
            solara.Text("Nothing yet: press Play or Step.")
        for e in reversed(events[-TICKER_LINES:]):
            style = {**LINE, "color": TONE_COLOURS.get(tone(e), "#333")}
            if e.kind in watch:
                style["font-weight"] = "bold"
            solara.Text(narrate(e), classes=["ticker-line", f"event-{e.kind}"], style=style)


@solara.component
def Stage(player: _Player, label: str):
    """The organization and the curves at the week shown."""
    run = player.run
    week = min(player.week.value, run.week)
    NetworkView(run.organization, run.states[week], run.model.people.role,
                f"{label}: week {week}", key=(id(run), week), ties=True)
    series = {k: v[: week + 1] for k, v in run.series().items()}
    chart = solara.use_memo(lambda: draw(growing_chart, series, run.horizon, f"{label}: so far"),
                            [id(run), week])
    ChartCard(chart)


@solara.component
def Lesson(lesson):
    with solara.Card(lesson.title, margin=0, classes=["lesson"]):
        solara.Markdown(f"**Ask the class first:** {lesson.question}")
        with solara.Details("Talking points"):
            solara.Markdown("\n".join(f"- {p}" for p in lesson.talking_points))
        with solara.Details("What to point at"):
            solara.Markdown("\n".join(f"- {p}" for p in lesson.point_at))


@solara.component
def Export(run: LiveRun):
    task = solara.lab.use_task(lambda: _animation(run), dependencies=None, raise_error=False)
    with solara.Row(gap="8px", classes=["live-export"]):
        solara.Button("Make an animation (GIF)", on_click=task, disabled=task.pending,
                      icon_name="mdi-movie")
        if task.pending:
            solara.Text("drawing one frame a week ...")
        elif task.error:
            solara.Error(error_text(task.exception))
        elif task.finished and task.value:
            solara.FileDownload(task.value, filename=f"{run.scenario.name}.gif",
                                label="Download the GIF", mime_type="image/gif")


@solara.component
def Chooser(labels: tuple[str, str], which: int):
    with solara.Card("Lesson", margin=0):
        solara.Select("Lesson", values=lesson_names(), value=lesson_name)
        solara.ToggleButtonsSingle(value=labels[which], values=list(labels),
                                   on_value=lambda v: side.set(labels.index(v)))


@solara.component
def LiveLesson(lesson, which: int):
    """One side of a lesson, live (its own run: a new one when the lesson or side changes)."""
    labels = tuple(lesson.labels())
    player = solara.use_memo(lambda: _Player(LiveRun(lesson.load_side(which), lesson.live.seed)),
                             [lesson.name, which])
    with solara.Columns([4, 8], gutters_dense=True):
        with solara.Column(gap="12px"):
            Chooser(labels, which)
            Lesson(lesson)
            Ticker(player, lesson.watch)
        with solara.Column(gap="8px"):
            Controls(player)
            Stage(player, labels[which])
            Export(player.run)


@solara.component
def Page():
    name = lesson_name.value
    which = min(side.value, 1)

    def load():
        try:
            return load_lesson(name), None
        except (AdoptsimError, OSError, ValueError) as e:
            return None, f"lesson {name}: {e}"

    lesson, problem = solara.use_memo(load, [name])
    if problem:
        solara.Error(problem, classes=["live-message"])
        solara.Select("Lesson", values=lesson_names(), value=lesson_name)
        return
    LiveLesson(lesson, which).key(f"{name}/{which}")
