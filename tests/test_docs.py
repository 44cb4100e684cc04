"""The documents stay true to the code: generated tables current, README commands = CI."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_odd_parameter_tables_are_current():
    done = subprocess.run([sys.executable, "scripts/gen_param_tables.py", "--check"], cwd=ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_readme_opens_with_the_two_commands_and_ci_runs_the_second():
    text = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```bash\n(.*?)```", text, re.S)
    first, second = blocks[0].strip(), blocks[1].strip()
    assert text.index("```bash") < text.index("\n## ")  # before any section
    assert first.startswith("bash scripts/setup.sh && .venv/bin/adoptsim compare ")
    assert "--out results" in first and "\n" not in first
    assert second == "bash scripts/test.sh"
    ci = (ROOT / ".ci" / "run").read_text()
    assert "scripts/test.sh" in ci


def test_playbook_has_a_measured_row_for_every_claim():
    text = (ROOT / "docs" / "PLAYBOOK.md").read_text()
    table = re.search(r"<!-- claims -->\n(.*?)<!-- /claims -->", text, re.S)
    assert table, "docs/PLAYBOOK.md lost its claims markers"
    rows = [r for r in table.group(1).splitlines() if re.match(r"\| \d+ \|", r)]
    assert {int(r.split("|")[1]) for r in rows} == set(range(1, 13))
    assert all(r.rstrip().endswith("| pass |") for r in rows), "a claim failed when measured"


def test_playbook_has_a_passing_knockout_row_for_every_check():
    from experiments.knockouts import MECHANISMS

    text = (ROOT / "docs" / "PLAYBOOK.md").read_text()
    table = re.search(r"<!-- knockouts -->\n(.*?)<!-- /knockouts -->", text, re.S)
    assert table, "docs/PLAYBOOK.md lost its knockouts markers"
    rows = {r.split("|")[1].strip(): r for r in table.group(1).splitlines()
            if r.startswith("| ") and not r.startswith("| claim")}
    assert set(rows) == {m.name for m in MECHANISMS}
    assert all(r.rstrip().endswith("| pass |") for r in rows.values()), "a knockout failed"
