"""Parallel approval (并联审批): the lead window's owner requests it, routing dispatches it to three
departments and concludes it, each department's opinion is its own event; 会签 needs every
approval, 或签 any one; the lead decides only after the conclusion and never against it."""

from __future__ import annotations

from typing import Literal

import pytest

from shared.case import (
    ConcludeJointReview,
    DispatchJointReview,
    JointOpinionRecorded,
    JointReviewConcluded,
    JointReviewDispatched,
    JointReviewRequested,
    RecordOpinion,
    RequestJointReview,
    Status,
    SuspendCase,
    WithdrawCase,
)
from shared.case.kernel import Command
from shared.events import Actor
from tests.support.builders import CASE_ID, DEPT, MONDAY, ROUTING, actor
from tests.support.gwt import given
from tests.unit.case.lifecycle import (
    ALICE,
    AUDITOR,
    BOB,
    ENVIRONMENT,
    FIRE,
    PLANNING,
    REVIEWERS,
    at_dept,
    close,
    decide,
    deliver,
    issue,
    joint_item,
    route,
    submit,
)

DEPARTMENTS = ("planning", "fire-rescue", "environment")
OPERATOR = {PLANNING: "gao", FIRE: "ma", ENVIRONMENT: "he"}
NO = "不符合消防安全要求"


def request(operator: str = ALICE) -> RequestJointReview:
    return RequestJointReview(case_id=CASE_ID, at=MONDAY, actor=actor(DEPT, operator))


def dispatch(
    reviewers: dict[str, str] | None = None, cause: str = "ev-requested", by: Actor = ROUTING
) -> DispatchJointReview:
    return DispatchJointReview(
        case_id=CASE_ID,
        at=MONDAY,
        actor=by,
        reviewers=dict(REVIEWERS) if reviewers is None else reviewers,
        cause_event_id=cause,
    )


def opinion(node: str, approve: bool = True, text: str = "同意") -> RecordOpinion:
    return RecordOpinion(
        case_id=CASE_ID, at=MONDAY, actor=actor(node, OPERATOR.get(node, "x")), approve=approve, opinion=text
    )


def conclude(cause: str = "ev-last-opinion", by: Actor = ROUTING) -> ConcludeJointReview:
    return ConcludeJointReview(case_id=CASE_ID, at=MONDAY, actor=by, cause_event_id=cause)


def dispatched(mode: Literal["all", "any"] = "all") -> list[Command]:
    return [*at_dept(joint_item(mode)), request(), dispatch()]


def recorded(node: str, approve: bool = True, text: str = "同意", late: bool = False) -> JointOpinionRecorded:
    department = next(d for d, n in REVIEWERS.items() if n == node)
    return JointOpinionRecorded(
        department=department,
        node_id=node,
        operator_id=OPERATOR[node],
        approve=approve,
        opinion=text,
        late=late,
    )


# -- request and dispatch --------------------------------------------------------------------------


def test_the_lead_owner_requests_the_review_the_catalog_prescribes() -> None:
    state = (
        given(*at_dept(joint_item("all")))
        .when(request())
        .then(JointReviewRequested(kind="parallel_approval", mode="all", departments=DEPARTMENTS))
    )
    assert state.joint is not None and state.joint.reviewers == {} and state.joint.result is None


def test_an_item_without_a_joint_review_cannot_request_one() -> None:
    given(*at_dept()).when(request()).then_refused("no_joint_review", kind="conflict")


def test_the_review_is_requested_once() -> None:
    given(*at_dept(joint_item()), request()).when(request()).then_refused(
        "joint_review_exists", kind="conflict"
    )


def test_only_the_owner_requests_the_review() -> None:
    given(*at_dept(joint_item())).when(request(BOB)).then_refused("not_case_owner", kind="forbidden")


def test_no_review_is_requested_while_suspended() -> None:
    suspend = SuspendCase(
        case_id=CASE_ID, at=MONDAY, actor=actor(DEPT, ALICE), procedure="expert_review", reason="专家评审"
    )
    given(*at_dept(joint_item()), suspend).when(request()).then_refused("case_suspended", kind="conflict")


def test_a_case_waiting_for_routing_cannot_request_a_review() -> None:
    cmd = RequestJointReview(case_id=CASE_ID, at=MONDAY, actor=actor())
    given(submit(joint_item())).when(cmd).then_refused("case_in_transit", kind="conflict")


def test_routing_dispatches_the_review_to_each_departments_window() -> None:
    state = (
        given(*at_dept(joint_item()), request())
        .when(dispatch())
        .then(JointReviewDispatched(reviewers=dict(REVIEWERS), cause_event_id="ev-requested"))
    )
    assert state.joint is not None and state.joint.reviewers == REVIEWERS
    assert state.holder == DEPT and state.owner == ALICE  # the lead keeps the case meanwhile


