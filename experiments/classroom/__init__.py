"""The classroom: words for a run's events, the live run a page steps, the play mode's game
(menu, budget, quarters, stored teams, best plan, debrief, scoreboard) and animations for
slides. Lessons themselves are data (:mod:`scenarios`: ``load_lesson``)."""

from __future__ import annotations

from .animation import ANIMATION_FORMATS, Animation, animate, video_available
from .debrief import Debrief, Difference, debrief
from .game import Choice, Game, GameSettings, Reveal
from .live import LiveRun, Snapshot
from .menu import Offer, Price, menu
from .narrate import TONES, intervention_name, narrate, role_words, tone
from .room import PlayRoom
from .search import PlanScore, SearchResult, best_plan, game_seeds, plan_key, score_plans
from .store import GameStore, Standing, TeamRecord, check_game_folder, read_settings

__all__ = [
    "ANIMATION_FORMATS",
    "TONES",
    "Animation",
    "Choice",
    "Debrief",
    "Difference",
    "Game",
    "GameSettings",
    "GameStore",
    "LiveRun",
    "Offer",
    "PlanScore",
    "PlayRoom",
    "Price",
    "Reveal",
    "SearchResult",
    "Snapshot",
    "Standing",
    "TeamRecord",
    "animate",
    "check_game_folder",
    "best_plan",
    "debrief",
    "game_seeds",
    "intervention_name",
    "menu",
    "narrate",
    "plan_key",
    "read_settings",
    "role_words",
    "score_plans",
    "tone",
    "video_available",
]
