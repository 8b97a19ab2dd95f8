"""The clock: make every mark whose instant has come, once.

Each tick reads the due rows of ``deadline_timers`` and, for each, runs ``MarkDeadline`` through
the command handler with a factory that re-judges the mark against the case as it is in the
stream right now (a row may be stale: the result was issued, the case suspended, the deadline
moved, the mark already made). The mark's event id is derived from (case, kind, target, ref,
due), so a mark made twice — a crash after the append, two routing instances ticking at once —
is one event: JetStream de-duplicates the id, the expected-sequence check refuses a second
append, and the core ignores a mark already in ``state.marks``.

Rows are only ever written by the projection (``timers.py``); the clock never deletes one. It
remembers in memory which (row, case version) it already judged, so a row waiting for the
projection to catch up is not judged again; after a restart it is judged once more, harmlessly.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

import nats.errors
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from services.routing.deadlines import Timer, due_marks, mark_event_id
from services.routing.timers import next_fire_at, timers_due
from shared.calendar import WorkCalendar
from shared.case import CaseState, DomainError, MarkDeadline
from shared.case.state import mark_key
from shared.clock import Clock
from shared.db import Database
from shared.events import Actor
from shared.eventstore import ConcurrencyError, EventStoreError
from shared.service_layer import CaseCommandHandler

log = logging.getLogger("liandong.routing.clock")
PAGE = 500  # due rows read at a time
CONCURRENCY = 16  # cases judged at once
TRANSIENT = (OperationalError, InterfaceError, DBAPIError, OSError, TimeoutError, nats.errors.Error)


class DeadlineClock:
    def __init__(
        self,
        db: Database,
        commands: CaseCommandHandler,
        calendar: WorkCalendar,
        clock: Clock,
        actor: Actor,
        poll_seconds: float = 30.0,
    ) -> None:
        self.db = db
        self.commands = commands
        self.calendar = calendar
        self.clock = clock
        self.actor = actor
        self.poll_seconds = poll_seconds
        self.wake = asyncio.Event()
        self._judged: dict[tuple[str, str], int] = {}
        self.marks_made = 0

    def now(self) -> datetime:
        return self.clock.now().astimezone(UTC)

    async def tick(self) -> int:
        """Judge every due row once per case version; returns how many marks were made. Cases are
        judged concurrently (a case's own rows in order, so a warning comes before its overdue mark)."""
        now = self.now()
        made, offset = 0, 0
        seen: dict[tuple[str, str], int] = {}
        gate = asyncio.Semaphore(CONCURRENCY)

        async def judge_case(rows: list[dict[str, object]]) -> int:
            async with gate:
                return sum([await self._judge(row, seen) for row in rows])

        while True:
            async with self.db.engine.connect() as conn:
                rows = await timers_due(conn, now, PAGE, offset)
            by_case: dict[str, list[dict[str, object]]] = {}
            for row in rows:
                by_case.setdefault(str(row["case_id"]), []).append(row)
            made += sum(await asyncio.gather(*(judge_case(r) for r in by_case.values())))
            if len(rows) < PAGE:
                break
            offset += PAGE
        self._judged = {k: v for k, v in self._judged.items() if k in seen}
        self.marks_made += made
        return made

    async def _judge(self, row: dict[str, object], seen: dict[tuple[str, str], int]) -> int:
        case_id, version = str(row["case_id"]), int(str(row["version"]))
        key = mark_key(str(row["kind"]), str(row["target"]), str(row["ref"]), row["due"])  # type: ignore[arg-type]
        seen[(case_id, key)] = version
        if self._judged.get((case_id, key), -1) >= version:
            return 0
        try:
            made = await self.fire(case_id, key)
        except (ConcurrencyError, EventStoreError) as exc:  # judged again on the next tick
            log.warning("mark not made yet: %s", exc, extra={"case_id": case_id, "mark": key})
            return 0
        except TRANSIENT:
            raise
        except Exception:  # a bug for this case must not stop the clock for the others
            log.exception("mark failed", extra={"case_id": case_id, "mark": key})
            made = 0
        self._judged[(case_id, key)] = version
        return made

    async def fire(self, case_id: str, key: str) -> int:
        chosen: list[Timer] = []

        def command(state: CaseState | None) -> MarkDeadline | None:
            chosen.clear()
            if state is None:
                return None
            now = self.now()
            timer = next((t for t in due_marks(state, self.calendar, now) if t.key == key), None)
            if timer is None:  # made already, or no longer owed (clock stopped, deadline moved)
                return None
            chosen.append(timer)
            return MarkDeadline(
                case_id=case_id,
                at=now,
                actor=self.actor,
                kind=timer.kind,
                target=timer.target,
                ref=timer.ref,
                due=timer.due,
            )

        try:
            result = await self.commands.execute(
                command, case_id=case_id, writer="RT", event_ids=lambda _i: mark_event_id(case_id, chosen[0])
            )
        except DomainError as exc:
            log.warning("mark refused", extra={"case_id": case_id, "mark": key, "code": exc.code})
            return 0
        if not result.changed:
            return 0
        log.info("deadline mark", extra={"case_id": case_id, "mark": key})
        return 1

    async def run(self, stop: asyncio.Event) -> None:
        backoff = 0.2
        while not stop.is_set():
            delay = self.poll_seconds
            self.wake.clear()  # a wake-up during the tick (new rows, a moved clock) is not lost
            try:
                await self.tick()
                async with self.db.engine.connect() as conn:
                    upcoming = await next_fire_at(conn, self.now())
                if upcoming is not None:
                    delay = min(delay, max(0.05, (upcoming - self.now()).total_seconds()))
                backoff = 0.2
            except Exception as exc:  # database or NATS away (or a bug): pause, never stop
                log.warning("clock paused: %s", type(exc).__name__, exc_info=not isinstance(exc, TRANSIENT))
                delay, backoff = backoff, min(backoff * 2, 5.0)
            await self._sleep(stop, delay)

    async def _sleep(self, stop: asyncio.Event, seconds: float) -> None:
        waiters = [asyncio.ensure_future(stop.wait()), asyncio.ensure_future(self.wake.wait())]
        try:
            await asyncio.wait(waiters, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for w in waiters:
                w.cancel()
