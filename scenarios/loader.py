"""Loading, overriding, validating and printing scenarios.

A scenario reference is a built-in name (``provide-and-pray``) or a path to a TOML file.
``--set dotted.path=value`` overrides are applied to the data before validation, so they are
checked exactly like the file. Every error names the source, the field, the value, the allowed
range or values, and the closest known key when a key is unknown.
"""

from __future__ import annotations

import difflib
import tomllib
import types
import typing
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import tomli_w
from pydantic import BaseModel, ValidationError

from simulation import ConfigError
from simulation.interventions import InterventionSpec, spec_class, tags

from .schema import Scenario

__all__ = [
    "LIBRARY",
    "builtin_names",
    "format_errors",
    "late_interventions",
    "load_scenario",
    "names_in",
    "parse_override",
    "read_toml",
    "resolve_file",
    "scenario_data",
    "scenario_to_toml",
    "set_value",
    "shown_value",
    "type_problem",
    "validate_data",
]

LIBRARY = Path(__file__).parent / "library"


def names_in(folder: Path) -> list[str]:
    """The built-in files' names (stems) of a data folder."""
    return sorted(p.stem for p in folder.glob("*.toml"))


def builtin_names() -> list[str]:
    return names_in(LIBRARY)


def resolve_file(ref: str | Path, folder: Path, what: str) -> Path:
    """The file of a built-in name in ``folder``, or the file given; else a message with the
    closest name (``what``: "scenario", "lesson", and its listing command ``adoptsim
    {what}s``)."""
    ref_s = str(ref)
    names = names_in(folder)
    if ref_s in names:
        return folder / f"{ref_s}.toml"
    path = Path(ref_s)
    if path.is_file():
        return path
    hint = difflib.get_close_matches(ref_s, names, n=1)
    did = f" Did you mean {hint[0]!r}?" if hint else ""
    raise ConfigError(
        f"{what} {ref_s!r} is neither a built-in {what} nor a file.{did} "
        f"Built-in {what}s: {', '.join(names)} (list them with `adoptsim {what}s`)."
    )


def _resolve(ref: str | Path) -> Path:
    return resolve_file(ref, LIBRARY, "scenario")


def read_toml(path: Path) -> dict[str, Any]:
    """A TOML file's data (UTF-8, with or without a byte-order mark); :class:`ConfigError`
    naming the file and the position when it is not valid TOML."""
    try:
        # "utf-8-sig": editors on Windows save a byte-order mark, which TOML itself forbids
        return tomllib.loads(Path(path).read_text(encoding="utf-8-sig"))
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{path}: not valid TOML: {e}") from None
    except UnicodeDecodeError as e:
        raise ConfigError(
            f"{path}: not UTF-8 text (byte {e.start}); save the file as UTF-8"
        ) from None
    except OSError as e:
        raise ConfigError(f"{path}: cannot read the file ({e.strerror or e})") from None


def load_scenario(
    ref: str | Path, overrides: Sequence[str] = (), *, allow_late: bool = False
) -> Scenario:
    """Load a built-in or file scenario, apply ``key=value`` overrides, validate.

    A plan entry that starts at or after the horizon would never act: that is an error
    unless ``allow_late`` (then :func:`late_interventions` lists them, for a warning)."""
    path, data = scenario_data(ref)
    for text in overrides:
        keys, value = parse_override(text)
        _set_path(data, keys, value, f"--set {text!r}")
    where = f"{path} (with --set overrides)" if overrides else str(path)
    scenario = validate_data(data, str(path), overridden=bool(overrides))
    late = late_interventions(scenario)
    if late and not allow_late:
        raise ConfigError(
            f"{where}: " + "; ".join(late) + ". Move the start, lengthen the horizon (weeks), "
            "or allow it with --allow-late-interventions"
        )
    return scenario


def late_interventions(scenario: Scenario) -> list[str]:
    """The plan entries that start at or after the horizon (they would never act), each
    described as ``plan.I (type) starts in week S, after the last week W``."""
    return [
        f"plan.{i} ({item.type}) starts in week {item.start}, at or after the horizon "
        f"(weeks = {scenario.weeks}: interventions act in weeks 0-{scenario.weeks - 1}), "
        "so it would never act"
        for i, item in enumerate(scenario.plan)
        if item.start >= scenario.weeks
    ]


