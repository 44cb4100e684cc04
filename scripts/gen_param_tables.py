"""Regenerate the parameter tables of docs/ODD.md and the intervention examples of
docs/PLAYBOOK.md from the code's documented fields and the intervention registry.

    python scripts/gen_param_tables.py          rewrite them in place
    python scripts/gen_param_tables.py --check  exit 1 if a document is out of date

Tables live between ``<!-- params:NAME -->`` and ``<!-- /params:NAME -->`` markers in ODD.md,
the TOML example of each intervention type between ``<!-- example:TAG -->`` and
``<!-- /example:TAG -->`` in PLAYBOOK.md.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from simulation import (
    ClassicConfig,
    Conditions,
    Dynamics,
    ModelConfig,
    OrganizationConfig,
    SuccessCriterion,
    ValueModel,
    param_table,
)
from simulation.interventions import (
    InterventionSpec,
    Target,
    intervention_types,
    parameters,
    tag_of,
)

DOCS = Path(__file__).resolve().parent.parent / "docs"
ODD = DOCS / "ODD.md"
PLAYBOOK = DOCS / "PLAYBOOK.md"

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
    for cls in intervention_types():
        tag = tag_of(cls)
        rows = parameters(cls)
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


def _toml(v) -> str:
    """A value as inline TOML."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return f'"{v}"'
    if isinstance(v, list | tuple):
        return "[" + ", ".join(_toml(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{k} = {_toml(x)}" for k, x in v.items()) + " }"
    return repr(v)


def example(cls) -> str:
    """A type's PLAYBOOK example: its ``[[plan]]`` entry starting in week 0, with its default
    duration, default target, usage notes and own parameters' defaults as comments."""
    lines = ["[[plan]]", f'type = "{tag_of(cls)}"', "start = 0"]
    if cls.default_weeks:
        weeks = cls.default_weeks
        lines.append(f"# end = {weeks - 1}  # default duration {weeks} weeks")
    target = cls.model_fields["target"].default
    if target != Target():
        lines.append(f"# target = {_toml(target.model_dump(exclude_none=True))}  # the default")
    lines += [f"# {note}" for note in cls.example_notes]
    own = [n for n in cls.model_fields if n not in InterventionSpec.model_fields and n != "type"]
    lines += [f"# {n} = {_toml(cls.model_fields[n].default)}" for n in own]
    return "```toml\n" + "\n".join(lines) + "\n```"


def _replace(text: str, doc: str, kind: str, name: str, content: str) -> str:
    pattern = re.compile(rf"(<!-- {kind}:{name} -->\n)(?:.*?\n)?(<!-- /{kind}:{name} -->)", re.S)
    if not pattern.search(text):
        raise SystemExit(f"{doc} has no markers for {kind}:{name}")
    return pattern.sub(lambda m: m.group(1) + content + "\n" + m.group(2), text)


def update(text: str) -> str:
    for name, table in render().items():
        text = _replace(text, "docs/ODD.md", "params", name, table)
    return text


def update_playbook(text: str) -> str:
    for cls in intervention_types():
        text = _replace(text, "docs/PLAYBOOK.md", "example", tag_of(cls), example(cls))
    return text


def main() -> int:
    stale = []
    for path, fn in ((ODD, update), (PLAYBOOK, update_playbook)):
        text = path.read_text()
        new = fn(text)
        if new == text:
            continue
        stale.append(path.name)
        if "--check" not in sys.argv:
            path.write_text(new)
    if stale and "--check" in sys.argv:
        print(f"{', '.join(stale)} out of date: run python scripts/gen_param_tables.py")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
