"""Run the migrations of one service programmatically, at start-up (``alembic upgrade``).

Several replicas may start at once: on PostgreSQL a transaction-scoped advisory lock lets one
migrate while the others wait; SQLite serialises writers by itself.
"""

from __future__ import annotations

import logging
import zlib
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, MetaData, inspect, text

from migrations import BEFORE_ALEMBIC, branches_of
from shared.db import Database

log = logging.getLogger("liandong.migrations")
SCRIPTS = Path(__file__).resolve().parent


def alembic_config(connection: Connection, schema: str | None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(SCRIPTS))
    cfg.attributes["connection"] = connection
    cfg.attributes["schema"] = schema
    return cfg


def _upgrade(connection: Connection, schema: str | None, branches: tuple[str, ...]) -> None:
    if connection.dialect.name == "postgresql":
        # taken before CREATE SCHEMA: two processes creating the same schema at once collide
        # on pg_namespace even with IF NOT EXISTS
        lock = zlib.crc32(f"liandong-migrate:{schema}".encode())
        connection.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": lock})
        if schema:
            connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
    cfg = alembic_config(connection, schema)
    _adopt(connection, cfg, schema, branches)
    for branch in branches:
        command.upgrade(cfg, f"{branch}@head")


def _adopt(connection: Connection, cfg: Config, schema: str | None, branches: tuple[str, ...]) -> None:
    """A database made by ``create_all`` before migrations existed: stamp what it already has."""
    tables = set(inspect(connection).get_table_names(schema=schema))
    if "alembic_version" in tables or "case_snapshots" not in tables:
        return
    revisions = [rev for b in branches for rev, table in [BEFORE_ALEMBIC[b]] if table in tables]
    log.warning("adopting a database made before migrations", extra={"stamped": revisions})
    for rev in revisions:  # one at a time: a service branch depends on the kernel's
        command.stamp(cfg, rev)


async def upgrade_service(db: Database, service: str) -> None:
    """Bring the service's tables to the newest revision of each branch it owns."""
    branches = branches_of(service)
    async with db.engine.begin() as conn:
        await conn.run_sync(_upgrade, db.schema, branches)
    log.info("schema migrated", extra={"service": service, "branches": list(branches)})


def _missing(connection: Connection, metadatas: tuple[MetaData, ...], schema: str | None) -> list[str]:
    have = set(inspect(connection).get_table_names(schema=schema))
    return [t.name for md in metadatas for t in md.sorted_tables if t.name not in have]


async def create_unmigrated(db: Database, service: str, *metadatas: MetaData) -> list[str]:
    """Tables a service declares that no migration created yet: created from the metadata, loudly.

    Keeps a service under development running; the schema test
    (tests/deploy/test_migrations.py) fails until the migration is written.
    """
    async with db.engine.begin() as conn:
        missing = await conn.run_sync(_missing, metadatas, db.schema)
        if missing:
            log.error(
                "tables without a migration: %s — add one under migrations/versions",
                ", ".join(missing),
                extra={"service": service},
            )
            for md in metadatas:
                await conn.run_sync(md.create_all, tables=[t for t in md.sorted_tables if t.name in missing])
    return missing