def scenario_data(ref: str | Path) -> tuple[Path, dict[str, Any]]:
    """The file a scenario reference names and its raw data, not yet validated: what
    :func:`load_scenario` applies overrides to (``name`` defaults to the file's stem; a
    relative ``classic.edges_file`` is made relative to the file)."""
    path = _resolve(ref)
    data = read_toml(path)
    data.setdefault("name", path.stem)
    _anchor_edges_file(data, path)
    return path, data


def set_value(data: dict[str, Any], key: str, value: Any, where: str) -> None:
    """Set ``data`` at a dotted path (``plan.1.goal_fit``), as ``--set key=value`` does with
    the value already parsed; ``where`` starts the error messages (e.g. ``parameter 'x'``).
    Validate the result with :func:`validate_data`."""
    _set_path(data, _keys(key, where), value, where)


def _anchor_edges_file(data: dict[str, Any], path: Path) -> None:
    """A relative ``classic.edges_file`` in a scenario file is relative to that file (a path
    given with ``--set`` stays relative to the working directory)."""
    classic = data.get("classic")
    edges = classic.get("edges_file") if isinstance(classic, dict) else None
    if isinstance(edges, str) and edges and not Path(edges).is_absolute():
        classic["edges_file"] = str(path.parent / edges)


def _tuples(value: Any) -> Any:
    """TOML arrays as tuples, the type every list field of the schema has."""
    if isinstance(value, list):
        return tuple(_tuples(v) for v in value)
    if isinstance(value, dict):
        return {k: _tuples(v) for k, v in value.items()}
    return value


def validate_data(data: dict[str, Any], source: str, overridden: bool = False) -> Scenario:
    """Validate raw scenario data with strict types: a boolean is not a number, a string is
    not a number, 52.0 is not a whole number (lax coercion would run ``weeks = true`` for one
    week)."""
    try:
        return Scenario.model_validate(_tuples(data), strict=True, context={"strict": True})
    except ValidationError as err:
        where = f"{source} (with --set overrides)" if overridden else source
        raise ConfigError(format_errors(err, where, data)) from None


# -- overrides -------------------------------------------------------------------------------
def parse_override(text: str) -> tuple[list[str | int], Any]:
    """``a.b.0.c=value`` -> (["a", "b", 0, "c"], value). The value is read as TOML (numbers,
    booleans, strings, arrays, inline tables); anything else is taken as a plain string."""
    if "=" not in text:
        raise ConfigError(f"--set {text!r}: expected KEY=VALUE, e.g. --set weeks=52")
    key, raw = (s.strip() for s in text.split("=", 1))
    keys = _keys(key, f"--set {text!r}")
    try:
        value = tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        value = raw
    return keys, value


def _keys(key: str, where: str) -> list[str | int]:
    """A dotted path's parts, list indices as ints: ``plan.1.goal_fit`` -> plan, 1, goal_fit."""
    if not key or any(not part for part in key.split(".")):
        raise ConfigError(f"{where}: the key must be a dotted path like dynamics.try_rate")
    return [int(k) if k.isdigit() else k for k in key.split(".")]


def _set_path(data: dict, keys: list[str | int], value: Any, where: str) -> None:
    node: Any = data
    for k, nxt in zip(keys[:-1], keys[1:], strict=False):
        if isinstance(k, int):
            if not isinstance(node, list) or k >= len(node):
                size = len(node) if isinstance(node, list) else 0
                raise ConfigError(
                    f"{where}: index {k} is out of range (the list has {size} entries)"
                )
            node = node[k]
            continue
        if not isinstance(node, dict):
            raise ConfigError(f"{where}: {k!r} is not inside a table")
        if k not in node or not isinstance(node[k], dict | list):
            node[k] = [] if isinstance(nxt, int) else {}
        node = node[k]
    last = keys[-1]
    if isinstance(last, int):
        if not isinstance(node, list) or last >= len(node):
            raise ConfigError(f"{where}: index {last} is out of range")
        node[last] = value
    elif isinstance(node, dict):
        node[last] = value
    else:
        raise ConfigError(f"{where}: {last!r} is not inside a table")


