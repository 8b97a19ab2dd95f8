"""What ``/ready`` checks in every service: the NATS connection and the service's database."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import text


async def readiness_checks(nc: Any, db: Any, timeout: float = 2.0) -> dict[str, bool]:
    checks = {"nats": bool(nc is not None and nc.is_connected)}
    if db is not None:
        checks["database"] = await _database_answers(db, timeout)
    return checks


async def _database_answers(db: Any, timeout: float) -> bool:
    async def select_one() -> None:
        async with db.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))

    try:
        await asyncio.wait_for(select_one(), timeout)
    except Exception:
        return False
    return True