def test_a_redelivered_dispatch_changes_nothing() -> None:
    given(*dispatched()).when(dispatch()).then_nothing()


def test_a_second_dispatch_for_another_cause_is_refused() -> None:
    given(*dispatched()).when(dispatch(cause="ev-other")).then_refused(
        "not_awaiting_dispatch", kind="conflict"
    )


def test_nothing_is_dispatched_before_the_review_is_requested() -> None:
    given(*at_dept(joint_item())).when(dispatch()).then_refused("not_awaiting_dispatch", kind="conflict")


def test_the_dispatch_must_reach_exactly_the_items_departments() -> None:
    err = (
        given(*at_dept(joint_item()), request())
        .when(dispatch({"planning": PLANNING, "fire-rescue": FIRE}))
        .then_refused("reviewers_mismatch", kind="invalid")
    )
    assert err.message


def test_only_routing_dispatches() -> None:
    given(*at_dept(joint_item()), request()).when(dispatch(by=actor(DEPT, ALICE))).then_refused(
        "system_only", kind="forbidden"
    )


def test_a_review_is_not_dispatched_for_a_withdrawn_case() -> None:
    withdraw = WithdrawCase(case_id=CASE_ID, at=MONDAY, actor=actor(DEPT, ALICE), reason="申请人撤回")
    given(*at_dept(joint_item()), request(), withdraw).when(dispatch()).then_refused(
        "invalid_state", kind="conflict"
    )


# -- opinions --------------------------------------------------------------------------------------


def test_each_departments_opinion_is_its_own_event() -> None:
    state = (
        given(*dispatched())
        .when(opinion(PLANNING, text=" 符合规划 "))
        .then(recorded(PLANNING, text="符合规划"))
    )
    assert state.joint is not None
    assert [o.department for o in state.joint.opinions] == ["planning"]


def test_a_department_not_asked_cannot_give_an_opinion() -> None:
    given(*dispatched()).when(opinion("c01.d.health")).then_refused("not_a_reviewer", kind="forbidden")


def test_the_lead_window_is_not_a_reviewer() -> None:
    given(*dispatched()).when(opinion(DEPT)).then_refused("not_a_reviewer", kind="forbidden")


def test_a_department_gives_one_opinion() -> None:
    given(*dispatched(), opinion(PLANNING)).when(
        opinion(PLANNING, approve=False, text="改变意见")
    ).then_refused("opinion_recorded", kind="conflict")


def test_a_refusal_needs_a_reason() -> None:
    err = (
        given(*dispatched())
        .when(opinion(FIRE, approve=False, text=" "))
        .then_refused("reason_required", kind="invalid")
    )
    assert err.field == "opinion"


def test_no_opinion_before_the_review_is_dispatched() -> None:
    given(*at_dept(joint_item()), request()).when(opinion(PLANNING)).then_refused(
        "no_joint_review", kind="conflict"
    )


def test_an_auditor_gives_no_opinion() -> None:
    cmd = opinion(PLANNING).model_copy(update={"actor": AUDITOR.model_copy(update={"node_id": PLANNING})})
    given(*dispatched()).when(cmd).then_refused("role_not_allowed", kind="forbidden")


# -- 会签 (all must approve) ------------------------------------------------------------------------


def test_all_approve_and_the_review_is_approved() -> None:
    history = [*dispatched("all"), opinion(PLANNING), opinion(FIRE), opinion(ENVIRONMENT)]
    state = (
        given(*history)
        .when(conclude())
        .then(JointReviewConcluded(result="approved", cause_event_id="ev-last-opinion"))
    )
    assert state.joint is not None and state.joint.result == "approved"


def test_one_refusal_rejects_the_review_without_waiting_for_the_others() -> None:
    history = [*dispatched("all"), opinion(PLANNING), opinion(FIRE, approve=False, text=NO)]
    given(*history).when(conclude()).then(
        JointReviewConcluded(result="rejected", cause_event_id="ev-last-opinion")
    )


def test_two_approvals_of_three_are_not_enough() -> None:
    history = [*dispatched("all"), opinion(PLANNING), opinion(FIRE)]
    given(*history).when(conclude()).then_refused("joint_review_pending", kind="conflict")


# -- 或签 (any one approves) -----------------------------------------------------------------------


def test_one_approval_is_enough() -> None:
    history = [*dispatched("any"), opinion(FIRE, approve=False, text=NO), opinion(ENVIRONMENT)]
    given(*history).when(conclude()).then(
        JointReviewConcluded(result="approved", cause_event_id="ev-last-opinion")
    )


