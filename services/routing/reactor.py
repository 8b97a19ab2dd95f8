"""The routing reactor: for each event that leaves a case in transit, place the case.

Exactly-once in effect without a checkpoint: the routing event's id is derived from the event
that caused it, the append carries the expected last sequence, and the core ignores a cause it
has already handled. Redelivery, a crash between append and ack, or two routing instances
racing all end with one routing decision per cause.
"""

from __future__ import annotations

import logging
from typing import Literal

from services.routing.rules import Failure, target_for
from shared.bootstrap import Kernel
from shared.case import CaseState, Command, DomainError, FailRouting, RouteCase
from shared.events import Actor
from shared.eventstore import DecodeError, StoredEvent, decode_message
from shared.ids import derived_event_id

log = logging.getLogger("liandong.routing")

Outcome = Literal["routed", "failed", "ignored", "dead"]


class RoutingReactor:
    def __init__(self, k: Kernel) -> None:
        self.k = k
        self.actor = Actor(operator_id="system:routing", node_id=k.org.county.id, role="system")

    def decode(self, seq: int, subject: str, data: bytes, headers: dict[str, str] | None) -> StoredEvent:
        return decode_message(seq, subject, data, headers)

    async def handle(self, ev: StoredEvent) -> Outcome:
        if not type(ev.payload).OPENS_TRANSIT:
            return "ignored"
        cause = ev.envelope.event_id
        case_id = ev.envelope.case_id
        outcome: list[Outcome] = ["ignored"]

        def command(state: CaseState | None) -> Command | None:
            if state is None or state.transit is None or cause in state.handled_causes:
                return None
            decision = target_for(state, self.k.org)
            at = self.k.clock.now()
            if isinstance(decision, Failure):
                outcome[0] = "failed"
                return FailRouting(
                    case_id=case_id,
                    at=at,
                    actor=self.actor,
                    reason=decision.reason,
                    code=decision.code,
                    cause_event_id=cause,
                )
            outcome[0] = "routed"
            return RouteCase(
                case_id=case_id, at=at, actor=self.actor, to_node=decision.to_node, cause_event_id=cause
            )

        try:
            result = await self.k.commands.execute(
                command,
                case_id=case_id,
                writer="RT",
                correlation_id=ev.envelope.correlation_id,
                causation_id=cause,
                event_ids=lambda i: derived_event_id(cause, f"route:{i}", "RT"),
            )
        except DomainError as exc:  # the case moved on in a way that makes routing moot
            log.warning(
                "routing not applicable", extra={"case_id": case_id, "event_id": cause, "code": exc.code}
            )
            return "ignored"
        if not result.changed:
            return "ignored"
        log.info("case placed", extra={"case_id": case_id, "event_id": cause, "outcome": outcome[0]})
        return outcome[0]


__all__ = ["DecodeError", "RoutingReactor"]
