"""End to end through the four services: villages submit complete township-tier matters (accepted
at once), routing places each at its township, the node projection puts it on the township's
worklist, audit records every event.

Submissions are sent at a fixed rate from every village of the demo county, at most 64 at a time
(when the services cannot keep up, the rate actually offered drops, and is reported). Latency is from acceptance (the ``accepted_at`` intake's command recorded, same
machine clock) to the moment the case is on its township's worklist, i.e. in the node service's
case-state table with the township as holder (watched by a direct query every 5 ms, which costs
the services nothing).
"""

from __future__ import annotations

import asyncio
import itertools
import tempfile
import time
from datetime import datetime
from pathlib import Path

import asyncpg
import httpx

from benchmarks.harness import Result, pg_database, start_nats
from benchmarks.lean_http import LeanConnection
from tests.support.nats_server import free_port
from tests.support.system import SERVICES, ServiceProcess, System

QUICK = {"rates": (50,), "seconds": 5}
IN_FLIGHT = 64  # requests at once, each on its own kept-alive connection
TOWNSHIP_OF = {f"c01.t0{t}.v0{v}": f"c01.t0{t}" for t in (1, 2, 3) for v in (1, 2, 3, 4, 5)}


class BenchSystem(System):
    """The services as the tests start them, but without the tests' per-span file export."""

    def start(self, names: tuple[str, ...] = SERVICES) -> BenchSystem:
        for name in names:
            self.ports.setdefault(name, free_port())
        env = {**self.env(), "LIANDONG_TRACE_EXPORTER": "none"}
        for name in names:
            port_var = f"LIANDONG_{'NODE' if name == 'node' else name.upper()}_PORT"
            svc = ServiceProcess(
                name, self.ports[name], {**env, port_var: str(self.ports[name])}, self.workdir / f"{name}.log"
            )
            self.services[name] = svc
            svc.start()
        for name in names:
            self.services[name].wait_healthy()
        return self


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def watch(dsn: str, latency: dict[str, float], stop: asyncio.Event) -> None:
    """case id → seconds from acceptance to being on the township's worklist."""
    # only rows changed since the last look: parsing every routed case's state every few
    # milliseconds would load the machine the benchmark is measuring
    query = (
        "SELECT case_id, stream_seq, state::json->>'accepted_at' AS accepted_at FROM node.case_snapshots"
        " WHERE holder = ANY($1::text[]) AND status = 'handling' AND stream_seq > $2"
    )
    townships = sorted(set(TOWNSHIP_OF.values()))
    high = 0
    while not stop.is_set():
        try:
            conn = await asyncpg.connect(dsn)
        except (OSError, asyncpg.PostgresError):
            await asyncio.sleep(0.5)
            continue
        try:
            while not stop.is_set():
                rows = await conn.fetch(query, townships, high)
                now = time.time()
                for r in rows:
                    high = max(high, r["stream_seq"])
                    if r["case_id"] not in latency:
                        latency[r["case_id"]] = now - datetime.fromisoformat(r["accepted_at"]).timestamp()
                await asyncio.sleep(0.01)
        except (OSError, asyncpg.PostgresError):
            continue
        finally:
            await conn.close()


async def load(system: System, rate: float, seconds: float, accepted: dict[str, float]) -> int:
    intake = system.url("intake")
    async with httpx.AsyncClient(timeout=30, limits=httpx.Limits(max_connections=200)) as client:
        items = (await client.get(f"{intake}/api/catalog")).json()
        code = next(i["code"] for i in items if i["tier"] == "township" and not i["fee_fen"])
        guide = (await client.get(f"{intake}/api/catalog/{code}")).json()
        materials = [m["code"] for m in guide["materials"] if m["kind"] == "required"]
        headers = {v: system.who(f"agent-{v}", v) for v in TOWNSHIP_OF}
        body = {"item_code": code, "applicant": {"name": "张三"}, "materials": materials}
        failures = 0
        # one kept-alive connection per request in flight, taken from a free list
        free = [LeanConnection(intake) for _ in range(IN_FLIGHT)]
        in_flight = asyncio.Semaphore(IN_FLIGHT)

        async def submit(village: str) -> None:
            nonlocal failures
            async with in_flight:
                conn = free.pop()
                try:
                    status, answer = await conn.post_json("/api/cases", body, headers[village])
                except (OSError, ConnectionError, asyncio.IncompleteReadError, ValueError):
                    await conn.close()
                    failures += 1
                    return
                finally:
                    free.append(conn)
                if status == 201:
                    accepted[answer["case_id"]] = time.time()
                else:
                    failures += 1

        tasks = []
        villages = itertools.cycle(sorted(TOWNSHIP_OF))
        start = time.perf_counter()
        for i in range(int(rate * seconds)):
            delay = start + i / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            await in_flight.acquire()  # the offered rate drops if the system cannot keep up
            in_flight.release()
            tasks.append(asyncio.create_task(submit(next(villages))))
        await asyncio.gather(*tasks)
        for conn in free:
            await conn.close()
        return failures


async def run(rates: tuple[float, ...] = (200, 40), seconds: float = 20) -> list[Result]:
    """At the target rate (the throughput the system reaches when offered more than it can take)
    and at a rate it sustains (the latency when it is not queueing)."""
    return [await run_at(rate, seconds) for rate in rates]


async def run_at(rate: float, seconds: float) -> Result:
    nats = start_nats(fsync_always=True)
    pg = await pg_database()
    workdir = Path(tempfile.mkdtemp(prefix="liandong-bench-e2e-"))
    system = BenchSystem(nats.url, pg.raw_url, workdir, extra_env={"LIANDONG_LOG_LEVEL": "WARNING"})
    accepted: dict[str, float] = {}
    latency: dict[str, float] = {}
    try:
        await asyncio.to_thread(system.start)
        stop = asyncio.Event()
        watcher = asyncio.create_task(watch(pg.raw_url, latency, stop))
        started = time.time()
        failures = await load(system, rate, seconds, accepted)
        submit_elapsed = time.time() - started
        deadline = time.time() + 60
        while time.time() < deadline and not set(accepted) <= set(latency):  # noqa: ASYNC110
            await asyncio.sleep(0.05)
        done_elapsed = time.time() - started
        stop.set()
        await watcher
        lat = [1000 * latency[c] for c in accepted if c in latency]
        placed = len(lat)
        throughput = placed / done_elapsed if done_elapsed else 0.0
        p50, p99 = (percentile(lat, 50), percentile(lat, 99)) if lat else (float("nan"), float("nan"))
        return Result(
            f"end-to-end at {rate:g} offered/s",
            "python -m benchmarks e2e",
            {
                "offered_cases_per_s": rate,
                "accepted": len(accepted),
                "refused_or_failed": failures,
                "on_worklist": placed,
                "cases_per_s_to_worklist": round(throughput, 1),
                "accept_rate_per_s": round(len(accepted) / submit_elapsed, 1),
                "p50_ms": round(p50, 1),
                "p99_ms": round(p99, 1),
            },
            target=">= 200 cases/s, p99 < 250 ms",
            met=throughput >= 200 and p99 < 250 and placed == len(accepted),
        )
    finally:
        await asyncio.to_thread(system.stop)
        nats.cleanup()
        await pg.drop()
