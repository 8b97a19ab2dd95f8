"""Child process of the rebuild benchmark: rebuild one projection, sample this process's memory.

``python -m benchmarks.rebuild_one <projection> <nats url> <database url>`` prints one JSON line.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from pathlib import Path

from benchmarks.harness import rss_mb
from benchmarks.projections import FACTORIES
from shared.db import kernel_metadata, make_database
from shared.eventstore.replay import stream_end
from shared.messaging import connect
from shared.projections import ProjectionRunner


async def main(name: str, nats_url: str, db_url: str) -> dict:
    nc = await connect(nats_url, f"bench-rebuild-{name}")
    projection = FACTORIES[name]()
    db = make_database(db_url, f"rebuild_{name.replace('.', '_')}", Path("var/bench"), pool_size=2)
    await db.create_all(kernel_metadata, projection.metadata)
    end = await stream_end(nc)
    runner = ProjectionRunner(nc, db, projection, consumer=f"rebuild-{name.replace('.', '-')}")
    samples: list[tuple[int, float]] = []
    done = asyncio.Event()

    async def sample() -> None:
        while not done.is_set():
            samples.append((runner.applied + runner.dead_lettered, rss_mb()))
            await asyncio.sleep(0.25)

    sampler = asyncio.create_task(sample())
    started = time.perf_counter()
    await runner.rebuild()
    seconds = time.perf_counter() - started
    done.set()
    await sampler
    samples.append((end, rss_mb()))
    peaks = []
    for q in (0.25, 0.5, 0.75, 1.0):
        upto = [rss for n, rss in samples if n <= q * end] or [samples[0][1]]
        peaks.append(max(upto))
    await nc.jetstream().delete_consumer("CASES", runner.consumer)
    await db.dispose()
    await nc.close()
    return {"projection": name, "events": end, "seconds": seconds, "peak_rss_mb_by_quarter": peaks}


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main(*sys.argv[1:4]))))