# -- error messages --------------------------------------------------------------------------
def _model_of(annotation: Any) -> Any:
    """The pydantic model(s) behind an annotation (unwrapping Optional, tuples, unions)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _model_of(typing.get_args(annotation)[0])
    if origin in (tuple, list):
        return ("items", _model_of(typing.get_args(annotation)[0]))
    if origin in (typing.Union, types.UnionType):
        models = [m for m in (_model_of(a) for a in typing.get_args(annotation)) if m is not None]
        return models[0] if len(models) == 1 else (tuple(models) if models else None)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None


def _walk(loc: Sequence[Any], data: Any = None, root: Any = Scenario) -> tuple[Any, Any]:
    """(model at the parent of loc[-1], field info of loc[-1] or None) under ``root``; a plan
    entry's model is the intervention type its ``type`` in ``data`` names."""
    node: Any = root
    field = None
    for i, part in enumerate(loc):
        if isinstance(node, tuple) and node and node[0] == "items":
            node = node[1]
            if isinstance(part, int):
                node = _entry_model(node, data, loc[: i + 1])
                continue
        if not (isinstance(node, type) and issubclass(node, BaseModel)):
            return None, None
        if part not in node.model_fields:
            return node, None
        field = node.model_fields[part]
        if i < len(loc) - 1:
            node = _model_of(field.annotation)
    return node, field


def _entry_model(node: Any, data: Any, loc: Sequence[Any]) -> Any:
    """A list entry's model: for a plan entry, the spec class its ``type`` names."""
    if node is InterventionSpec:
        tag = _value_at(data, (*loc, "type"))
        return spec_class(tag) if isinstance(tag, str) else None
    return node


def _value_at(data: Any, loc: Sequence[Any]) -> Any:
    node = data
    for part in loc:
        in_dict = isinstance(node, dict) and part in node
        in_list = isinstance(node, list) and isinstance(part, int) and part < len(node)
        if in_dict or in_list:
            node = node[part]
        else:
            return None
    return node


def _dotted(loc: Sequence[Any]) -> str:
    return ".".join(str(p) for p in loc) or "(top level)"


def _describe_one(e: dict, data: dict, root: Any = Scenario) -> str:
    loc = e["loc"]
    field_path = _dotted(loc)
    if e["type"] == "extra_forbidden":
        parent, _ = _walk(loc[:-1] + ("_",), data, root) if loc[:-1] else (root, None)
        parent = parent if parent is not None else root
        known = sorted(parent.model_fields) if isinstance(parent, type) else []
        close = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.5)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        return f"{field_path}: unknown field.{hint} Known fields here: {', '.join(known)}"
    if e["type"] in ("union_tag_invalid", "union_tag_not_found"):
        tag = _value_at(data, loc + ("type",)) if e["type"] == "union_tag_invalid" else None
        close = difflib.get_close_matches(str(tag), tags(), n=1) if tag else []
        hint = f" Did you mean {close[0]!r}?" if close else ""
        got = f" = {tag!r} is not an intervention type." if tag else " needs a 'type'."
        return f"{field_path}.type{got}{hint} Types: {', '.join(tags())}"
    value = _value_at(data, loc)
    _, field = _walk(loc, data, root)
    extra = (
        field.json_schema_extra
        if field is not None and isinstance(field.json_schema_extra, dict)
        else {}
    )
    allowed = ""
    if extra.get("lo") is not None or extra.get("hi") is not None:
        allowed = f" Allowed range: [{extra.get('lo')}, {extra.get('hi')}] {extra.get('unit', '')}"
    shown = f" = {shown_value(value)}" if value is not None else ""
    return f"{field_path}{shown}: {type_problem(e, value)}.{allowed}".rstrip()


