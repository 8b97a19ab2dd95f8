"""Replaying the stream itself (not a copy): by case, node, operator, period and event type, and
time travel — a case or a node's worklist folded from the events up to an instant.

Events whose chain is broken are reported and never folded, as in every projection.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import datetime

from nats.aio.client import Client as NATS

from services.audit.chain import Finding, Head, check
from shared.case import CaseState, evolve
from shared.eventstore import JetStreamEventStore, StoredEvent
from shared.eventstore.replay import iterate_stream, stream_end
from shared.eventstore.subjects import CASES_STREAM
from shared.service_layer.case_repository import subject_for

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ReplayFilter:
    case: str | None = None
    node: str | None = None  # events done at this node
    operator: str | None = None
    types: frozenset[str] = frozenset()
    since: datetime | None = None  # business time ``at``, inclusive
    until: datetime | None = None  # exclusive

    def wants(self, ev: StoredEvent) -> bool:
        env = ev.envelope
        return (
            (self.case is None or env.case_id == self.case)
            and (self.node is None or env.actor.node_id == self.node)
            and (self.operator is None or env.actor.operator_id == self.operator)
            and (not self.types or env.type in self.types)
            and (self.since is None or env.at >= self.since)
            and (self.until is None or env.at < self.until)
        )


@dataclass
class Replayed:
    event: StoredEvent | None
    finding: Finding | None


@dataclass
class ReplayStats:
    read: int = 0
    shown: int = 0
    findings: list[Finding] = field(default_factory=list)


async def stored_events(
    nc: NATS, case: str | None = None, stream: str = CASES_STREAM, progress: Progress | None = None
) -> AsyncIterator[Replayed]:
    """Every message in stream order with its chain verdict (one case: a batched direct get)."""
    heads: dict[str, Head] = {}
    if case is not None:
        raws = await JetStreamEventStore(nc, stream).read_raw(subject_for(case))
        for r in raws:
            v = check(heads, r.seq, r.subject, r.data, r.headers)
            yield Replayed(v.event, v.finding)
        return
    end = await stream_end(nc, stream)
    n = 0
    async for m in iterate_stream(nc, stream, end_seq=end):
        v = check(heads, m.seq, m.subject, m.data, m.headers)
        n += 1
        if progress and (n % 500 == 0 or m.seq >= end):
            progress(n, end)
        yield Replayed(v.event, v.finding)


async def replay(
    nc: NATS, flt: ReplayFilter, stats: ReplayStats, progress: Progress | None = None
) -> AsyncIterator[StoredEvent]:
    async for r in stored_events(nc, flt.case, progress=progress):
        stats.read += 1
        if r.finding is not None:
            stats.findings.append(r.finding)
            continue
        if r.event is not None and flt.wants(r.event):
            stats.shown += 1
            yield r.event


async def states_as_of(
    nc: NATS, as_of: datetime, case: str | None = None, progress: Progress | None = None
) -> dict[str, CaseState]:
    """Every case (or one) as it stood at ``as_of``: its good events with ``at <= as_of``, folded."""
    states: dict[str, CaseState] = {}
    done: set[str] = set()  # cases whose next event is already after the instant
    async for r in stored_events(nc, case, progress=progress):
        ev = r.event
        if r.finding is not None or ev is None or ev.envelope.case_id in done:
            continue
        cid = ev.envelope.case_id
        if ev.envelope.at > as_of:
            done.add(cid)
            continue
        states[cid] = evolve(states.get(cid), ev.domain())
    return states
