"""What every benchmark needs: its own nats-server and PostgreSQL database, timing, results.

Each benchmark measures the Liandong path and a raw baseline in the same run, on the same
server, and reports both with their ratio; figures are medians of a few rounds.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.support.nats_server import NatsServer
from tests.support.postgres import TestDatabase


@dataclass
class Result:
    name: str
    command: str
    figures: dict[str, Any]
    ratio: float | None = None
    target: str = ""
    met: bool | None = None
    notes: list[str] = field(default_factory=list)
    measured_at: str = ""  # UTC minute the figures were taken (set when results are stored)

    def line(self) -> str:
        figs = ", ".join(f"{k}={v}" for k, v in self.figures.items())
        ratio = f" ratio={self.ratio:.2f}" if self.ratio is not None else ""
        verdict = "" if self.met is None else (" MET" if self.met else " MISSED")
        return f"{self.name}: {figs}{ratio} (target {self.target}){verdict}"


def nats_config(store: Path, fsync_always: bool) -> Path:
    conf = store / "bench.conf"
    sync = "sync_interval: always" if fsync_always else ""
    conf.write_text(f"max_payload: 1MB\njetstream {{\n  {sync}\n}}\n", encoding="utf-8")
    return conf


def start_nats(fsync_always: bool = True) -> NatsServer:
    """A server like production's durability setting (fsync on every write) unless told otherwise."""
    store = Path(tempfile.mkdtemp(prefix="liandong-bench-"))
    return NatsServer(store_dir=store, config=nats_config(store, fsync_always)).start()


async def pg_database() -> TestDatabase:
    db = TestDatabase()
    await db.create()
    return db


def median(values: list[float]) -> float:
    return statistics.median(values)


async def rounds(n: int, fn: Callable[[], Awaitable[float]]) -> list[float]:
    return [await fn() for _ in range(n)]


def rate(count: int, started: float) -> float:
    return count / (time.perf_counter() - started)


def rss_mb() -> float:
    """Resident set size of this process now (Linux)."""
    with open(f"/proc/{os.getpid()}/statm") as f:
        pages = int(f.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


async def sample_peak_rss(stop: asyncio.Event, out: list[float], every: float = 0.2) -> None:
    while not stop.is_set():
        out.append(rss_mb())
        try:
            await asyncio.wait_for(stop.wait(), every)
        except TimeoutError:
            pass