def shown_value(value: Any) -> str:
    """A value as messages show it: text quoted (``'ten'``), TOML booleans in lower case
    (``true``), the rest as Python writes it. Sweep specs use it too, so both read alike."""
    return ("true" if value else "false") if isinstance(value, bool) else repr(value)


#: strict typing's refusals: (what the field is, what to give)
_WANTED = {
    "int_type": ("a number", "a whole number"),
    "float_type": ("a number", "a number"),
    "bool_type": ("a boolean", "true or false"),
}


def type_problem(e: dict, value: Any) -> str:
    """pydantic's message for error ``e``, or, when strict typing refused ``value``, what it
    refused and what to give instead (the scenario language's and sweep specs' wording)."""
    wanted = _WANTED.get(e["type"])
    if wanted is None:
        return e["msg"]
    what, give = wanted
    if isinstance(value, bool):
        return f"a boolean is not {what} here; give {give}"
    if isinstance(value, str):
        return f"text is not {what} here; give {give} without quotes"
    return f"give {give}"


def _condition_at(loc: Sequence[Any]) -> int:
    """Where in ``loc`` pydantic names a branch of a ``Range | float`` condition
    (``conditions.trust.float``, ``conditions.trust.function-after[...].high``): the index of
    the branch label, or 0 if there is none."""
    for k in range(1, len(loc)):
        _, field = _walk(loc[:k])
        if field is not None and "Range" in str(field.annotation):
            return k if _walk(loc[: k + 1])[1] is None else 0
    return 0


def _range_problem(where: Sequence[Any], msg: str) -> str:
    msg = msg.removeprefix("Value error, ")
    if not where:
        return msg
    return f"{'.'.join(str(x) for x in where)}: {msg[:1].lower()}{msg[1:]}"


def _describe_condition(errors: list[dict], data: dict) -> str:
    """One message for a condition that is neither a number nor a valid range."""
    k = _condition_at(errors[0]["loc"])
    loc = errors[0]["loc"][:k]
    value = _value_at(data, loc)
    _, field = _walk(loc)
    extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
    allowed = f" (allowed: {extra.get('lo'):g} to {extra.get('hi'):g}, {extra.get('unit')})"
    if isinstance(value, dict):  # meant as a range: say what is wrong with it
        why = "; ".join(
            _range_problem(e["loc"][k + 1 :], e["msg"])
            for e in errors
            if "Range" in str(e["loc"][k])
        )
        return f"{_dotted(loc)} = {value!r}: {why}. A range is {{ low = ..., high = ... }}{allowed}"
    return (
        f"{_dotted(loc)} = {shown_value(value)}: give a number, or a range "
        f"{{ low = ..., high = ... }} that replicates draw from{allowed}"
    )


def format_errors(
    err: ValidationError, source: str, data: dict, root: Any = Scenario, what: str = "scenario"
) -> str:
    """One line per problem (field, value, message, allowed range, closest known key) of
    ``data`` validated as ``root`` (a scenario unless told: lessons use it too)."""
    lines, conditions = [], {}
    for e in err.errors():
        k = _condition_at(e["loc"]) if root is Scenario else 0
        if k:  # one message per condition, not one per branch of its union
            key = tuple(e["loc"][:k])
            if key not in conditions:
                conditions[key] = []
                lines.append(key)
            conditions[key].append(e)
        else:
            lines.append(_describe_one(e, data, root))
    text = [
        _describe_condition(conditions[x], data) if isinstance(x, tuple) else x for x in lines
    ]
    return f"{source}: invalid {what}:\n  " + "\n  ".join(dict.fromkeys(text))


# -- printing --------------------------------------------------------------------------------
def scenario_to_toml(scenario: Scenario, full: bool = False) -> str:
    """The scenario as TOML: what differs from the defaults, or everything with ``full``."""
    data = scenario.model_dump(mode="json", exclude_none=True, exclude_defaults=not full)
    data.setdefault("name", scenario.name)
    data["plan"] = [
        {"type": s.type, **s.model_dump(mode="json", exclude_none=True, exclude_defaults=not full)}
        for s in scenario.plan
    ]
    return tomli_w.dumps(data)
