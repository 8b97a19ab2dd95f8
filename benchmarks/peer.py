"""The same case histories through the ``eventsourcing`` library on PostgreSQL, as a peer.

eventsourcing 9.5 (``eventsourcing.postgres``, psycopg 3): one aggregate per case, one event per
step with its payload, each step saved as a command would (one transaction, optimistic
concurrency on the aggregate version); then every case loaded back. Liandong does the same steps
through its event store on JetStream (fsync always), one writer (as the library, which is
synchronous) and 64 writers, and loads each case back from the stream (direct get + decode +
hash check).
"""

from __future__ import annotations

import asyncio
import os
import time
import uuid
from typing import Any

from sqlalchemy.engine import make_url

from benchmarks.append import store_round
from benchmarks.harness import Result, pg_database, start_nats
from benchmarks.workload import histories
from shared.eventstore import JetStreamEventStore, ensure_streams
from shared.messaging import connect

QUICK = {"cases": 100}


def eventsourcing_round(dsn: str, jobs: list[tuple[str, str, list[Any]]]) -> tuple[float, float]:
    from eventsourcing.application import Application
    from eventsourcing.domain import Aggregate, event

    class Case(Aggregate):
        @event("Opened")
        def __init__(self, case_id: str) -> None:
            self.case_id = case_id
            self.steps: list[dict[str, Any]] = []

        @event("Stepped")
        def step(self, type: str, payload: dict[str, Any]) -> None:
            self.steps.append({"type": type, **payload})

    url = make_url(dsn)
    env = {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": url.database or "",
        "POSTGRES_HOST": url.host or "127.0.0.1",
        "POSTGRES_PORT": str(url.port or 5432),
        "POSTGRES_USER": url.username or "postgres",
        "POSTGRES_PASSWORD": url.password or "",
        "CREATE_TABLE": "y",
    }
    app = Application(env=env)
    ids = []
    count = 0
    started = time.perf_counter()
    for case_id, _subject, events in jobs:
        agg = Case(case_id)
        app.save(agg)
        for ev in events[1:]:
            agg.step(ev.payload.TYPE, ev.payload.model_dump(mode="json"))
            app.save(agg)
        ids.append(agg.id)
        count += len(events)
    append_rate = count / (time.perf_counter() - started)
    started = time.perf_counter()
    for agg_id in ids:
        app.repository.get(agg_id)
    load_rate = len(ids) / (time.perf_counter() - started)
    app.close()
    return append_rate, load_rate


async def liandong_load_rate(url: str, jobs: list[tuple[str, str, list[Any]]]) -> float:
    nc = await connect(url, "bench-peer-load")
    try:
        store = JetStreamEventStore(nc)
        started = time.perf_counter()
        for _case_id, subject, _events in jobs:
            await store.read(subject)
        return len(jobs) / (time.perf_counter() - started)
    finally:
        await nc.close()


async def run(cases: int = 1000) -> Result:
    os.environ.pop("PERSISTENCE_MODULE", None)
    pg = await pg_database()
    server = start_nats(fsync_always=True)
    nc = await connect(server.url, "bench-peer")
    try:
        await ensure_streams(nc)
        jobs = list(histories(cases, seed=int(uuid.uuid4().int % 10_000)))
        events = sum(len(e) for _c, _s, e in jobs)
        es_append, es_load = await asyncio.to_thread(eventsourcing_round, pg.raw_url, jobs)
        ours_1 = await store_round(nc, jobs, 1)
        jobs64 = list(histories(cases, seed=int(uuid.uuid4().int % 10_000) + 20_000))
        ours_64 = await store_round(nc, jobs64, 64)
        ours_load = await liandong_load_rate(server.url, jobs)
        return Result(
            "peer: eventsourcing library on PostgreSQL",
            "python -m benchmarks peer",
            {
                "cases": cases,
                "events": events,
                "eventsourcing_append_events_per_s": round(es_append),
                "liandong_append_events_per_s_1_writer": round(ours_1),
                "liandong_append_events_per_s_64_writers": round(ours_64),
                "eventsourcing_load_cases_per_s": round(es_load),
                "liandong_load_cases_per_s": round(ours_load),
            },
            ratio=ours_1 / es_append,
            target="reference only (ratio: Liandong 1 writer / eventsourcing)",
            met=None,
        )
    finally:
        await nc.close()
        server.cleanup()
        await pg.drop()
