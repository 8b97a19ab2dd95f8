"""Each projection's catch-up rate over a filled stream vs a raw nats-py durable pull consumer
that fetches as many at a time as the runner does and acks each batch (the runner's own fetch
size, ack policy and ack-pending limit)."""

from __future__ import annotations

import time

import nats.errors
from nats.aio.client import Client as NATS
from nats.js.api import AckPolicy, ConsumerConfig

from benchmarks.harness import Result, median, pg_database, start_nats
from benchmarks.projections import available
from benchmarks.workload import fill
from shared.db import kernel_metadata, make_database
from shared.eventstore import ensure_streams
from shared.eventstore.replay import stream_end
from shared.eventstore.subjects import CASES_STREAM
from shared.messaging import connect
from shared.projections import ProjectionRunner
from shared.settings import Settings

QUICK = {"events": 5_000, "n_rounds": 1}
BATCH = Settings().projection_batch  # what every service's runner fetches


async def raw_pull(nc: NATS, name: str, end: int) -> float:
    js = nc.jetstream()
    await js.add_consumer(
        CASES_STREAM, ConsumerConfig(durable_name=name, ack_policy=AckPolicy.ALL, max_ack_pending=BATCH * 4)
    )
    sub = await js.pull_subscribe_bind(name, CASES_STREAM)
    seen = 0
    started = time.perf_counter()
    while seen < end:
        try:
            msgs = await sub.fetch(BATCH, timeout=1.0)
        except nats.errors.TimeoutError:
            continue
        seen += len(msgs)
        await msgs[-1].ack()
    elapsed = time.perf_counter() - started
    await sub.unsubscribe()
    await js.delete_consumer(CASES_STREAM, name)
    return seen / elapsed


async def projection_rate(nc: NATS, db_url: str, name: str, factory, end: int, tag: str) -> float:  # type: ignore[no-untyped-def]
    projection = factory()
    db = make_database(db_url, f"bench_{tag}", __import__("pathlib").Path("var/bench"))
    try:
        await db.create_all(kernel_metadata, projection.metadata)
        runner = ProjectionRunner(nc, db, projection, consumer=f"bench-{tag}", batch=BATCH)
        started = time.perf_counter()
        await runner.rebuild()
        elapsed = time.perf_counter() - started
        await nc.jetstream().delete_consumer(CASES_STREAM, runner.consumer)
        return end / elapsed
    finally:
        await db.dispose()


async def run(events: int = 50_000, n_rounds: int = 3) -> list[Result]:
    server = start_nats(fsync_always=False)
    pg = await pg_database()
    nc = await connect(server.url, "bench-catchup")
    try:
        await ensure_streams(nc)
        await fill(nc, events)
        end = await stream_end(nc)
        results = []
        for name, factory in available().items():
            backends = [("postgresql", pg.url)]
            if name == "node.case_states":
                backends.append(("sqlite", ""))
            for backend, url in backends:
                raw, proj = [], []
                for r in range(n_rounds):
                    raw.append(await raw_pull(nc, f"raw-{r}-{time.monotonic_ns()}", end))
                    tag = f"{name.replace('.', '_')}_{backend}_{r}_{time.monotonic_ns()}"
                    proj.append(await projection_rate(nc, url, name, factory, end, tag))
                ratio = median(proj) / median(raw)
                results.append(
                    Result(
                        f"catch-up {name} ({backend})",
                        "python -m benchmarks catchup",
                        {
                            "projection_events_per_s": round(median(proj)),
                            "raw_pull_ack_events_per_s": round(median(raw)),
                            "events": end,
                        },
                        ratio=ratio,
                        target=">= 0.5x raw pull+ack",
                        met=ratio >= 0.5,
                    )
                )
        return results
    finally:
        await nc.close()
        server.cleanup()
        await pg.drop()
