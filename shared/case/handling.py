"""Handling hand-overs: route (分派), claim (认领, 首问负责), escalate (上报), return (退回).

Operators never pick the next node themselves: they escalate or return with a reason, the case
goes into transit (held by nobody), and the routing service places it with ``RouteCase`` or
reports ``FailRouting``. The holder therefore changes only by events, one writer at a time.
"""

from __future__ import annotations

from pydantic import Field

from shared.case.errors import conflict, invalid
from shared.case.guards import (
    require_active,
    require_holder,
    require_owner,
    require_status,
    require_system,
    require_text,
)
from shared.case.kernel import Command, Context, DomainEvent, decider, evolver
from shared.case.state import CaseState, Status, Transit, TransitKind
from shared.events import EventPayload, event


class RouteCase(Command):
    to_node: str = Field(min_length=1, max_length=64)
    cause_event_id: str


class FailRouting(Command):
    reason: str = Field(max_length=500)
    code: str = Field(default="routing_failed", max_length=40)
    cause_event_id: str


class ClaimCase(Command):
    pass


class EscalateCase(Command):
    reason: str = Field(max_length=500)


class ReturnCase(Command):
    reason: str = Field(max_length=500)


class TransferCase(Command):
    to_department: str = Field(min_length=1, max_length=40, description="department key, e.g. civil-affairs")
    reason: str = Field(max_length=500)


class HandOverCase(Command):
    to_operator: str = Field(min_length=1, max_length=64)
    reason: str = Field(default="", max_length=500)


@event
class CaseRouted(EventPayload):
    TYPE = "CaseRouted"
    to_node: str
    from_node: str | None
    purpose: TransitKind
    cause_event_id: str


@event
class RoutingFailed(EventPayload):
    TYPE = "RoutingFailed"
    reason: str
    code: str = "routing_failed"
    purpose: TransitKind
    from_node: str | None
    cause_event_id: str


@event
class CaseClaimed(EventPayload):
    TYPE = "CaseClaimed"
    operator_id: str
    node_id: str


@event
class CaseEscalated(EventPayload):
    TYPE = "CaseEscalated"
    OPENS_TRANSIT = True
    from_node: str
    reason: str


@event
class CaseTransferred(EventPayload):
    TYPE = "CaseTransferred"
    OPENS_TRANSIT = True
    from_node: str
    to_department: str
    reason: str


@event
class CaseHandedOver(EventPayload):
    TYPE = "CaseHandedOver"
    from_operator: str
    to_operator: str
    reason: str = ""


@event
class CaseReturned(EventPayload):
    TYPE = "CaseReturned"
    OPENS_TRANSIT = True
    from_node: str
    reason: str
    to_node: str


def _require_no_joint_review_pending(state: CaseState, action: str) -> None:
    """The lead keeps the case while the departments review it: no hand-over until the fan-in."""
    if state.joint is not None and state.joint.result is None:
        raise conflict(
            "joint_review_pending", f"联合审查进行中，不能{action}", "a joint review is in progress"
        )


def _waiting_transit(state: CaseState, cause: str) -> Transit | None:
    """The transit to place, or None when this cause was already handled (a redelivery)."""
    if cause in state.handled_causes:
        return None
    if state.transit is None:
        raise conflict("not_in_transit", "办件不在流转中，无需分派", "the case is not waiting to be routed")
    return state.transit


@decider(RouteCase)
def route(state: CaseState, cmd: RouteCase, ctx: Context) -> list[EventPayload]:
    require_system(cmd.actor)
    transit = _waiting_transit(state, cmd.cause_event_id)
    if transit is None:
        return []
    if transit.target and cmd.to_node != transit.target:
        raise conflict(
            "route_target_mismatch",
            f"办件须送往{transit.target}，不能分派至{cmd.to_node}",
            f"this {transit.kind} must go to {transit.target}, not {cmd.to_node}",
        )
    return [
        CaseRouted(
            to_node=cmd.to_node,
            from_node=transit.from_node,
            purpose=transit.kind,
            cause_event_id=cmd.cause_event_id,
        )
    ]


@decider(FailRouting)
def fail_routing(state: CaseState, cmd: FailRouting, ctx: Context) -> list[EventPayload]:
    require_system(cmd.actor)
    transit = _waiting_transit(state, cmd.cause_event_id)
    if transit is None:
        return []
    return [
        RoutingFailed(
            reason=require_text(cmd.reason, "reason", "原因"),
            code=cmd.code,
            purpose=transit.kind,
            from_node=transit.from_node,
            cause_event_id=cmd.cause_event_id,
        )
    ]


@decider(ClaimCase)
def claim(state: CaseState, cmd: ClaimCase, ctx: Context) -> list[EventPayload]:
    require_holder(state, cmd.actor)
    require_status(state, Status.HANDLING, action="认领", action_en="claim")
    if state.owner == cmd.actor.operator_id:
        return []
    if state.owner is not None:
        raise conflict(
            "already_claimed",
            f"办件已由{state.owner}认领",
            f"case already claimed by {state.owner}",
        )
    return [CaseClaimed(operator_id=cmd.actor.operator_id, node_id=cmd.actor.node_id)]


