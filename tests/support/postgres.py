"""A PostgreSQL server for the test run: a testcontainers container where a Docker engine runs,
otherwise the machine's local server (127.0.0.1:5432, trust auth). Each run creates its own
database and drops it at the end.
"""

from __future__ import annotations

import logging
import os
import uuid

import asyncpg

log = logging.getLogger("tests.postgres")

LOCAL_ADMIN_URL = os.environ.get("LIANDONG_TEST_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/postgres")


class PostgresUnavailable(RuntimeError):
    pass


def _container_admin_url() -> tuple[str, object] | None:
    try:
        from testcontainers.community.postgres import PostgresContainer

        container = PostgresContainer("postgres:15-alpine", driver=None)
        container.start()
    except Exception as exc:  # no Docker engine: the constructor or start raises
        log.info("testcontainers unavailable (%s); using the local PostgreSQL", type(exc).__name__)
        return None
    return container.get_connection_url(), container


async def _reachable(url: str) -> bool:
    try:
        conn = await asyncpg.connect(url, timeout=5)
    except (TimeoutError, OSError, asyncpg.PostgresError):
        return False
    await conn.close()
    return True


class TestDatabase:
    """Creates ``liandong_test_<random>`` on a reachable server; ``url`` is a SQLAlchemy URL."""

    __test__ = False  # a helper, not a test class, wherever it is imported

    def __init__(self) -> None:
        self.container: object | None = None
        self.admin_url = ""
        self.name = f"liandong_test_{uuid.uuid4().hex[:10]}"

    async def create(self) -> str:
        found = _container_admin_url()
        if found:
            self.admin_url, self.container = found
        else:
            self.admin_url = LOCAL_ADMIN_URL
        if not await _reachable(self.admin_url):
            raise PostgresUnavailable(f"PostgreSQL not reachable at {self.admin_url}")
        conn = await asyncpg.connect(self.admin_url)
        try:
            await conn.execute(f'CREATE DATABASE "{self.name}"')
        finally:
            await conn.close()
        return self.url

    @property
    def raw_url(self) -> str:
        base, _, _ = self.admin_url.rpartition("/")
        return f"{base}/{self.name}"

    @property
    def url(self) -> str:
        return self.raw_url.replace("postgresql://", "postgresql+asyncpg://", 1)

    async def drop(self) -> None:
        try:
            conn = await asyncpg.connect(self.admin_url)
            try:
                await conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            finally:
                await conn.close()
        finally:
            if self.container is not None:
                self.container.stop()  # type: ignore[attr-defined]
