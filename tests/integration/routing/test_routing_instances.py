"""Two ``liandong routing`` processes over one stream give the same result as one.

They share the durable pull consumer ``routing`` (each event goes to one of them) and both run
the deadline clock (both try to make every due mark). 500 accepted cases → exactly 500 routing
decisions, and at the warning instant exactly 500 warnings: deterministic event ids plus the
expected-sequence check collapse every race.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select

from services.routing.timers import deadline_timers
from shared.db import make_database
from tests.integration.routing.conftest import T0
from tests.integration.routing.harness import Writer, eventually, of_type
from tests.integration.routing.processes import routing_process, set_clock
from tests.support import postgres
from tests.support.nats_server import NatsServer

CASES = 500
WARN = datetime.fromisoformat(
    "2026-10-09T00:00:01+08:00"
)  # TJ-001 accepted Monday 09-28 is due Saturday 10-10


async def test_two_instances_route_500_cases_and_warn_each_once(
    fresh_nats: NatsServer, own_pg: postgres.TestDatabase, tmp_path: Path
) -> None:
    writer = await Writer.start(fresh_nats.url, own_pg.url, tmp_path)
    procs = [
        routing_process(f"routing-{i}", fresh_nats.url, own_pg.raw_url, tmp_path, clock=T0) for i in (1, 2)
    ]
    routing_db = make_database(own_pg.url, "routing", tmp_path)
    try:
        for p in procs:  # one after the other: two first starts on a fresh database race on
            p.start()  # CREATE SCHEMA (migrations/runner.py takes its advisory lock only after it)
            p.wait_healthy()

        started = time.monotonic()
        cases: list[str] = []
        for _ in range(CASES // 50):
            cases += await asyncio.gather(*(writer.submit("TJ-001", at=T0) for _ in range(50)))
        submitted = time.monotonic()

        async def all_routed() -> Counter[tuple[str, str]] | None:
            counts = await writer.count_types()
            return counts if sum(of_type(counts, "CaseRouted").values()) >= CASES else None

        counts = await eventually(all_routed, timeout=120)
        routed = time.monotonic()
        assert of_type(counts, "CaseRouted") == Counter({c: 1 for c in cases})  # one decision per case
        assert not of_type(counts, "RoutingFailed")
        reactions = [p.log.read_text().count('"routing reacted"') for p in procs]
        assert all(reactions), reactions  # both instances did part of the work

        for p in procs:  # both clocks reach the warning instant at once
            set_clock(p, WARN)

        async def all_warned() -> Counter[tuple[str, str]] | None:
            counts = await writer.count_types()
            if sum(of_type(counts, "DeadlineWarned").values()) < CASES:
                return None
            async with routing_db.engine.connect() as conn:  # and nothing due is left to make
                left = (
                    await conn.execute(select(func.count()).where(deadline_timers.c.kind == "warning"))
                ).scalar()
            return counts if left == 0 else None

        counts = await eventually(all_warned, timeout=120)
        warned = time.monotonic()
        assert of_type(counts, "DeadlineWarned") == Counter({c: 1 for c in cases})
        assert not of_type(counts, "DeadlineMissed")
        marks = [p.log.read_text().count('"deadline mark"') for p in procs]
        assert sum(marks) >= CASES  # each process logs only the marks it appended itself
        print(
            f"\n{CASES} cases: submitted in {submitted - started:.1f}s, all routed "
            f"{routed - submitted:.1f}s later by two instances {reactions}; "
            f"all warned {warned - routed:.1f}s after the clocks moved, marks logged per instance {marks}"
        )
    finally:
        for p in procs:
            p.stop()
        await routing_db.dispose()
        await writer.close()
