"""Classroom, live: a lesson's plan run week by week on the lesson's organization, with the
question to ask, the talking points, and a ticker that narrates what happens.

Play, pause, step a week, reset, speed; the organization coloured by state (roles as shapes),
the curves growing, the events in words (:func:`experiments.classroom.narrate` of the
simulation's records). The run is :class:`experiments.classroom.LiveRun`: the same run as
``adoptsim run`` of the lesson's scenario with its seed. Everything here is per session.
"""

from __future__ import annotations

import tempfile
import threading
import time
from pathlib import Path

import solara
import solara.lab

from experiments.classroom import LiveRun, animate, narrate, tone
from scenarios import lesson_names, load_lesson

from ..figures.live import growing_chart
from ..panels.chart_card import ChartCard, draw
from ..panels.network_view import NetworkView
from ..panels.run_controls import error_text

__all__ = ["Page"]

SPEEDS = {"slow (1 week/s)": 1.0, "normal (3 weeks/s)": 3.0, "fast (8 weeks/s)": 8.0}
TONE_COLOURS = {"good": "#1b7837", "bad": "#b2182b", "plan": "#2166ac"}
TICKER_LINES = 14

lesson_name = solara.reactive("provide-and-pray")
side = solara.reactive(0)
playing = solara.reactive(False)
speed = solara.reactive("normal (3 weeks/s)")


def _animation(run: LiveRun) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "run.gif"
        animate(run.scenario, run.seed, out)
        return out.read_bytes()


@solara.component
def Controls(run: LiveRun, lock: threading.Lock, week: int, set_week):
    def step(weeks: int = 1) -> None:
        with lock:
            run.step(weeks)
            set_week(run.week)

    def reset() -> None:
        playing.set(False)
        with lock:
            run.reset()
            set_week(0)

    def loop(cancel: threading.Event) -> None:
        while playing.value and not cancel.is_set():
            t0 = time.monotonic()
            with lock:
                if run.done:
                    break
                run.step(1)
                set_week(run.week)
            cancel.wait(max(0.0, 1.0 / SPEEDS[speed.value] - (time.monotonic() - t0)))
        playing.set(False)

    solara.use_thread(loop, dependencies=[playing.value, id(run)])
    with solara.Row(gap="8px", classes=["live-controls"]):
        if playing.value:
            solara.Button("Pause", on_click=lambda: playing.set(False), icon_name="mdi-pause")
        else:
            solara.Button("Play", on_click=lambda: playing.set(True), icon_name="mdi-play",
                          color="primary", disabled=run.done)
        solara.Button("Step a week", on_click=lambda: step(1), disabled=playing.value or run.done)
        solara.Button("Reset", on_click=reset, icon_name="mdi-restart")
        solara.Select("Speed", values=list(SPEEDS), value=speed)
        solara.Text(f"week {week} of {run.horizon}", classes=["live-week"])


@solara.component
def Ticker(run: LiveRun, week: int, watch: tuple[str, ...]):
    events = [e for e in run.events if e.week <= week]
    with solara.Card("What is happening", margin=0, classes=["ticker"]):
        if not events:
            solara.Text("Nothing yet: press Play or Step.")
        for e in reversed(events[-TICKER_LINES:]):
            style = {"color": TONE_COLOURS.get(tone(e), "#333")}
            if e.kind in watch:
                style["font-weight"] = "bold"
            solara.Text(narrate(e), classes=["ticker-line", f"event-{e.kind}"], style=style)


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
def Page():
    lesson = solara.use_memo(lambda: load_lesson(lesson_name.value), [lesson_name.value])
    labels = lesson.labels()
    which = min(side.value, 1)
    run = solara.use_memo(lambda: LiveRun(lesson.load_side(which), lesson.live.seed),
                          [lesson_name.value, which])
    lock = solara.use_memo(threading.Lock, [])
    week, set_week = solara.use_state(0, key=f"{lesson_name.value}/{which}")
    week = min(week, run.week)
    with solara.Columns([4, 8], gutters_dense=True):
        with solara.Column(gap="12px"):
            with solara.Card("Lesson", margin=0):
                solara.Select("Lesson", values=lesson_names(), value=lesson_name,
                              on_value=lambda v: playing.set(False))
                solara.ToggleButtonsSingle(value=labels[which], values=list(labels),
                                           on_value=lambda v: side.set(labels.index(v)))
            Lesson(lesson)
            Ticker(run, week, lesson.watch)
        with solara.Column(gap="8px"):
            Controls(run, lock, week, set_week)
            state, role = run.states[week], run.model.people.role
            NetworkView(run.organization, state, role, f"{labels[which]}: week {week}",
                        key=(id(run), week), ties=True)
            series = {k: v[: week + 1] for k, v in run.series().items()}
            chart = solara.use_memo(
                lambda: draw(growing_chart, series, run.horizon, f"{labels[which]}: so far"),
                [id(run), week])
            ChartCard(chart)
            Export(run)
