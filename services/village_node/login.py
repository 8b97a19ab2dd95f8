"""Logging in: check an account's password and hand out a signed session token.

``open_session`` serves both doors: ``POST /api/login`` (JSON, for programs: the token comes back
in the body, to be sent as ``Authorization: Bearer``) and the workbench's login form (the token
goes into the HttpOnly session cookie). Repeated failures for one login are slowed down.
"""

from __future__ import annotations

import time
from collections import defaultdict, deque
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.ext.asyncio import AsyncEngine

from services.village_node import accounts
from shared.org import OrgTree
from shared.web import auth
from shared.web.errors import ApiError

MAX_FAILURES = 5
FAILURE_WINDOW_S = 300.0
MAX_TRACKED = 10_000


class LoginBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    operator_id: str = Field(min_length=1, max_length=64, description="login, e.g. t01v01")
    password: str = Field(min_length=1, max_length=128)


@dataclass(frozen=True)
class OpenSession:
    token: str
    claims: auth.Claims
    account: accounts.Account

    def as_json(self, org: OrgTree) -> dict[str, Any]:
        a = self.account
        node = org.get(a.node_id)
        return {
            "token": self.token,
            "token_type": "bearer",
            "expires_at": datetime.fromtimestamp(self.claims.exp, UTC).isoformat(),
            "operator": {
                "operator_id": a.operator_id,
                "name": a.name,
                "node_id": a.node_id,
                "node_name": node.name,
                "role": a.role,
            },
        }


class FailedLogins:
    """Per-login failure counter held in memory: after 5 failures in 5 minutes, wait."""

    def __init__(self) -> None:
        self._seen: dict[str, deque[float]] = defaultdict(deque)

    def check(self, operator_id: str) -> None:
        recent = self._seen.get(operator_id)
        now = time.monotonic()
        while recent and now - recent[0] > FAILURE_WINDOW_S:
            recent.popleft()
        if recent is not None and len(recent) >= MAX_FAILURES:
            raise ApiError(
                429,
                "too_many_attempts",
                "密码错误次数过多，请5分钟后再试",
                "too many failed logins for this account; try again in 5 minutes",
            )

    def failed(self, operator_id: str) -> None:
        if len(self._seen) >= MAX_TRACKED:  # bounded memory under a flood of made-up logins
            now = time.monotonic()
            for key in [k for k, v in self._seen.items() if not v or now - v[-1] > FAILURE_WINDOW_S]:
                del self._seen[key]
            if len(self._seen) >= MAX_TRACKED:
                self._seen.clear()
        self._seen[operator_id].append(time.monotonic())

    def succeeded(self, operator_id: str) -> None:
        self._seen.pop(operator_id, None)


async def open_session(
    engine: AsyncEngine, secret: str, ttl: timedelta, limiter: FailedLogins, operator_id: str, password: str
) -> OpenSession:
    operator_id = operator_id.strip()
    limiter.check(operator_id)
    account = await accounts.verify_login(engine, operator_id, password)
    if account is None:
        limiter.failed(operator_id)
        raise ApiError(
            401,
            "login_failed",
            "账号或密码错误，或账号已停用",
            "wrong login or password, or the account is disabled",
        )
    limiter.succeeded(operator_id)
    claims = auth.issue(account.operator_id, account.node_id, account.role, datetime.now(UTC), ttl)
    return OpenSession(auth.encode(secret, claims), claims, account)
