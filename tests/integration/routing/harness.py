"""Routing against real NATS and PostgreSQL, with a writer standing in for intake and the nodes.

``Writer`` appends case events through its own command handler and database, as intake and the
node service do. ``Harness`` adds routing's runtime in-process (the one ``liandong routing`` runs)
with a frozen clock the test moves: ``react`` feeds a case's stored events to the reactor, ``at``
moves the clock, lets the clock projection catch up and ticks the deadline clock. Nothing is
mocked.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

from nats.aio.client import Client as NATS

from services.routing.runtime import RoutingRuntime, start_routing
from services.routing.settings import RoutingSettings
from shared.calendar import WorkCalendar
from shared.case import Applicant, CaseState, Command, Context, SubmitCase
from shared.catalog import Catalog
from shared.clock import FixedClock
from shared.db import Database, kernel_metadata, make_database
from shared.db.snapshot_store import SnapshotStore
from shared.eventstore import JetStreamEventStore, StoredEvent, ensure_streams
from shared.eventstore.replay import iterate_stream
from shared.ids import ulid
from shared.messaging import connect
from shared.org import OrgTree
from shared.service_layer import CaseCommandHandler, CaseRepository
from shared.service_layer.case_repository import subject_for
from shared.service_layer.terms import item_terms
from shared.settings import Settings
from tests.support.builders import actor

_numbers = itertools.count(1)
T = TypeVar("T")


async def eventually(check: Callable[[], Awaitable[T]], timeout: float = 20.0) -> T:
    """Poll ``check`` until it returns something truthy."""
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    last: T | None = None
    while loop.time() < end:
        last = await check()
        if last:
            return last
        await asyncio.sleep(0.1)
    raise AssertionError(f"not reached within {timeout}s (last: {last!r})")


def of_type(counts: Counter[tuple[str, str]], type_: str) -> Counter[str]:
    """From ``Writer.count_types``: case id → how many events of that type."""
    return Counter({case: n for (case, t), n in counts.items() if t == type_})


class Writer:
    def __init__(self, nc: NATS, db: Database, calendar: WorkCalendar) -> None:
        self.nc = nc
        self.db = db
        self.store = JetStreamEventStore(nc)
        self.catalog = Catalog.load(None)
        self.org = OrgTree.load(None)
        self.calendar = calendar
        repo = CaseRepository(self.store, SnapshotStore(db.engine))
        self.commands = CaseCommandHandler(repo, Context(calendar=calendar), "WR")
        self.now: Callable[[], datetime] = lambda: datetime.now(UTC)

    @classmethod
    async def start(cls, nats_url: str, database_url: str, data_dir: Path) -> Writer:
        nc = await connect(nats_url, "test-writer")
        await ensure_streams(nc)
        db = make_database(database_url, "writer", data_dir)
        await db.create_all(kernel_metadata)
        return cls(nc, db, WorkCalendar.load(None))

    async def close(self) -> None:
        await self.nc.close()
        await self.db.dispose()

    async def submit(
        self, code: str, node: str = "c01.t01.v01", at: datetime | None = None, **item: object
    ) -> str:
        """A case accepted at ``node`` (at ``at``, default now) with every material; ``item``
        overrides its catalog terms."""
        terms = item_terms(self.catalog.get(code))
        if item:
            terms = terms.model_copy(update=item)
        case_id = f"{self.org.get(node).code if node in self.org else 'X99'}-{ulid()}"
        await self.commands.execute(
            SubmitCase(
                case_id=case_id,
                at=at or self.now(),
                actor=actor(node),
                case_number=f"N-{next(_numbers)}",
                item=terms,
                applicant=Applicant(name="张三"),
                channel="village_room",
                provided=frozenset((*terms.required, *terms.tolerable)),
            )
        )
        return case_id

    async def do(self, cmd: Command) -> CaseState:
        result = await self.commands.execute(cmd)
        assert result.state is not None
        return result.state

    async def events(self, case_id: str) -> list[StoredEvent]:
        return await self.store.read(subject_for(case_id))

    async def types(self, case_id: str) -> list[str]:
        return [e.envelope.type for e in await self.events(case_id)]

    async def count_types(self) -> Counter[tuple[str, str]]:
        """(case id, event type) → how many times, over the whole stream."""
        counts: Counter[tuple[str, str]] = Counter()
        async for raw in iterate_stream(self.nc):
            doc = json.loads(raw.data)
            counts[(doc["case_id"], doc["type"])] += 1
        return counts


class Harness(Writer):
    def __init__(self, rt: RoutingRuntime, nc: NATS, db: Database) -> None:
        super().__init__(nc, db, rt.kernel.ctx.calendar)
        self.rt = rt
        assert isinstance(rt.clock, FixedClock)
        self.clock: FixedClock = rt.clock
        self.now = rt.clock.now

    @classmethod
    async def start_with_routing(
        cls, nats_url: str, database_url: str, data_dir: Path, t0: datetime
    ) -> Harness:
        settings = Settings(nats_url=nats_url, database_url=database_url, data_dir=data_dir)
        rs = RoutingSettings(timer_poll_seconds=0.2, lease_seconds=3)
        rt = await start_routing(settings, rs, FixedClock(t0))
        writer = await Writer.start(nats_url, database_url, data_dir)
        return cls(rt, writer.nc, writer.db)

    async def close(self) -> None:
        await self.rt.close()
        await super().close()

    async def react(self, case_id: str) -> None:
        """Hand every event of the case to the reactor until routing has nothing more to say."""
        seen = 0
        while True:
            events = await self.events(case_id)
            if len(events) == seen:
                return
            for ev in events[seen:]:
                await self.rt.reactor.handle(ev)
            seen = len(events)

    async def at(self, when: datetime) -> int:
        """Move routing's clock to ``when`` and let the clock make what is due; returns marks made."""
        self.clock.set(when)
        await self.settle()
        return await self.rt.deadlines.tick()

    async def settle(self) -> None:
        """Let the clock projection apply everything in the stream."""
        for _ in range(20):
            try:
                await self.rt.clock_runner.catch_up(timeout=10)
                return
            except TimeoutError:  # nats-py's fetch may raise a bare TimeoutError: just go on
                continue
        raise AssertionError("the clock projection did not catch up")

    async def state(self, case_id: str) -> CaseState:
        loaded = await self.rt.commands.repo.load(case_id)
        assert loaded.state is not None
        return loaded.state
