"""Streams for the audit tests: append planned cases, and copy CASES into a stream we may tamper with
(the real CASES stream denies delete and purge, as it should)."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence

from nats.aio.client import Client as NATS
from nats.js.api import StorageType, StreamConfig

from shared.eventstore import JetStreamEventStore, case_subject
from shared.eventstore.direct_get import RawMessage
from shared.eventstore.replay import iterate_stream
from tests.support.audit_traffic import CasePlan, lifecycle, seal

Tamper = Callable[[list[RawMessage]], list[RawMessage]]


def subject_of(case_id: str) -> str:
    code, ulid = case_id.split("-", 1)
    return case_subject(code, ulid)


async def append_interleaved(store: JetStreamEventStore, plans: Sequence[CasePlan]) -> int:
    """Append the cases' events one at a time, round-robin, so cases interleave in the stream."""
    queues = [(subject_of(p.case_id), seal(lifecycle(p), p.case_id)) for p in plans]
    last = dict.fromkeys((s for s, _ in queues), 0)
    n, i = 0, 0
    while any(envs for _, envs in queues):
        subject, envs = queues[i % len(queues)]
        if envs:
            last[subject] = (await store.append(subject, [envs.pop(0)], last[subject]))[-1]
            n += 1
        i += 1
    return n


async def read_all(nc: NATS, stream: str = "CASES") -> list[RawMessage]:
    return [m async for m in iterate_stream(nc, stream)]


async def copy_stream(nc: NATS, name: str, tamper: Tamper | None = None) -> str:
    """Re-publish CASES, in order, into stream ``name`` (subjects ``<name>.<node>.<case>``), after
    ``tamper`` edited the list of messages."""
    js = nc.jetstream()
    prefix = name.lower()
    await js.add_stream(StreamConfig(name=name, subjects=[f"{prefix}.>"], storage=StorageType.MEMORY))
    msgs = await read_all(nc)
    for m in tamper(msgs) if tamper else msgs:
        await js.publish(prefix + m.subject[len("case") :], m.data, stream=name)
    return name


def edit_payload(msg: RawMessage, change: Callable[[dict], None], reseal: bool = False) -> RawMessage:
    from shared.events import canonical_json
    from shared.events.envelope import hash_of_document

    doc = json.loads(msg.data)
    change(doc["payload"])
    if reseal:
        doc["hash"] = hash_of_document(doc)
    return RawMessage(msg.seq, msg.subject, canonical_json(doc), msg.headers)
