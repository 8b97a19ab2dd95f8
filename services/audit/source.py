"""Where replayed events come from: the stream itself, or the ledger (its verified copy).

Both yield the same thing — good events in stream order, chain-broken ones left out — so every
report and rule check gives the same answer from either source.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from nats.aio.client import Client as NATS
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from services.audit.replay import Progress, stored_events
from services.audit.tables import ledger
from shared.eventstore import StoredEvent, decode_message
from shared.service_layer.case_repository import subject_for


async def from_ledger(engine: AsyncEngine, case: str | None = None) -> AsyncIterator[StoredEvent]:
    stmt = select(ledger.c.stream_seq, ledger.c.case_id, ledger.c.body).where(ledger.c.chain_ok.is_(True))
    if case is not None:
        stmt = stmt.where(ledger.c.case_id == case)
    async with engine.connect() as conn:
        rows = await conn.stream(stmt.order_by(ledger.c.stream_seq).execution_options(yield_per=2000))
        async for seq, case_id, body in rows:
            yield decode_message(seq, subject_for(case_id), body.encode(), None)


async def from_stream(
    nc: NATS, case: str | None = None, progress: Progress | None = None
) -> AsyncIterator[StoredEvent]:
    async for r in stored_events(nc, case, progress=progress):
        if r.event is not None and r.finding is None:
            yield r.event
