"""Who may see and act on a case over HTTP, checked before the core is asked.

- an operator sees the cases their node holds and, read-only, the cases submitted at their node;
- the supervision office, auditors and administrators see every case; auditors change nothing;
  supervision (and admin, whom the core lets act for it) takes only its own actions (supervision
  orders, complaints, extensions, follow-ups), never handling;
- nodes with a part in the case (nodes that handled it, joint reviewers, a node told to rectify
  or under a supervision order) see it too, read-only unless they hold it;
- whether the node may take the action now (holder, claimant, state) is the core's answer.

Checking here first means a refusal never tells an outsider anything about the case's state.
"""

from __future__ import annotations

from shared.case import CaseState
from shared.case.guards import OPERATOR_ROLES
from shared.events import Actor
from shared.web.errors import ApiError

READ_ALL_ROLES = frozenset({"supervision", "auditor", "admin"})
READ_ONLY_ROLES = frozenset({"auditor"})
SUPERVISION_ROLE = "supervision"
OVERSIGHT_ROLES = frozenset({SUPERVISION_ROLE, "admin"})  # the core lets admin act for supervision
# What the supervision office may ask the core to do (督办, complaints, extensions, follow-ups);
# every other action handles a case, which supervision never does.
SUPERVISION_ACTIONS = frozenset(
    {"supervision-order", "resolve-complaint", "decide-extension", "complaint", "follow-up"}
)


def involved_nodes(state: CaseState) -> set[str]:
    """Nodes with a part in the case besides holder and origin: every node that handled it (so a
    window can reprint the decision it issued), joint reviewers, the node told to rectify, and
    nodes under a supervision order."""
    nodes: set[str] = set(state.trail)
    if state.decided_by_node:
        nodes.add(state.decided_by_node)
    if state.joint is not None:
        nodes.update(state.joint.reviewers.values())
    if state.rectification is not None:
        nodes.add(state.rectification.node_id)
    nodes.update(o.node_id for o in state.orders)
    return nodes


def can_read(actor: Actor, state: CaseState) -> bool:
    if actor.role in READ_ALL_ROLES or actor.node_id in (state.holder, state.origin_node):
        return True
    return actor.node_id in involved_nodes(state)


def require_read(actor: Actor, state: CaseState) -> None:
    if not can_read(actor, state):
        raise ApiError(
            403, "case_not_visible", "无权查看该办件", f"node {actor.node_id} may not see this case"
        )


def require_role_may_act(actor: Actor, action: str) -> None:
    """Auditors change nothing; supervision and admin take only supervision's actions; the rest is
    the core's."""
    if actor.role in READ_ONLY_ROLES:
        raise ApiError(
            403, "read_only_role", "审计人员只能查看，不能办理或修改办件", "auditors may not change anything"
        )
    if actor.role in OVERSIGHT_ROLES and action not in SUPERVISION_ACTIONS:
        raise ApiError(
            403,
            "role_not_allowed",
            "督查科和管理员只能查看和督办，不能办理办件",
            f"{actor.role} may not {action} cases",
        )
    if actor.role not in OPERATOR_ROLES | OVERSIGHT_ROLES:
        raise ApiError(
            403,
            "role_not_allowed",
            f"角色“{actor.role}”不能办理办件",
            f"role {actor.role!r} may not {action} cases",
        )


def require_act(actor: Actor, state: CaseState, action: str) -> None:
    """Visible to the actor and an action the actor's role may take; the core judges the rest
    (holder, claimant, state)."""
    require_read(actor, state)
    require_role_may_act(actor, action)
