"""Withdrawal (撤回) by the applicant before a decision, and proxy handling (代办): the village agent
carries the case under a mandate recorded at submission and collects the result for the citizen."""

from __future__ import annotations

from shared.case import (
    CaseSubmitted,
    CaseWithdrawn,
    EscalateCase,
    FailRouting,
    ResultDelivered,
    Status,
    SuspendCase,
    WithdrawCase,
)
from shared.case.kernel import Command
from tests.support.builders import CASE_ID, DEPT, MONDAY, ROUTING, TOWNSHIP, VILLAGE, actor, applicant, item
from tests.support.gwt import given
from tests.unit.case.lifecycle import (
    AGENT,
    ALICE,
    AUDITOR,
    MANDATE,
    OTHER_VILLAGE,
    at_dept,
    back_at_village,
    claim,
    decide,
    decided_at_dept,
    deliver,
    issue,
    route,
    submit,
)

WHY = "申请人已另行办理，申请撤回"


def withdraw(node: str = VILLAGE, operator: str = AGENT, reason: str = WHY) -> WithdrawCase:
    return WithdrawCase(case_id=CASE_ID, at=MONDAY, actor=actor(node, operator), reason=reason)


# -- WithdrawCase ----------------------------------------------------------------------------------


def test_the_applicant_withdraws_a_case_still_waiting_for_materials() -> None:
    state = given(submit(provided=("m1",))).when(withdraw(reason=f" {WHY} ")).then(CaseWithdrawn(reason=WHY))
    assert state.status == Status.WITHDRAWN
    assert state.withdrawn_reason == WHY
    assert not state.is_open


def test_a_case_received_but_not_yet_accepted_can_be_withdrawn() -> None:
    given(submit(auto_accept=False)).when(withdraw()).then(CaseWithdrawn(reason=WHY))


def test_a_case_waiting_for_routing_is_withdrawn_at_the_origin_and_leaves_transit() -> None:
    state = given(submit()).when(withdraw()).then(CaseWithdrawn(reason=WHY))
    assert state.holder is None
    assert state.transit is None  # routing has nothing left to place


def test_routing_does_not_place_a_case_withdrawn_in_transit() -> None:
    given(submit(), withdraw()).when(route(DEPT, "ev-accepted")).then_refused(
        "not_in_transit", kind="conflict"
    )


def test_routing_reports_no_failure_for_a_case_withdrawn_in_transit() -> None:
    fail = FailRouting(case_id=CASE_ID, at=MONDAY, actor=ROUTING, reason="无", cause_event_id="ev-accepted")
    given(submit(), withdraw()).when(fail).then_refused("not_in_transit", kind="conflict")


def test_an_escalated_case_is_withdrawn_at_the_origin_while_in_transit() -> None:
    escalate = EscalateCase(case_id=CASE_ID, at=MONDAY, actor=actor(TOWNSHIP, "t-li"), reason="需县级审批")
    history = [
        submit(item(tier="township")),
        route(TOWNSHIP, "ev-accepted"),
        claim(TOWNSHIP, "t-li"),
        escalate,
    ]
    state = given(*history).when(withdraw()).then_types("CaseWithdrawn")
    assert state.transit is None and state.status == Status.WITHDRAWN


def test_the_handling_window_records_a_withdrawal() -> None:
    state = given(*at_dept()).when(withdraw(DEPT, ALICE)).then(CaseWithdrawn(reason=WHY))
    assert state.holder == DEPT


def test_the_origin_records_a_withdrawal_while_another_node_handles_the_case() -> None:
    given(*at_dept()).when(withdraw()).then_types("CaseWithdrawn")


def test_a_withdrawal_ends_a_special_procedure() -> None:
    suspend = SuspendCase(
        case_id=CASE_ID, at=MONDAY, actor=actor(DEPT, ALICE), procedure="field_survey", reason="现场勘查"
    )
    state = given(*at_dept(), suspend).when(withdraw()).then_types("CaseWithdrawn")
    assert state.suspension is None


def test_no_withdrawal_after_the_decision() -> None:
    err = given(*decided_at_dept()).when(withdraw()).then_refused("invalid_state", kind="conflict")
    assert "撤回" in err.message


def test_no_withdrawal_after_the_result_is_issued() -> None:
    given(*back_at_village()).when(withdraw()).then_refused("invalid_state", kind="conflict")


def test_a_withdrawn_case_is_not_withdrawn_again() -> None:
    given(submit(provided=("m1",)), withdraw()).when(withdraw()).then_refused(
        "invalid_state", kind="conflict"
    )


def test_a_node_neither_origin_nor_holder_cannot_record_a_withdrawal() -> None:
    given(*at_dept()).when(withdraw(OTHER_VILLAGE, "v2-sun")).then_refused("case_not_held", kind="forbidden")


def test_a_withdrawal_needs_a_reason() -> None:
    err = given(*at_dept()).when(withdraw(reason="")).then_refused("reason_required", kind="invalid")
    assert err.field == "reason"


def test_an_auditor_cannot_record_a_withdrawal() -> None:
    cmd = withdraw().model_copy(update={"actor": AUDITOR.model_copy(update={"node_id": VILLAGE})})
    given(*at_dept()).when(cmd).then_refused("role_not_allowed", kind="forbidden")


def test_a_withdrawn_case_is_not_decided() -> None:
    given(*at_dept(), withdraw(DEPT, ALICE)).when(decide()).then_refused("invalid_state", kind="conflict")


# -- proxy handling (代办) ---------------------------------------------------------------------------


def test_the_mandate_is_recorded_at_submission() -> None:
    state = (
        given()
        .when(submit(proxy=MANDATE, auto_accept=False))
        .then(
            CaseSubmitted(
                case_number="511199-20260302-T01V01-0001",
                item=item(),
                applicant=applicant(),
                channel="village_room",
                node_id=VILLAGE,
                provided=("m1", "m2", "m3"),
                proxy=MANDATE,
            )
        )
    )
    assert state.proxy == MANDATE


def test_an_item_that_forbids_proxy_handling_refuses_a_mandate() -> None:
    given().when(submit(item(proxy_allowed=False), proxy=MANDATE)).then_refused(
        "proxy_not_allowed", kind="conflict"
    )


def test_the_agent_collects_the_result_under_the_mandate() -> None:
    history = [submit(proxy=MANDATE), *back_at_village()[1:]]
    state = given(*history).when(deliver("proxy")).then(ResultDelivered(method="proxy", recipient="张三"))
    assert state.status == Status.DELIVERED


def test_the_agent_cannot_collect_without_a_mandate_recorded_at_submission() -> None:
    err = given(*back_at_village()).when(deliver("proxy")).then_refused("no_proxy_mandate", kind="conflict")
    assert "代办委托" in err.message


def proxy_case_decided() -> list[Command]:
    return [submit(proxy=MANDATE), *decided_at_dept()[1:]]


def test_a_result_carried_by_the_agent_goes_back_to_the_origin() -> None:
    state = given(*proxy_case_decided()).when(issue()).then_types("ResultIssued")
    assert state.transit is not None and state.transit.target == VILLAGE


def test_the_handling_window_does_not_hand_a_proxy_result_over_itself() -> None:
    history = [*proxy_case_decided(), issue(), route(VILLAGE, "ev-issued")]
    given(*history).when(deliver("proxy", node=DEPT)).then_refused("case_not_held", kind="forbidden")
