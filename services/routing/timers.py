"""The due-time table and the projection that keeps it: what the clock owes, driven from the stream.

``RoutingClockProjection`` is applied by a ``ProjectionRunner`` (durable consumer
``routing-clock``, one instance at a time under a row lease). For each batch, in ONE transaction
with its checkpoint, it folds the events into routing's case snapshots (the kernel's
``CaseStateProjection``) and rewrites the ``deadline_timers`` rows of every case the batch
touched from the folded state (``deadlines.owed_marks``). The table is therefore exactly the
marks still owed by the stream up to the checkpoint, survives any restart with the database,
and is rebuilt by replaying the stream.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import Column, Date, DateTime, Index, Integer, MetaData, String, Table, delete, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from services.routing.deadlines import Timer, owed_marks
from shared.calendar import WorkCalendar
from shared.db.snapshot_store import snapshot_from_row
from shared.db.tables import case_snapshots
from shared.eventstore import StoredEvent
from shared.projections.base import Rejected
from shared.projections.case_states import CaseStateProjection

metadata = MetaData()

deadline_timers = Table(
    "deadline_timers",
    metadata,
    Column("case_id", String(64), primary_key=True),
    Column("kind", String(8), primary_key=True),  # warning | overdue
    Column("target", String(16), primary_key=True),  # case | rectification | supervision
    Column("ref", String(64), primary_key=True),  # the case id, or the supervision order id
    Column("due", Date, primary_key=True),
    Column("fire_at", DateTime(timezone=True), nullable=False),
    Column("version", Integer, nullable=False),  # the case version the row was computed from
    Index("ix_deadline_timers_fire_at", "fire_at"),
)

CHUNK = 500


class RoutingClockProjection:
    metadata = metadata

    def __init__(self, calendar: WorkCalendar) -> None:
        self.name = "routing.clock"
        self.calendar = calendar
        self.states = CaseStateProjection("routing.case_states")

    async def apply(self, conn: AsyncConnection, events: Sequence[StoredEvent]) -> Sequence[Rejected]:
        rejected = await self.states.apply(conn, events)
        ids = sorted({e.envelope.case_id for e in events})
        for chunk in (ids[i : i + CHUNK] for i in range(0, len(ids), CHUNK)):
            rows = await conn.execute(select(case_snapshots).where(case_snapshots.c.case_id.in_(chunk)))
            timers = []
            for row in rows:
                state = snapshot_from_row(row).state
                timers += [_row(state.case_id, t, state.version) for t in owed_marks(state, self.calendar)]
            await conn.execute(delete(deadline_timers).where(deadline_timers.c.case_id.in_(chunk)))
            if timers:
                await conn.execute(deadline_timers.insert(), timers)
        return rejected

    async def reset(self, conn: AsyncConnection) -> None:
        await self.states.reset(conn)
        await conn.execute(delete(deadline_timers))


def _row(case_id: str, t: Timer, version: int) -> dict[str, object]:
    return {
        "case_id": case_id,
        "kind": t.kind,
        "target": t.target,
        "ref": t.ref,
        "due": t.due,
        "fire_at": t.fire_at,
        "version": version,
    }


async def timers_due(
    conn: AsyncConnection, now: datetime, limit: int = 500, offset: int = 0
) -> list[dict[str, object]]:
    """Rows whose instant has come, earliest first (instants are compared in UTC: SQLite keeps
    them without a zone)."""
    stmt = (
        select(deadline_timers)
        .where(deadline_timers.c.fire_at <= now.astimezone(UTC))
        .order_by(deadline_timers.c.fire_at, *deadline_timers.primary_key.columns)
        .limit(limit)
        .offset(offset)
    )
    return [dict(r._mapping) for r in await conn.execute(stmt)]


async def next_fire_at(conn: AsyncConnection, now: datetime) -> datetime | None:
    utc = now.astimezone(UTC)
    found = (
        await conn.execute(select(func.min(deadline_timers.c.fire_at)).where(deadline_timers.c.fire_at > utc))
    ).scalar()
    if found is None:
        return None
    return found if found.tzinfo else found.replace(tzinfo=UTC)
