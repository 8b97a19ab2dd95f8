"""A row lease: one instance at a time runs a given projection, however many are deployed.

A projection's checkpoint is a single stream position, which is only right if one consumer
applies the stream in order. Replicas of a service therefore compete for the lease; the holder
renews it, and a standby takes over when it expires (the holder crashed or lost the database).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import or_, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.db.tables import leases


async def acquire_lease(engine: AsyncEngine, name: str, holder: str, ttl_s: float) -> bool:
    now = datetime.now(UTC)
    expires = now + timedelta(seconds=ttl_s)
    async with engine.begin() as conn:
        res = await conn.execute(
            update(leases)
            .where(leases.c.name == name, or_(leases.c.holder == holder, leases.c.expires_at < now))
            .values(holder=holder, expires_at=expires)
        )
        if res.rowcount:
            return True
    try:
        async with engine.begin() as conn:
            await conn.execute(leases.insert().values(name=name, holder=holder, expires_at=expires))
        return True
    except IntegrityError:
        return False


async def release_lease(engine: AsyncEngine, name: str, holder: str) -> None:
    async with engine.begin() as conn:
        await conn.execute(
            update(leases)
            .where(leases.c.name == name, leases.c.holder == holder)
            .values(expires_at=datetime(1970, 1, 1, tzinfo=UTC))
        )
