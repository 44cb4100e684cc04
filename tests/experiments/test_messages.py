"""A user's text is printed as it is: never read as rich markup (``[bold]``, ``[/x]``) or an
emoji code (``:x:``), on every error path and in tables."""

from __future__ import annotations

import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from rich.console import Console

from experiments.outputs import plain_console, print_error

ADOPTSIM = str(Path(sys.executable).parent / "adoptsim")
#: a closing tag without an opening one (rich raised MarkupError), a tag that vanished from
#: messages, and an emoji code (``root:x:0`` was printed as ``root❌0``)
TEXT = "[/x][bold]:x:"


def _files(tmp: Path) -> dict[str, Path]:
    """Files whose names or contents hold TEXT."""
    named = tmp / f"s{TEXT}.toml"  # a folder "s[" and a file "x][bold]:x:.toml"
    named.parent.mkdir(parents=True, exist_ok=True)
    named.write_text("weeks = 0\n")
    key = tmp / "key.toml"
    key.write_text(f'"{TEXT}" = 1\n')
    org = tmp / "org.csv"
    org.write_text(f"employee_id,manager_id,department\nA,,Sales\nB,{TEXT},Sales\n")
    good_org = tmp / "good.csv"
    good_org.write_text("employee_id,manager_id,department\nA,,Sales\nB,A,Sales\nC,A,Sales\n")
    ties = tmp / "ties.csv"
    ties.write_text(f"source,target\nA,{TEXT}\n")
    spec = tmp / "spec.toml"
    spec.write_text(f'scenario = "mandate"\n[parameters]\n"{TEXT}" = [1, 2]\n')
    late = tmp / "late.toml"
    late.write_text(f'name = "{TEXT}"\nweeks = 3\n[[plan]]\ntype = "launch_platform"\nstart = 5\n')
    late_named = tmp / f"late{TEXT}.toml"
    late_named.parent.mkdir(exist_ok=True)
    late_named.write_text(late.read_text())
    a_file = tmp / f"file{TEXT}"
    a_file.parent.mkdir(exist_ok=True)
    a_file.write_text("x")
    return locals()


ERROR_PATHS = {
    "scenario name": lambda f: ["run", TEXT],
    "scenario file name": lambda f: ["run", f["named"]],
    "scenario key": lambda f: ["scenarios", "validate", f["key"]],
    "validate a missing file": lambda f: ["scenarios", "validate", f["tmp"] / TEXT],
    "--set value": lambda f: ["run", "mandate", "--set", f'dynamics.try_rate="{TEXT}"'],
    "--set key": lambda f: ["run", "mandate", "--set", f"{TEXT}=1"],
    "--engine": lambda f: ["run", "mandate", "--engine", TEXT],
    "org chart value": lambda f: ["run", "mandate", "--org-csv", f["org"]],
    "tie list value": lambda f: ["run", "mandate", "--org-csv", f["good_org"], "--ties-csv",
                                 f["ties"]],
    "--json folder": lambda f: ["run", "mandate", "--json", f["tmp"] / f"no{TEXT}" / "x.json"],
    "--out a file": lambda f: ["run", "mandate", "--out", f["a_file"]],
    "compare twice": lambda f: ["compare", TEXT, TEXT],
    "sweep spec file": lambda f: ["sweep", f["tmp"] / f"none{TEXT}.toml", "--out", f["tmp"] / "o"],
    "sweep parameter": lambda f: ["sweep", f["spec"], "--out", f["tmp"] / "o"],
    "sweep --out a file": lambda f: ["sweep", f["spec"], "--out", f["a_file"]],
    "late intervention": lambda f: ["run", f["late_named"]],
}


@pytest.mark.parametrize("path", list(ERROR_PATHS))
def test_every_error_path_prints_user_text_as_it_is(path, tmp_path, adoptsim_cli):
    files = _files(tmp_path)
    files["tmp"] = tmp_path
    code, out, err = adoptsim_cli(*ERROR_PATHS[path](files))  # cli.main and its consoles
    assert code == 2, err
    assert TEXT in err.replace("\n", ""), err  # verbatim (long messages wrap)
    assert "❌" not in err and "Traceback" not in err


def test_tables_and_warnings_print_user_text_as_it_is(tmp_path, adoptsim_cli):
    late = _files(tmp_path)["late"]
    code, out, err = adoptsim_cli("run", late, "--employees", "100", "--allow-late-interventions")
    assert code == 0, err
    assert TEXT in out  # the table's title: the scenario's name
    assert f"warning: {TEXT}: plan.0 (launch_platform) starts in week 5" in err.replace("\n", "")
    assert "❌" not in out + err


def test_the_reported_cases_in_the_installed_command(tmp_path, assert_user_error):
    """As reported: ``adoptsim run '[/foo]'`` (a traceback, exit 1) and a CSV value
    ``root:x:0`` (printed ``root❌0``), run as a user runs them."""
    proc = subprocess.run([ADOPTSIM, "run", "[/foo]"], capture_output=True, text=True)
    assert_user_error(proc, "scenario '[/foo]' is neither")
    org = tmp_path / "org.csv"
    org.write_text("employee_id,manager_id,department\nA,,Sales\nB,root:x:0,Sales\n")
    proc = subprocess.run([ADOPTSIM, "run", "mandate", "--org-csv", org], capture_output=True,
                          text=True)
    assert_user_error(proc, "unknown manager 'root:x:0'")


def test_print_error_prints_plain_text_with_a_styled_label():
    buf = StringIO()
    console = Console(file=buf, force_terminal=True, width=200)  # markup and emoji on
    print_error(f"bad {TEXT}", console=console)
    text = buf.getvalue()
    assert TEXT in text and "\x1b[1;31merror:" in text  # the label alone is styled
    plain = plain_console(width=200)
    assert not (plain._markup or plain._emoji or plain._highlight)
