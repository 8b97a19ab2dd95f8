"""Who is calling: the acting operator, their node and role, read from a signed session token.

Programs send ``Authorization: Bearer <token>`` (from ``POST /api/login`` on the node service);
browsers send the HttpOnly session cookie, and every state-changing request made with the
cookie must also carry the session's CSRF token (``X-CSRF-Token`` header or ``csrf_token`` form
field). The token's node must exist in the org tree and its role must fit the node. A service
that keeps the accounts (the node service) sets ``app.state.account_check`` to refuse tokens of
disabled accounts. Routes depend on ``current_actor`` only.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from fastapi import Request

from shared.events import Actor
from shared.org import OrgTree
from shared.web.auth import (
    COOKIE,
    CSRF_FIELD,
    CSRF_HEADER,
    MIN_SECRET_CHARS,
    Claims,
    check_csrf,
    decode,
)
from shared.web.errors import ApiError

ROLES_BY_KIND = {
    "village": ("village_operator",),
    "township": ("township_operator",),
    "department": ("county_staff",),
    "county": ("supervision", "auditor", "admin", "county_staff"),
}
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")

AccountCheck = Callable[[Claims], Awaitable[None]]


@dataclass(frozen=True)
class Session:
    actor: Actor
    claims: Claims
    token: str
    via_cookie: bool


def unauthenticated() -> ApiError:
    return ApiError(
        401, "unauthenticated", "请先登录", "log in first: a bearer token or session cookie is required"
    )


def credentials(request: Request) -> tuple[str | None, bool]:
    header = request.headers.get("authorization", "")
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise unauthenticated()
        return token.strip(), False
    cookie = request.cookies.get(COOKIE)
    return (cookie, True) if cookie else (None, False)


def fit_role(org: OrgTree, claims: Claims) -> None:
    if claims.node not in org:
        raise ApiError(
            401, "invalid_token", "登录凭证所属节点已不存在，请重新登录", f"unknown node {claims.node}"
        )
    node = org.get(claims.node)
    if claims.role not in ROLES_BY_KIND[node.kind]:
        raise ApiError(
            403,
            "role_not_allowed",
            f"节点“{node.name}”没有角色“{claims.role}”",
            f"role {claims.role!r} does not fit node {claims.node}",
        )


async def _presented_csrf(request: Request) -> str | None:
    presented = request.headers.get(CSRF_HEADER)
    if presented is None and request.headers.get("content-type", "").startswith(FORM_TYPES):
        value = (await request.form()).get(CSRF_FIELD)
        presented = value if isinstance(value, str) else None
    return presented


async def current_session(request: Request) -> Session:
    found: Session | None = getattr(request.state, "session", None)
    if found is not None:
        return found
    secret: str = request.app.state.kernel.settings.auth_secret
    if len(secret) < MIN_SECRET_CHARS:
        raise ApiError(500, "auth_not_configured", "服务未配置登录密钥", "LIANDONG_AUTH_SECRET is not set")
    token, via_cookie = credentials(request)
    if not token:
        raise unauthenticated()
    claims = decode(secret, token, datetime.now(UTC))
    fit_role(request.app.state.org, claims)
    check: AccountCheck | None = getattr(request.app.state, "account_check", None)
    if check is not None:
        await check(claims)
    if via_cookie and request.method in UNSAFE_METHODS:
        check_csrf(secret, claims, await _presented_csrf(request))
    session = Session(
        Actor(operator_id=claims.op, node_id=claims.node, role=claims.role), claims, token, via_cookie
    )
    request.state.session = session
    return session


async def current_actor(request: Request) -> Actor:
    return (await current_session(request)).actor
