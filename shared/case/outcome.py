"""Outcome: decide (approve / deny), issue the result (出件), deliver it (送达), close (办结归档)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from shared.case.errors import conflict, forbidden
from shared.case.guards import (
    require_active,
    require_holder,
    require_operator,
    require_owner,
    require_status,
    require_text,
)
from shared.case.kernel import Command, Context, DomainEvent, decider, evolver
from shared.case.state import CaseState, Status, Transit
from shared.events import EventPayload, event

DeliveryMethod = Literal["in_person", "proxy", "mail", "online"]


class DecideCase(Command):
    approved: bool
    reason: str = Field(default="", max_length=1000)


class IssueResult(Command):
    result: str = Field(max_length=500)


class DeliverResult(Command):
    method: DeliveryMethod = "in_person"
    recipient: str = Field(default="", max_length=60)


class CloseCase(Command):
    pass


class WithdrawCase(Command):
    reason: str = Field(max_length=500)


@event
class CaseDecided(EventPayload):
    TYPE = "CaseDecided"
    outcome: Literal["approved", "denied"]
    reason: str = ""


@event
class ResultIssued(EventPayload):
    TYPE = "ResultIssued"
    OPENS_TRANSIT = True
    result: str
    deliver_at: str


@event
class ResultDelivered(EventPayload):
    TYPE = "ResultDelivered"
    method: DeliveryMethod
    recipient: str = ""


@event
class CaseClosed(EventPayload):
    TYPE = "CaseClosed"


@event
class CaseWithdrawn(EventPayload):
    TYPE = "CaseWithdrawn"
    reason: str


@decider(DecideCase)
def decide_case(state: CaseState, cmd: DecideCase, ctx: Context) -> list[EventPayload]:
    require_owner(state, cmd.actor)
    require_status(state, Status.HANDLING, action="作出决定", action_en="decide")
    require_active(state)
    _require_joint_review_done(state, cmd.approved)
    reason = cmd.reason.strip()
    if not cmd.approved:
        reason = require_text(cmd.reason, "reason", "不予批准的理由")
    return [CaseDecided(outcome="approved" if cmd.approved else "denied", reason=reason)]


@decider(IssueResult)
def issue_result(state: CaseState, cmd: IssueResult, ctx: Context) -> list[EventPayload]:
    require_owner(state, cmd.actor)
    require_status(state, Status.DECIDED, action="出件", action_en="issue the result")
    if state.fee_outstanding:
        raise conflict(
            "fee_unpaid",
            "费用未缴清，不能出件（一口收费）",
            "the fee must be paid before the result is issued",
        )
    result = require_text(cmd.result, "result", "办理结果")
    return [ResultIssued(result=result, deliver_at=state.origin_node)]


@decider(DeliverResult)
def deliver(state: CaseState, cmd: DeliverResult, ctx: Context) -> list[EventPayload]:
    require_holder(state, cmd.actor)
    require_status(state, Status.RESULT_ISSUED, action="送达", action_en="deliver")
    if cmd.actor.node_id != state.origin_node:
        raise forbidden(
            "not_origin_node",
            "结果由受理的村（社区）或窗口送达",
            "the result is delivered where the case was submitted",
        )
    if cmd.method == "proxy" and not state.item.proxy_allowed:
        raise conflict("proxy_not_allowed", "该事项不允许代办", "this item may not be carried by an agent")
    if cmd.method == "proxy" and state.proxy is None:
        raise conflict(
            "no_proxy_mandate",
            "没有代办委托，不能由代办员代领",
            "no proxy mandate was recorded for this case",
        )
    return [ResultDelivered(method=cmd.method, recipient=cmd.recipient.strip())]


@decider(CloseCase)
def close(state: CaseState, cmd: CloseCase, ctx: Context) -> list[EventPayload]:
    require_holder(state, cmd.actor)
    require_status(state, Status.DELIVERED, action="归档", action_en="archive")
    if state.outstanding_tolerated:
        names = "、".join(state.item.material_name(m) for m in state.outstanding_tolerated)
        raise conflict(
            "tolerated_material_outstanding",
            f"容缺材料尚未补齐（{names}），不能归档",
            f"tolerated-gap materials still owed: {', '.join(state.outstanding_tolerated)}",
        )
    return [CaseClosed()]


@decider(WithdrawCase)
def withdraw(state: CaseState, cmd: WithdrawCase, ctx: Context) -> list[EventPayload]:
    """撤回: the applicant withdraws before a decision, at the node that took the matter or holds it."""
    require_operator(cmd.actor)
    require_status(
        state,
        Status.SUBMITTED,
        Status.PENDING_SUPPLEMENT,
        Status.ACCEPTED,
        Status.HANDLING,
        action="撤回",
        action_en="withdraw",
    )
    if cmd.actor.node_id not in (state.origin_node, state.holder):
        raise forbidden(
            "case_not_held",
            "撤回申请由受理或承办节点登记",
            "withdrawals are recorded by the origin or holder",
        )
    return [CaseWithdrawn(reason=require_text(cmd.reason, "reason", "撤回原因"))]


def _require_joint_review_done(state: CaseState, approving: bool) -> None:
    if state.item.joint is None:
        return
    if state.joint is None or state.joint.result is None:
        raise conflict(
            "joint_review_required",
            "该事项须先完成联合审查（会签/或签），再由牵头部门作出决定",
            "the joint review must conclude before the lead decides",
        )
    if approving and state.joint.result == "rejected":
        raise conflict(
            "joint_review_rejected", "联合审查未通过，不能准予批准", "the joint review rejected the case"
        )


@evolver(CaseDecided)
def decided(s: CaseState, e: CaseDecided, m: DomainEvent) -> CaseState:
    return s.model_copy(
        update={
            "status": Status.DECIDED,
            "outcome": e.outcome,
            "outcome_reason": e.reason,
            "decided_by_node": s.holder,
        }
    )


@evolver(ResultIssued)
def issued(s: CaseState, e: ResultIssued, m: DomainEvent) -> CaseState:
    # the clock stops: a pending extension request has nothing left to extend
    update: dict[str, object] = {
        "status": Status.RESULT_ISSUED,
        "result": e.result,
        "result_issued_at": m.at,
        "extension_request": None,
    }
    if s.holder != e.deliver_at:
        update.update(
            holder=None, owner=None, transit=Transit(kind="delivery", from_node=s.holder, target=e.deliver_at)
        )
    return s.model_copy(update=update)


@evolver(ResultDelivered)
def delivered(s: CaseState, e: ResultDelivered, m: DomainEvent) -> CaseState:
    return s.model_copy(update={"status": Status.DELIVERED, "delivered_at": m.at})


@evolver(CaseClosed)
def closed(s: CaseState, e: CaseClosed, m: DomainEvent) -> CaseState:
    return s.model_copy(update={"status": Status.CLOSED, "closed_at": m.at})


@evolver(CaseWithdrawn)
def withdrawn(s: CaseState, e: CaseWithdrawn, m: DomainEvent) -> CaseState:
    # a case withdrawn while in transit is no longer waiting for routing to place it
    update = {"status": Status.WITHDRAWN, "withdrawn_reason": e.reason, "suspension": None, "transit": None}
    return s.model_copy(update=update)
