"""Rebuild time and peak memory of every projection over a stream of 1,000,000 events.

The stream is filled once with whole case histories; each projection is then rebuilt from
sequence 1 into an empty PostgreSQL schema, in a process of its own (``benchmarks.rebuild_one``)
whose resident memory is sampled as the rebuild advances: the peak after 25 %, 50 %, 75 % and
100 % of the events must stay flat (nothing held per event or per case in memory).
The raw baseline is an ordered consumer reading the whole stream (no decoding, no database).
"""

from __future__ import annotations

import asyncio
import json
import sys
import time

from benchmarks.harness import Result, pg_database, start_nats
from benchmarks.projections import available
from benchmarks.workload import fill
from shared.eventstore import ensure_streams
from shared.eventstore.replay import iterate_stream, stream_end
from shared.messaging import connect

QUICK = {"events": 20_000}


async def raw_read(url: str) -> float:
    nc = await connect(url, "bench-raw-read")
    try:
        started, n = time.perf_counter(), 0
        async for _m in iterate_stream(nc, idle_timeout=30):
            n += 1
        return n / (time.perf_counter() - started)
    finally:
        await nc.close()


async def rebuild_in_child(name: str, nats_url: str, db_url: str) -> dict:
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "benchmarks.rebuild_one",
        name,
        nats_url,
        db_url,
        stdout=asyncio.subprocess.PIPE,
    )
    out, _ = await proc.communicate()
    return json.loads(out.decode().strip().splitlines()[-1])


async def run(events: int = 1_000_000) -> list[Result]:
    server = start_nats(fsync_always=False)
    pg = await pg_database()
    nc = await connect(server.url, "bench-rebuild")
    try:
        await ensure_streams(nc)
        started = time.perf_counter()
        await fill(nc, events)
        end = await stream_end(nc)
        fill_s = time.perf_counter() - started
        await nc.close()
        raw = await raw_read(server.url)
        results = []
        for name in available():
            got = await rebuild_in_child(name, server.url, pg.url)
            peaks = got["peak_rss_mb_by_quarter"]
            flat = max(peaks) <= 1.15 * peaks[0] + 16
            results.append(
                Result(
                    f"rebuild {name}",
                    f"python -m benchmarks rebuild  (one child per projection: python -m benchmarks.rebuild_one {name} …)",
                    {
                        "events": end,
                        "seconds": round(got["seconds"], 1),
                        "events_per_s": round(end / got["seconds"]),
                        "raw_ordered_read_events_per_s": round(raw),
                        "peak_rss_mb_at_25_50_75_100_pct": " / ".join(f"{p:.0f}" for p in peaks),
                        "stream_fill_s": round(fill_s, 1),
                    },
                    ratio=end / got["seconds"] / raw,
                    target="memory flat as the stream grows (peak at 100 % ≤ 1.15 × peak at 25 % + 16 MB)",
                    met=flat,
                )
            )
        return results
    finally:
        if not nc.is_closed:
            await nc.close()
        server.cleanup()
        await pg.drop()
