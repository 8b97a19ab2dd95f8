"""Evaluation (好差评): five levels, one per case, recorded after closing."""

from __future__ import annotations

from pydantic import Field

from shared.case.errors import conflict, forbidden, invalid
from shared.case.guards import require_operator, require_status
from shared.case.kernel import Command, Context, DomainEvent, decider, evolver
from shared.case.state import CaseState, Status
from shared.events import EventPayload, event

RATING_ZH = {5: "非常满意", 4: "满意", 3: "基本满意", 2: "不满意", 1: "非常不满意"}


class EvaluateCase(Command):
    rating: int
    comment: str = Field(default="", max_length=500)


@event
class CaseEvaluated(EventPayload):
    TYPE = "CaseEvaluated"
    rating: int = Field(ge=1, le=5)
    comment: str = ""


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
    return [CaseEvaluated(rating=cmd.rating, comment=cmd.comment.strip())]


@evolver(CaseEvaluated)
def evaluated(s: CaseState, e: CaseEvaluated, m: DomainEvent) -> CaseState:
    return s.model_copy(update={"evaluation": e.rating})
