"""Helpers for documented, validated parameters.

Every model parameter is a pydantic field built with :func:`param`, which records its unit, its
allowed range and the reason for its default. ``docs/ODD.md`` tables are generated from these
records (``scripts/gen_param_tables.py``), so the documentation cannot drift from the code.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["Frozen", "param", "param_table"]


class Frozen(BaseModel):
    """Base for all configuration objects: immutable, unknown keys rejected."""

    model_config = ConfigDict(frozen=True, extra="forbid", validate_default=True)


def param(default: Any, lo: float | None, hi: float | None, unit: str, why: str) -> Any:
    """A validated field with a unit, a closed range [lo, hi] and the reason for its default."""
    return Field(
        default,
        ge=lo,
        le=hi,
        description=why,
        json_schema_extra={"unit": unit, "lo": lo, "hi": hi},
    )


def param_table(model: type[BaseModel], prefix: str = "") -> list[dict[str, Any]]:
    """Rows (path, default, unit, range, why) for every documented field of ``model``."""
    rows = []
    for name, field in model.model_fields.items():
        extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
        default = field.default
        if hasattr(default, "describe"):  # an uncertainty (a Range): one row, U(low, high)
            default = default.describe()
        elif isinstance(default, BaseModel):
            rows.extend(param_table(type(default), f"{prefix}{name}."))
            continue
        rows.append(
            {
                "path": f"{prefix}{name}",
                "default": default,
                "unit": extra.get("unit", ""),
                "lo": extra.get("lo"),
                "hi": extra.get("hi"),
                "why": field.description or "",
            }
        )
    return rows
