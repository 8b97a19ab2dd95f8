"""Every service's tables come from migrations: the migrated schema equals its SQLAlchemy metadata.

The metadata is found by importing every module of the service's package, so a table added
without a migration fails here (on SQLite and on PostgreSQL) naming the difference.
"""

from __future__ import annotations

import asyncio
import importlib
import pkgutil
import uuid
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, MetaData, inspect, text

from migrations import SERVICE_BRANCHES
from migrations.runner import upgrade_service
from shared.db import Database, kernel_metadata, make_database
from tests.support.postgres import TestDatabase

PACKAGES = {
    "intake": "services.intake",
    "node": "services.village_node",
    "routing": "services.routing",
    "audit": "services.audit",
}


def service_metadata(service: str) -> MetaData:
    """The kernel tables plus every table declared in a module of the service's package."""
    merged = MetaData()
    for table in kernel_metadata.tables.values():
        table.to_metadata(merged)
    pkg = importlib.import_module(PACKAGES[service])
    for info in pkgutil.walk_packages(pkg.__path__, f"{pkg.__name__}."):
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if isinstance(value, MetaData) and value is not kernel_metadata:
                for table in value.tables.values():
                    if table.name not in merged.tables:
                        table.to_metadata(merged)
    return merged


def _diff(conn: Connection, metadata: MetaData) -> list[Any]:
    ctx = MigrationContext.configure(conn, opts={"compare_type": True})
    return [d for d in compare_metadata(ctx, metadata) if not _is_version_table(d)]


def _is_version_table(diff: Any) -> bool:
    return isinstance(diff, tuple) and diff[0] == "remove_table" and diff[1].name == "alembic_version"


def test_every_service_has_a_branch() -> None:
    assert set(SERVICE_BRANCHES) == set(PACKAGES)


@pytest.mark.parametrize("service", sorted(PACKAGES))
async def test_migrated_schema_equals_the_service_metadata(service: str, database: Database) -> None:
    await upgrade_service(database, service)
    async with database.engine.connect() as conn:
        diff = await conn.run_sync(_diff, service_metadata(service))
    assert diff == [], f"{service}: schema differs from its metadata; write a migration: {diff}"


async def _versions(database: Database) -> set[str]:
    async with database.engine.connect() as conn:
        return {r[0] for r in await conn.execute(text("SELECT version_num FROM alembic_version"))}


async def test_upgrading_twice_changes_nothing_and_keeps_a_version_table(database: Database) -> None:
    await upgrade_service(database, "audit")
    first = await _versions(database)
    await upgrade_service(database, "audit")
    assert await _versions(database) == first
    assert any(v.startswith("a") for v in first)  # the audit head; the audit branch depends on k0001


async def test_a_database_made_before_migrations_is_adopted(database: Database) -> None:
    await database.create_all(service_metadata("intake"))
    await upgrade_service(database, "intake")
    async with database.engine.connect() as conn:
        tables = await conn.run_sync(lambda c: inspect(c).get_table_names())
        diff = await conn.run_sync(_diff, service_metadata("intake"))
    assert "alembic_version" in tables and diff == []


async def test_replicas_starting_together_migrate_once(pg_database: TestDatabase, tmp_path: Path) -> None:
    """Instances of a service starting at once on a fresh PostgreSQL schema: one creates the
    schema and migrates, the others wait for it (advisory lock taken before CREATE SCHEMA).
    PostgreSQL only: on SQLite every service has a file of its own, serialised by SQLite itself."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    replicas = [make_database(pg_database.url, schema, tmp_path, pool_size=1) for _ in range(4)]
    try:
        await asyncio.gather(*(upgrade_service(db, "intake") for db in replicas))
        async with replicas[0].engine.connect() as conn:
            diff = await conn.run_sync(_diff, service_metadata("intake"))
    finally:
        for db in replicas:
            await db.dispose()
    assert diff == []
