"""Transfer sideways (转办) to another department, and hand-over (移交) between colleagues: the
claimant (首问负责) stays responsible until the case leaves the node or a named colleague takes it."""

from __future__ import annotations

import pytest

from shared.case import (
    CaseHandedOver,
    CaseRouted,
    CaseTransferred,
    FailRouting,
    HandOverCase,
    RequestJointReview,
    Status,
    SuspendCase,
    TransferCase,
    Transit,
)
from tests.support.builders import CASE_ID, DEPT, MONDAY, ROUTING, VILLAGE, actor, item
from tests.support.gwt import given
from tests.unit.case.lifecycle import (
    AGENT,
    ALICE,
    AUDITOR,
    BOB,
    PLANNING,
    at_dept,
    claim,
    decide,
    decided_at_dept,
    issue,
    joint_item,
    route,
    submit,
    village_tier_at_village,
)

WHY = "用地审批属自然资源和规划局职责"


def transfer(
    department: str = "planning", reason: str = WHY, operator: str = ALICE, node: str = DEPT
) -> TransferCase:
    return TransferCase(
        case_id=CASE_ID, at=MONDAY, actor=actor(node, operator), to_department=department, reason=reason
    )


def hand_over(
    to: str = BOB, operator: str = ALICE, reason: str = "经办人休假", node: str = DEPT
) -> HandOverCase:
    return HandOverCase(
        case_id=CASE_ID, at=MONDAY, actor=actor(node, operator), to_operator=to, reason=reason
    )


# -- TransferCase ----------------------------------------------------------------------------------


def test_the_owner_transfers_the_case_to_another_department_and_it_waits_for_routing() -> None:
    state = (
        given(*at_dept())
        .when(transfer(" planning "))
        .then(CaseTransferred(from_node=DEPT, to_department="planning", reason=WHY))
    )
    assert state.holder is None and state.owner is None
    assert state.transit == Transit(kind="transfer", from_node=DEPT, reason=WHY, department="planning")
    assert state.status == Status.HANDLING
    assert state.trail == (VILLAGE, DEPT)


def test_routing_places_a_transfer_at_the_departments_window_and_extends_the_trail() -> None:
    state = (
        given(*at_dept(), transfer())
        .when(route(PLANNING, "ev-transferred"))
        .then(
            CaseRouted(to_node=PLANNING, from_node=DEPT, purpose="transfer", cause_event_id="ev-transferred")
        )
    )
    assert (state.holder, state.owner, state.transit) == (PLANNING, None, None)
    assert state.trail == (VILLAGE, DEPT, PLANNING)


def test_the_receiving_department_claims_the_transferred_case() -> None:
    state = (
        given(*at_dept(), transfer(), route(PLANNING, "ev-transferred"))
        .when(claim(PLANNING, "gao"))
        .then_types("CaseClaimed")
    )
    assert state.owner == "gao"


def test_a_transfer_that_cannot_be_placed_goes_back_to_the_sending_window_unclaimed() -> None:
    fail = FailRouting(
        case_id=CASE_ID,
        at=MONDAY,
        actor=ROUTING,
        reason="组织机构中没有该部门",
        cause_event_id="ev-transferred",
    )
    state = given(*at_dept(), transfer("nowhere")).when(fail).then_types("RoutingFailed")
    assert (state.holder, state.owner, state.transit) == (DEPT, None, None)
    assert state.routing_failure == "组织机构中没有该部门"


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_transfer_needs_a_reason(reason: str) -> None:
    err = given(*at_dept()).when(transfer(reason=reason)).then_refused("reason_required", kind="invalid")
    assert err.field == "reason"
    assert "转办理由" in err.message


def test_only_the_owner_transfers() -> None:
    given(*at_dept()).when(transfer(operator=BOB)).then_refused("not_case_owner", kind="forbidden")


def test_an_unclaimed_case_cannot_be_transferred() -> None:
    given(submit(), route(DEPT, "ev-accepted")).when(transfer()).then_refused(
        "case_not_claimed", kind="conflict"
    )


def test_a_decided_case_cannot_be_transferred() -> None:
    given(*decided_at_dept()).when(transfer()).then_refused("invalid_state", kind="conflict")


def test_a_case_being_transferred_cannot_be_transferred_again() -> None:
    given(*at_dept(), transfer()).when(transfer()).then_refused("case_in_transit", kind="conflict")


