"""Projection checkpoints (last applied stream sequence), written in the projection's transaction."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from shared.db.tables import checkpoints
from shared.db.upsert import upsert


async def get_checkpoint(conn: AsyncConnection, name: str, *, lock: bool = False) -> int:
    """The last applied sequence. With ``lock`` the row is held until the transaction ends
    (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite serialises writers by itself), so two appliers
    of one projection take turns and the second sees what the first committed."""
    stmt = select(checkpoints.c.last_seq).where(checkpoints.c.name == name)
    if lock:
        stmt = stmt.with_for_update()
    row = (await conn.execute(stmt)).first()
    return int(row[0]) if row else 0


async def ensure_checkpoint(engine: AsyncEngine, name: str) -> int:
    """The projection's checkpoint, creating its row at 0 if it has none (so there is a row for
    the apply transactions to lock)."""
    async with engine.connect() as conn:
        row = (await conn.execute(select(checkpoints.c.last_seq).where(checkpoints.c.name == name))).first()
    if row is not None:
        return int(row[0])
    try:
        async with engine.begin() as conn:
            await conn.execute(
                checkpoints.insert().values(name=name, last_seq=0, updated_at=datetime.now(UTC))
            )
    except IntegrityError:  # another applier created it first
        async with engine.connect() as conn:
            return await get_checkpoint(conn, name)
    return 0


async def set_checkpoint(conn: AsyncConnection, name: str, last_seq: int) -> None:
    await upsert(
        conn,
        checkpoints,
        {"name": name, "last_seq": last_seq, "updated_at": datetime.now(UTC)},
        key=["name"],
    )


async def reset_checkpoint(conn: AsyncConnection, name: str) -> None:
    await conn.execute(delete(checkpoints).where(checkpoints.c.name == name))
