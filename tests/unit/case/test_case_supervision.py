"""The supervision office's instruments: complaints (投诉) against a node that handled the case,
resolved with a finding, and supervision orders (督办) telling the holding node to act by a date."""

from __future__ import annotations

from datetime import date

import pytest

from shared.case import (
    AnswerSupervisionOrder,
    ComplaintFiled,
    ComplaintResolved,
    DispatchJointReview,
    EscalateCase,
    FileComplaint,
    IssueSupervisionOrder,
    RecordOpinion,
    RequestJointReview,
    ResolveComplaint,
    SupervisionAnswered,
    SupervisionOrdered,
)
from shared.case.kernel import Command
from shared.events import Actor
from tests.support.builders import CASE_ID, DEPT, ROUTING, TOWNSHIP, VILLAGE, actor
from tests.support.gwt import given
from tests.unit.case.lifecycle import (
    AGENT,
    ALICE,
    AUDITOR,
    OTHER_VILLAGE,
    PLANNING,
    REVIEWERS,
    SUPERVISOR,
    at_dept,
    back_at_village,
    china,
    closed,
    joint_item,
    submit,
)

CONTENT = "窗口工作人员推诿，三次往返仍未受理"
FINDING = "经调阅录像及办件记录，情况属实，已责令整改"
INSTRUCTION = "请于3月6日前办结并报告办理情况"
TODAY = china(3, 2, 15)


def complain(
    against: str = DEPT,
    by: Actor | None = None,
    complaint_id: str = "TS-2026-0001",
    content: str = CONTENT,
    operator: str | None = ALICE,
) -> FileComplaint:
    return FileComplaint(
        case_id=CASE_ID,
        at=TODAY,
        actor=by or actor(VILLAGE, AGENT),
        complaint_id=complaint_id,
        against_node=against,
        against_operator=operator,
        content=content,
    )


def resolve(
    finding: str = FINDING, by: Actor = SUPERVISOR, complaint_id: str = "TS-2026-0001"
) -> ResolveComplaint:
    return ResolveComplaint(
        case_id=CASE_ID, at=TODAY, actor=by, complaint_id=complaint_id, substantiated=True, finding=finding
    )


def order(
    due: date = date(2026, 3, 6),
    by: Actor = SUPERVISOR,
    order_id: str = "DB-2026-0007",
    instruction: str = INSTRUCTION,
) -> IssueSupervisionOrder:
    return IssueSupervisionOrder(
        case_id=CASE_ID, at=TODAY, actor=by, order_id=order_id, due=due, instruction=instruction
    )


def answer(
    node: str = DEPT,
    response: str = "已于3月5日办结",
    order_id: str = "DB-2026-0007",
    role: str | None = None,
) -> AnswerSupervisionOrder:
    return AnswerSupervisionOrder(
        case_id=CASE_ID, at=TODAY, actor=actor(node, ALICE, role=role), order_id=order_id, response=response
    )


def ordered() -> list[Command]:
    return [*at_dept(), order()]


# -- FileComplaint ---------------------------------------------------------------------------------------


def test_the_origin_files_a_complaint_against_the_handling_window() -> None:
    state = (
        given(*at_dept())
        .when(complain(content=f" {CONTENT} "))
        .then(
            ComplaintFiled(
                complaint_id="TS-2026-0001", against_node=DEPT, against_operator=ALICE, content=CONTENT
            )
        )
    )
    assert [c.complaint_id for c in state.complaints] == ["TS-2026-0001"]
    assert not state.complaints[0].resolved


def test_a_complaint_may_be_filed_after_archiving() -> None:
    given(*closed()).when(complain()).then_types("ComplaintFiled")


def test_the_supervision_office_files_a_complaint_taken_on_the_hotline() -> None:
    given(*at_dept()).when(complain(VILLAGE, by=SUPERVISOR, operator=None)).then(
        ComplaintFiled(complaint_id="TS-2026-0001", against_node=VILLAGE, content=CONTENT)
    )


def test_a_joint_reviewer_that_gave_an_opinion_may_be_complained_about() -> None:
    history: list[Command] = [
        *at_dept(joint_item()),
        RequestJointReview(case_id=CASE_ID, at=TODAY, actor=actor(DEPT, ALICE)),
        DispatchJointReview(
            case_id=CASE_ID, at=TODAY, actor=ROUTING, reviewers=dict(REVIEWERS), cause_event_id="ev-r"
        ),
        RecordOpinion(
            case_id=CASE_ID, at=TODAY, actor=actor(PLANNING, "gao"), approve=False, opinion="不符合规划"
        ),
    ]
    given(*history).when(complain(PLANNING, operator="gao")).then_types("ComplaintFiled")


def test_a_complaint_against_a_node_that_never_handled_the_case_is_refused() -> None:
    err = given(*at_dept()).when(complain(TOWNSHIP)).then_refused("not_involved", kind="invalid")
    assert err.field == "against_node"


def test_a_window_the_case_has_not_reached_is_not_involved() -> None:
    given(submit()).when(complain(DEPT)).then_refused("not_involved", kind="invalid")


def test_the_same_complaint_delivered_twice_is_filed_once() -> None:
    given(*at_dept(), complain()).when(complain(content="重复提交")).then_nothing()


