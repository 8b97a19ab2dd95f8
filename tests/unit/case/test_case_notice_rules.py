"""One-time notice (一次性告知), defective materials and supplements (补正), refusal (不予受理).

The notice lists every missing and defective material at once; a later notice may repeat what the
first one listed but never add to it; the clock starts on the day the case becomes complete.
"""

from __future__ import annotations

from datetime import date

import pytest

from shared.case import (
    CaseAccepted,
    CaseRefused,
    CaseSubmitted,
    MaterialsSupplemented,
    OneTimeNoticeIssued,
    RefuseCase,
    Status,
)
from shared.case.state import ItemTerms
from tests.support.builders import CASE_ID, DEPT, MONDAY, VILLAGE, actor, applicant, item
from tests.support.gwt import given
from tests.unit.case.lifecycle import (
    AGENT,
    AUDITOR,
    OTHER_VILLAGE,
    china,
    notice,
    route,
    submit,
    supplement,
)

UNSEALED = "申请书未加盖公章"
PAGES = "章程草案缺第3页"


def submitted(provided: tuple[str, ...], terms: ItemTerms | None = None) -> CaseSubmitted:
    return CaseSubmitted(
        case_number="511199-20260302-T01V01-0001",
        item=terms or item(),
        applicant=applicant(),
        channel="village_room",
        node_id=VILLAGE,
        provided=provided,
    )


def refuse(
    reason: str = "申请事项不属于本机关职权范围", basis: str = "《行政许可法》第三十二条第一款第二项"
) -> RefuseCase:
    return RefuseCase(
        case_id=CASE_ID, at=MONDAY, actor=actor(VILLAGE, AGENT), reason=reason, legal_basis=basis
    )


# -- the first notice, at submission -------------------------------------------------------------


def test_the_first_notice_lists_every_missing_and_every_defective_material_at_once() -> None:
    # 申请书 (m1) handed in without its seal, 章程草案 (m2) not handed in at all.
    state = (
        given()
        .when(submit(provided=("m1", "m3"), defective={"m1": UNSEALED}))
        .then(
            submitted(("m3",)),  # a defective material does not count as provided
            OneTimeNoticeIssued(missing=("m2",), defective={"m1": UNSEALED}),
        )
    )
    assert state.status == Status.PENDING_SUPPLEMENT
    assert state.first_notice == ("m2", "m1")
    assert state.notice_missing == ("m2", "m1")
    assert state.defective == {"m1": UNSEALED}
    assert state.incomplete == ("m1", "m2")
    assert state.accepted_at is None and state.deadline is None
    assert state.holder == VILLAGE


def test_a_submission_with_every_material_but_one_defective_gets_a_notice_for_that_one() -> None:
    state = (
        given()
        .when(submit(provided=("m1", "m2", "m3"), defective={"m2": PAGES}))
        .then(submitted(("m1", "m3")), OneTimeNoticeIssued(missing=(), defective={"m2": PAGES}))
    )
    assert state.first_notice == ("m2",)
    assert state.incomplete == ("m2",)


def test_defective_materials_are_listed_in_catalog_order() -> None:
    cmd = submit(provided=("m1", "m2", "m3"), defective={"m3": "复印件模糊", "m1": UNSEALED})
    given().when(cmd).then(
        submitted(("m2",)),
        OneTimeNoticeIssued(missing=(), defective={"m1": UNSEALED, "m3": "复印件模糊"}),
    )


def test_only_a_tolerable_material_being_defective_still_lets_the_case_be_accepted() -> None:
    # 验资报告复印件 (m3) is tolerable: once noticed, it becomes a tolerated gap at acceptance.
    history = [submit(provided=("m1", "m2", "m3"), defective={"m3": "复印件模糊"})]
    state = given(*history).when(supplement("m4")).then_types("MaterialsSupplemented", "CaseAccepted")
    assert state.tolerated_missing == ("m3",)


def test_marking_as_defective_a_material_that_was_not_handed_in_is_refused() -> None:
    err = (
        given()
        .when(submit(provided=("m1",), defective={"m2": PAGES}))
        .then_refused("defective_not_provided", kind="invalid")
    )
    assert err.field == "defective"


def test_marking_an_unknown_material_as_defective_is_refused() -> None:
    err = (
        given()
        .when(submit(provided=("m1", "x9"), defective={"x9": "?"}))
        .then_refused("unknown_material", kind="invalid")
    )
    assert "x9" in err.message


# -- later notices -----------------------------------------------------------------------------


