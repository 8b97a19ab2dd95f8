"""Realistic case histories for the benchmarks: a quarter of a county's cases (tests/support/
audit_traffic.py), from one-time notices to escalations, each as domain events or sealed bytes."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import date

from nats.aio.client import Client as NATS

from shared.case import DomainEvent
from shared.eventstore.subjects import CASES_STREAM
from tests.support.audit_streams import subject_of
from tests.support.audit_traffic import lifecycle, plan_quarter, seal

QUARTER = (date(2026, 1, 1), date(2026, 3, 31))


def histories(cases: int, seed: int) -> Iterator[tuple[str, str, list[DomainEvent]]]:
    """(case id, subject, domain events) for ``cases`` planned cases."""
    for plan in plan_quarter(cases, *QUARTER, seed=seed):
        yield plan.case_id, subject_of(plan.case_id), lifecycle(plan)


def sealed(cases: int, seed: int) -> Iterator[tuple[str, list[bytes]]]:
    for case_id, subject, events in histories(cases, seed):
        yield subject, [env.to_bytes() for env in seal(events, case_id)]


async def fill(nc: NATS, events: int, seed: int = 1, in_flight: int = 512) -> int:
    """Publish about ``events`` events of whole case histories, pipelined, one connection (in order)."""
    js = nc.jetstream(timeout=30)
    pending: list = []
    n = 0
    cases = events // 9 + 1
    while n < events:
        for subject, datas in sealed(min(cases, 20_000), seed):
            for data in datas:
                pending.append(js.publish(subject, data, stream=CASES_STREAM))
                n += 1
                if len(pending) >= in_flight:
                    await asyncio.gather(*pending)
                    pending = []
            if n >= events:
                break
        seed += 1
    await asyncio.gather(*pending)
    return n
