"""Regenerate the parameter tables of docs/ODD.md from the code's documented fields.

    python scripts/gen_param_tables.py          rewrite the tables in place
    python scripts/gen_param_tables.py --check  exit 1 if docs/ODD.md is out of date

Tables live between ``<!-- params:NAME -->`` and ``<!-- /params:NAME -->`` markers.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from simulation import plan as P
from simulation.classic.config import ClassicConfig
from simulation.config import (
    Conditions,
    Dynamics,
    ModelConfig,
    OrganizationConfig,
    SuccessCriterion,
    ValueModel,
)
from simulation.params import param_table

ODD = Path(__file__).resolve().parent.parent / "docs" / "ODD.md"

SECTIONS = {
    "horizon": (ModelConfig, ("weeks",)),
    "organization": (OrganizationConfig, None),
    "conditions": (Conditions, None),
    "dynamics": (Dynamics, None),
    "success": (SuccessCriterion, None),
    "value": (ValueModel, None),
    "classic": (ClassicConfig, None),
}


def _fmt(v) -> str:
    if isinstance(v, float):
        return f"{v:g}"
    if isinstance(v, tuple):
        return "(" + ", ".join(_fmt(x) for x in v) + ")"
    return str(v)


def _table(rows: list[dict], prefix: str) -> str:
    out = ["| parameter | default | unit | range | why this default |", "|---|---|---|---|---|"]
    for r in rows:
        rng = "" if r["lo"] is None and r["hi"] is None else f"[{_fmt(r['lo'])}, {_fmt(r['hi'])}]"
        why = r["why"].replace("|", "\\|").replace("\n", " ")
        name = f"`{prefix}{r['path']}`"
        out.append(f"| {name} | {_fmt(r['default'])} | {r['unit']} | {rng} | {why} |")
    return "\n".join(out)


def _interventions() -> str:
    parts = []
    for cls in P.INTERVENTION_TYPES:
        tag = cls.model_fields["type"].annotation.__args__[0]
        rows = [r for r in param_table(cls) if r["path"] not in ("type", "label", "target")]
        rows = [r for r in rows if r["path"] not in ("start", "end") and r["unit"]]
        doc = (cls.__doc__ or "").strip().splitlines()[0]
        dur = f" Default duration: {cls.default_weeks} weeks." if cls.default_weeks else ""
        parts.append(f"#### `{tag}`\n\n{doc}{dur}\n\n{_table(rows, '')}")
    return "\n\n".join(parts)


def render() -> dict[str, str]:
    tables = {}
    for name, (model, only) in SECTIONS.items():
        rows = param_table(model)
        if only:
            rows = [r for r in rows if r["path"] in only]
        prefix = "" if name == "horizon" else f"{name}."
        tables[name] = _table(rows, prefix)
    tables["interventions"] = _interventions()
    return tables


def update(text: str) -> str:
    for name, table in render().items():
        pattern = re.compile(rf"(<!-- params:{name} -->\n)(?:.*?\n)?(<!-- /params:{name} -->)",
                             re.S)
        if not pattern.search(text):
            raise SystemExit(f"docs/ODD.md has no markers for params:{name}")
        text = pattern.sub(lambda m, t=table: m.group(1) + t + "\n" + m.group(2), text)
    return text


def main() -> int:
    text = ODD.read_text()
    new = update(text)
    if "--check" in sys.argv:
        if new != text:
            print("docs/ODD.md parameter tables are out of date: run "
                  "python scripts/gen_param_tables.py")
            return 1
        return 0
    ODD.write_text(new)
    return 0


if __name__ == "__main__":
    sys.exit(main())
