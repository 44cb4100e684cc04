"""Small tables as Markdown (rendered by the page, readable in its text)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

__all__ = ["markdown_table"]


def markdown_table(columns: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    def cell(x: object) -> str:
        return str(x).replace("|", "\\|")

    head = "| " + " | ".join(map(cell, columns)) + " |\n|" + "---|" * len(columns) + "\n"
    return head + "".join("| " + " | ".join(map(cell, r)) + " |\n" for r in rows)


def frame_markdown(frame: pd.DataFrame) -> str:
    return markdown_table(list(frame.columns), frame.itertuples(index=False))
