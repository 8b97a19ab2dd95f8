"""Who is calling: the acting operator, their node and role.

Until operator login lands (issue #5), callers identify themselves with headers
``X-Operator-Id`` and ``X-Node-Id`` (and optionally ``X-Role``); the node must exist in the org
tree and the role must fit the node. Routes depend on ``current_actor`` only, so the
authentication scheme can change without touching them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import Request

from shared.events import Actor
from shared.org import OrgTree
from shared.web.errors import ApiError

ROLES_BY_KIND = {
    "village": ("village_operator",),
    "township": ("township_operator",),
    "department": ("county_staff",),
    "county": ("supervision", "auditor", "admin", "county_staff"),
}

Authenticator = Callable[[Request], Awaitable[Actor]]


async def header_actor(request: Request) -> Actor:
    org: OrgTree = request.app.state.org
    operator = request.headers.get("x-operator-id", "").strip()
    node_id = request.headers.get("x-node-id", "").strip()
    if not operator or not node_id:
        raise ApiError(
            401, "unauthenticated", "请先登录（缺少操作员或节点）", "X-Operator-Id and X-Node-Id are required"
        )
    node = org.get(node_id)  # UnknownNodeError → 404 naming the node
    allowed = ROLES_BY_KIND[node.kind]
    role = request.headers.get("x-role", "").strip() or allowed[0]
    if role not in allowed:
        raise ApiError(
            403,
            "role_not_allowed",
            f"节点“{node.name}”没有角色“{role}”",
            f"role {role!r} does not fit node {node_id}",
            "x-role",
        )
    if len(operator) > 64:
        raise ApiError(
            422, "invalid_input", "操作员编号过长", "X-Operator-Id longer than 64 characters", "x-operator-id"
        )
    return Actor(operator_id=operator, node_id=node_id, role=role)


async def current_actor(request: Request) -> Actor:
    authenticate: Authenticator = getattr(request.app.state, "authenticate", header_actor)
    return await authenticate(request)