def test_an_operator_who_finds_a_defect_after_receiving_a_complete_case_issues_the_first_notice() -> None:
    state = (
        given(submit(auto_accept=False))
        .when(notice(defective={"m2": PAGES}))
        .then(OneTimeNoticeIssued(missing=(), defective={"m2": PAGES}))
    )
    assert state.status == Status.PENDING_SUPPLEMENT
    assert state.first_notice == ("m2",)
    assert "m2" not in state.provided
    assert state.incomplete == ("m2",)


def test_a_material_handed_in_good_order_cannot_be_listed_as_missing() -> None:
    # the citizen could never supplement it (it is already there); a problem with it is a defect, with a reason
    err = (
        given(submit(auto_accept=False))
        .when(notice(missing=("m2",)))
        .then_refused("already_provided", kind="invalid")
    )
    assert err.field == "missing" and "章程草案" in err.message


def test_a_second_notice_may_not_ask_for_a_material_the_first_did_not_list() -> None:
    # The first notice (at submission) asked only for 章程草案; now the operator also wants 申请书.
    history = [submit(provided=("m1", "m3"))]
    err = (
        given(*history)
        .when(notice(missing=("m2",), defective={"m1": UNSEALED}))
        .then_refused("one_time_notice_violation", kind="conflict")
    )
    assert "申请书" in err.message
    assert "章程草案" not in err.message


def test_a_second_notice_may_not_add_a_tolerable_material_either() -> None:
    history = [submit(provided=("m1",))]  # notice: m2 missing; m3 (tolerable) was not asked for
    err = (
        given(*history)
        .when(notice(missing=("m2", "m3")))
        .then_refused("one_time_notice_violation", kind="conflict")
    )
    assert "验资报告复印件" in err.message


def test_a_notice_may_repeat_a_material_that_is_still_defective() -> None:
    # First notice: m2 missing, m1 unsealed. The citizen brings a new 申请书, again without the seal.
    history = [submit(provided=("m1", "m3"), defective={"m1": UNSEALED}), supplement("m1")]
    state = (
        given(*history)
        .when(notice(missing=("m2",), defective={"m1": "补正的申请书仍未盖章"}))
        .then(OneTimeNoticeIssued(missing=("m2",), defective={"m1": "补正的申请书仍未盖章"}))
    )
    assert state.status == Status.PENDING_SUPPLEMENT
    assert state.defective == {"m1": "补正的申请书仍未盖章"}
    assert "m1" not in state.provided
    assert state.first_notice == ("m2", "m1")  # the first notice is what later ones are held to


def test_a_notice_may_repeat_part_of_the_first() -> None:
    history = [submit(provided=("m3",))]  # notice: m1 and m2 missing
    state = given(*history, supplement("m1")).when(notice(missing=("m2",))).then_types("OneTimeNoticeIssued")
    assert state.notice_missing == ("m2",)
    assert state.first_notice == ("m1", "m2")


def test_a_notice_must_list_something() -> None:
    err = given(submit(auto_accept=False)).when(notice()).then_refused("empty_notice", kind="invalid")
    assert err.field == "missing"


def test_a_notice_naming_an_unknown_material_is_refused() -> None:
    given(submit(provided=("m1",))).when(notice(missing=("zz",))).then_refused(
        "unknown_material", kind="invalid"
    )


def test_no_notice_after_acceptance() -> None:
    given(submit()).when(notice(missing=("m4",))).then_refused("invalid_state", kind="conflict")


def test_no_notice_for_a_refused_case() -> None:
    given(submit(provided=("m1",)), refuse()).when(notice(missing=("m2",))).then_refused(
        "invalid_state", kind="conflict"
    )


def test_only_the_node_holding_the_case_issues_notices() -> None:
    given(submit(provided=("m1",))).when(notice(missing=("m2",), node=OTHER_VILLAGE)).then_refused(
        "case_not_held", kind="forbidden"
    )


def test_an_auditor_cannot_issue_a_notice() -> None:
    cmd = notice(missing=("m2",)).model_copy(
        update={"actor": AUDITOR.model_copy(update={"node_id": VILLAGE})}
    )
    given(submit(provided=("m1",))).when(cmd).then_refused("role_not_allowed", kind="forbidden")


# -- supplements ---------------------------------------------------------------------------------


def test_supplementing_a_defective_material_resolves_it() -> None:
    history = [submit(provided=("m1", "m3"), defective={"m1": UNSEALED})]
    state = given(*history).when(supplement("m1")).then(MaterialsSupplemented(materials=("m1",)))
    assert state.defective == {}
    assert "m1" in state.provided
    assert state.status == Status.PENDING_SUPPLEMENT  # 章程草案 is still missing
    assert state.incomplete == ("m2",)


