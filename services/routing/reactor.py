"""The routing reactor: what routing does about one event of the stream.

- an event that leaves a case in transit (accepted, escalated, returned, transferred, result
  issued) → ``RouteCase`` to the node the rules name, or ``FailRouting`` with the reason;
- ``JointReviewRequested`` → ``DispatchJointReview`` to each named department's window (fan-out);
- a (not late) ``JointOpinionRecorded`` → ``ConcludeJointReview`` once the mode's condition holds
  (fan-in); late opinions change nothing.

Exactly-once in effect without a checkpoint: each reaction is built from the case as it is now
(the factory passed to ``execute``), its event id is derived from the event that caused it, the
append carries the expected last sequence, and the core ignores a cause it already handled.
Redelivery, a crash between append and ack, or two routing instances racing all end with one
reaction per cause.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Literal

from services.routing.rules import Failure, reviewers_for, target_for
from shared.case import (
    CaseState,
    Command,
    ConcludeJointReview,
    DispatchJointReview,
    DomainError,
    FailRouting,
    JointOpinionRecorded,
    JointReviewRequested,
    RouteCase,
)
from shared.case.joint import joint_outcome
from shared.clock import Clock
from shared.events import Actor
from shared.eventstore import DecodeError, StoredEvent, decode_message
from shared.ids import derived_event_id
from shared.org import OrgTree
from shared.service_layer import CaseCommandHandler

log = logging.getLogger("liandong.routing")

Outcome = Literal["routed", "failed", "dispatched", "concluded", "ignored"]
Factory = Callable[[CaseState | None], Command | None]


class Unroutable(Exception):
    """An event routing can never act on (e.g. a joint review naming a department the org tree
    lacks): dead-lettered with the reason so supervision sees it, and routing goes on."""

    def __init__(self, reason: str, code: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.code = code


class RoutingReactor:
    def __init__(self, commands: CaseCommandHandler, org: OrgTree, clock: Clock) -> None:
        self.commands = commands
        self.org = org
        self.clock = clock
        self.actor = Actor(operator_id="system:routing", node_id=org.county.id, role="system")

    def decode(self, seq: int, subject: str, data: bytes, headers: dict[str, str] | None) -> StoredEvent:
        return decode_message(seq, subject, data, headers)

    async def handle(self, ev: StoredEvent) -> Outcome:
        payload = ev.payload
        if type(payload).OPENS_TRANSIT:
            return await self._react(ev, "route", self._placement)
        if isinstance(payload, JointReviewRequested):
            return await self._react(ev, "joint:dispatch", self._dispatch)
        if isinstance(payload, JointOpinionRecorded) and not payload.late:
            return await self._react(ev, "joint:conclude", self._conclusion)
        return "ignored"

    async def _react(
        self, ev: StoredEvent, tag: str, build: Callable[[str, str, list[Outcome]], Factory]
    ) -> Outcome:
        cause, case_id = ev.envelope.event_id, ev.envelope.case_id
        outcome: list[Outcome] = ["ignored"]
        try:
            result = await self.commands.execute(
                build(case_id, cause, outcome),
                case_id=case_id,
                writer="RT",
                correlation_id=ev.envelope.correlation_id,
                causation_id=cause,
                event_ids=lambda i: derived_event_id(cause, f"{tag}:{i}", "RT"),
            )
        except DomainError as exc:  # the case moved on in a way that makes the reaction moot
            log.warning(
                "reaction not applicable", extra={"case_id": case_id, "event_id": cause, "code": exc.code}
            )
            return "ignored"
        if not result.changed:
            return "ignored"
        log.info("routing reacted", extra={"case_id": case_id, "event_id": cause, "outcome": outcome[0]})
        return outcome[0]

    def _placement(self, case_id: str, cause: str, outcome: list[Outcome]) -> Factory:
        def command(state: CaseState | None) -> Command | None:
            if state is None or state.transit is None or cause in state.handled_causes:
                return None
            decision = target_for(state, self.org)
            at = self.clock.now()
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

        return command

    def _dispatch(self, case_id: str, cause: str, outcome: list[Outcome]) -> Factory:
        def command(state: CaseState | None) -> Command | None:
            if state is None or state.joint is None or state.joint.reviewers or cause in state.handled_causes:
                return None
            reviewers = reviewers_for(state.joint.departments, self.org)
            if isinstance(reviewers, Failure):
                raise Unroutable(reviewers.reason, reviewers.code)
            outcome[0] = "dispatched"
            return DispatchJointReview(
                case_id=case_id,
                at=self.clock.now(),
                actor=self.actor,
                reviewers=reviewers,
                cause_event_id=cause,
            )

        return command

    def _conclusion(self, case_id: str, cause: str, outcome: list[Outcome]) -> Factory:
        def command(state: CaseState | None) -> Command | None:
            joint = state.joint if state is not None else None
            if joint is None or joint.result is not None or joint_outcome(joint) is None:
                return None
            outcome[0] = "concluded"
            return ConcludeJointReview(
                case_id=case_id, at=self.clock.now(), actor=self.actor, cause_event_id=cause
            )

        return command


__all__ = ["DecodeError", "RoutingReactor", "Unroutable"]
