"""The play mode's logic: menu prices, budget rules, quarters revealed, stored teams, the best
plan found and the debrief (small organizations and short games: the rules, not the numbers)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from experiments import RunSpec, run_one
from experiments.classroom import (
    Game,
    GameSettings,
    GameStore,
    SearchResult,
    best_plan,
    debrief,
    intervention_name,
    score_plans,
)
from simulation import AdoptionModel, ConfigError
from simulation.interventions import intervention_types, tag_of

SMALL = GameSettings(
    name="test", employees=80, quarters=3, weeks_per_quarter=5, replicates=2,
    search_quarters=(0, 1), budget_share=0.3, seed=3,
)


@pytest.fixture(scope="module")
def game() -> Game:
    return Game(SMALL)


def test_menu_has_every_type_but_the_launch(game):
    listed = set(game.offers) | {reason.split(":")[0] for reason in game.left_out}
    expected = {tag_of(c) for c in intervention_types() if not c.launches}
    assert listed == expected
    assert "launch_platform" not in game.offers
    assert [type(s).launches for s in game.base.plan] == [True]  # the platform is bought


@pytest.mark.parametrize("tag", ["education", "communities", "mandate"])
def test_price_is_what_the_run_costs(game, tag):
    """An offer's price for a start in quarter 1 is its cost in a run of that plan."""
    if tag not in game.offers:
        pytest.skip(f"{tag} is not a registered type any more")
    scenario = game.scenario([(tag, 1)])
    model = AdoptionModel(scenario, rng=np.random.default_rng(SMALL.seed), engine="numba")
    while model.week < scenario.weeks:
        model.step()
    row = model.rollout.costs(scenario.weeks, scenario.value.hourly_cost)[-1]
    price = game.offers[tag].price(1)
    assert row["type"] == tag
    assert price.money == pytest.approx(row["money"])
    assert price.hours == pytest.approx(row["hours"])


def test_rules_of_a_plan(game):
    assert game.problems([]) == []
    assert "not on the menu" in game.problems([("teleport", 0)])[0]
    assert "quarter 4 is not in the game" in game.problems([("education", 3)])[0]
    never_ends = next(t for t, o in game.offers.items() if o.weeks is None)
    assert any("still running" in p for p in game.problems([(never_ends, 0), (never_ends, 1)]))
    everything = [(t, 0) for t in game.offers]
    assert any("over the" in p and "budget" in p for p in game.problems(everything))
    assert game.cost(everything).money > game.budget.money or (
        game.cost(everything).hours > game.budget.hours
    )


def test_revealed_weeks_never_change(game):
    """Choices of a later quarter leave the quarters already revealed as they were."""
    first = game.reveal([("education", 0)], 0)
    later = game.reveal([("education", 0), ("communities", 1)], 1)
    end = first.weeks
    assert later.weeks == game.quarter_end(1) > end
    np.testing.assert_array_equal(first.run.state_history(), later.run.state_history()[: end + 1])
    assert first.events and later.events[: len(first.events)] == first.events


def test_each_quarter_shows_its_own_events_and_its_starts(game):
    """An intervention a team starts in quarter q is told in quarter q's events, dated the
    quarter's first week; every event of the game is told in one quarter only."""
    choices = [("education", 0), ("communities", 1), ("manager_engagement", 2),
               ("publish_outcomes", 2)]
    told = []
    for q in range(SMALL.quarters):
        reveal = game.reveal(choices, q)
        shown = reveal.quarter_events
        assert all(game.starts[q] <= e.week <= reveal.weeks for e in shown)
        started = {e.who: e.week for e in shown if e.kind == "intervention_started"}
        for tag, quarter in choices:
            if quarter == q:
                assert started.get(tag) == game.starts[q], (tag, started)
            else:
                assert tag not in started
        told += shown
    assert told == game.reveal(choices, SMALL.quarters - 1).events  # each one, once


def test_last_quarter_is_the_cli_run(game):
    """The game's last quarter ends where `adoptsim run` of the same plan and seed ends."""
    choices = [("education", 0), ("communities", 1)]
    reveal = game.reveal(choices, SMALL.quarters - 1)
    result = run_one(RunSpec(game.scenario(choices), SMALL.seed, "numba"))
    assert reveal.weeks == game.horizon
    assert reveal.success == result.success
    for state, counts in reveal.series.items():
        assert counts == [int(x) for x in result.series[state]]


