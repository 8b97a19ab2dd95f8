"""Execute a command against a case with optimistic concurrency.

load (snapshot + stream top-up) → decide → seal envelopes (seq, hash chain) → append with the
expected last subject sequence → remember the new snapshot. A concurrent append makes the
store raise ``ConcurrencyError``; the handler then reloads and decides again, so the domain
rules judge the command against the state that actually won. A caller that pins the version
it saw (``expected_version``) gets ``StaleVersion`` instead.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from opentelemetry import trace

from shared.case import CaseState, Command, Context, evolve
from shared.case.kernel import decide
from shared.clock import Clock, SystemClock
from shared.events import Envelope
from shared.eventstore import ConcurrencyError, seal_chain
from shared.ids import new_event_id
from shared.service_layer.case_repository import CaseRepository, LoadedCase
from shared.telemetry import inject_trace_headers

log = logging.getLogger("liandong.commands")
tracer = trace.get_tracer("liandong.commands")


class StaleVersion(ConcurrencyError):
    def __init__(self, case_id: str, expected: int, actual: int) -> None:
        super().__init__(case_id, expected, f"case is at version {actual}")
        self.actual = actual


CommandFactory = Callable[[CaseState | None], Command | None]


@dataclass(frozen=True)
class CommandResult:
    state: CaseState | None
    envelopes: list[Envelope] = field(default_factory=list)
    stream_seqs: list[int] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.envelopes)


class CaseCommandHandler:
    def __init__(
        self,
        repo: CaseRepository,
        ctx: Context,
        writer_code: str,
        clock: Clock | None = None,
        max_attempts: int = 5,
    ) -> None:
        self.repo = repo
        self.ctx = ctx
        self.writer_code = writer_code
        self.clock = clock or SystemClock()
        self.max_attempts = max_attempts

    async def execute(
        self,
        command: Command | CommandFactory,
        *,
        case_id: str | None = None,
        writer: str | None = None,
        correlation_id: str | None = None,
        causation_id: str | None = None,
        event_ids: Callable[[int], str] | None = None,
        expected_version: int | None = None,
    ) -> CommandResult:
        """Run a command, or a factory that builds the command from the freshly loaded state
        (returning None when there is nothing to do), retrying on concurrent appends."""
        target = command.case_id if isinstance(command, Command) else case_id
        if target is None:
            raise ValueError("case_id is required with a command factory")
        with tracer.start_as_current_span("case command") as span:
            span.set_attribute("liandong.case_id", target)
            for attempt in range(1, self.max_attempts + 1):
                loaded = await self.repo.load(target)
                version = loaded.state.version if loaded.state else 0
                if expected_version is not None and expected_version != version:
                    raise StaleVersion(target, expected_version, version)
                cmd = command if isinstance(command, Command) else command(loaded.state)
                if cmd is None:
                    return CommandResult(loaded.state)
                span.set_attribute("liandong.command", type(cmd).__name__)
                events = decide(loaded.state, cmd, self.ctx)
                if not events:
                    return CommandResult(loaded.state)
                ids = event_ids or (lambda _i: new_event_id(writer or self.writer_code))
                envelopes = self._seal(loaded, events, correlation_id, causation_id, ids)
                try:
                    seqs = await self._append(loaded, envelopes, atomic=cmd.ATOMIC)
                except ConcurrencyError:
                    if expected_version is not None or attempt == self.max_attempts:
                        raise
                    log.info("conflict; deciding again", extra={"case_id": target, "attempt": attempt})
                    continue
                envelopes = envelopes[: len(seqs)]
                state = loaded.state
                for ev in events[: len(seqs)]:
                    state = evolve(state, ev)
                assert state is not None
                await self._remember(LoadedCase(state, loaded.subject, seqs[-1], envelopes[-1].hash))
                log.info(
                    "appended",
                    extra={
                        "case_id": target,
                        "events": [e.type for e in envelopes],
                        "seq": seqs[-1],
                    },
                )
                return CommandResult(state, envelopes, seqs)
        raise AssertionError("unreachable")

    async def _append(self, loaded: LoadedCase, envelopes: list[Envelope], atomic: bool) -> list[int]:
        """Append a decision: as one atomic batch, or — for commands whose every event is a valid
        resting point (``ATOMIC = False``) — one event at a time, each expecting the one before.

        A JetStream atomic batch on a file-backed stream costs ~3 ms however small (its messages
        are staged in a store of their own), ten single appends' worth; the most frequent command,
        a complete submission accepted at once, needs no all-or-nothing. If another writer gets
        in between two of its events, the ones appended stand and the rest are not written."""
        store, subject, expected = self.repo.store, loaded.subject, loaded.stream_seq
        if atomic or len(envelopes) == 1:
            return await store.append(subject, envelopes, expected, inject_trace_headers({}))
        seqs: list[int] = []
        for env in envelopes:
            try:
                seqs += await store.append(subject, [env], expected, inject_trace_headers({}))
            except ConcurrencyError:
                if not seqs:
                    raise
                log.warning("decision cut short by a concurrent write", extra={"case_id": env.case_id})
                break
            expected = seqs[-1]
        return seqs

    def _seal(
        self,
        loaded: LoadedCase,
        events: Sequence,
        correlation_id: str | None,
        causation_id: str | None,
        event_ids: Callable[[int], str],
    ) -> list[Envelope]:
        version = loaded.state.version if loaded.state else 0
        return list(
            seal_chain(
                events,
                event_id=event_ids,
                first_seq=version + 1,
                prev_hash=loaded.last_hash,
                recorded_at=self.clock.now(),
                correlation_id=correlation_id,
                causation_id=causation_id,
            )
        )

    async def _remember(self, loaded: LoadedCase) -> None:
        try:
            await self.repo.remember(loaded)
        except Exception:  # the stream has the event; the next load tops the snapshot up
            log.warning(
                "snapshot write failed",
                extra={"case_id": loaded.state.case_id if loaded.state else ""},
                exc_info=True,
            )
