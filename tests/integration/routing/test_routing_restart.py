"""Timers survive kill -9: after a crash, every due mark is made once — not zero times, not twice.

``liandong routing`` runs as a subprocess with its clock frozen before the warning instant of
300 promised cases. It is killed (kill -9) and restarted with its clock past that instant, so
every timer fell due while it was dead; while it is making the warnings it is killed again, at
an arbitrary point among the appends, and restarted. In the end each case has exactly one
warning.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Awaitable
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select

from services.routing.timers import deadline_timers
from shared.db import make_database
from tests.integration.routing.conftest import T0
from tests.integration.routing.harness import Writer, eventually, of_type
from tests.integration.routing.processes import restart, routing_process
from tests.support import postgres
from tests.support.nats_server import NatsServer

CASES = 300
WARN = datetime.fromisoformat("2026-10-09T00:00:01+08:00")  # due Saturday 10-10: warned from Friday


async def test_kill_9_between_due_and_fired_makes_each_warning_exactly_once(
    fresh_nats: NatsServer, own_pg: postgres.TestDatabase, tmp_path: Path
) -> None:
    writer = await Writer.start(fresh_nats.url, own_pg.url, tmp_path)
    proc = routing_process("routing", fresh_nats.url, own_pg.raw_url, tmp_path, clock=T0)
    routing_db = make_database(own_pg.url, "routing", tmp_path)

    async def warning_rows() -> int:
        async with routing_db.engine.connect() as conn:
            stmt = select(func.count()).where(deadline_timers.c.kind == "warning")
            return int((await conn.execute(stmt)).scalar() or 0)

    async def warned() -> int:
        return sum(of_type(await writer.count_types(), "DeadlineWarned").values())

    async def routed() -> int:
        return sum(of_type(await writer.count_types(), "CaseRouted").values())

    try:
        restart(proc)
        cases: list[str] = []
        for _ in range(CASES // 50):
            cases += await asyncio.gather(*(writer.submit("TJ-001", at=T0) for _ in range(50)))
        await eventually(lambda: _at_least(warning_rows(), CASES), timeout=60)  # every timer is set
        await eventually(lambda: _at_least(routed(), CASES), timeout=60)  # no routing in flight
        assert await warned() == 0

        proc.kill()  # the timers fall due while routing is dead
        restart(proc, clock=WARN)
        at_kill = await eventually(lambda: _at_least(warned(), CASES // 10), timeout=60)
        proc.kill()  # kill -9 again, in the middle of making the warnings
        assert at_kill < CASES, "the clock finished before the kill: raise CASES"

        restart(proc)
        await eventually(lambda: _at_least(warned(), CASES), timeout=60)
        await eventually(lambda: _equals(warning_rows(), 0), timeout=60)  # nothing due is left to make
        counts = await writer.count_types()
        assert of_type(counts, "DeadlineWarned") == Counter({c: 1 for c in cases})
        assert of_type(counts, "CaseRouted") == Counter({c: 1 for c in cases})
        print(f"\nkilled after {at_kill} of {CASES} warnings; after the restart each case has exactly one")
    finally:
        proc.stop()
        await routing_db.dispose()
        await writer.close()


async def _at_least(value: Awaitable[int], n: int) -> int | None:
    found = await value
    return found if found >= n else None


async def _equals(value: Awaitable[int], n: int) -> bool:
    return await value == n