def test_store_survives_a_restart(tmp_path, game):
    store = GameStore(tmp_path, SMALL)
    store.join("Blue team")
    store.join("Red")
    store.play(game, "Blue team", ["education"])
    store.play(game, "Blue team", ["communities"])
    store.play(game, "Red", [])
    with pytest.raises(ConfigError, match="budget"):
        store.play(game, "Red", list(game.offers))
    assert store.teams["Red"].played == 1  # the refused quarter stored nothing
    with pytest.raises(ConfigError, match="team name"):
        store.join("")

    again = GameStore(tmp_path)  # a restarted server
    assert again.settings == SMALL
    assert again.plan("Blue team") == [("education", 0), ("communities", 1)]
    assert again.scoreboard("Red") == store.scoreboard("Red")
    board = {s.team: s for s in again.scoreboard("Red")}
    assert board["Blue team"].plan is None  # Red sees only its own plan
    assert board["Red"].plan == ()
    assert board["Blue team"].played == 2
    with pytest.raises(ConfigError, match="other settings"):
        GameStore(tmp_path, SMALL.model_copy(update={"seed": 9}))


def test_plans_shown_after_the_last_quarter(tmp_path, game):
    store = GameStore(tmp_path, SMALL)
    store.join("A")
    store.join("B")
    store.play(game, "B", ["education"])
    for _ in range(SMALL.quarters):
        store.play(game, "A", [])
    assert store.finished("A")
    with pytest.raises(ConfigError, match="all 3 quarters"):
        store.play(game, "A", [])
    board = {s.team: s for s in store.scoreboard("A")}
    assert board["B"].plan == (("education", 0),)
    assert board["A"].success is not None and board["B"].success is None
    assert {s.team: s.plan for s in store.scoreboard("B")}["A"] is None


@pytest.fixture(scope="module")
def searched(game) -> SearchResult:
    return best_plan(game, workers=1, min_gain=0.0)


def test_best_plan_within_the_rules_and_not_worse(game, searched):
    best = searched.best
    assert game.problems(best.plan) == []
    (empty,) = score_plans(game, [()], workers=1)
    assert best.key >= empty.key
    assert set(searched.without) == set(best.plan)
    assert searched.runs > 0 and all(p in searched.scores for p in searched.without.values()
                                     for p in [p.plan])
    again = SearchResult.from_dict(json.loads(json.dumps(searched.as_dict())))
    assert again.best == best and again.without == searched.without


def test_debrief_words_its_facts(game, searched):
    team = [("mandate", 0)]
    d = debrief(game, team, searched, workers=1)
    (scored,) = score_plans(game, [team], workers=1)
    assert d.team == scored  # the team's plan on the same organizations
    assert d.organizations == SMALL.replicates
    text = "\n".join(d.lines)
    assert f"succeeds on {scored.successes}" in d.lines[0]
    for diff in d.differences:
        if diff.kind in ("missing", "timing", "extra"):
            assert intervention_name(diff.tag) in text
    best_tags = {t for t, _ in searched.best.plan}
    kinds = {d.tag: d.kind for d in d.differences if d.kind != "role"}
    assert all(kinds[t] in ("missing", "timing", "same") for t in best_tags)
    if "mandate" not in best_tags:
        assert kinds["mandate"] == "extra"
    gains = [x for x in d.differences if x.kind in ("missing", "timing") and (x.worth or 0) > 0]
    if gains:
        top = max(gains, key=lambda x: x.worth)
        assert d.lines[1].startswith("What made the most difference")
        assert intervention_name(top.tag) in d.lines[1]
    own = debrief(game, searched.best.plan, searched, workers=1)
    assert "did as well as the best plan" in " ".join(own.lines)
    assert {d.kind for d in own.differences} <= {"same", "role"}


def test_room_searches_once_and_a_restart_reads_it(tmp_path):
    from experiments.classroom import PlayRoom

    room = PlayRoom(tmp_path, SMALL)  # the search starts in the background at once
    room.store.join("T")
    room.store.play(room.game, "T", ["education"])
    best = room.wait(600)
    assert best is not None and room.search_error is None
    assert room.search_runs == best.runs > 0
    assert (tmp_path / "best.json").is_file()
    d = room.debrief(room.store.plan("T"))
    assert d is not None and d.best == best.best

    again = PlayRoom(tmp_path)  # a restarted server: no second search
    assert again._thread is None
    assert again.best.best == best.best
    assert again.store.plan("T") == [("education", 0)]
