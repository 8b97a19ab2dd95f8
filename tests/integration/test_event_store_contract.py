"""The JetStream event store against a real nats-server."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from nats.js.api import StorageType

from shared.case import SubmitCase
from shared.eventstore import ConcurrencyError, JetStreamEventStore, StoreUnavailable, case_subject
from shared.eventstore.subjects import CASES_STREAM
from tests.support.builders import MONDAY, actor, applicant, events_of, item, seal_all, submit


def new_case() -> tuple[str, str]:
    ulid = uuid.uuid4().hex[:20].upper()
    return f"T01V01-{ulid}", case_subject("T01V01", ulid)


def submitted_envelopes(case_id: str, provided: frozenset[str] = frozenset({"m1", "m2"})):  # type: ignore[no-untyped-def]
    _, events = events_of([submit(case_id, provided, item=item(tier="village"))])
    return seal_all(events)


async def test_append_to_a_new_case_and_read_it_back(store: JetStreamEventStore) -> None:
    case_id, subject = new_case()
    envs = submitted_envelopes(case_id)
    seqs = await store.append(subject, envs, expected_last_seq=0)
    assert len(seqs) == 2 and seqs[1] == seqs[0] + 1
    back = await store.read(subject)
    assert [e.envelope for e in back] == envs
    assert [e.stream_seq for e in back] == seqs
    assert await store.last_seq(subject) == seqs[-1]
    assert [e.envelope for e in await store.read(subject, after_seq=seqs[0])] == envs[1:]


async def test_stale_expected_sequence_raises_concurrency_error_and_appends_nothing(
    store: JetStreamEventStore,
) -> None:
    case_id, subject = new_case()
    envs = submitted_envelopes(case_id)
    await store.append(subject, envs[:1], 0)
    with pytest.raises(ConcurrencyError):
        await store.append(subject, envs[1:], 0)
    assert len(await store.read(subject)) == 1


async def test_a_batch_is_atomic_a_rejected_batch_leaves_nothing(store: JetStreamEventStore) -> None:
    case_id, subject = new_case()
    envs = submitted_envelopes(case_id)
    other_id, _ = new_case()
    await store.append(subject, submitted_envelopes(other_id)[:1], 0)
    with pytest.raises(ConcurrencyError):
        await store.append(subject, envs, 0)  # expected 0 but the subject has one message
    assert len(await store.read(subject)) == 1


async def test_retrying_an_append_that_already_landed_is_not_a_conflict(store: JetStreamEventStore) -> None:
    case_id, subject = new_case()
    envs = submitted_envelopes(case_id)
    first = await store.append(subject, envs, 0)
    again = await store.append(subject, envs, 0)  # e.g. the first ack was lost to a timeout
    assert again == first
    assert len(await store.read(subject)) == 2


async def test_two_writers_racing_on_one_case_exactly_one_wins(store: JetStreamEventStore) -> None:
    for _ in range(20):
        case_id, subject = new_case()
        envs = submitted_envelopes(case_id, provided=frozenset({"m1", "m2"}))
        base = await store.append(subject, envs, 0)
        state, events = events_of(
            [
                SubmitCase(
                    case_id=case_id,
                    at=MONDAY,
                    actor=actor(),
                    case_number="N-1",
                    item=item(tier="village"),
                    applicant=applicant(),
                    channel="village_room",
                    provided=frozenset({"m1", "m2"}),
                )
            ]
        )
        # two different next events sealed on the same predecessor
        a = seal_all(events)[:2]
        b = seal_all(events)[:2]
        results = await asyncio.gather(
            store.append(
                subject, [a[1].model_copy(update={"seq": 3, "event_id": a[1].event_id + "a"})], base[-1]
            ),
            store.append(
                subject, [b[1].model_copy(update={"seq": 3, "event_id": b[1].event_id + "b"})], base[-1]
            ),
            return_exceptions=True,
        )
        wins = [r for r in results if isinstance(r, list)]
        losses = [r for r in results if isinstance(r, ConcurrencyError)]
        assert len(wins) == 1 and len(losses) == 1, results
        assert len(await store.read_raw(subject)) == 3
    del state


async def test_stream_is_configured_for_an_event_store(store: JetStreamEventStore, nc) -> None:  # type: ignore[no-untyped-def]
    info = await nc.jetstream().stream_info(CASES_STREAM)
    cfg = info.config
    assert cfg.allow_direct and cfg.allow_atomic and cfg.deny_delete and cfg.deny_purge
    assert cfg.duplicate_window and cfg.duplicate_window >= 120
    assert cfg.storage in ("file", StorageType.FILE)


async def test_the_same_event_ids_with_other_content_are_a_concurrent_write(
    store: JetStreamEventStore,
) -> None:
    # e.g. two routing instances rendering one deterministic event with their own timestamps: the
    # loser must reload, not remember hashes the stream does not hold
    case_id, subject = new_case()
    envs = submitted_envelopes(case_id)
    await store.append(subject, envs, 0)
    other = [e.model_copy(update={"recorded_at": e.recorded_at.replace(year=2030)}) for e in envs]
    with pytest.raises(ConcurrencyError):
        await store.append(subject, other, 0)
    case2, subject2 = new_case()
    first = submitted_envelopes(case2)[:1]
    await store.append(subject2, first, 0)
    rerendered = first[0].model_copy(update={"recorded_at": first[0].recorded_at.replace(year=2030)})
    with pytest.raises(ConcurrencyError):  # the stored copy of that event id differs
        await store.append(subject2, [rerendered], 0)
    assert len(await store.read_raw(subject2)) == 1


async def test_no_stream_to_answer_is_store_unavailable_not_a_failure_of_the_write(nc) -> None:  # type: ignore[no-untyped-def]
    """Given no stream that answers for a subject (as while a cluster elects the stream's leader),
    when a writer appends, then it retries and ends with ``StoreUnavailable`` — a transient error
    that routing retries without dead-lettering and HTTP answers with 503 — and nothing is stored."""
    store = JetStreamEventStore(nc, timeout=0.5, retries=3)
    case_id, _ = new_case()
    subject = f"nostream.{uuid.uuid4().hex}"
    with pytest.raises(StoreUnavailable):
        await store.append(subject, submitted_envelopes(case_id), expected_last_seq=0)
    assert await store.read(subject) == []
