"""Why the plans differ, in words (the facts come from experiments.explain)."""

from __future__ import annotations

import solara

from experiments.explain import Explanation

from ..wording import explanation_markdown

__all__ = ["Why"]


@solara.component
def Why(e: Explanation):
    text = solara.use_memo(lambda: explanation_markdown(e), [e])
    with solara.Card(margin=0, classes=["why"]):
        solara.Markdown(text)