def test_a_suspended_case_cannot_be_transferred() -> None:
    suspend = SuspendCase(
        case_id=CASE_ID, at=MONDAY, actor=actor(DEPT, ALICE), procedure="hearing", reason="听证"
    )
    given(*at_dept(), suspend).when(transfer()).then_refused("case_suspended", kind="conflict")


def test_a_case_under_joint_review_cannot_be_transferred() -> None:
    request = RequestJointReview(case_id=CASE_ID, at=MONDAY, actor=actor(DEPT, ALICE))
    given(*at_dept(joint_item()), request).when(transfer()).then_refused(
        "joint_review_pending", kind="conflict"
    )


def test_an_auditor_cannot_transfer() -> None:
    cmd = transfer().model_copy(update={"actor": AUDITOR.model_copy(update={"node_id": DEPT})})
    given(*at_dept()).when(cmd).then_refused("role_not_allowed", kind="forbidden")


# -- HandOverCase ---------------------------------------------------------------------------------


def test_the_owner_hands_the_case_to_a_named_colleague_who_becomes_responsible() -> None:
    state = (
        given(*at_dept())
        .when(hand_over(reason=" 经办人休假 "))
        .then(CaseHandedOver(from_operator=ALICE, to_operator=BOB, reason="经办人休假"))
    )
    assert (state.holder, state.owner) == (DEPT, BOB)
    assert state.transit is None


def test_after_a_hand_over_the_colleague_decides_and_the_former_owner_cannot() -> None:
    given(*at_dept(), hand_over()).when(decide(operator=BOB)).then_types("CaseDecided")
    given(*at_dept(), hand_over()).when(decide(operator=ALICE)).then_refused(
        "not_case_owner", kind="forbidden"
    )


def test_a_decided_case_may_be_handed_over_to_issue_the_result() -> None:
    state = given(*decided_at_dept(), hand_over()).when(issue(operator=BOB)).then_types("ResultIssued")
    assert state.status == Status.RESULT_ISSUED


def test_a_hand_over_without_a_reason_is_recorded() -> None:
    given(*at_dept()).when(hand_over(reason="")).then(CaseHandedOver(from_operator=ALICE, to_operator=BOB))


def test_one_cannot_hand_over_to_oneself() -> None:
    err = given(*at_dept()).when(hand_over(to=ALICE)).then_refused("same_operator", kind="invalid")
    assert err.field == "to_operator"


def test_only_the_owner_hands_over() -> None:
    given(*at_dept()).when(hand_over(to="carol", operator=BOB)).then_refused(
        "not_case_owner", kind="forbidden"
    )


def test_an_unclaimed_case_cannot_be_handed_over() -> None:
    given(submit(), route(DEPT, "ev-accepted")).when(hand_over()).then_refused(
        "case_not_claimed", kind="conflict"
    )


def test_a_case_in_transit_cannot_be_handed_over() -> None:
    given(*at_dept(), transfer()).when(hand_over()).then_refused("case_in_transit", kind="conflict")


def test_a_result_already_issued_cannot_be_handed_over() -> None:
    # A village-tier case keeps its owner after the result is issued where it was accepted.
    history = [*village_tier_at_village(item(tier="village")), decide(node=VILLAGE, operator=AGENT)]
    history.append(issue(VILLAGE, AGENT))
    given(*history).when(hand_over(to="v-li", operator=AGENT, node=VILLAGE)).then_refused(
        "invalid_state", kind="conflict"
    )


@pytest.mark.parametrize("command", ["escalate", "return"])
def test_a_case_under_joint_review_is_not_handed_over_in_any_direction(command: str) -> None:
    from shared.case import EscalateCase, ReturnCase

    request = RequestJointReview(case_id=CASE_ID, at=MONDAY, actor=actor(DEPT, ALICE))
    cls = EscalateCase if command == "escalate" else ReturnCase
    cmd = cls(case_id=CASE_ID, at=MONDAY, actor=actor(DEPT, ALICE), reason="需上级审核")
    given(*at_dept(joint_item()), request).when(cmd).then_refused("joint_review_pending", kind="conflict")


def test_a_blank_transfer_department_is_refused_with_the_field_named() -> None:
    err = given(*at_dept()).when(transfer(department="   ")).then_refused("reason_required", kind="invalid")
    assert err.field == "to_department"
