"""The teams of a game on a server, stored so that a restarted server shows them again.

A game lives in a folder: ``game.json`` (its settings), ``teams.json`` (each team's choices,
the quarters it played, and what its last quarter showed, so the scoreboard needs no run) and,
once searched, ``best.json`` (:class:`~.search.SearchResult`). Every write replaces the file
atomically (:func:`experiments.outputs.write_file`), under a lock shared by the server's
sessions, so a crash never leaves half a file.

Teams see only their own plan: :meth:`GameStore.scoreboard` gives every team's standing, and
the other teams' plans only to a team that has finished the game (its debrief).
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from scenarios import format_errors, load_scenario
from simulation import ConfigError

from ..outputs import write_file
from .game import Choice, Game, GameSettings, Reveal

__all__ = ["GameStore", "Standing", "TeamRecord", "check_game_folder", "read_settings"]

_TEAM_NAME = re.compile(r"^[\w][\w .'-]{0,39}$")


def read_settings(path: Path) -> GameSettings:
    """A game's ``game.json``, validated: a message naming the file, the field and what is
    allowed (:class:`ConfigError`), never a traceback. Fields left out take their defaults."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise ConfigError(f"{path}: cannot be read ({e.strerror})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise ConfigError(
            f"{path}: not JSON (line {e.lineno}, column {e.colno}: {e.msg})"
        ) from None
    if not isinstance(data, dict):
        raise ConfigError(
            f"{path}: a game is a JSON object of settings, such as "
            '{"employees": 300, "quarters": 4}; fields: ' + ", ".join(GameSettings.model_fields)
        )
    try:
        return GameSettings.model_validate(data)
    except ValidationError as err:
        raise ConfigError(format_errors(err, str(path), data, GameSettings, "game")) from None


def check_game_folder(folder: Path | str) -> GameSettings:
    """The settings of the game in ``folder`` (its ``game.json``, or the defaults for a new
    game; the folder is created), checked as the server will use them: the file, its fields
    and the scenario it names. Raises :class:`ConfigError` with what to fix."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise ConfigError(f"{folder}: not a folder (a game is a folder holding game.json)")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise ConfigError(f"{folder}: cannot be created ({e.strerror})") from None
    path = folder / "game.json"
    settings = read_settings(path) if path.is_file() else GameSettings()
    try:
        load_scenario(settings.scenario)
    except ConfigError as e:
        raise ConfigError(f"{path}: scenario {settings.scenario!r}: {e}") from None
    return settings


@dataclass
class TeamRecord:
    """A team's game: its choices, how many quarters it played, what the last one showed."""

    name: str
    choices: list[Choice] = field(default_factory=list)
    played: int = 0  # quarters revealed
    active_share: float = 0.0  # at the end of the last quarter played
    engaged_share: float = 0.0
    money: float = 0.0
    hours: float = 0.0
    success: bool | None = None  # once the game is over
    joined: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self) | {"choices": [list(c) for c in self.choices]}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> TeamRecord:
        d = dict(d)
        d["choices"] = [(str(t), int(q)) for t, q in d.get("choices", [])]
        return cls(**d)


@dataclass(frozen=True)
class Standing:
    """One line of the scoreboard (``plan`` None: hidden from the team looking)."""

    rank: int
    team: str
    played: int
    active_share: float
    engaged_share: float
    money: float
    hours: float
    success: bool | None
    plan: tuple[Choice, ...] | None


class GameStore:
    """One game's teams in a folder (see the module docstring)."""

    def __init__(self, folder: Path | str, settings: GameSettings | None = None):
        self.folder = Path(folder)
        self._lock = threading.RLock()
        self.folder.mkdir(parents=True, exist_ok=True)
        settings_file = self.folder / "game.json"
        if settings_file.is_file():
            stored = read_settings(settings_file)
            if settings is not None and settings != stored:
                raise ConfigError(
                    f"{self.folder}: holds a game with other settings ({stored.name}); "
                    "use another folder for a new game"
                )
            settings = stored
        else:
            settings = settings or GameSettings()
            write_file(settings_file, settings.model_dump_json(indent=1))
        self.settings = settings
        self.teams: dict[str, TeamRecord] = self._read_teams()

    @property
    def best_file(self) -> Path:
        return self.folder / "best.json"

    def _read_teams(self) -> dict[str, TeamRecord]:
        path = self.folder / "teams.json"
        if not path.is_file():
            return {}
        data = json.loads(path.read_text(encoding="utf-8"))
        return {d["name"]: TeamRecord.from_dict(d) for d in data["teams"]}

    def _save(self) -> None:
        data = {"teams": [t.as_dict() for t in self.teams.values()]}
        write_file(self.folder / "teams.json", json.dumps(data, indent=1))

    # -- teams ---------------------------------------------------------------------------
    def join(self, name: str) -> TeamRecord:
        """A team by name: a new one, or the stored one (a team that reconnects resumes)."""
        name = " ".join(name.split())
        if not _TEAM_NAME.match(name):
            raise ConfigError(
                f"team name {name!r}: 1 to 40 letters, digits, spaces, . ' - or _, "
                "starting with a letter or digit"
            )
        with self._lock:
            if name not in self.teams:
                now = datetime.now(UTC).isoformat(timespec="seconds")
                self.teams[name] = TeamRecord(name, joined=now)
                self._save()
            return self.teams[name]

    def plan(self, team: str) -> list[Choice]:
        """A team's own plan."""
        return list(self.teams[team].choices)

    def play(self, game: Game, team: str, picks: list[str]) -> Reveal:
        """The team starts ``picks`` (offer tags) in its next quarter; that quarter is run,
        stored and returned. Refused in words if the plan breaks the rules or the game is
        over; nothing is stored then."""
        with self._lock:
            record = self.teams[team]
            quarter = record.played
            if quarter >= self.settings.quarters:
                raise ConfigError(f"{team} has played all {self.settings.quarters} quarters")
            choices = [*record.choices, *((tag, quarter) for tag in picks)]
            problems = game.problems(choices)
            if problems:
                raise ConfigError(f"quarter {quarter + 1}: " + "; ".join(problems))
        reveal = game.reveal(choices, quarter)  # outside the lock: other teams play meanwhile
        with self._lock:
            record.choices, record.played = choices, quarter + 1
            record.active_share = reveal.active_share
            record.engaged_share = reveal.final["engaged"]
            record.money, record.hours = reveal.spent.money, reveal.spent.hours
            record.success = reveal.success
            self._save()
        return reveal

    def finished(self, team: str) -> bool:
        return self.teams[team].played >= self.settings.quarters

    def scoreboard(self, viewer: str | None = None) -> list[Standing]:
        """Every team, best first (success, then active share at the last quarter played,
        then fewer hours); plans shown only to a ``viewer`` who finished the game."""
        show = viewer is not None and viewer in self.teams and self.finished(viewer)
        with self._lock:
            teams = sorted(
                self.teams.values(),
                key=lambda t: (-t.played, not t.success, -t.active_share, t.hours, t.name),
            )
            return [
                Standing(
                    i + 1, t.name, t.played, t.active_share, t.engaged_share, t.money, t.hours,
                    t.success,
                    tuple(t.choices) if show or t.name == viewer else None,
                )
                for i, t in enumerate(teams)
            ]
