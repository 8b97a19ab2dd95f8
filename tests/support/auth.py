"""Tokens for tests: mint a real signed token with a test run's secret, and seed the account the
node service checks it against."""

from __future__ import annotations

import asyncio
import concurrent.futures
import secrets
from datetime import UTC, datetime, timedelta
from pathlib import Path

from migrations.runner import upgrade_service
from services.village_node import accounts
from shared.db import make_database
from shared.org import OrgTree
from shared.web import auth
from shared.web.actors import ROLES_BY_KIND

TEST_PASSWORD = "test-password-1"
_org = OrgTree.load(None)


def new_test_secret() -> str:
    return "test-" + secrets.token_urlsafe(40)


def default_role(node_id: str) -> str:
    return ROLES_BY_KIND[_org.get(node_id).kind][0]


def mint(
    secret: str,
    operator: str,
    node: str,
    role: str | None = None,
    ttl: timedelta = timedelta(hours=2),
    now: datetime | None = None,
) -> str:
    """A signed token, exactly as the node service's login would issue it."""
    role = role or default_role(node)
    return auth.encode(secret, auth.issue(operator, node, role, now or datetime.now(UTC), ttl))


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _run(coro):  # type: ignore[no-untyped-def]
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


def seed_account(
    database_url: str, data_dir: Path, operator: str, node: str, role: str, name: str = ""
) -> None:
    """Create the account in the node service's database unless it exists with this node and role."""

    async def run() -> None:
        db = make_database(database_url, "node", data_dir)
        try:
            await upgrade_service(db, "node")
            found = await accounts.get(db.engine, operator)
            if found is None:
                await accounts.add(db.engine, _org, operator, name or operator, node, role, TEST_PASSWORD)
            elif (found.node_id, found.role) != (node, role):
                raise ValueError(f"test account {operator} exists at {found.node_id} as {found.role}")
        finally:
            await db.dispose()

    _run(run())
