"""Classroom, play: teams choose interventions quarter by quarter within a budget, see each
quarter of their organization revealed, and after the last quarter a debrief against the best
plan found, and the scoreboard.

One game per server (:class:`experiments.classroom.PlayRoom`: its folder is
``ADOPTSIM_CLASSROOM_DIR``, by default ``classroom-game`` in the folder the server started in;
its settings are the folder's ``game.json``, else the defaults). Each browser session is one
team; teams see only their own plan until their debrief. Choices are stored as they are made,
so a restarted server shows every team and the scoreboard again.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

import solara
import solara.lab

from experiments.classroom import PlayRoom, intervention_name, narrate, tone
from simulation import AdoptsimError

from ..figures.live import growing_chart
from ..panels.chart_card import ChartCard, draw
from ..panels.network_view import NetworkView
from .live import LINE, TONE_COLOURS

__all__ = ["Page", "room"]

logger = logging.getLogger("adoptsim.dashboard")

_rooms: dict[Path, PlayRoom] = {}
_lock = threading.Lock()

# per session (Solara keeps one value of each per browser session)
team = solara.reactive("")  # this session's team
picks = solara.reactive(())  # offers ticked for the coming quarter
message = solara.reactive("")
revealed = solara.reactive(0)  # bumped when this session plays a quarter
#: ((team, quarters played, plan), the reveal playing it gave): shown without running again
last = solara.reactive(None)


def room() -> PlayRoom:
    """The server's game (created, and its best plan searched, on first use). A game folder
    whose settings are wrong raises :class:`ConfigError` (shown in the page; the next visit
    tries again, so a trainer can mend game.json without restarting)."""
    folder = Path(os.environ.get("ADOPTSIM_CLASSROOM_DIR", "classroom-game")).resolve()
    with _lock:
        if folder not in _rooms:
            _rooms[folder] = PlayRoom(folder)
        return _rooms[folder]


def _money(x: float) -> str:
    return f"{x:,.0f}"


def _play(r: PlayRoom, name: str, chosen: tuple[str, ...]) -> None:
    """Run the team's next quarter (in the background: the page stays usable and shows that
    it runs); a plan the rules refuse, or a run that fails, is a message in place."""
    try:
        shown = r.store.play(r.game, name, list(chosen))
    except AdoptsimError as e:
        message.set(str(e))
        return
    except Exception as e:  # never a traceback on the page
        logger.exception("quarter of %s failed", name)
        message.set(f"the quarter could not be run: {type(e).__name__}: {e}")
        return
    last.set(((name, r.store.teams[name].played, tuple(r.store.plan(name))), shown))
    message.set("")
    picks.set(())
    revealed.set(revealed.value + 1)


play_task = solara.lab.task(_play)  # one per session


@solara.component
def Join():
    name, set_name = solara.use_state("")

    def join() -> None:
        try:
            record = room().store.join(name)
        except AdoptsimError as e:
            message.set(str(e))
            return
        message.set("")
        team.set(record.name)

    with solara.Card("Join the game", margin=0, classes=["join"]):
        solara.Markdown(
            "Your team plays the same organization as every other team, for "
            f"{room().settings.quarters} quarters. Each quarter, choose what to start within "
            "your budget; the quarter is then run and shown. After the last quarter you see "
            "how your plan compares with the best plan found, and the scoreboard."
        )
        solara.InputText("Team name", value=name, on_value=set_name, continuous_update=True)
        solara.Button("Join", on_click=join, color="primary", disabled=not name.strip())


@solara.component
def Menu(r: PlayRoom, name: str):
    game = r.game
    plan = r.store.plan(name)
    quarter = r.store.teams[name].played
    if quarter >= r.settings.quarters:  # the last quarter was just played
        return
    chosen = list(picks.value)
    running = play_task.pending
    left = game.left([*plan, *((t, quarter) for t in chosen)])

    def toggle(tag: str, on: bool) -> None:
        now = [t for t in picks.value if t != tag] + ([tag] if on else [])
        picks.set(tuple(now))

    with solara.Card(f"Quarter {quarter + 1} of {r.settings.quarters}: what do you start?",
                     margin=0, classes=["menu"]):
        solara.Text(f"Budget left: {_money(left.money)} money and {_money(left.hours)} "
                    "person-hours", classes=["budget-left"])
        so_far = [(t, q) for t, q in plan]
        for tag, offer in game.offers.items():
            price = offer.price(quarter)
            on = tag in chosen
            can = on or game.can_add([*so_far, *((t, quarter) for t in chosen)], tag, quarter)
            weeks = f"{offer.weeks} weeks" if offer.weeks else "to the end"
            with solara.Div(classes=["offer", f"offer-{tag}"]):
                solara.Checkbox(
                    label=f"{intervention_name(tag)}: {_money(price.money)} money, "
                    f"{_money(price.hours)} h ({weeks}, reaches {offer.people})",
                    value=on, on_value=lambda v, tag=tag: toggle(tag, v),
                    disabled=running or not can,
                )
        solara.Button(f"Run quarter {quarter + 1}", color="primary", classes=["run-quarter"],
                      on_click=lambda: play_task(r, name, tuple(picks.value)), disabled=running)
        if running:
            solara.Text(f"running quarter {quarter + 1} ...", classes=["quarter-running"])
            solara.ProgressLinear(True)


@solara.component
def Quarter(r: PlayRoom, name: str, rev):
    played = rev.quarter + 1
    marks = tuple(r.game.starts[1:played])
    chart = solara.use_memo(lambda: draw(growing_chart, rev.series, r.game.horizon,
                                         f"{name}: quarters 1-{played}", marks), [id(rev)])
    ChartCard(chart)
    with solara.Card(f"Quarter {played}", margin=0, classes=["quarter-events"]):
        solara.Text(f"{rev.active_share:.0%} of staff use it for their work at week {rev.weeks}",
                    style=LINE)
        for e in rev.quarter_events:
            solara.Text(narrate(e), classes=["ticker-line"],
                        style={**LINE, "color": TONE_COLOURS.get(tone(e), "#333")})
    NetworkView(rev.run.organization, rev.run.states[-1], rev.run.model.people.role,
                f"{name}: week {rev.weeks}", key=(name, played, id(rev)))


@solara.component
def Revealed(r: PlayRoom, name: str, tick: int = 0):
    record = r.store.teams[name]
    played, plan = record.played, tuple(r.store.plan(name))

    def work():
        if not played:
            return None
        just = last.value
        if just is not None and just[0] == (name, played, plan):
            return just[1]  # this session just ran it: not again
        return r.game.reveal(list(plan), played - 1)  # a team that reconnects, a restart

    task = solara.lab.use_task(work, dependencies=[name, played, plan], raise_error=False)
    if not played:
        return
    if task.error:
        solara.Error(f"this quarter could not be shown: {task.exception}")
    elif task.pending or task.value is None:
        solara.Text(f"running quarter {played} ...")
        solara.ProgressLinear(True)
    else:
        Quarter(r, name, task.value)


@solara.component
def OwnPlan(r: PlayRoom, name: str, tick: int = 0):
    plan = r.store.plan(name)
    with solara.Card("Your plan", margin=0, classes=["team-plan"]):
        if not plan:
            solara.Text("Nothing started yet.")
        for q in sorted({q for _, q in plan}):
            names = ", ".join(intervention_name(t) for t, qq in plan if qq == q)
            solara.Text(f"Quarter {q + 1}: {names}", style=LINE)


@solara.component
def Debrief(r: PlayRoom, name: str, tick: int = 0):
    best = r.best
    plan = tuple(r.store.plan(name))

    def work():
        return r.debrief(list(plan)) if best is not None else None

    task = solara.lab.use_task(work, dependencies=[best is None, plan], raise_error=False)
    _, refresh = solara.use_state(0)
    with solara.Card("Debrief", margin=0, classes=["debrief"]):
        if best is None:
            solara.Text(f"The best plan is still being searched ({r.search_runs} runs so far).")
            solara.Button("Check again", on_click=lambda: refresh(r.search_runs))
            return
        if task.pending or task.value is None:
            solara.Text("comparing your plan with the best plan found ...")
            solara.ProgressLinear(True)
            return
        d = task.value
        for line in d.lines:
            solara.Text(line, classes=["debrief-line"], style=LINE)
        best_plan = ", ".join(f"{intervention_name(t)} (quarter {q + 1})" for t, q in d.best.plan)
        solara.Text(f"The best plan found: {best_plan or 'the launch alone'}.", style=LINE)


@solara.component
def Scoreboard(r: PlayRoom, name: str, tick: int = 0):
    _, refresh = solara.use_state(0)
    rows = r.store.scoreboard(name)
    with solara.Card("Scoreboard", margin=0, classes=["scoreboard"]):
        for s in rows:
            if s.plan is None:
                plan = "plan hidden until your debrief"
            else:
                plan = ", ".join(f"{intervention_name(t)} q{q + 1}" for t, q in s.plan) or "-"
            result = {True: "success", False: "no success", None: ""}[s.success]
            solara.Text(f"{s.rank}. {s.team}: {s.played} quarters, {s.active_share:.0%} active "
                        f"{result} — {plan}", classes=["score-row"], style=LINE)
        solara.Button("Refresh", on_click=lambda: refresh(len(r.store.teams)))


@solara.component
def Page():
    tick = revealed.value  # children read the store: they are redrawn when a quarter is played
    try:
        r = room()
    except (AdoptsimError, OSError) as e:
        solara.Error(f"The classroom game cannot be opened: {e}", classes=["play-message"])
        solara.Markdown("The game's settings are its folder's `game.json` (docs/CLASSROOM.md, "
                        "*Setting up a game*); mend it and open this page again.")
        return
    name = team.value
    if message.value:
        solara.Error(message.value, classes=["play-message"])
    if not name:
        Join()
        Scoreboard(r, "", tick)
        return
    finished = r.store.finished(name)
    with solara.Columns([4, 8], gutters_dense=True):
        with solara.Column(gap="12px"):
            solara.Markdown(f"## {name}")  # the team's own name ("Team B", not "Team Team B")
            if not finished:
                Menu(r, name)
            OwnPlan(r, name, tick)
            Scoreboard(r, name, tick)
        with solara.Column(gap="12px"):
            if finished:
                Debrief(r, name, tick)
            Revealed(r, name, tick)
