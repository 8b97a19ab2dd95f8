"""Who may see and act on what at the node service. The case rules are shared with intake
(``shared/web/access.py``); this module adds the worklist rule. Acting is checked again by the core."""

from __future__ import annotations

from shared.events import Actor
from shared.web.access import (
    READ_ALL_ROLES,
    READ_ONLY_ROLES,
    can_read,
    require_act,
    require_read,
    require_role_may_act,
)
from shared.web.errors import ApiError

__all__ = [
    "READ_ALL_ROLES",
    "READ_ONLY_ROLES",
    "can_read",
    "require_act",
    "require_node",
    "require_read",
    "require_role_may_act",
    "sees_every_node",
]


def sees_every_node(actor: Actor) -> bool:
    return actor.role in READ_ALL_ROLES


def require_node(actor: Actor, node_id: str) -> None:
    if actor.node_id != node_id and not sees_every_node(actor):
        raise ApiError(
            403,
            "other_node",
            "只能查看本节点的办件",
            f"node {actor.node_id} may not see {node_id}'s worklist",
        )
