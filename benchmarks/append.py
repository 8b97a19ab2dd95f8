"""Event store append (envelope, SHA-256 chain, optimistic concurrency, dedup id) vs raw nats-py
``js.publish`` of the same bytes with the same headers and the same concurrency.

Each worker takes whole case histories and appends their events one by one, each expecting the
sequence the previous append returned, as a writer does.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

from nats.aio.client import Client as NATS

from benchmarks.harness import Result, median, start_nats
from benchmarks.workload import histories
from shared.case import DomainEvent
from shared.eventstore import JetStreamEventStore, ensure_streams, seal_chain
from shared.eventstore.subjects import CASES_STREAM
from shared.ids import new_event_id
from shared.messaging import connect

Job = tuple[str, str, list[DomainEvent]]


async def _workers(jobs: list[Job], concurrency: int, one: Callable[[Job], Awaitable[int]]) -> float:
    queue: asyncio.Queue[Job] = asyncio.Queue()
    for j in jobs:
        queue.put_nowait(j)
    count = 0

    async def worker() -> None:
        nonlocal count
        while not queue.empty():
            done = await one(queue.get_nowait())  # not `count += await …`: that reads count first
            count += done

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return count / (time.perf_counter() - started)


async def store_round(nc: NATS, jobs: list[Job], concurrency: int) -> float:
    store = JetStreamEventStore(nc)

    async def one(job: Job) -> int:
        case_id, subject, events = job
        expected = 0
        # sealed inside the timed loop, one event at a time: the store's cost includes it
        for env in seal_chain(events, event_id=lambda _i: new_event_id("BN"), correlation_id=case_id):
            expected = (await store.append(subject, [env], expected))[-1]
        return len(events)

    return await _workers(jobs, concurrency, one)


async def raw_round(nc: NATS, jobs: list[Job], concurrency: int) -> float:
    js = nc.jetstream(timeout=5)
    sealed: dict[str, list[tuple[str, bytes]]] = {}
    for case_id, _subject, events in jobs:  # sealed beforehand: the baseline pays for none of it
        envs = seal_chain(events, event_id=lambda _i: new_event_id("RW"), correlation_id=case_id)
        sealed[case_id] = [(env.event_id, env.to_bytes()) for env in envs]

    async def one(job: Job) -> int:
        case_id, subject, _events = job
        expected = 0
        for event_id, data in sealed[case_id]:
            headers = {
                "Nats-Msg-Id": event_id,
                "Nats-Expected-Last-Subject-Sequence": str(expected),
                "Nats-Expected-Stream": CASES_STREAM,
            }
            expected = (await js.publish(subject, data, headers=headers)).seq
        return len(sealed[case_id])

    return await _workers(jobs, concurrency, one)


async def run(cases: int = 400, concurrency: int = 64, n_rounds: int = 3) -> Result:
    server = start_nats(fsync_always=True)
    nc = await connect(server.url, "bench-append")
    try:
        await ensure_streams(nc)
        store, raw = [], []
        for r in range(n_rounds):  # alternate so both see the same machine state
            raw.append(await raw_round(nc, list(histories(cases, seed=1000 + r)), concurrency))
            store.append(await store_round(nc, list(histories(cases, seed=2000 + r)), concurrency))
        ratio = median(store) / median(raw)
        return Result(
            "append",
            "python -m benchmarks append",
            {
                "event_store_events_per_s": round(median(store)),
                "raw_publish_events_per_s": round(median(raw)),
                "concurrency": concurrency,
                "events_per_round": sum(len(e) for _c, _s, e in histories(cases, seed=1000)),
                "fsync": "always",
            },
            ratio=ratio,
            target=">= 0.7x raw",
            met=ratio >= 0.7,
        )
    finally:
        await nc.close()
        server.cleanup()