def test_a_complaint_needs_content() -> None:
    err = given(*at_dept()).when(complain(content=" ")).then_refused("reason_required", kind="invalid")
    assert err.field == "content"


@pytest.mark.parametrize("by", [ROUTING, AUDITOR], ids=lambda a: a.role)
def test_routing_and_auditors_file_no_complaints(by: Actor) -> None:
    given(*at_dept()).when(complain(by=by)).then_refused("role_not_allowed", kind="forbidden")


# -- ResolveComplaint ------------------------------------------------------------------------------------


def test_the_supervision_office_resolves_a_complaint_with_a_finding() -> None:
    state = (
        given(*at_dept(), complain())
        .when(resolve(f" {FINDING} "))
        .then(ComplaintResolved(complaint_id="TS-2026-0001", substantiated=True, finding=FINDING))
    )
    c = state.complaint("TS-2026-0001")
    assert c is not None and c.resolved and c.substantiated and c.finding == FINDING


def test_a_complaint_is_resolved_after_archiving() -> None:
    given(*closed(), complain()).when(resolve()).then_types("ComplaintResolved")


def test_only_the_supervision_office_resolves_complaints() -> None:
    given(*at_dept(), complain()).when(resolve(by=actor(DEPT, ALICE))).then_refused(
        "supervision_only", kind="forbidden"
    )


def test_an_unknown_complaint_cannot_be_resolved() -> None:
    given(*at_dept()).when(resolve()).then_refused("unknown_complaint", kind="conflict")


def test_a_complaint_is_resolved_once() -> None:
    given(*at_dept(), complain(), resolve()).when(resolve()).then_refused(
        "complaint_resolved", kind="conflict"
    )


def test_a_resolution_needs_a_finding() -> None:
    err = given(*at_dept(), complain()).when(resolve("")).then_refused("reason_required", kind="invalid")
    assert err.field == "finding"


# -- IssueSupervisionOrder -----------------------------------------------------------------------------


def test_the_supervision_office_orders_the_holding_node_to_act_by_a_date() -> None:
    state = (
        given(*at_dept())
        .when(order())
        .then(
            SupervisionOrdered(
                order_id="DB-2026-0007", node_id=DEPT, due=date(2026, 3, 6), instruction=INSTRUCTION
            )
        )
    )
    o = state.order("DB-2026-0007")
    assert o is not None and not o.answered and o.node_id == DEPT


def test_an_order_due_today_is_accepted() -> None:
    given(*at_dept()).when(order(date(2026, 3, 2))).then_types("SupervisionOrdered")


def test_an_order_due_in_the_past_is_refused() -> None:
    err = given(*at_dept()).when(order(date(2026, 3, 1))).then_refused("due_in_past", kind="invalid")
    assert err.field == "due"


def test_the_same_order_delivered_twice_is_issued_once() -> None:
    given(*ordered()).when(order(date(2026, 3, 9))).then_nothing()


def test_a_case_in_transit_has_no_node_to_order() -> None:
    given(submit()).when(order()).then_refused("no_holder", kind="conflict")


def test_an_archived_case_is_not_ordered() -> None:
    given(*closed()).when(order()).then_refused("no_holder", kind="conflict")


def test_only_the_supervision_office_orders() -> None:
    given(*at_dept()).when(order(by=actor(TOWNSHIP))).then_refused("supervision_only", kind="forbidden")


def test_an_order_needs_an_instruction() -> None:
    err = given(*at_dept()).when(order(instruction="")).then_refused("reason_required", kind="invalid")
    assert err.field == "instruction"


# -- AnswerSupervisionOrder -------------------------------------------------------------------------------


def test_the_ordered_node_answers() -> None:
    state = (
        given(*ordered())
        .when(answer())
        .then(SupervisionAnswered(order_id="DB-2026-0007", response="已于3月5日办结"))
    )
    o = state.order("DB-2026-0007")
    assert o is not None and o.answered and o.response == "已于3月5日办结"


def test_the_ordered_node_answers_even_after_the_case_moved_on() -> None:
    escalate = EscalateCase(case_id=CASE_ID, at=TODAY, actor=actor(DEPT, ALICE), reason="需报县政府")
    given(*ordered(), escalate).when(answer()).then_types("SupervisionAnswered")


@pytest.mark.parametrize(("node", "role"), [(VILLAGE, None), (OTHER_VILLAGE, None), (DEPT, "auditor")])
def test_only_the_ordered_nodes_operators_answer(node: str, role: str | None) -> None:
    given(*ordered()).when(answer(node, role=role)).then_refused("not_ordered_node", kind="forbidden")


def test_an_unknown_order_cannot_be_answered() -> None:
    given(*at_dept()).when(answer()).then_refused("unknown_order", kind="conflict")


def test_an_order_is_answered_once() -> None:
    given(*ordered(), answer()).when(answer()).then_refused("order_answered", kind="conflict")


def test_an_answer_needs_content() -> None:
    err = given(*ordered()).when(answer(response="  ")).then_refused("reason_required", kind="invalid")
    assert err.field == "response"


def test_an_order_reaches_the_village_holding_a_result_for_delivery() -> None:
    state = given(*back_at_village()).when(order()).then_types("SupervisionOrdered")
    assert state.orders[0].node_id == VILLAGE
