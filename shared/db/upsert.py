"""Dialect-aware ``INSERT … ON CONFLICT DO UPDATE`` (PostgreSQL and SQLite share the syntax)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection


async def upsert(
    conn: AsyncConnection,
    table: Table,
    rows: Sequence[Mapping[str, Any]] | Mapping[str, Any],
    key: Sequence[str],
    newer_than: str | None = None,
) -> None:
    """Insert rows, or update the existing ones; with ``newer_than`` only when that column grows."""
    if not rows:
        return
    insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    stmt = insert(table)
    cols = {c.name: stmt.excluded[c.name] for c in table.columns if c.name not in key}
    where = table.c[newer_than] < stmt.excluded[newer_than] if newer_than else None
    stmt = stmt.on_conflict_do_update(index_elements=list(key), set_=cols, where=where)
    await conn.execute(stmt, list(rows) if not isinstance(rows, Mapping) else [dict(rows)])
