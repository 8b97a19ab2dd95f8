"""Single fee point (一口收费): the catalog fee is assessed once after approval, paid once with a
receipt number, and the result is not issued while it is unpaid."""

from __future__ import annotations

from shared.case import AssessFee, FeeAssessed, FeePaid, PayFee, ResultIssued
from shared.case.kernel import Command
from tests.support.builders import CASE_ID, DEPT, MONDAY, TOWNSHIP, VILLAGE, actor, item
from tests.support.gwt import given
from tests.unit.case.lifecycle import ALICE, BOB, RESULT, at_dept, decide, decided_at_dept, issue

FEE = item(fee_fen=5000)  # 50.00 元
RECEIPT = "湘财通字（2026）No.00012345"


def assess(basis: str = "", operator: str = ALICE) -> AssessFee:
    return AssessFee(case_id=CASE_ID, at=MONDAY, actor=actor(DEPT, operator), basis=basis)


def pay(receipt: str = RECEIPT, operator: str = "cashier-sun", node: str = DEPT) -> PayFee:
    return PayFee(case_id=CASE_ID, at=MONDAY, actor=actor(node, operator), receipt_no=receipt)


def approved() -> list[Command]:
    return decided_at_dept(FEE)


def test_the_fee_is_assessed_from_the_catalog_after_approval() -> None:
    state = given(*approved()).when(assess()).then(FeeAssessed(amount_fen=5000, basis="服务事项目录收费标准"))
    assert state.fee is not None and not state.fee.paid
    assert state.fee_outstanding


def test_the_assessment_records_a_stated_basis() -> None:
    given(*approved()).when(assess(" 发改价费〔2026〕12号 ")).then(
        FeeAssessed(amount_fen=5000, basis="发改价费〔2026〕12号")
    )


def test_the_fee_is_paid_once_with_its_receipt_number_at_the_holding_window() -> None:
    state = (
        given(*approved(), assess())
        .when(pay(f" {RECEIPT} "))
        .then(FeePaid(amount_fen=5000, receipt_no=RECEIPT))
    )
    assert state.fee is not None and state.fee.paid and state.fee.receipt_no == RECEIPT
    assert not state.fee_outstanding


def test_the_result_is_issued_once_the_fee_is_paid() -> None:
    given(*approved(), assess(), pay()).when(issue()).then(ResultIssued(result=RESULT, deliver_at=VILLAGE))


def test_the_result_is_not_issued_before_the_fee_is_assessed() -> None:
    err = given(*approved()).when(issue()).then_refused("fee_unpaid", kind="conflict")
    assert "一口收费" in err.message


def test_the_result_is_not_issued_while_the_assessed_fee_is_unpaid() -> None:
    given(*approved(), assess()).when(issue()).then_refused("fee_unpaid", kind="conflict")


def denied() -> list[Command]:
    return [*at_dept(FEE), decide(False, "不符合登记条件")]


def test_a_denied_case_is_not_charged() -> None:
    given(*denied()).when(assess()).then_refused("not_approved", kind="conflict")


def test_a_denial_of_a_fee_bearing_item_is_issued_without_payment() -> None:
    given(*denied()).when(issue()).then_types("ResultIssued")


def test_a_free_item_is_not_charged() -> None:
    given(*decided_at_dept()).when(assess()).then_refused("free_item", kind="conflict")


def test_the_fee_is_assessed_once() -> None:
    given(*approved(), assess()).when(assess("再次核定")).then_refused("fee_assessed", kind="conflict")


def test_a_second_payment_is_refused_naming_the_first_receipt() -> None:
    err = (
        given(*approved(), assess(), pay()).when(pay("No.00099999")).then_refused("fee_paid", kind="conflict")
    )
    assert RECEIPT in err.message


def test_nothing_is_paid_before_the_fee_is_assessed() -> None:
    given(*approved()).when(pay()).then_refused("fee_not_assessed", kind="conflict")


def test_a_payment_needs_a_receipt_number() -> None:
    err = given(*approved(), assess()).when(pay("  ")).then_refused("reason_required", kind="invalid")
    assert err.field == "receipt_no"


def test_the_fee_is_assessed_only_after_the_decision() -> None:
    given(*at_dept(FEE)).when(assess()).then_refused("invalid_state", kind="conflict")


def test_only_the_owner_assesses_the_fee() -> None:
    given(*approved()).when(assess(operator=BOB)).then_refused("not_case_owner", kind="forbidden")


def test_only_the_holding_window_takes_the_payment() -> None:
    given(*approved(), assess()).when(pay(node=TOWNSHIP)).then_refused("case_not_held", kind="forbidden")
