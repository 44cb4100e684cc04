"""``adoptsim lessons``: the classroom's lesson presets (list, show, validate).

Registered in :mod:`experiments.cli`. Lessons are TOML files (scenarios/lessons/), validated
like scenarios (:func:`scenarios.load_lesson`).
"""

from __future__ import annotations

import sys
from pathlib import Path

import typer
from rich.table import Table

from scenarios import lesson_names, lesson_path, load_lesson
from simulation import AdoptsimError, ConfigError

from . import cli

__all__ = ["lessons_app"]

lessons_app = typer.Typer(
    add_completion=False,
    invoke_without_command=True,
    help="Classroom lesson presets: list, show (as TOML, to copy and edit) and validate.",
)


@lessons_app.callback()
def lessons_list(ctx: typer.Context) -> None:
    """List the built-in lessons, one line each: name, the pair of plans, what it shows."""
    if ctx.invoked_subcommand is not None:
        return
    table = Table(show_header=True, header_style="bold", box=None)
    table.add_column("lesson")
    table.add_column("compares")
    table.add_column("what it shows")
    for name in lesson_names():
        lesson = load_lesson(name, check_scenarios=False)
        a, b = lesson.labels()
        table.add_row(name, f"{a} / {b}", lesson.summary)
    cli.out_console.print(table)


@lessons_app.command("show")
def lessons_show(name: str) -> None:
    """Print a lesson's TOML file (copy it, edit it, check it with `lessons validate`)."""
    load_lesson(name, check_scenarios=False)  # a misspelt name: the message with a hint
    sys.stdout.write(lesson_path(name).read_text(encoding="utf-8"))


@lessons_app.command("validate")
def lessons_validate(files: list[Path]) -> None:
    """Exit 0 if every file is a valid lesson (both of its scenarios load with its
    overrides), else 2 with file, field and hint."""
    problems = []
    for f in files:
        try:
            if not f.is_file():
                raise ConfigError(f"{f}: no such file")
            load_lesson(f)
            cli.out_console.print(f"{f}: ok")
        except AdoptsimError as e:
            problems.append(str(e))
    if problems:
        raise ConfigError("\n".join(problems))
