"""Shared fixtures: a real nats-server per session, PostgreSQL and SQLite databases.

When ``CI=true`` nothing the suite needs may be skipped: a missing service fails the run.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from shared.db import Database, make_database
from tests.support.nats_server import NatsServer
from tests.support.postgres import PostgresUnavailable, TestDatabase

IN_CI = os.environ.get("CI", "").lower() == "true"


def require(condition: bool, reason: str) -> None:
    """Skip locally, fail in CI."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def nats_server() -> Iterator[NatsServer]:
    server = NatsServer().start()
    yield server
    server.cleanup()


@pytest.fixture
def fresh_nats() -> Iterator[NatsServer]:
    """A server of the test's own, for tests that kill or restart it."""
    server = NatsServer().start()
    yield server
    server.cleanup()


def _run_in_thread(coro):  # type: ignore[no-untyped-def]
    """Run a coroutine to completion on a loop of its own (fixtures may be set up inside a loop)."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


@pytest.fixture(scope="session")
def pg_database() -> Iterator[TestDatabase]:
    db = TestDatabase()
    try:
        _run_in_thread(db.create())
    except PostgresUnavailable as exc:
        require(False, str(exc))
    yield db
    _run_in_thread(db.drop())


@pytest.fixture(params=["sqlite", "postgresql"])
async def database(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    """A fresh database for one test, on each backend in turn."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    if request.param == "sqlite":
        db = make_database("", schema, tmp_path)
    else:
        pg: TestDatabase = request.getfixturevalue("pg_database")
        db = make_database(pg.url, schema, tmp_path)
    yield db
    await db.dispose()
