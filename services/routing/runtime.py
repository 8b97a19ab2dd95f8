"""Routing's wiring: the kernel, routing's own command handler, the reactor, the clock.

Routing's case snapshots are written only by its clock projection, from the stream, never
written through after routing's own appends: two routing instances may build the same event (same
derived id) with different times, and only the copy JetStream stored may ever be remembered.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass, field

from services.routing import timers
from services.routing.deadline_clock import DeadlineClock
from services.routing.reactor import RoutingReactor
from services.routing.settings import RoutingSettings
from shared.bootstrap import Kernel, start_kernel
from shared.clock import Clock
from shared.db.snapshot_store import SnapshotStore
from shared.projections import ProjectionRunner
from shared.service_layer import CaseCommandHandler, CaseRepository
from shared.service_layer.case_repository import LoadedCase
from shared.settings import Settings

log = logging.getLogger("liandong.routing")
CLOCK_CONSUMER = "routing-clock"


class StreamOnlySnapshots(CaseRepository):
    async def remember(self, loaded: LoadedCase) -> None:
        """Nothing: the clock projection keeps routing's snapshots from what the stream holds."""


class ClockProjectionRunner(ProjectionRunner):
    """Wakes the deadline clock after each committed batch, so new due rows fire at once."""

    def __init__(self, *args: object, wake: asyncio.Event, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.wake = wake

    async def run_once(self) -> int:
        n = await super().run_once()
        if n:
            self.wake.set()
        return n


@dataclass
class RoutingRuntime:
    kernel: Kernel
    clock: Clock
    commands: CaseCommandHandler
    reactor: RoutingReactor
    deadlines: DeadlineClock
    clock_runner: ClockProjectionRunner
    _stop: asyncio.Event = field(default_factory=asyncio.Event)
    _tasks: list[asyncio.Task[None]] = field(default_factory=list)

    def start_background(self) -> None:
        self._tasks = [
            asyncio.create_task(self.clock_runner.run(self._stop), name="routing-clock-projection"),
            asyncio.create_task(self.deadlines.run(self._stop), name="routing-deadline-clock"),
        ]
        for task in self._tasks:
            task.add_done_callback(_report_end)

    async def close(self) -> None:
        self._stop.set()
        for task in self._tasks:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(task, 10)
        await self.clock_runner.close()
        await self.kernel.close()


def _report_end(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("%s stopped", task.get_name(), exc_info=task.exception())


async def start_routing(
    settings: Settings, rs: RoutingSettings, clock: Clock | None = None
) -> RoutingRuntime:
    clock = clock or rs.make_clock()
    k = await start_kernel(settings, "routing", timers.metadata, writer_code="RT", clock=clock)
    repo = StreamOnlySnapshots(k.store, SnapshotStore(k.db.engine))
    commands = CaseCommandHandler(repo, k.ctx, "RT", clock)
    reactor = RoutingReactor(commands, k.org, clock)
    deadlines = DeadlineClock(k.db, commands, k.ctx.calendar, clock, reactor.actor, rs.timer_poll_seconds)
    runner = ClockProjectionRunner(
        k.nc,
        k.db,
        timers.RoutingClockProjection(k.ctx.calendar),
        consumer=CLOCK_CONSUMER,
        batch=settings.projection_batch,
        lease_ttl=rs.lease_seconds,
        wake=deadlines.wake,
    )
    log.info("routing started", extra={"clock": type(clock).__name__, "now": clock.now().isoformat()})
    return RoutingRuntime(k, clock, commands, reactor, deadlines, runner)
