"""The projection runner against real NATS, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Sequence

from sqlalchemy import BigInteger, Column, Integer, MetaData, String, Table, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from shared.case import ClaimCase, RouteCase
from shared.db import Database, kernel_metadata, make_database
from shared.db.snapshot_store import SnapshotStore
from shared.eventstore import JetStreamEventStore, StoredEvent, case_subject
from shared.eventstore.subjects import DEADLETTER_STREAM
from shared.projections import ProjectionRunner, Rejected
from shared.projections.case_states import CaseStateProjection
from tests.support.builders import DEPT, MONDAY, ROUTING, actor, events_of, seal_all, submit


async def write_case(store: JetStreamEventStore, code: str) -> tuple[str, str, int]:
    ulid = uuid.uuid4().hex[:20].upper()
    case_id, subject = f"{code}-{ulid}", case_subject(code, ulid)
    cmds = [
        submit(case_id, case_number=f"N-{ulid[:4]}"),
        RouteCase(case_id=case_id, at=MONDAY, actor=ROUTING, to_node=DEPT, cause_event_id="c1"),
        ClaimCase(case_id=case_id, at=MONDAY, actor=actor(DEPT)),
    ]
    state, events = events_of(cmds)
    await store.append(subject, seal_all(events, code), 0)
    return case_id, subject, state.version


class CountingProjection:
    """Counts applications per stream sequence: any double apply shows up as a count of 2."""

    name = "counting"
    metadata = MetaData()
    applied = Table(
        "applied",
        metadata,
        Column("stream_seq", BigInteger, primary_key=True),
        Column("times", Integer, nullable=False),
        Column("type", String(40)),
    )

    async def apply(self, conn: AsyncConnection, events: Sequence[StoredEvent]) -> Sequence[Rejected]:
        for ev in events:
            row = (
                await conn.execute(
                    select(self.applied.c.times).where(self.applied.c.stream_seq == ev.stream_seq)
                )
            ).first()
            if row:
                await conn.execute(
                    update(self.applied)
                    .where(self.applied.c.stream_seq == ev.stream_seq)
                    .values(times=row[0] + 1)
                )
            else:
                await conn.execute(
                    self.applied.insert().values(stream_seq=ev.stream_seq, times=1, type=ev.envelope.type)
                )
        return []

    async def reset(self, conn: AsyncConnection) -> None:
        await conn.execute(self.applied.delete())


async def test_case_states_projection_with_dead_letters_and_rebuild(nc, store, database: Database) -> None:  # type: ignore[no-untyped-def]
    await database.create_all(kernel_metadata)
    code = "V" + uuid.uuid4().hex[:5].upper()
    cases = [await write_case(store, code) for _ in range(3)]
    # a malformed message and a forged event (valid self-hash, wrong chain) on real case subjects
    js = nc.jetstream()
    await js.publish(cases[0][1], b"{not json")
    ok_events = await store.read(cases[1][1])
    forged = ok_events[-1].envelope.model_copy(update={"seq": 99, "event_id": "forged-" + uuid.uuid4().hex})
    from shared.events import seal

    await js.publish(cases[1][1], seal(forged).to_bytes())

    consumer = f"test-{uuid.uuid4().hex[:8]}"
    runner = ProjectionRunner(
        nc, database, CaseStateProjection(), consumer=consumer, filter_subject=f"case.{code}.>"
    )
    await runner.catch_up()

    snaps = SnapshotStore(database.engine)
    for case_id, _subject, version in cases:
        snap = await snaps.get(case_id)
        assert snap is not None and snap.state.version == version and snap.state.owner == f"op@{DEPT}"

    # both bad messages were dead-lettered with a reason, and the runner kept going
    dl = await _dead_letters(nc, consumer)
    reasons = sorted(h["Liandong-Reason-Code"] for h in dl)
    assert reasons == ["bad_seq", "not_json"]

    before = {c[0]: (await snaps.get(c[0])) for c in cases}
    await runner.rebuild()
    after = {c[0]: (await snaps.get(c[0])) for c in cases}
    assert before == after


async def test_redelivery_after_a_crash_between_commit_and_ack_applies_nothing_twice(
    nc, store, database: Database
) -> None:  # type: ignore[no-untyped-def]
    proj = CountingProjection()
    await database.create_all(kernel_metadata, proj.metadata)
    code = "T" + uuid.uuid4().hex[:5].upper()
    subject_filter = f"case.{code}.>"
    for _ in range(5):
        ulid = uuid.uuid4().hex[:20].upper()
        _, events = events_of([submit(f"{code}-{ulid}", case_number="N", channel="online")])
        await store.append(case_subject(code, ulid), seal_all(events, code), 0)

    consumer = f"crash-{uuid.uuid4().hex[:8]}"
    crashing = ProjectionRunner(nc, database, proj, consumer=consumer, filter_subject=subject_filter, batch=4)
    await crashing._bind()
    msgs = await crashing._sub.fetch(4, timeout=2)  # type: ignore[union-attr]
    await crashing._process(msgs)  # committed to the database…
    # …and the process dies before acking: nothing acked, the server redelivers after ack_wait.
    # A new runner instance binds the same durable consumer; to avoid waiting for ack_wait we
    # nak the batch, which is what a redelivery looks like to the consumer.
    for m in msgs:
        await m.nak()
    fresh = ProjectionRunner(nc, database, proj, consumer=consumer, filter_subject=subject_filter, batch=4)
    await fresh.catch_up()
    async with database.engine.connect() as conn:
        rows = (await conn.execute(select(proj.applied.c.times))).all()
    assert len(rows) == 10 and all(r[0] == 1 for r in rows)


async def _dead_letters(nc, consumer: str) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    js = nc.jetstream()
    sub = await js.subscribe(f"deadletter.{consumer}", stream=DEADLETTER_STREAM, ordered_consumer=True)
    out = []
    try:
        while True:
            msg = await sub.next_msg(timeout=1)
            out.append(dict(msg.headers or {}))
    except Exception:
        pass
    await sub.unsubscribe()
    assert all(json.dumps(h) for h in out)
    return out


class SlowCounting(CountingProjection):
    """Takes its time in every batch, so two appliers' transactions overlap for certain."""

    async def apply(self, conn: AsyncConnection, events: Sequence[StoredEvent]) -> Sequence[Rejected]:
        await asyncio.sleep(0.3)
        return await super().apply(conn, events)


