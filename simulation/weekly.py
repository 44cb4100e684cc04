"""The weekly Mesa model both rule families build on: one step is one week, and a week that
failed half-way leaves a model that says so instead of going on from a half-advanced state."""

from __future__ import annotations

from typing import Any

import mesa

__all__ = ["WeeklyModel"]


class WeeklyModel(mesa.Model):
    """A Mesa model whose ``step`` advances ``week`` by one.

    An exception inside a week (for example a per-person array replaced by one of the wrong
    type) leaves the week half done: some people moved, others not. Such a model refuses every
    further step with a ``RuntimeError`` naming the first failure. (Mesa 3.5's scheduler also
    stops rescheduling the step event once it raised, so without this guard ``run`` would loop
    for ever on a model that no longer advances.)
    """

    week: int = 0
    _failed: str | None = None

    def _wrapped_step(self, *args: Any, **kwargs: Any) -> None:
        if self._failed is not None:
            raise RuntimeError(f"this model cannot go on: {self._failed}; build a new model")
        before = self.week
        try:
            super()._wrapped_step(*args, **kwargs)
        except BaseException as exc:
            self._failed = f"week {before + 1} failed half-way ({type(exc).__name__}: {exc})"
            raise
        if self.week != before + 1:  # Mesa did not run our step: never loop on it
            self._failed = f"Mesa's step took week {before} to week {self.week}"
            raise RuntimeError(f"the model's step did not advance one week: {self._failed}")
