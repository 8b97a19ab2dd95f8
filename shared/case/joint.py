"""Parallel approval (并联审批) and joint pre-review (联合预审).

The catalog names the other departments and the mode: all must approve (会签) or any one is
enough (或签). The lead's owner requests the review; routing dispatches it to each department's
window and, when the mode's condition holds, concludes it; each department's opinion is its own
event. The lead decides only after the conclusion and cannot approve against it. Opinions that
arrive after the conclusion are recorded as late and change nothing.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from shared.case.errors import conflict, forbidden, invalid
from shared.case.guards import require_active, require_operator, require_owner, require_status, require_system
from shared.case.kernel import Command, Context, DomainEvent, decider, evolver
from shared.case.state import CaseState, JointReview, Opinion, Status
from shared.events import EventPayload, event

Result = Literal["approved", "rejected"]


def joint_outcome(joint: JointReview) -> Result | None:
    """The fan-in rule: 会签 approves when all approve and rejects on any refusal; 或签 the reverse."""
    counted = [o for o in joint.opinions if not o.late]
    approvals = {o.department for o in counted if o.approve}
    refusals = {o.department for o in counted if not o.approve}
    every = set(joint.departments)
    if joint.mode == "all":
        if refusals:
            return "rejected"
        return "approved" if approvals >= every else None
    if approvals:
        return "approved"
    return "rejected" if refusals >= every else None


class RequestJointReview(Command):
    pass


class DispatchJointReview(Command):
    reviewers: dict[str, str] = Field(description="department key -> the node id of its window")
    cause_event_id: str


class RecordOpinion(Command):
    approve: bool
    opinion: str = Field(default="", max_length=1000)


class ConcludeJointReview(Command):
    cause_event_id: str


@event
class JointReviewRequested(EventPayload):
    TYPE = "JointReviewRequested"
    kind: Literal["parallel_approval", "joint_prereview"]
    mode: Literal["all", "any"]
    departments: tuple[str, ...]


@event
class JointReviewDispatched(EventPayload):
    TYPE = "JointReviewDispatched"
    reviewers: dict[str, str]
    cause_event_id: str


@event
class JointOpinionRecorded(EventPayload):
    TYPE = "JointOpinionRecorded"
    department: str
    node_id: str
    operator_id: str
    approve: bool
    opinion: str = ""
    late: bool = False


@event
class JointReviewConcluded(EventPayload):
    TYPE = "JointReviewConcluded"
    result: Result
    cause_event_id: str


@decider(RequestJointReview)
def request_review(state: CaseState, cmd: RequestJointReview, ctx: Context) -> list[EventPayload]:
    require_owner(state, cmd.actor)
    require_status(state, Status.HANDLING, action="发起联合审查", action_en="request a joint review")
    require_active(state)
    terms = state.item.joint
    if terms is None:
        raise conflict("no_joint_review", "该事项不需要并联审批或联合预审", "this item has no joint review")
    if state.joint is not None:
        raise conflict("joint_review_exists", "联合审查已发起", "the joint review was already requested")
    return [JointReviewRequested(kind=terms.kind, mode=terms.mode, departments=terms.departments)]


@decider(DispatchJointReview)
def dispatch(state: CaseState, cmd: DispatchJointReview, ctx: Context) -> list[EventPayload]:
    require_system(cmd.actor)
    if cmd.cause_event_id in state.handled_causes:
        return []
    if not state.is_open:
        require_status(state, Status.HANDLING, action="分发联合审查", action_en="dispatch a joint review")
    if state.joint is None or state.joint.reviewers:
        raise conflict(
            "not_awaiting_dispatch", "没有待分发的联合审查", "no joint review waits to be dispatched"
        )
    if set(cmd.reviewers) != set(state.joint.departments):
        raise invalid(
            "reviewers_mismatch", "分发部门与事项规定不一致", "reviewers must match the item's departments"
        )
    return [JointReviewDispatched(reviewers=dict(cmd.reviewers), cause_event_id=cmd.cause_event_id)]


@decider(RecordOpinion)
def record_opinion(state: CaseState, cmd: RecordOpinion, ctx: Context) -> list[EventPayload]:
    require_operator(cmd.actor)
    joint = state.joint
    if joint is None or not joint.reviewers:
        raise conflict("no_joint_review", "该办件没有进行中的联合审查", "no joint review is under way")
    department = next((d for d, n in joint.reviewers.items() if n == cmd.actor.node_id), None)
    if department is None:
        raise forbidden(
            "not_a_reviewer", "本部门不是该办件的联合审查部门", "this node is not a reviewer of the case"
        )
    if any(o.department == department for o in joint.opinions):  # late ones too: one opinion each
        raise conflict("opinion_recorded", "本部门已提出审查意见", "this department already gave its opinion")
    if not state.is_open:
        require_status(state, Status.HANDLING, action="提出审查意见", action_en="give an opinion")
    opinion = cmd.opinion.strip()
    if not cmd.approve and not opinion:
        raise invalid("reason_required", "请填写不同意的理由", "a refusal needs a reason", "opinion")
    return [
        JointOpinionRecorded(
            department=department,
            node_id=cmd.actor.node_id,
            operator_id=cmd.actor.operator_id,
            approve=cmd.approve,
            opinion=opinion,
            late=joint.result is not None,
        )
    ]


@decider(ConcludeJointReview)
def conclude(state: CaseState, cmd: ConcludeJointReview, ctx: Context) -> list[EventPayload]:
    require_system(cmd.actor)
    if cmd.cause_event_id in state.handled_causes or (state.joint and state.joint.result):
        return []
    if not state.is_open:
        require_status(state, Status.HANDLING, action="作出联合审查结论", action_en="conclude a joint review")
    if state.joint is None:
        raise conflict("no_joint_review", "该办件没有联合审查", "the case has no joint review")
    result = joint_outcome(state.joint)
    if result is None:
        raise conflict("joint_review_pending", "联合审查意见尚未收齐", "the joint review is not complete yet")
    return [JointReviewConcluded(result=result, cause_event_id=cmd.cause_event_id)]


@evolver(JointReviewRequested)
def requested(s: CaseState, e: JointReviewRequested, m: DomainEvent) -> CaseState:
    return s.model_copy(update={"joint": JointReview(kind=e.kind, mode=e.mode, departments=e.departments)})


@evolver(JointReviewDispatched)
def dispatched(s: CaseState, e: JointReviewDispatched, m: DomainEvent) -> CaseState:
    assert s.joint is not None
    return s.model_copy(
        update={
            "joint": s.joint.model_copy(update={"reviewers": dict(e.reviewers)}),
            "handled_causes": s.handled_causes | {e.cause_event_id},
        }
    )


@evolver(JointOpinionRecorded)
def opinion_recorded(s: CaseState, e: JointOpinionRecorded, m: DomainEvent) -> CaseState:
    assert s.joint is not None
    opinion = Opinion(
        department=e.department,
        node_id=e.node_id,
        operator_id=e.operator_id,
        approve=e.approve,
        opinion=e.opinion,
        late=e.late,
    )
    return s.model_copy(
        update={"joint": s.joint.model_copy(update={"opinions": (*s.joint.opinions, opinion)})}
    )


@evolver(JointReviewConcluded)
def concluded(s: CaseState, e: JointReviewConcluded, m: DomainEvent) -> CaseState:
    assert s.joint is not None
    return s.model_copy(
        update={
            "joint": s.joint.model_copy(update={"result": e.result}),
            "handled_causes": s.handled_causes | {e.cause_event_id},
        }
    )
