"""The command handler against real NATS and a real database: snapshot + top-up, optimistic
concurrency, atomic and one-by-one decisions."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from shared.case import AcceptCase, ClaimCase, Context, SupplementMaterials
from shared.db import Database, kernel_metadata
from shared.db.snapshot_store import SnapshotStore
from shared.eventstore import JetStreamEventStore
from shared.service_layer import CaseCommandHandler, CaseRepository, StaleVersion
from shared.service_layer.case_repository import subject_for
from tests.support.builders import CTX, MONDAY, actor, submit


def handler(store: JetStreamEventStore, db: Database, ctx: Context = CTX) -> CaseCommandHandler:
    return CaseCommandHandler(CaseRepository(store, SnapshotStore(db.engine)), ctx, "TS")


def new_case_id() -> str:
    return f"T01V01-{uuid.uuid4().hex[:20].upper()}"


@pytest.fixture
async def db(database: Database) -> Database:
    await database.create_all(kernel_metadata)
    return database


async def test_a_complete_submission_is_received_then_accepted_as_two_appends(store, db) -> None:  # type: ignore[no-untyped-def]
    h = handler(store, db)
    case_id = new_case_id()
    result = await h.execute(submit(case_id, {"m1", "m2"}))
    assert [e.type for e in result.envelopes] == ["CaseSubmitted", "CaseAccepted"]
    assert result.stream_seqs[1] == result.stream_seqs[0] + 1
    raws = await store.read_raw(subject_for(case_id))
    # appended one by one: no atomic-batch headers, each expecting the one before
    assert [r.headers.get("Nats-Batch-Id") for r in raws] == [None, None]
    assert raws[1].headers["Nats-Expected-Last-Subject-Sequence"] == str(raws[0].seq)
    snap = await SnapshotStore(db.engine).get(case_id)
    assert snap is not None and snap.state.status.value == "accepted" and snap.stream_seq == raws[1].seq


async def test_a_stale_snapshot_is_topped_up_from_the_stream_before_deciding(store, db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from shared.case import DomainError
    from shared.db import make_database

    other = make_database("", "other", tmp_path)  # another service's database, with its own snapshot
    await other.create_all(kernel_metadata)
    writer_a, writer_b = handler(store, db), handler(store, other)
    case_id = new_case_id()
    await writer_b.execute(submit(case_id, {"m1"}))  # B remembers: waiting for a supplement
    await writer_a.execute(
        SupplementMaterials(case_id=case_id, at=MONDAY, actor=actor(), provided=frozenset({"m2"}))
    )
    stale = await SnapshotStore(other.engine).get(case_id)
    assert stale is not None and stale.state.status.value == "pending_supplement"
    # B decides on the topped-up state (accepted by A's supplement), not on its stale snapshot
    with pytest.raises(DomainError) as refused:
        await writer_b.execute(AcceptCase(case_id=case_id, at=MONDAY, actor=actor()))
    assert refused.value.code == "invalid_state"
    # submitted, notice, supplemented, accepted — and nothing from B's refused command
    assert len(await store.read_raw(subject_for(case_id))) == 4
    await other.dispose()


async def test_two_claims_at_once_one_wins_the_other_is_refused_after_reloading(store, db) -> None:  # type: ignore[no-untyped-def]
    from shared.case import DomainError, RouteCase
    from tests.support.builders import DEPT, ROUTING

    h = handler(store, db)
    case_id = new_case_id()
    await h.execute(submit(case_id, {"m1", "m2"}))
    await h.execute(RouteCase(case_id=case_id, at=MONDAY, actor=ROUTING, to_node=DEPT, cause_event_id="c"))
    results = await asyncio.gather(
        h.execute(ClaimCase(case_id=case_id, at=MONDAY, actor=actor(DEPT, "alice"))),
        handler(store, db).execute(ClaimCase(case_id=case_id, at=MONDAY, actor=actor(DEPT, "bob"))),
        return_exceptions=True,
    )
    refused = [r for r in results if isinstance(r, DomainError)]
    assert len(refused) == 1 and refused[0].code == "already_claimed", results
    types = [r.headers.get("Nats-Msg-Id") for r in await store.read_raw(subject_for(case_id))]
    assert len(types) == 4  # submitted, accepted, routed, ONE claim


async def test_a_pinned_version_that_is_stale_is_a_conflict_and_appends_nothing(store, db) -> None:  # type: ignore[no-untyped-def]
    h = handler(store, db)
    case_id = new_case_id()
    await h.execute(submit(case_id, {"m1", "m2"}, auto_accept=False))
    with pytest.raises(StaleVersion):
        await h.execute(AcceptCase(case_id=case_id, at=MONDAY, actor=actor()), expected_version=0)
    assert len(await store.read_raw(subject_for(case_id))) == 1
