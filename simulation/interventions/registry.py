"""The registry of intervention types: the one list.

Every intervention type registers itself with :func:`register` where it is defined. Everything
else is derived from the registry: which ``type`` tags a scenario's ``[[plan]]`` entries may
have and the spec class each is validated into (:data:`PlanItem`), the parameter tables of
docs/ODD.md and docs/PLAYBOOK.md (``scripts/gen_param_tables.py``) and the fields a form needs
(:func:`parameters`). A type registered later (a plug-in, a test's fixture) is accepted by
scenarios validated after it registered.
"""

from __future__ import annotations

import typing
from typing import Annotated, Any, Union

from pydantic import (
    Field,
    SerializeAsAny,
    TypeAdapter,
    ValidationInfo,
    ValidatorFunctionWrapHandler,
    WrapValidator,
)
from pydantic.json_schema import GetJsonSchemaHandler
from pydantic_core import PydanticCustomError

from ..params import param_table
from .base import InterventionSpec

__all__ = [
    "PlanItem",
    "intervention_types",
    "parameters",
    "register",
    "spec_class",
    "tag_of",
    "tags",
    "unregister",
]

_TYPES: dict[str, type[InterventionSpec]] = {}

#: fields every intervention has that are not among its documented parameters
_NOT_PARAMETERS = ("type", "label", "target", "start", "end")


def tag_of(cls: type[InterventionSpec]) -> str:
    """A spec class's ``type`` tag (its ``Literal`` annotation)."""
    field = cls.model_fields.get("type")
    args = typing.get_args(field.annotation) if field is not None else ()
    if len(args) != 1 or not isinstance(args[0], str):
        raise TypeError(f"{cls.__name__} needs a field  type: Literal['its_tag']")
    return args[0]


def register(cls: type[InterventionSpec]) -> type[InterventionSpec]:
    """Add an intervention type to the registry (a class decorator). Registering the same
    class again (a module imported twice) replaces it; another class with a tag already
    taken is refused."""
    if not (isinstance(cls, type) and issubclass(cls, InterventionSpec)):
        raise TypeError(f"{cls!r} is not an InterventionSpec")
    tag = tag_of(cls)
    old = _TYPES.get(tag)
    if old is not None and (old.__module__, old.__qualname__) != (cls.__module__, cls.__qualname__):
        raise ValueError(f"intervention type {tag!r} is registered already ({old.__qualname__})")
    _TYPES[tag] = cls
    return cls


def unregister(cls: type[InterventionSpec]) -> None:
    """Remove a type registered by a plug-in or a test (built-in types stay)."""
    if _TYPES.get(tag_of(cls)) is cls:
        del _TYPES[tag_of(cls)]


def intervention_types() -> tuple[type[InterventionSpec], ...]:
    """Every registered type, in registration order."""
    return tuple(_TYPES.values())


def tags() -> tuple[str, ...]:
    return tuple(_TYPES)


def spec_class(tag: str) -> type[InterventionSpec] | None:
    """The spec class registered under ``tag`` (None if none is)."""
    return _TYPES.get(tag)


def parameters(cls: type[InterventionSpec]) -> list[dict[str, Any]]:
    """The documented parameters of a type (path, default, unit, lo, hi, why), in field
    order: what the parameter tables show and a form asks for, besides the schedule
    (``start``, ``end``) and the target."""
    return [r for r in param_table(cls) if r["path"] not in _NOT_PARAMETERS and r["unit"]]


def _validate_item(
    value: Any, handler: ValidatorFunctionWrapHandler, info: ValidationInfo
) -> InterventionSpec:
    """A plan entry: a registered spec as it is, or a table validated into the spec class its
    ``type`` names (errors located inside the entry, like a tagged union's), as strictly as
    the whole (the scenario language validates with ``context={"strict": True}``)."""
    if isinstance(value, InterventionSpec) and spec_class(tag_of(type(value))) is type(value):
        return value
    if not isinstance(value, dict):
        raise PydanticCustomError(
            "model_attributes_type", "Input should be a valid dictionary or object to extract "
            "fields from"
        )
    if "type" not in value:
        raise PydanticCustomError(
            "union_tag_not_found",
            "Unable to extract tag using discriminator {discriminator}",
            {"discriminator": "'type'"},
        )
    tag = value["type"]
    cls = spec_class(tag) if isinstance(tag, str) else None
    if cls is None:
        expected = ", ".join(f"'{t}'" for t in _TYPES)
        raise PydanticCustomError(
            "union_tag_invalid",
            "Input tag '{tag}' found using {discriminator} does not match any of the "
            "expected tags: {expected_tags}",
            {"discriminator": "'type'", "tag": str(tag), "expected_tags": expected},
        )
    strict = bool(info.context and info.context.get("strict"))
    return cls.model_validate(value, strict=strict or None, context=info.context)


class _RegisteredUnion:
    """The JSON schema of a plan entry: the tagged union of the types registered when the
    schema is made (``oneOf`` the types, a ``discriminator`` mapping each tag to its type), as
    pydantic makes it for a fixed union."""

    def __get_pydantic_json_schema__(self, core_schema: Any, handler: GetJsonSchemaHandler):
        union = Annotated[Union[intervention_types()], Field(discriminator="type")]  # noqa: UP007
        return handler(TypeAdapter(union).core_schema)


#: the type of one ``[[plan]]`` entry: any registered intervention, chosen by its ``type``
PlanItem = Annotated[
    SerializeAsAny[InterventionSpec], WrapValidator(_validate_item), _RegisteredUnion()
]
