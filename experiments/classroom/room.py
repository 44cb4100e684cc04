"""A classroom's game on a server: the game, its stored teams and its best plan, shared by every
browser session.

:class:`PlayRoom` opens (or creates) a game folder (:class:`~.store.GameStore`), builds the game
(the menu's prices) once, and searches the best plan once, in the background, as soon as the
room opens: the teams play for a while before anyone needs the debrief. The search's result is
stored with the game (``best.json``), so a restarted server reads it instead of searching
again.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

from .debrief import Debrief, debrief
from .game import Choice, Game, GameSettings
from .search import SearchResult, best_plan
from .store import GameStore

__all__ = ["PlayRoom"]


class PlayRoom:
    """One game folder served to many sessions (thread-safe)."""

    def __init__(self, folder: Path | str, settings: GameSettings | None = None,
                 workers: int = 1, search: bool = True):
        self.store = GameStore(folder, settings)
        self.settings = self.store.settings
        self.workers = workers
        self._lock = threading.Lock()
        self._game: Game | None = None
        self._best: SearchResult | None = None
        self._search_error: BaseException | None = None
        self.search_runs = 0  # runs of the search so far (progress)
        self._thread: threading.Thread | None = None
        if self.store.best_file.is_file():
            self._best = SearchResult.load(self.store.best_file)
        elif search:
            self.start_search()

    @property
    def game(self) -> Game:
        with self._lock:
            if self._game is None:
                self._game = Game(self.settings)
            return self._game

    def start_search(self) -> None:
        """Search the best plan in a background thread (once)."""
        with self._lock:
            if self._best is not None or self._thread is not None:
                return
            self._thread = threading.Thread(target=self._search, name="adoptsim-best-plan",
                                            daemon=True)
            self._thread.start()

    def _search(self) -> None:
        try:
            result = best_plan(self.game, workers=self.workers, progress=self._progress)
            result.save(self.store.best_file)
            with self._lock:
                self._best = result
        except BaseException as e:  # shown on the page; the game goes on without a debrief
            with self._lock:
                self._search_error = e

    def _progress(self, runs: int) -> None:
        self.search_runs = runs

    @property
    def best(self) -> SearchResult | None:
        """The best plan found, or None while the search runs."""
        with self._lock:
            return self._best

    @property
    def search_error(self) -> BaseException | None:
        return self._search_error

    def wait(self, timeout: float | None = None) -> SearchResult | None:
        """Wait for the search (tests, the command line)."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
        return self.best

    def debrief(self, choices: Sequence[Choice]) -> Debrief | None:
        """The team's debrief, or None while the best plan is being searched."""
        best = self.best
        if best is None:
            return None
        return debrief(self.game, choices, best, workers=self.workers)
