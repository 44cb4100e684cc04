"""The classroom: words for a run's events, lesson presets, the live run a page steps, the play
mode's game (budgets, quarters, best plan, debrief, scoreboard) and animations for slides."""

from __future__ import annotations

from .narrate import TONES, intervention_name, narrate, role_words, tone

__all__ = ["TONES", "intervention_name", "narrate", "role_words", "tone"]