async def test_two_appliers_at_once_take_turns_and_apply_each_event_once(
    nc, store, pg_database, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    """Given a runner that stalled past its lease while a standby took over (two consumers of one
    projection, both applying), when their batches overlap, then each event is applied once: the
    second transaction waits on the locked checkpoint row and finds the batch already applied."""
    database = make_database(pg_database.url, f"t_{uuid.uuid4().hex[:12]}", tmp_path)
    try:
        proj = SlowCounting()
        await database.create_all(kernel_metadata, proj.metadata)
        code = "T" + uuid.uuid4().hex[:5].upper()
        written = sum([(await write_case(store, code))[2] for _ in range(4)])
        runners = [
            ProjectionRunner(
                nc,
                database,
                proj,
                consumer=f"both-{n}-{uuid.uuid4().hex[:6]}",
                filter_subject=f"case.{code}.>",
            )
            for n in "ab"
        ]

        async def later() -> None:  # starts while the first is inside its transaction
            await asyncio.sleep(0.1)
            await runners[1].catch_up()

        await asyncio.gather(runners[0].catch_up(), later())
        async with database.engine.connect() as conn:
            rows = (await conn.execute(select(proj.applied.c.stream_seq, proj.applied.c.times))).all()
        assert len(rows) == written, rows
        assert all(times == 1 for _s, times in rows), rows
        for r in runners:
            await r.close()
            await nc.jetstream().delete_consumer(r.stream, r.consumer)
    finally:
        await database.dispose()


class Positions(CountingProjection):
    """Records the order it was given events in, as the audit ledger's Merkle positions do."""

    name = "positions"
    metadata = MetaData()
    applied = Table(
        "positions",
        metadata,
        Column("stream_seq", BigInteger, primary_key=True),
        Column("times", Integer, nullable=False),
        Column("position", Integer, nullable=False),
    )

    async def apply(self, conn: AsyncConnection, events: Sequence[StoredEvent]) -> Sequence[Rejected]:
        count = len((await conn.execute(select(self.applied.c.stream_seq))).all())
        for n, ev in enumerate(events, start=count + 1):
            await conn.execute(self.applied.insert().values(stream_seq=ev.stream_seq, times=1, position=n))
        return []


class _Handing:
    """Stands in for the fetcher: hands the runner one batch, in the order given."""

    def __init__(self, msgs: list) -> None:  # type: ignore[type-arg]
        self.msgs = msgs

    async def next(self) -> list:  # type: ignore[type-arg]
        out, self.msgs = self.msgs, []
        return out

    def fetch_ahead(self) -> None:
        pass

    def cancel(self) -> None:
        pass


async def test_a_batch_delivered_out_of_order_is_applied_checkpointed_and_acked_in_stream_order(
    nc, store, database: Database
) -> None:  # type: ignore[no-untyped-def]
    """Given a batch whose messages arrive out of order and one of them twice (a redelivery in the
    middle of new messages), when the runner applies it, then it applies each event once in stream
    order, and the checkpoint and the consumer's ack floor are the batch's highest sequence."""
    proj = Positions()
    await database.create_all(kernel_metadata, proj.metadata)
    code = "T" + uuid.uuid4().hex[:5].upper()
    for _ in range(3):
        await write_case(store, code)
    consumer = f"order-{uuid.uuid4().hex[:8]}"
    runner = ProjectionRunner(nc, database, proj, consumer=consumer, filter_subject=f"case.{code}.>")
    await runner._bind()
    msgs = await runner._sub.fetch(100, timeout=2)  # type: ignore[union-attr]
    assert len(msgs) >= 6
    shuffled = [msgs[-1], *msgs[2:-1], msgs[1], msgs[0], msgs[3]]
    runner._fetcher = _Handing(shuffled)  # type: ignore[assignment]
    assert await runner.run_once() == len(msgs)
    async with database.engine.connect() as conn:
        rows = (await conn.execute(select(proj.applied).order_by(proj.applied.c.stream_seq))).all()
    seqs = [m.metadata.sequence.stream for m in msgs]
    assert [r.stream_seq for r in rows] == seqs
    assert [r.position for r in rows] == list(range(1, len(seqs) + 1))
    assert await runner.checkpoint() == seqs[-1]
    info = await nc.jetstream().consumer_info(runner.stream, consumer)
    assert info.ack_floor.stream_seq == seqs[-1] and info.num_ack_pending == 0
    await runner.close()
    await nc.jetstream().delete_consumer(runner.stream, consumer)
