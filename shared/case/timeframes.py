"""Time limits: fast track (快速通道), special procedures (特别程序), extensions (延期), clock marks.

A special procedure — expert review, field survey, hearing, public notice — stops the clock; on
resumption the deadline moves by the working days it was stopped. An extension needs a reason
from the case's owner and the approval of the supervision office, and moves the deadline by the
approved working days. Warnings (黄牌) and overdue marks (红牌) are made by routing's clock, each
once per target and deadline, and only when they are really due.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from shared.case.errors import conflict, invalid
from shared.case.guards import (
    require_active,
    require_holder,
    require_owner,
    require_status,
    require_supervision,
    require_system,
    require_text,
)
from shared.case.intake import fast_track_deadline
from shared.case.kernel import Command, Context, DomainEvent, decider, evolver
from shared.case.state import CaseState, ExtensionRequest, Procedure, Status, Suspension, mark_key
from shared.clock import local_date
from shared.events import EventPayload, event

MAX_EXTENSION_WORKDAYS = 30
Target = Literal["case", "rectification", "supervision"]
MarkKind = Literal["warning", "overdue"]


class FlagFastTrack(Command):
    reason: str = Field(max_length=500)


class SuspendCase(Command):
    procedure: Procedure
    reason: str = Field(max_length=500)
    expected_days: int | None = Field(default=None, ge=1, le=365)


class ResumeCase(Command):
    note: str = Field(default="", max_length=500)


class RequestExtension(Command):
    days: int = Field(ge=1, le=MAX_EXTENSION_WORKDAYS)
    reason: str = Field(max_length=500)


class DecideExtension(Command):
    approve: bool
    note: str = Field(default="", max_length=500)


class MarkDeadline(Command):
    kind: MarkKind
    target: Target
    ref: str
    due: date


@event
class FastTrackFlagged(EventPayload):
    TYPE = "FastTrackFlagged"
    reason: str
    internal_deadline: date | None = None


@event
class CaseSuspended(EventPayload):
    TYPE = "CaseSuspended"
    procedure: Procedure
    reason: str
    expected_days: int | None = None


@event
class CaseResumed(EventPayload):
    TYPE = "CaseResumed"
    paused_workdays: int
    deadline: date | None
    note: str = ""


@event
class ExtensionRequested(EventPayload):
    TYPE = "ExtensionRequested"
    days: int
    reason: str


@event
class ExtensionGranted(EventPayload):
    TYPE = "ExtensionGranted"
    days: int
    deadline: date
    note: str = ""


@event
class ExtensionDenied(EventPayload):
    TYPE = "ExtensionDenied"
    note: str = ""


@event
class DeadlineWarned(EventPayload):
    TYPE = "DeadlineWarned"
    target: Target
    ref: str
    due: date


@event
class DeadlineMissed(EventPayload):
    TYPE = "DeadlineMissed"
    target: Target
    ref: str
    due: date


@decider(FlagFastTrack)
def flag_fast_track(state: CaseState, cmd: FlagFastTrack, ctx: Context) -> list[EventPayload]:
    require_holder(state, cmd.actor)
    if not state.is_open or state.status in (Status.RESULT_ISSUED, Status.DELIVERED):
        require_status(
            state, Status.SUBMITTED, Status.HANDLING, action="开通快速通道", action_en="fast-track"
        )
    if state.fast_track:
        return []
    reason = require_text(cmd.reason, "reason", "开通快速通道的理由")
    internal = (
        fast_track_deadline(state.item, local_date(state.accepted_at), ctx) if state.accepted_at else None
    )
    return [FastTrackFlagged(reason=reason, internal_deadline=internal)]


@decider(SuspendCase)
def suspend(state: CaseState, cmd: SuspendCase, ctx: Context) -> list[EventPayload]:
    require_owner(state, cmd.actor)
    require_status(state, Status.HANDLING, action="启动特别程序", action_en="suspend")
    require_active(state)
    reason = require_text(cmd.reason, "reason", "特别程序的事由")
    return [CaseSuspended(procedure=cmd.procedure, reason=reason, expected_days=cmd.expected_days)]


@decider(ResumeCase)
def resume(state: CaseState, cmd: ResumeCase, ctx: Context) -> list[EventPayload]:
    require_holder(state, cmd.actor)
    if state.suspension is None:
        raise conflict("not_suspended", "办件未中止，无需恢复", "the case is not suspended")
    paused = ctx.calendar.count_workdays(local_date(state.suspension.since), local_date(cmd.at)).int_value
    deadline = state.deadline
    if deadline is not None and paused:
        deadline = ctx.calendar.add_workdays(deadline, paused).date_value
    return [CaseResumed(paused_workdays=paused, deadline=deadline, note=cmd.note.strip())]


@decider(RequestExtension)
def request_extension(state: CaseState, cmd: RequestExtension, ctx: Context) -> list[EventPayload]:
    require_owner(state, cmd.actor)
    require_status(state, Status.HANDLING, action="申请延期", action_en="request an extension")
    require_active(state)
    if state.extension_request is not None:
        raise conflict("extension_pending", "已有延期申请待审批", "an extension request is already pending")
    if state.item.kind == "immediate":
        raise conflict("immediate_no_extension", "即办件不能延期", "immediate cases cannot be extended")
    if state.extended_days + cmd.days > MAX_EXTENSION_WORKDAYS:
        raise invalid(
            "extension_too_long",
            f"累计延期不得超过{MAX_EXTENSION_WORKDAYS}个工作日",
            f"extensions may not exceed {MAX_EXTENSION_WORKDAYS} working days in total",
            "days",
        )
    return [ExtensionRequested(days=cmd.days, reason=require_text(cmd.reason, "reason", "延期理由"))]


@decider(DecideExtension)
def decide_extension(state: CaseState, cmd: DecideExtension, ctx: Context) -> list[EventPayload]:
    require_supervision(cmd.actor)
    require_status(state, Status.HANDLING, Status.DECIDED, action="审批延期", action_en="decide an extension")
    request = state.extension_request
    if request is None:
        raise conflict("no_extension_request", "没有待审批的延期申请", "no extension request is pending")
    if not cmd.approve:
        return [ExtensionDenied(note=require_text(cmd.note, "note", "不同意延期的理由"))]
    assert state.deadline is not None
    deadline = ctx.calendar.add_workdays(state.deadline, request.days).date_value
    return [ExtensionGranted(days=request.days, deadline=deadline, note=cmd.note.strip())]


@decider(MarkDeadline)
def mark_deadline(state: CaseState, cmd: MarkDeadline, ctx: Context) -> list[EventPayload]:
    require_system(cmd.actor)
    if mark_key(cmd.kind, cmd.target, cmd.ref, cmd.due) in state.marks:
        return []
    _require_open_target(state, cmd)
    today = local_date(cmd.at)
    starts = ctx.calendar.previous_workday(cmd.due).date_value if cmd.kind == "warning" else None
    if (cmd.kind == "warning" and today < (starts or cmd.due)) or (
        cmd.kind == "overdue" and today <= cmd.due
    ):
        raise conflict("not_due", "时限未到，不能亮牌", f"the {cmd.kind} for {cmd.due} is not due on {today}")
    payload = DeadlineWarned if cmd.kind == "warning" else DeadlineMissed
    return [payload(target=cmd.target, ref=cmd.ref, due=cmd.due)]


def _require_open_target(state: CaseState, cmd: MarkDeadline) -> None:
    if cmd.target == "case":
        if cmd.ref != state.case_id or not state.clock_running or state.deadline != cmd.due:
            raise conflict(
                "clock_stopped", "办件时限已停止或已变更", "the case's clock is stopped or its deadline moved"
            )
    elif cmd.target == "rectification":
        r = state.rectification
        if r is None or r.completed or r.due != cmd.due or cmd.ref != state.case_id:
            raise conflict(
                "clock_stopped", "整改已完成或期限已变更", "the rectification is done or its due date moved"
            )
    else:
        order = state.order(cmd.ref)
        if order is None or order.answered or order.due != cmd.due:
            raise conflict(
                "clock_stopped", "督办已答复或期限已变更", "the supervision order is answered or changed"
            )


@evolver(FastTrackFlagged)
def fast_tracked(s: CaseState, e: FastTrackFlagged, m: DomainEvent) -> CaseState:
    return s.model_copy(update={"fast_track": True, "internal_deadline": e.internal_deadline})


@evolver(CaseSuspended)
def suspended(s: CaseState, e: CaseSuspended, m: DomainEvent) -> CaseState:
    suspension = Suspension(procedure=e.procedure, reason=e.reason, since=m.at, expected_days=e.expected_days)
    return s.model_copy(update={"suspension": suspension})


@evolver(CaseResumed)
def resumed(s: CaseState, e: CaseResumed, m: DomainEvent) -> CaseState:
    return s.model_copy(
        update={
            "suspension": None,
            "deadline": e.deadline,
            "paused_workdays": s.paused_workdays + e.paused_workdays,
        }
    )


@evolver(ExtensionRequested)
def extension_requested(s: CaseState, e: ExtensionRequested, m: DomainEvent) -> CaseState:
    request = ExtensionRequest(days=e.days, reason=e.reason, requested_by=m.actor.operator_id)
    return s.model_copy(update={"extension_request": request})


@evolver(ExtensionGranted)
def extension_granted(s: CaseState, e: ExtensionGranted, m: DomainEvent) -> CaseState:
    return s.model_copy(
        update={"extension_request": None, "deadline": e.deadline, "extended_days": s.extended_days + e.days}
    )


@evolver(ExtensionDenied)
def extension_denied(s: CaseState, e: ExtensionDenied, m: DomainEvent) -> CaseState:
    return s.model_copy(update={"extension_request": None})


@evolver(DeadlineWarned)
def warned(s: CaseState, e: DeadlineWarned, m: DomainEvent) -> CaseState:
    return s.model_copy(update={"marks": s.marks | {mark_key("warning", e.target, e.ref, e.due)}})


@evolver(DeadlineMissed)
def missed(s: CaseState, e: DeadlineMissed, m: DomainEvent) -> CaseState:
    return s.model_copy(update={"marks": s.marks | {mark_key("overdue", e.target, e.ref, e.due)}})
