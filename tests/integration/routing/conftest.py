from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path

import pytest

from tests.conftest import require
from tests.integration.routing.harness import Harness
from tests.support.nats_server import NatsServer
from tests.support.postgres import PostgresUnavailable, TestDatabase

# Monday 2026-09-28 10:00 China time: the week before the National Day holiday (10-01..10-07),
# with an adjusted working Saturday (10-10) after it.
T0 = datetime.fromisoformat("2026-09-28T10:00:00+08:00")


@pytest.fixture
async def own_pg() -> AsyncIterator[TestDatabase]:
    """A PostgreSQL database of the test's own: routing's schema name is fixed, so tests never share one."""
    db = TestDatabase()
    try:
        await db.create()
    except PostgresUnavailable as exc:
        require(False, str(exc))
    yield db
    await db.drop()


@pytest.fixture
async def h(fresh_nats: NatsServer, own_pg: TestDatabase, tmp_path: Path) -> AsyncIterator[Harness]:
    h = await Harness.start_with_routing(fresh_nats.url, own_pg.url, tmp_path, T0)
    yield h
    await h.close()
