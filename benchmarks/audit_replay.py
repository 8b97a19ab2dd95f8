"""Audit replay + verify throughput against a raw nats-py ordered-consumer replay of the same stream.

``await run()`` fills a fresh stream with generated case traffic (or uses ``nats_url`` as it is),
then, in the same run, times (1) a raw ordered consumer that only counts messages and (2)
``liandong audit verify``'s stream pass (replay, per-case chains, hash of every event).
Target: audit ≥ 0.5 × raw.
"""

from __future__ import annotations

import asyncio
import time
from datetime import date
from typing import Any

from nats.aio.client import Client as NATS

from services.audit.verify import verify
from shared.eventstore import ensure_streams
from shared.eventstore.replay import stream_end
from shared.eventstore.subjects import CASES_STREAM
from shared.messaging import connect


async def fill(nc: NATS, cases: int) -> int:
    """Publish ``cases`` generated lifecycles, 256 publishes in flight (one connection keeps order)."""
    from tests.support.audit_streams import subject_of
    from tests.support.audit_traffic import lifecycle, plan_quarter, seal

    js = nc.jetstream()
    pending: list[Any] = []
    n = 0
    for p in plan_quarter(cases, date(2026, 1, 1), date(2026, 3, 31), seed=99):
        for env in seal(lifecycle(p), p.case_id):
            pending.append(js.publish(subject_of(p.case_id), env.to_bytes(), stream=CASES_STREAM))
            n += 1
            if len(pending) >= 256:
                await asyncio.gather(*pending)
                pending = []
    await asyncio.gather(*pending)
    return n


async def raw_replay(nc: NATS) -> tuple[int, float]:
    js = nc.jetstream()
    end = await stream_end(nc)
    done = asyncio.Event()
    count = 0

    async def on_msg(msg: Any) -> None:
        nonlocal count
        count += 1
        if count >= end:
            done.set()

    started = time.perf_counter()
    sub = await js.subscribe("case.>", stream=CASES_STREAM, ordered_consumer=True, cb=on_msg)
    await done.wait()
    elapsed = time.perf_counter() - started
    consumer = getattr(sub, "_consumer", None)
    await sub.unsubscribe()
    if consumer:
        await js.delete_consumer(CASES_STREAM, consumer)
    return count, elapsed


async def audit_replay(nc: NATS) -> tuple[int, float, bool]:
    started = time.perf_counter()
    report = await verify(nc, None)
    return report.checked, time.perf_counter() - started, report.ok


async def run(nats_url: str | None = None, cases: int = 10_000, rounds: int = 3) -> dict[str, Any]:
    server = None
    if nats_url is None:
        from tests.support.nats_server import NatsServer

        server = NatsServer().start()
        nats_url = server.url
    nc = await connect(nats_url, "bench-audit-replay")
    try:
        await ensure_streams(nc)
        events = await fill(nc, cases) if await stream_end(nc) == 0 else await stream_end(nc)
        raw, audit = [], []
        ok = True
        for _ in range(rounds):  # alternate, so both see the same machine state
            n, t = await raw_replay(nc)
            raw.append(n / t)
            n, t, good = await audit_replay(nc)
            audit.append(n / t)
            ok = ok and good
        raw_med, audit_med = sorted(raw)[len(raw) // 2], sorted(audit)[len(audit) // 2]
        return {
            "name": "audit replay+verify vs raw ordered consumer",
            "events": events,
            "raw_msgs_per_s": round(raw_med),
            "audit_msgs_per_s": round(audit_med),
            "ratio": round(audit_med / raw_med, 3),
            "target_ratio": 0.5,
            "verified_ok": ok,
        }
    finally:
        await nc.close()
        if server:
            server.cleanup()


if __name__ == "__main__":
    print(asyncio.run(run()))