def test_resolving_the_last_defect_completes_the_case_and_accepts_it_that_day() -> None:
    # Noticed on Monday 2 March, corrected on Thursday 5 March: 20 working days from the 5th are
    # 6, 9–13, 16–20, 23–27 (16 days) and 30, 31 March, 1, 2 April: due Thursday 2 April.
    history = [submit(provided=("m1", "m2", "m3"), defective={"m2": PAGES})]
    state = (
        given(*history)
        .when(supplement("m2", at=china(3, 5)))
        .then(MaterialsSupplemented(materials=("m2",)), CaseAccepted(deadline=date(2026, 4, 2)))
    )
    assert state.status == Status.ACCEPTED
    assert state.accepted_at == china(3, 5)


def test_supplementing_one_of_two_defective_materials_does_not_accept_the_case() -> None:
    history = [submit(provided=("m1", "m2", "m3"), defective={"m1": UNSEALED, "m2": PAGES})]
    state = given(*history).when(supplement("m2")).then(MaterialsSupplemented(materials=("m2",)))
    assert state.status == Status.PENDING_SUPPLEMENT
    assert state.defective == {"m1": UNSEALED}


def test_the_clock_starts_on_the_completion_date_after_the_spring_festival() -> None:
    # Submitted Friday 13 February 2026 without 章程草案; the citizen brings it on Tuesday 24
    # February, the first working day after the holiday (15–23 February). Counting 20 working days
    # from the 24th: 25, 26, 27 Feb, Sat 28 Feb (春节调休) = 4; 2–6 Mar = 9; 9–13 = 14; 16–20 = 19;
    # Monday 23 March = 20. (Accepted on the 13th it would have been due on 19 March.)
    history = [submit(provided=("m1", "m3"), at=china(2, 13))]
    state = (
        given(*history)
        .when(supplement("m2", at=china(2, 24, 9)))
        .then(MaterialsSupplemented(materials=("m2",)), CaseAccepted(deadline=date(2026, 3, 23)))
    )
    assert state.accepted_at == china(2, 24, 9)
    assert state.submitted_at == china(2, 13)


def test_a_supplement_on_a_holiday_starts_the_clock_from_that_day() -> None:
    # Completed on Saturday 3 October 2026 (国庆节): 5 working days are 8, 9, Sat 10 (调休), 12, 13 October.
    history = [submit(item(promised_days=5), provided=("m1",), at=china(9, 30))]
    state = (
        given(*history)
        .when(supplement("m2", at=china(10, 3)))
        .then_types("MaterialsSupplemented", "CaseAccepted")
    )
    assert state.deadline == date(2026, 10, 13)


def test_a_supplement_that_brings_nothing_new_is_refused() -> None:
    history = [submit(provided=("m1", "m3"), defective={"m1": UNSEALED})]
    err = given(*history).when(supplement("m3")).then_refused("nothing_supplemented", kind="invalid")
    assert err.field == "provided"


def test_only_the_holder_takes_supplements_before_acceptance() -> None:
    given(submit(provided=("m1",))).when(supplement("m2", node=DEPT)).then_refused(
        "case_not_held", kind="forbidden"
    )


# -- refusal (不予受理) ----------------------------------------------------------------------------


def test_a_refusal_records_its_reason_and_legal_basis() -> None:
    state = (
        given(submit(provided=("m1",)))
        .when(refuse())
        .then(
            CaseRefused(
                reason="申请事项不属于本机关职权范围", legal_basis="《行政许可法》第三十二条第一款第二项"
            )
        )
    )
    assert state.status == Status.REFUSED
    assert state.refusal_reason == "申请事项不属于本机关职权范围"
    assert not state.is_open


@pytest.mark.parametrize("basis", ["", "  "])
def test_a_refusal_needs_a_legal_basis(basis: str) -> None:
    err = (
        given(submit(auto_accept=False))
        .when(refuse(basis=basis))
        .then_refused("reason_required", kind="invalid")
    )
    assert err.field == "legal_basis"
    assert "法律依据" in err.message


def test_a_refusal_needs_a_reason_even_with_a_legal_basis() -> None:
    err = (
        given(submit(auto_accept=False))
        .when(refuse(reason=" "))
        .then_refused("reason_required", kind="invalid")
    )
    assert err.field == "reason"


def test_only_the_holder_refuses() -> None:
    cmd = refuse().model_copy(update={"actor": actor(OTHER_VILLAGE)})
    given(submit(auto_accept=False)).when(cmd).then_refused("case_not_held", kind="forbidden")


def test_a_case_already_handled_elsewhere_cannot_be_refused() -> None:
    given(submit(), route(DEPT, "ev-accepted")).when(refuse()).then_refused("invalid_state", kind="conflict")
