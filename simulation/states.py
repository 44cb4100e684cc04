"""Adoption states and roles (integer codes shared by both engines)."""

from __future__ import annotations

__all__ = [
    "ACTIVE",
    "ADOPTED",
    "AWARE",
    "ENGAGED",
    "LAPSED",
    "ROLES",
    "ROLE_EMPLOYEE",
    "ROLE_LEADER",
    "ROLE_MANAGER",
    "ROLE_VETERAN",
    "STATES",
    "TRYING",
    "UNAWARE",
]

UNAWARE, AWARE, TRYING, ADOPTED, ENGAGED, LAPSED = range(6)
STATES = ("unaware", "aware", "trying", "adopted", "engaged", "lapsed")
ACTIVE = (ADOPTED, ENGAGED)

ROLE_EMPLOYEE, ROLE_MANAGER, ROLE_VETERAN, ROLE_LEADER = range(4)
ROLES = ("employee", "middle_manager", "veteran", "leader")
