"""Snapshot, checkpoint and lease stores: one contract, run on SQLite and on PostgreSQL."""

from __future__ import annotations

import asyncio

from shared.case import SubmitCase
from shared.db import Database, kernel_metadata
from shared.db.checkpoint_store import get_checkpoint, reset_checkpoint, set_checkpoint
from shared.db.lease import acquire_lease, release_lease
from shared.db.snapshot_store import Snapshot, SnapshotStore
from tests.support.builders import CASE_ID, MONDAY, actor, applicant, events_of, item


def a_state():  # type: ignore[no-untyped-def]
    cmd = SubmitCase(
        case_id=CASE_ID,
        at=MONDAY,
        actor=actor(),
        case_number="N-1",
        item=item(),
        applicant=applicant(),
        channel="village_room",
        provided=frozenset({"m1", "m2"}),
    )
    state, _ = events_of([cmd])
    return state


async def test_snapshot_round_trip_and_only_newer_positions_overwrite(database: Database) -> None:
    await database.create_all(kernel_metadata)
    store = SnapshotStore(database.engine)
    state = a_state()
    assert await store.get(CASE_ID) is None
    await store.put(Snapshot(state, "case.T01V01.X", 10, "h10"))
    got = await store.get(CASE_ID)
    assert got is not None and got.state == state and got.stream_seq == 10 and got.last_hash == "h10"
    await store.put(
        Snapshot(state.model_copy(update={"version": 1}), "case.T01V01.X", 5, "h5")
    )  # older: ignored
    got = await store.get(CASE_ID)
    assert got is not None and got.stream_seq == 10 and got.state.version == state.version
    await store.put(Snapshot(state.model_copy(update={"version": 9}), "case.T01V01.X", 12, "h12"))
    got = await store.get(CASE_ID)
    assert got is not None and got.stream_seq == 12 and got.state.version == 9


async def test_checkpoint_set_get_reset(database: Database) -> None:
    await database.create_all(kernel_metadata)
    async with database.engine.begin() as conn:
        assert await get_checkpoint(conn, "p") == 0
        await set_checkpoint(conn, "p", 42)
    async with database.engine.begin() as conn:
        assert await get_checkpoint(conn, "p") == 42
        await set_checkpoint(conn, "p", 43)
        assert await get_checkpoint(conn, "p") == 43
        await reset_checkpoint(conn, "p")
        assert await get_checkpoint(conn, "p") == 0


async def test_checkpoint_rolls_back_with_the_transaction(database: Database) -> None:
    await database.create_all(kernel_metadata)
    try:
        async with database.engine.begin() as conn:
            await set_checkpoint(conn, "p", 7)
            raise RuntimeError("projection failed mid-batch")
    except RuntimeError:
        pass
    async with database.engine.connect() as conn:
        assert await get_checkpoint(conn, "p") == 0


async def test_lease_is_exclusive_until_released_or_expired(database: Database) -> None:
    await database.create_all(kernel_metadata)
    eng = database.engine
    assert await acquire_lease(eng, "proj", "a", ttl_s=30)
    assert await acquire_lease(eng, "proj", "a", ttl_s=30)  # renewal
    assert not await acquire_lease(eng, "proj", "b", ttl_s=30)
    await release_lease(eng, "proj", "a")
    assert await acquire_lease(eng, "proj", "b", ttl_s=0.2)
    await asyncio.sleep(0.3)
    assert await acquire_lease(eng, "proj", "a", ttl_s=30)  # b's lease expired
