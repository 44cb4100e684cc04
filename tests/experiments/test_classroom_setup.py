"""A trainer sets up a game with a folder and its game.json: every field may be left out, a
wrong one is refused with the file, the field and what is allowed, and `adoptsim dashboard
--classroom-dir` checks it before the server starts."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from experiments.classroom import GameSettings, GameStore, check_game_folder, read_settings
from simulation import ConfigError

ADOPTSIM = str(Path(sys.executable).parent / "adoptsim")


def _game(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "game"
    folder.mkdir()
    (folder / "game.json").write_text(text)
    return folder


@pytest.mark.parametrize(
    "text, words",
    [
        ('{"employes": 300}', ["employes", "unknown field", "Did you mean 'employees'"]),
        ('{"quarters": 20}', ["quarters = 20", "less than or equal to 12"]),
        ('{"quarters": 4, "search_quarters": [0, 5]}',
         ["search_quarters = [0, 5]", "[5] not in a 4-quarter game"]),
        ('{"employees": "many"}', ["employees = 'many'"]),
        ('{"quarters": 4,}', ["not JSON", "line 1"]),
        ("[300, 4]", ["a game is a JSON object", "employees"]),
        ('{"scenario": "provide-and-prey"}', ["scenario 'provide-and-prey'"]),
    ],
)
def test_a_wrong_game_json_is_a_message_naming_the_file_and_field(tmp_path, text, words):
    folder = _game(tmp_path, text)
    with pytest.raises(ConfigError) as err:
        check_game_folder(folder)
    message = str(err.value)
    assert str(folder / "game.json") in message
    for w in words:
        assert w in message
    if "scenario" not in text:  # the store (the play page's game) refuses it alike
        with pytest.raises(ConfigError, match="game.json"):
            GameStore(folder)


def test_fields_left_out_take_their_defaults_and_the_search_fits_the_game(tmp_path):
    folder = _game(tmp_path, json.dumps({"employees": 300, "quarters": 4}))
    settings = check_game_folder(folder)
    assert settings.employees == 300 and settings.quarters == 4
    assert settings.search_quarters == (0, 2)  # a one-year game searches its own quarters
    assert settings.weeks_per_quarter == GameSettings().weeks_per_quarter
    assert GameSettings().search_quarters == (0, 2, 4)
    assert GameStore(folder).settings == settings == read_settings(folder / "game.json")


def test_a_new_folder_is_a_new_game_with_the_default_settings(tmp_path):
    folder = tmp_path / "new" / "game"
    assert check_game_folder(folder) == GameSettings()
    assert folder.is_dir()


def test_every_setting_is_documented():
    doc = (Path(__file__).parents[2] / "docs" / "CLASSROOM.md").read_text()
    for name in GameSettings.model_fields:
        assert f"| `{name}` |" in doc, f"docs/CLASSROOM.md does not describe {name}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_dashboard_checks_its_classroom_folder_before_starting(tmp_path, assert_user_error):
    folder = _game(tmp_path, '{"quarters": 1}')
    proc = subprocess.run([ADOPTSIM, "dashboard", "--port", str(_free_port()),
                           "--classroom-dir", str(folder)],
                          capture_output=True, text=True, timeout=120)
    assert_user_error(proc, str(folder / "game.json"), "quarters = 1")
    not_a_folder = tmp_path / "notes.txt"
    not_a_folder.write_text("a file")
    proc = subprocess.run([ADOPTSIM, "dashboard", "--port", str(_free_port()),
                           "--classroom-dir", str(not_a_folder)],
                          capture_output=True, text=True, timeout=120)
    assert_user_error(proc, str(not_a_folder), "not a folder")
