"""Who may see a case: the node holding it, the node where it was submitted (read-only), and the
supervision office and auditors (read-only). Acting is checked again by the core."""

from __future__ import annotations

from shared.case import CaseState
from shared.events import Actor
from shared.web.errors import ApiError

READ_ALL_ROLES = frozenset({"supervision", "auditor"})


def can_read(actor: Actor, state: CaseState) -> bool:
    return actor.role in READ_ALL_ROLES or actor.node_id in (state.holder, state.origin_node)


def require_read(actor: Actor, state: CaseState) -> None:
    if not can_read(actor, state):
        raise ApiError(
            403, "case_not_visible", "无权查看该办件", f"node {actor.node_id} may not see this case"
        )


def require_node(actor: Actor, node_id: str) -> None:
    if actor.node_id != node_id and actor.role not in READ_ALL_ROLES:
        raise ApiError(
            403,
            "other_node",
            "只能查看本节点的办件",
            f"node {actor.node_id} may not see {node_id}'s worklist",
        )
