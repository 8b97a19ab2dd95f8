"""Complaints (投诉) and supervision orders (督办): the county supervision office's instruments.

A complaint against a node or an operator may be filed at any time, even after archiving; the
supervision office resolves it with a finding. A supervision order tells the node holding an
open case to act by a date; that node answers it.
"""

from __future__ import annotations

from datetime import date

from pydantic import Field

from shared.case.errors import conflict, forbidden, invalid
from shared.case.guards import OPERATOR_ROLES, SUPERVISION_ROLE, require_supervision, require_text
from shared.case.kernel import Command, Context, DomainEvent, decider, evolver
from shared.case.state import CaseState, Complaint, SupervisionOrder
from shared.clock import local_date
from shared.events import EventPayload, event


class FileComplaint(Command):
    complaint_id: str = Field(min_length=1, max_length=64)
    against_node: str = Field(min_length=1, max_length=64)
    against_operator: str | None = Field(default=None, max_length=64)
    content: str = Field(max_length=2000)


class ResolveComplaint(Command):
    complaint_id: str
    substantiated: bool
    finding: str = Field(max_length=2000)


class IssueSupervisionOrder(Command):
    order_id: str = Field(min_length=1, max_length=64)
    due: date
    instruction: str = Field(max_length=1000)


class AnswerSupervisionOrder(Command):
    order_id: str
    response: str = Field(max_length=1000)


@event
class ComplaintFiled(EventPayload):
    TYPE = "ComplaintFiled"
    complaint_id: str
    against_node: str
    against_operator: str | None = None
    content: str


@event
class ComplaintResolved(EventPayload):
    TYPE = "ComplaintResolved"
    complaint_id: str
    substantiated: bool
    finding: str


@event
class SupervisionOrdered(EventPayload):
    TYPE = "SupervisionOrdered"
    order_id: str
    node_id: str
    due: date
    instruction: str


@event
class SupervisionAnswered(EventPayload):
    TYPE = "SupervisionAnswered"
    order_id: str
    response: str


@decider(FileComplaint)
def file_complaint(state: CaseState, cmd: FileComplaint, ctx: Context) -> list[EventPayload]:
    if cmd.actor.role not in OPERATOR_ROLES | {SUPERVISION_ROLE}:
        raise forbidden(
            "role_not_allowed", "该角色不能登记投诉", f"role {cmd.actor.role!r} may not file complaints"
        )
    if state.complaint(cmd.complaint_id) is not None:
        return []
    involved = (
        {state.origin_node, *state.trail, *(o.node_id for o in state.joint.opinions)}
        if state.joint
        else {state.origin_node, *state.trail}
    )
    if cmd.against_node not in involved:
        raise invalid(
            "not_involved",
            "被投诉节点未经办该办件",
            f"node {cmd.against_node} never handled this case",
            "against_node",
        )
    content = require_text(cmd.content, "content", "投诉内容")
    return [
        ComplaintFiled(
            complaint_id=cmd.complaint_id,
            against_node=cmd.against_node,
            against_operator=cmd.against_operator,
            content=content,
        )
    ]


@decider(ResolveComplaint)
def resolve_complaint(state: CaseState, cmd: ResolveComplaint, ctx: Context) -> list[EventPayload]:
    require_supervision(cmd.actor)
    complaint = state.complaint(cmd.complaint_id)
    if complaint is None:
        raise conflict("unknown_complaint", "没有该投诉", f"no complaint {cmd.complaint_id} on this case")
    if complaint.resolved:
        raise conflict("complaint_resolved", "该投诉已办结", "the complaint was already resolved")
    finding = require_text(cmd.finding, "finding", "调查结论")
    return [
        ComplaintResolved(complaint_id=cmd.complaint_id, substantiated=cmd.substantiated, finding=finding)
    ]


@decider(IssueSupervisionOrder)
def order(state: CaseState, cmd: IssueSupervisionOrder, ctx: Context) -> list[EventPayload]:
    require_supervision(cmd.actor)
    if state.order(cmd.order_id) is not None:
        return []
    if not state.is_open or state.holder is None:
        raise conflict(
            "no_holder", "只能对在办且有承办节点的办件督办", "only an open case held by a node can be ordered"
        )
    if cmd.due < local_date(cmd.at):
        raise invalid("due_in_past", "督办期限不能早于今天", "the due date is in the past", "due")
    instruction = require_text(cmd.instruction, "instruction", "督办要求")
    return [
        SupervisionOrdered(order_id=cmd.order_id, node_id=state.holder, due=cmd.due, instruction=instruction)
    ]


@decider(AnswerSupervisionOrder)
def answer(state: CaseState, cmd: AnswerSupervisionOrder, ctx: Context) -> list[EventPayload]:
    o = state.order(cmd.order_id)
    if o is None:
        raise conflict("unknown_order", "没有该督办单", f"no supervision order {cmd.order_id} on this case")
    if cmd.actor.node_id != o.node_id or cmd.actor.role not in OPERATOR_ROLES:
        raise forbidden("not_ordered_node", "督办单由被督办节点答复", "the ordered node answers the order")
    if o.answered:
        raise conflict("order_answered", "督办单已答复", "the order was already answered")
    return [
        SupervisionAnswered(
            order_id=cmd.order_id, response=require_text(cmd.response, "response", "办理情况")
        )
    ]


def _replace(items: tuple, key: str, value: str, **update: object) -> tuple:
    return tuple(i.model_copy(update=update) if getattr(i, key) == value else i for i in items)


@evolver(ComplaintFiled)
def complaint_filed(s: CaseState, e: ComplaintFiled, m: DomainEvent) -> CaseState:
    c = Complaint(
        complaint_id=e.complaint_id,
        against_node=e.against_node,
        against_operator=e.against_operator,
        content=e.content,
    )
    return s.model_copy(update={"complaints": (*s.complaints, c)})


@evolver(ComplaintResolved)
def complaint_resolved(s: CaseState, e: ComplaintResolved, m: DomainEvent) -> CaseState:
    complaints = _replace(
        s.complaints,
        "complaint_id",
        e.complaint_id,
        resolved=True,
        substantiated=e.substantiated,
        finding=e.finding,
    )
    return s.model_copy(update={"complaints": complaints})


@evolver(SupervisionOrdered)
def ordered(s: CaseState, e: SupervisionOrdered, m: DomainEvent) -> CaseState:
    o = SupervisionOrder(order_id=e.order_id, node_id=e.node_id, due=e.due, instruction=e.instruction)
    return s.model_copy(update={"orders": (*s.orders, o)})


@evolver(SupervisionAnswered)
def answered(s: CaseState, e: SupervisionAnswered, m: DomainEvent) -> CaseState:
    return s.model_copy(
        update={"orders": _replace(s.orders, "order_id", e.order_id, answered=True, response=e.response)}
    )
