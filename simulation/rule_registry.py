"""The rules a scenario can choose (``rule = ...``): one registry.

The names are declared in the leaf module :mod:`simulation.classic_config` (``RULES``: what the
scenario language accepts, with no import of any model). Each model registers the rules it runs
here when the model layer is imported: the social-business adoption model
(:mod:`simulation.model`) and the classic diffusion rules (:mod:`simulation.classic.model`).
Running a scenario is then ``rule_named(scenario.rule).model(scenario, ...)`` and summarizing
it ``.summarize(model)``, whatever the rule.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .classic_config import RULES
from .errors import ConfigError

__all__ = ["Rule", "register_rule", "registered_rules", "rule_named"]


@dataclass(frozen=True)
class Rule:
    """A rule a scenario can choose: the model class that runs it and the function that
    summarizes a run into a :class:`~simulation.metrics.RunResult`."""

    name: str
    model: Callable[..., Any]
    summarize: Callable[[Any], Any]
    #: the model takes ``network=`` (a classic threshold rule on an edge list)
    takes_network: bool = False


_RULES: dict[str, Rule] = {}


def register_rule(rule: Rule) -> Rule:
    if rule.name not in RULES:
        raise ValueError(f"rule {rule.name!r} is not declared in classic_config.RULES")
    _RULES[rule.name] = rule
    return rule


def rule_named(name: str) -> Rule:
    """The registered rule of this name (a :class:`ConfigError` if there is none)."""
    if name not in _RULES:
        raise ConfigError(f"rule {name!r} is not one of {', '.join(_RULES)}")
    return _RULES[name]


def registered_rules() -> tuple[str, ...]:
    return tuple(_RULES)
