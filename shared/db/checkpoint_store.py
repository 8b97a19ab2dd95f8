"""Projection checkpoints (last applied stream sequence), written in the projection's transaction."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncConnection

from shared.db.tables import checkpoints
from shared.db.upsert import upsert


async def get_checkpoint(conn: AsyncConnection, name: str) -> int:
    row = (await conn.execute(select(checkpoints.c.last_seq).where(checkpoints.c.name == name))).first()
    return int(row[0]) if row else 0


async def set_checkpoint(conn: AsyncConnection, name: str, last_seq: int) -> None:
    await upsert(
        conn,
        checkpoints,
        {"name": name, "last_seq": last_seq, "updated_at": datetime.now(UTC)},
        key=["name"],
    )


async def reset_checkpoint(conn: AsyncConnection, name: str) -> None:
    await conn.execute(delete(checkpoints).where(checkpoints.c.name == name))
