from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from shared.eventstore import JetStreamEventStore, ensure_streams
from shared.messaging import connect
from tests.support.nats_server import NatsServer


@pytest.fixture
async def nc(nats_server: NatsServer) -> AsyncIterator:  # type: ignore[type-arg]
    conn = await connect(nats_server.url, "tests")
    await ensure_streams(conn)
    yield conn
    await conn.close()


@pytest.fixture
def store(nc) -> JetStreamEventStore:  # type: ignore[no-untyped-def]
    return JetStreamEventStore(nc)
