"""A batch that fails after it was fetched is applied later, never skipped.

Its messages stay pending on the server until ``ack_wait``; acking a later batch with
``AckPolicy.ALL`` would acknowledge them unapplied. Found by the PostgreSQL-restart fault test
(the audit ledger lost three events); the runner now recreates its consumer from the checkpoint.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncConnection

from shared.db import Database, kernel_metadata
from shared.eventstore import DecodeError, JetStreamEventStore, StoredEvent, decode_message
from shared.eventstore.direct_get import RawMessage
from shared.eventstore.replay import iterate_stream, stream_end
from shared.projections import ProjectionRunner, Rejected
from tests.integration.conftest import nc, store
from tests.integration.test_projection_runner import CountingProjection, write_case

__all__ = ["nc", "store"]  # fixtures


def _decodes(m: RawMessage) -> bool:
    try:
        decode_message(m.seq, m.subject, m.data, m.headers)
    except DecodeError:
        return False
    return True


class FailingOnce(CountingProjection):
    """Fails (as a lost database connection would) on the first batch it sees."""

    name = "failing-once"

    def __init__(self) -> None:
        self.failed = False

    async def apply(self, conn: AsyncConnection, events: Sequence[StoredEvent]) -> Sequence[Rejected]:
        if not self.failed:
            self.failed = True
            raise OperationalError("SELECT 1", {}, ConnectionResetError("server closed the connection"))
        return await super().apply(conn, events)


async def test_a_failed_batch_is_applied_later_not_skipped(
    nc, store: JetStreamEventStore, database: Database
) -> None:  # type: ignore[no-untyped-def]
    await database.create_all(kernel_metadata, FailingOnce.metadata)
    for _ in range(3):
        await write_case(store, "T01V01")
    projection = FailingOnce()
    consumer = f"failing-{database.dialect}"
    runner = ProjectionRunner(nc, database, projection, consumer=consumer, batch=4)
    try:
        await runner.run_once()
    except OperationalError:
        pass
    for _ in range(3):  # more events arrive while the first batch is still pending on the server
        await write_case(store, "T01V01")
    await runner.catch_up(timeout=30)
    async with database.engine.connect() as conn:
        rows = (
            await conn.execute(select(FailingOnce.applied.c.stream_seq, FailingOnce.applied.c.times))
        ).all()
    end = await stream_end(nc)
    seqs = [r[0] for r in rows]
    # the session's stream is shared: other tests put undecodable events on it (dead-lettered)
    good = {m.seq async for m in iterate_stream(nc, end_seq=end) if _decodes(m)}
    missing = sorted(good - set(seqs))
    assert not missing, f"never applied: {missing[:20]} (stream end {end})"
    assert all(times == 1 for _s, times in rows), [r for r in rows if r[1] != 1][:10]
    await nc.jetstream().delete_consumer("CASES", consumer)