def test_all_refusing_rejects() -> None:
    history = [
        *dispatched("any"),
        opinion(PLANNING, approve=False, text="不符合规划"),
        opinion(FIRE, approve=False, text=NO),
        opinion(ENVIRONMENT, approve=False, text="环评未通过"),
    ]
    given(*history).when(conclude()).then(
        JointReviewConcluded(result="rejected", cause_event_id="ev-last-opinion")
    )


def test_two_refusals_of_three_are_not_yet_a_rejection() -> None:
    history = [
        *dispatched("any"),
        opinion(PLANNING, approve=False, text="不符合规划"),
        opinion(FIRE, approve=False, text=NO),
    ]
    given(*history).when(conclude()).then_refused("joint_review_pending", kind="conflict")


# -- conclusion: redelivery, late opinions ------------------------------------------------------------


def approved_any() -> list[Command]:
    return [*dispatched("any"), opinion(PLANNING), conclude()]


def test_a_redelivered_conclusion_changes_nothing() -> None:
    given(*approved_any()).when(conclude()).then_nothing()


def test_a_conclusion_for_a_later_cause_changes_nothing_either() -> None:
    given(*approved_any()).when(conclude("ev-late-opinion")).then_nothing()


def test_a_late_opinion_is_recorded_as_late_and_changes_nothing() -> None:
    state = (
        given(*approved_any())
        .when(opinion(FIRE, approve=False, text=NO))
        .then(recorded(FIRE, False, NO, late=True))
    )
    assert state.joint is not None and state.joint.result == "approved"
    assert state.joint.opinion_of("fire-rescue") is None  # late opinions do not count


def test_a_late_opinion_does_not_stop_the_lead_from_approving() -> None:
    given(*approved_any(), opinion(FIRE, approve=False, text=NO)).when(decide()).then_types("CaseDecided")


def test_a_department_gives_one_late_opinion_too() -> None:
    history = [*approved_any(), opinion(FIRE, approve=False, text=NO)]
    given(*history).when(opinion(FIRE, approve=False, text=NO)).then_refused(
        "opinion_recorded", kind="conflict"
    )


def test_a_department_that_gave_its_opinion_in_time_cannot_add_a_late_one() -> None:
    given(*approved_any()).when(opinion(PLANNING)).then_refused("opinion_recorded", kind="conflict")


def test_only_routing_concludes() -> None:
    history = [*dispatched("any"), opinion(PLANNING)]
    given(*history).when(conclude(by=actor(DEPT, ALICE))).then_refused("system_only", kind="forbidden")


def test_a_case_without_a_review_cannot_conclude_one() -> None:
    given(*at_dept()).when(conclude()).then_refused("no_joint_review", kind="conflict")


def test_a_withdrawn_case_does_not_conclude_its_review() -> None:
    withdraw = WithdrawCase(case_id=CASE_ID, at=MONDAY, actor=actor(DEPT, ALICE), reason="申请人撤回")
    history = [*dispatched("any"), opinion(PLANNING), withdraw]
    given(*history).when(conclude()).then_refused("invalid_state", kind="conflict")


def test_no_opinion_after_the_case_is_archived() -> None:
    history = [*approved_any(), decide(), issue(), route("c01.t01.v01", "ev-issued"), deliver(), close()]
    given(*history).when(opinion(ENVIRONMENT)).then_refused("invalid_state", kind="conflict")


# -- the lead's decision ------------------------------------------------------------------------------


@pytest.mark.parametrize("approved", [True, False])
def test_the_lead_cannot_decide_before_the_review_concludes(approved: bool) -> None:
    err = (
        given(*dispatched(), opinion(PLANNING))
        .when(decide(approved, "不予批准" if not approved else ""))
        .then_refused("joint_review_required", kind="conflict")
    )
    assert "联合审查" in err.message


def test_the_lead_cannot_decide_without_requesting_the_review() -> None:
    given(*at_dept(joint_item())).when(decide()).then_refused("joint_review_required", kind="conflict")


def test_the_lead_cannot_approve_against_a_rejection() -> None:
    history = [*dispatched("all"), opinion(FIRE, approve=False, text=NO), conclude()]
    given(*history).when(decide()).then_refused("joint_review_rejected", kind="conflict")


def test_the_lead_denies_after_a_rejection() -> None:
    history = [*dispatched("all"), opinion(FIRE, approve=False, text=NO), conclude()]
    state = given(*history).when(decide(False, "联合审查未通过：" + NO)).then_types("CaseDecided")
    assert state.outcome == "denied" and state.status == Status.DECIDED


def test_the_lead_approves_after_an_approval() -> None:
    history = [*dispatched("all"), opinion(PLANNING), opinion(FIRE), opinion(ENVIRONMENT), conclude()]
    state = given(*history).when(decide()).then_types("CaseDecided")
    assert state.outcome == "approved"
