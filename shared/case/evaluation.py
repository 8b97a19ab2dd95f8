"""Evaluation (好差评) and what a bad one sets off: rectification (整改) and a follow-up (回访).

Five levels, one rating per case, recorded after archiving at the node that took the matter. A
rating of 2 or less needs a written reason and opens a rectification owed by the node that
handled the case, due within 15 working days; once rectified, a follow-up records whether the
citizen is now satisfied.
"""

from __future__ import annotations

from datetime import date

from pydantic import Field

from shared.case.errors import conflict, forbidden, invalid
from shared.case.guards import SUPERVISION_ROLE, require_operator, require_status, require_text
from shared.case.kernel import Command, Context, DomainEvent, decider, evolver
from shared.case.state import CaseState, Rectification, Status
from shared.clock import local_date
from shared.events import EventPayload, event

RATING_ZH = {5: "非常满意", 4: "满意", 3: "基本满意", 2: "不满意", 1: "非常不满意"}
RECTIFICATION_WORKDAYS = 15


class EvaluateCase(Command):
    rating: int
    comment: str = Field(default="", max_length=500)


class CompleteRectification(Command):
    measures: str = Field(max_length=1000)


class RecordFollowUp(Command):
    satisfied: bool
    note: str = Field(default="", max_length=500)


@event
class CaseEvaluated(EventPayload):
    TYPE = "CaseEvaluated"
    rating: int = Field(ge=1, le=5)
    comment: str = ""


@event
class RectificationOpened(EventPayload):
    TYPE = "RectificationOpened"
    node_id: str
    due: date
    reason: str


@event
class RectificationCompleted(EventPayload):
    TYPE = "RectificationCompleted"
    measures: str


@event
class FollowUpRecorded(EventPayload):
    TYPE = "FollowUpRecorded"
    satisfied: bool
    note: str = ""


@decider(EvaluateCase)
def evaluate(state: CaseState, cmd: EvaluateCase, ctx: Context) -> list[EventPayload]:
    require_operator(cmd.actor)
    require_status(state, Status.CLOSED, action="评价", action_en="evaluate")
    if cmd.actor.node_id != state.origin_node:
        raise forbidden(
            "not_origin_node",
            "评价由受理的村（社区）或窗口代为录入",
            "ratings are recorded where the case was submitted",
        )
    if not 1 <= cmd.rating <= 5:
        raise invalid("rating_out_of_range", "评价等级须为1至5", "rating must be 1..5", field="rating")
    if state.evaluation is not None:
        raise conflict(
            "already_evaluated", "该办件已评价，每件只能评价一次", "the case was already evaluated"
        )
    comment = cmd.comment.strip()
    events: list[EventPayload] = []
    if cmd.rating <= 2:
        comment = require_text(cmd.comment, "comment", "差评的具体原因")
        events.append(CaseEvaluated(rating=cmd.rating, comment=comment))
        due = ctx.calendar.add_workdays(local_date(cmd.at), RECTIFICATION_WORKDAYS).date_value
        node = state.decided_by_node or state.trail[-1]
        events.append(RectificationOpened(node_id=node, due=due, reason=comment))
        return events
    return [CaseEvaluated(rating=cmd.rating, comment=comment)]


@decider(CompleteRectification)
def complete_rectification(state: CaseState, cmd: CompleteRectification, ctx: Context) -> list[EventPayload]:
    require_operator(cmd.actor)
    r = state.rectification
    if r is None or r.completed:
        raise conflict("no_open_rectification", "没有待整改事项", "no rectification is open")
    if cmd.actor.node_id != r.node_id:
        raise forbidden(
            "not_rectifying_node", "整改由承办节点负责", "the handling node owes the rectification"
        )
    return [RectificationCompleted(measures=require_text(cmd.measures, "measures", "整改措施"))]


@decider(RecordFollowUp)
def follow_up(state: CaseState, cmd: RecordFollowUp, ctx: Context) -> list[EventPayload]:
    r = state.rectification
    if r is None or not r.completed:
        raise conflict(
            "rectification_not_done", "整改完成后才能回访", "follow up after the rectification is done"
        )
    if r.satisfied is not None:
        raise conflict("followed_up", "已完成回访", "the follow-up was already recorded")
    if cmd.actor.role != SUPERVISION_ROLE:
        require_operator(cmd.actor)
        if cmd.actor.node_id != state.origin_node:
            raise forbidden(
                "not_origin_node", "回访由受理节点或督查科进行", "the origin node or supervision follows up"
            )
    return [FollowUpRecorded(satisfied=cmd.satisfied, note=cmd.note.strip())]


@evolver(CaseEvaluated)
def evaluated(s: CaseState, e: CaseEvaluated, m: DomainEvent) -> CaseState:
    return s.model_copy(update={"evaluation": e.rating})


@evolver(RectificationOpened)
def rectification_opened(s: CaseState, e: RectificationOpened, m: DomainEvent) -> CaseState:
    return s.model_copy(
        update={"rectification": Rectification(node_id=e.node_id, due=e.due, reason=e.reason)}
    )


@evolver(RectificationCompleted)
def rectification_completed(s: CaseState, e: RectificationCompleted, m: DomainEvent) -> CaseState:
    assert s.rectification is not None
    return s.model_copy(
        update={
            "rectification": s.rectification.model_copy(update={"completed": True, "measures": e.measures})
        }
    )


@evolver(FollowUpRecorded)
def followed_up(s: CaseState, e: FollowUpRecorded, m: DomainEvent) -> CaseState:
    assert s.rectification is not None
    return s.model_copy(
        update={"rectification": s.rectification.model_copy(update={"satisfied": e.satisfied})}
    )