@decider(EscalateCase)
def escalate(state: CaseState, cmd: EscalateCase, ctx: Context) -> list[EventPayload]:
    require_owner(state, cmd.actor)
    require_status(state, Status.HANDLING, action="上报", action_en="escalate")
    require_active(state)
    reason = require_text(cmd.reason, "reason", "上报理由")
    _require_no_joint_review_pending(state, "上报")
    return [CaseEscalated(from_node=cmd.actor.node_id, reason=reason)]


@decider(ReturnCase)
def return_case(state: CaseState, cmd: ReturnCase, ctx: Context) -> list[EventPayload]:
    require_owner(state, cmd.actor)
    require_status(state, Status.HANDLING, action="退回", action_en="return")
    require_active(state)
    reason = require_text(cmd.reason, "reason", "退回理由")
    _require_no_joint_review_pending(state, "退回")
    if len(state.trail) < 2:
        raise conflict(
            "nowhere_to_return",
            "本节点是首个办理节点，无可退回的上一节点",
            "this node received the case first; there is no node to return it to",
        )
    return [CaseReturned(from_node=cmd.actor.node_id, reason=reason, to_node=state.trail[-2])]


@decider(TransferCase)
def transfer(state: CaseState, cmd: TransferCase, ctx: Context) -> list[EventPayload]:
    require_owner(state, cmd.actor)
    require_status(state, Status.HANDLING, action="转办", action_en="transfer")
    require_active(state)
    reason = require_text(cmd.reason, "reason", "转办理由")
    department = require_text(cmd.to_department, "to_department", "转办目标部门")
    _require_no_joint_review_pending(state, "转办")
    return [CaseTransferred(from_node=cmd.actor.node_id, to_department=department, reason=reason)]


@decider(HandOverCase)
def hand_over(state: CaseState, cmd: HandOverCase, ctx: Context) -> list[EventPayload]:
    """首问负责: the owner stays responsible until handing the case to a named colleague."""
    require_owner(state, cmd.actor)
    require_status(state, Status.HANDLING, Status.DECIDED, action="移交", action_en="hand over")
    if cmd.to_operator == cmd.actor.operator_id:
        raise invalid("same_operator", "不能移交给自己", "cannot hand over to oneself", "to_operator")
    return [
        CaseHandedOver(
            from_operator=cmd.actor.operator_id, to_operator=cmd.to_operator, reason=cmd.reason.strip()
        )
    ]


@evolver(CaseRouted)
def routed(s: CaseState, e: CaseRouted, m: DomainEvent) -> CaseState:
    trail = s.trail
    if e.purpose == "return":
        trail = trail[:-1] if len(trail) > 1 else trail
    elif e.purpose != "delivery" and (not trail or trail[-1] != e.to_node):
        trail = (*trail, e.to_node)
    status = Status.HANDLING if s.status == Status.ACCEPTED else s.status
    return s.model_copy(
        update={
            "holder": e.to_node,
            "owner": None,
            "transit": None,
            "trail": trail,
            "status": status,
            "routing_failure": "",
            "handled_causes": s.handled_causes | {e.cause_event_id},
        }
    )


@evolver(RoutingFailed)
def routing_failed(s: CaseState, e: RoutingFailed, m: DomainEvent) -> CaseState:
    update: dict[str, object] = {
        "routing_failure": e.reason,
        "handled_causes": s.handled_causes | {e.cause_event_id},
    }
    if e.purpose in ("escalation", "return", "transfer") and e.from_node:
        update.update(holder=e.from_node, transit=None, owner=None)
    return s.model_copy(update=update)


@evolver(CaseClaimed)
def claimed(s: CaseState, e: CaseClaimed, m: DomainEvent) -> CaseState:
    return s.model_copy(update={"owner": e.operator_id})


@evolver(CaseEscalated)
def escalated(s: CaseState, e: CaseEscalated, m: DomainEvent) -> CaseState:
    return s.model_copy(
        update={
            "holder": None,
            "owner": None,
            "transit": Transit(kind="escalation", from_node=e.from_node, reason=e.reason),
        }
    )


@evolver(CaseTransferred)
def transferred(s: CaseState, e: CaseTransferred, m: DomainEvent) -> CaseState:
    transit = Transit(kind="transfer", from_node=e.from_node, reason=e.reason, department=e.to_department)
    return s.model_copy(update={"holder": None, "owner": None, "transit": transit})


@evolver(CaseHandedOver)
def handed_over(s: CaseState, e: CaseHandedOver, m: DomainEvent) -> CaseState:
    return s.model_copy(update={"owner": e.to_operator})


@evolver(CaseReturned)
def returned(s: CaseState, e: CaseReturned, m: DomainEvent) -> CaseState:
    transit = Transit(kind="return", from_node=e.from_node, reason=e.reason, target=e.to_node)
    return s.model_copy(update={"holder": None, "owner": None, "transit": transit})
