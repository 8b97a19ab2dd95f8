"""Tolerated-gap acceptance (容缺受理): a tolerable material may be missing at acceptance; the case
then owes it within 5 working days, the origin or the holder takes it in, and the case cannot be
archived until it is in."""

from __future__ import annotations

from datetime import date

from shared.case import CaseAccepted, CaseClosed, MaterialsSupplemented, Status, WithdrawCase
from tests.support.builders import CASE_ID, DEPT, MONDAY, TOWNSHIP, VILLAGE
from tests.support.gwt import given
from tests.unit.case.lifecycle import (
    AGENT,
    AUDITOR,
    at_dept,
    back_at_village,
    china,
    close,
    deliver,
    submit,
    supplement,
)

WITHOUT_M3 = ("m1", "m2")


def test_the_gap_is_due_5_working_days_after_acceptance_across_labour_day() -> None:
    # Accepted Thursday 30 April 2026. Gap: 1–5 May are off, so 6, 7, 8, Sat 9 (劳动节调休), 11 May.
    # Deadline: 20 working days = 6, 7, 8, 9 May (4); 11–15 (9); 18–22 (14); 25–29 (19); 1 June (20).
    state = (
        given().when(submit(provided=WITHOUT_M3, at=china(4, 30))).then_types("CaseSubmitted", "CaseAccepted")
    )
    assert state.tolerated_missing == ("m3",)
    assert state.tolerated_due == date(2026, 5, 11)
    assert state.deadline == date(2026, 6, 1)
    assert state.outstanding_tolerated == ("m3",)


def test_a_complete_case_owes_nothing() -> None:
    state = given().when(submit()).then_types("CaseSubmitted", "CaseAccepted")
    assert state.tolerated_missing == () and state.tolerated_due is None


def test_completing_the_required_materials_accepts_with_the_gap_due_from_that_day() -> None:
    # Completed Tuesday 3 March: gap due 4, 5, 6, 9, 10 March.
    state = (
        given(submit(provided=("m1",)))
        .when(supplement("m2", at=china(3, 3)))
        .then(
            MaterialsSupplemented(materials=("m2",)),
            CaseAccepted(
                deadline=date(2026, 3, 31), tolerated_missing=("m3",), tolerated_due=date(2026, 3, 10)
            ),
        )
    )
    assert state.outstanding_tolerated == ("m3",)


def test_the_origin_takes_the_owed_material_while_the_case_waits_for_routing() -> None:
    state = (
        given(submit(provided=WITHOUT_M3))
        .when(supplement("m3"))
        .then(MaterialsSupplemented(materials=("m3",)))
    )
    assert state.outstanding_tolerated == ()
    assert state.status == Status.ACCEPTED
    assert state.transit is not None and state.holder is None  # still waiting for routing


def test_the_handling_node_takes_the_owed_material() -> None:
    state = (
        given(*at_dept(provided=WITHOUT_M3))
        .when(supplement("m3", node=DEPT, operator="alice"))
        .then(MaterialsSupplemented(materials=("m3",)))
    )
    assert state.outstanding_tolerated == ()
    assert state.holder == DEPT and state.status == Status.HANDLING


def test_the_origin_takes_the_owed_material_while_another_node_handles_the_case() -> None:
    given(*at_dept(provided=WITHOUT_M3)).when(supplement("m3")).then(MaterialsSupplemented(materials=("m3",)))


def test_a_node_neither_origin_nor_holder_cannot_take_the_owed_material() -> None:
    given(*at_dept(provided=WITHOUT_M3)).when(supplement("m3", node=TOWNSHIP)).then_refused(
        "case_not_held", kind="forbidden"
    )


def test_after_acceptance_only_the_tolerated_material_is_owed() -> None:
    err = (
        given(*at_dept(provided=WITHOUT_M3))
        .when(supplement("m3", "m4"))
        .then_refused("not_owed", kind="invalid")
    )
    assert err.field == "provided"
    assert "验资报告复印件" in err.message


def test_once_the_gap_is_filled_nothing_more_is_taken() -> None:
    given(submit(provided=WITHOUT_M3), supplement("m3")).when(supplement("m3")).then_refused(
        "invalid_state", kind="conflict"
    )


def test_an_auditor_cannot_take_the_owed_material() -> None:
    cmd = supplement("m3").model_copy(update={"actor": AUDITOR})
    given(submit(provided=WITHOUT_M3)).when(cmd).then_refused("role_not_allowed", kind="forbidden")


def test_a_withdrawn_case_takes_no_more_materials() -> None:
    withdraw = WithdrawCase(case_id=CASE_ID, at=MONDAY, actor=submit().actor, reason="申请人不再办理")
    given(submit(provided=WITHOUT_M3), withdraw).when(supplement("m3")).then_refused(
        "invalid_state", kind="conflict"
    )


def test_archiving_is_blocked_while_the_tolerated_material_is_outstanding() -> None:
    history = [*back_at_village(provided=WITHOUT_M3), deliver()]
    err = given(*history).when(close()).then_refused("tolerated_material_outstanding", kind="conflict")
    assert "验资报告复印件" in err.message


def test_the_case_is_archived_once_the_tolerated_material_is_in() -> None:
    history = [*back_at_village(provided=WITHOUT_M3), deliver(), supplement("m3")]
    state = given(*history).when(close()).then(CaseClosed())
    assert state.status == Status.CLOSED
    assert state.outstanding_tolerated == ()


def test_the_village_agent_takes_the_owed_material_at_delivery() -> None:
    history = [*back_at_village(provided=WITHOUT_M3), deliver()]
    state = (
        given(*history)
        .when(supplement("m3", node=VILLAGE, operator=AGENT))
        .then_types("MaterialsSupplemented")
    )
    assert state.status == Status.DELIVERED
