"""Adoption states and roles (integer codes shared by both engines): the one table of each."""

from __future__ import annotations

__all__ = [
    "ACTIVE",
    "ROLE_CODES",
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
#: a role's name (in scenarios, org charts and tables) -> its code
ROLE_CODES = {name: code for code, name in enumerate(ROLES)}
