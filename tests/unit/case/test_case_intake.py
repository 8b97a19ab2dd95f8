"""Intake deciders: SubmitCase, SupplementMaterials, AcceptCase, RefuseCase (given / when / then)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from shared.case import (
    AcceptCase,
    CaseAccepted,
    CaseRefused,
    CaseSubmitted,
    MaterialsSupplemented,
    OneTimeNoticeIssued,
    RefuseCase,
    RouteCase,
    Status,
    SubmitCase,
    SupplementMaterials,
)
from shared.case.state import ItemTerms
from shared.clock import LOCAL_TZ
from tests.support.builders import CASE_ID, MONDAY, ROUTING, TOWNSHIP, VILLAGE, actor, applicant, item
from tests.support.gwt import given

CASE_NUMBER = "511199-20260302-T01V01-0001"
# Saturday 2026-03-07 10:00 China time
SATURDAY = datetime(2026, 3, 7, 2, 0, tzinfo=UTC)


def china(y: int, m: int, d: int, hour: int = 10) -> datetime:
    """An instant given in China time."""
    return datetime(y, m, d, hour, tzinfo=LOCAL_TZ)


def submit(
    provided: set[str] | frozenset[str] = frozenset({"m1", "m2", "m3"}),
    *,
    terms: ItemTerms | None = None,
    at: datetime = MONDAY,
    auto_accept: bool = True,
    **actor_kw: Any,
) -> SubmitCase:
    return SubmitCase(
        case_id=CASE_ID,
        at=at,
        actor=actor(**actor_kw),
        case_number=CASE_NUMBER,
        item=terms or item(),
        applicant=applicant(),
        channel="village_room",
        provided=frozenset(provided),
        auto_accept=auto_accept,
    )


def supplement(provided: set[str], node: str = VILLAGE, at: datetime = MONDAY) -> SupplementMaterials:
    return SupplementMaterials(case_id=CASE_ID, at=at, actor=actor(node), provided=frozenset(provided))


def accept(node: str = VILLAGE, at: datetime = MONDAY) -> AcceptCase:
    return AcceptCase(case_id=CASE_ID, at=at, actor=actor(node))


def refuse(reason: str = "不属于本事项受理范围", node: str = VILLAGE) -> RefuseCase:
    return RefuseCase(
        case_id=CASE_ID, at=MONDAY, actor=actor(node), reason=reason, legal_basis=" 《条例》第五条 "
    )


def submitted_payload(provided: tuple[str, ...], terms: ItemTerms | None = None) -> CaseSubmitted:
    return CaseSubmitted(
        case_number=CASE_NUMBER,
        item=terms or item(),
        applicant=applicant(),
        channel="village_room",
        node_id=VILLAGE,
        provided=provided,
    )


# -- SubmitCase -------------------------------------------------------------------------------


def test_complete_submission_is_submitted_and_accepted_with_a_20_working_day_deadline() -> None:
    # Accepted Monday 2026-03-02 (China time): 20 working days later is Monday 2026-03-30.
    state = (
        given()
        .when(submit({"m4", "m3", "m2", "m1"}))
        .then(
            submitted_payload(("m1", "m2", "m3", "m4")),
            CaseAccepted(deadline=date(2026, 3, 30), tolerated_missing=()),
        )
    )
    assert state.status == Status.ACCEPTED
    assert state.deadline == date(2026, 3, 30)
    assert state.accepted_at == MONDAY
    assert state.origin_node == VILLAGE
    assert state.trail == (VILLAGE,)
    assert state.holder is None and state.owner is None
    assert state.transit is not None and state.transit.kind == "intake"
    assert state.transit.from_node == VILLAGE
    assert state.calendar_warnings == ()
    assert state.version == 2


def test_the_deadline_skips_the_qingming_holiday() -> None:
    # Accepted Monday 2026-03-30, 5 working days: 31.3, 1.4, 2.4, 3.4, (4–6.4 清明), 7.4.
    cmd = submit(terms=item(promised_days=5), at=china(2026, 3, 30))
    state = given().when(cmd).then_types("CaseSubmitted", "CaseAccepted")
    assert state.deadline == date(2026, 4, 7)


def test_the_deadline_counts_adjusted_working_saturdays_and_skips_the_spring_festival() -> None:
    # Accepted Friday 2026-02-13, 3 working days: Sat 14.2 (春节调休), (15–23.2 春节), 24.2, 25.2.
    cmd = submit(terms=item(promised_days=3), at=china(2026, 2, 13))
    state = given().when(cmd).then_types("CaseSubmitted", "CaseAccepted")
    assert state.deadline == date(2026, 2, 25)


@pytest.mark.parametrize(
    ("at", "due"),
    [
        # 01:00 Monday in China is still Sunday in UTC: the China date counts.
        (datetime(2026, 3, 1, 17, 0, tzinfo=UTC), date(2026, 3, 30)),
        # 00:30 Tuesday in China is still Monday in UTC.
        (datetime(2026, 3, 2, 16, 30, tzinfo=UTC), date(2026, 3, 31)),
    ],
)
def test_the_acceptance_day_is_the_china_date_not_the_utc_date(at: datetime, due: date) -> None:
    state = given().when(submit(at=at)).then_types("CaseSubmitted", "CaseAccepted")
    assert state.deadline == due


def test_a_deadline_in_a_year_without_holiday_data_carries_a_calendar_warning() -> None:
    cmd = submit(terms=item(promised_days=5), at=china(2026, 12, 28))
    state = given().when(cmd).then_types("CaseSubmitted", "CaseAccepted")
    assert state.deadline == date(2027, 1, 4)
    assert len(state.calendar_warnings) == 1
    assert "2027" in state.calendar_warnings[0]


def test_an_immediate_item_is_due_the_same_working_day() -> None:
    immediate = item(kind="immediate", promised_days=0)
    state = (
        given()
        .when(submit(terms=immediate))
        .then(
            submitted_payload(("m1", "m2", "m3"), immediate),
            CaseAccepted(deadline=date(2026, 3, 2)),
        )
    )
    assert state.deadline == date(2026, 3, 2)


def test_an_immediate_item_submitted_on_a_saturday_is_due_the_next_working_day() -> None:
    immediate = item(kind="immediate", promised_days=0)
    state = given().when(submit(terms=immediate, at=SATURDAY)).then_types("CaseSubmitted", "CaseAccepted")
    assert state.deadline == date(2026, 3, 9)


def test_an_immediate_item_on_an_adjusted_working_saturday_is_due_that_day() -> None:
    immediate = item(kind="immediate", promised_days=0)
    cmd = submit(terms=immediate, at=china(2026, 2, 28))
    state = given().when(cmd).then_types("CaseSubmitted", "CaseAccepted")
    assert state.deadline == date(2026, 2, 28)


def test_an_immediate_item_submitted_during_the_spring_festival_is_due_when_work_resumes() -> None:
    immediate = item(kind="immediate", promised_days=0)
    cmd = submit(terms=immediate, at=china(2026, 2, 17))
    state = given().when(cmd).then_types("CaseSubmitted", "CaseAccepted")
    assert state.deadline == date(2026, 2, 24)


def test_a_missing_tolerable_material_is_accepted_with_the_gap_recorded() -> None:
    state = (
        given()
        .when(submit({"m1", "m2"}))
        .then(
            submitted_payload(("m1", "m2")),
            CaseAccepted(
                deadline=date(2026, 3, 30), tolerated_missing=("m3",), tolerated_due=date(2026, 3, 9)
            ),
        )
    )
    assert state.status == Status.ACCEPTED
    assert state.tolerated_missing == ("m3",)
    assert state.missing_tolerable == ("m3",)


def test_missing_required_materials_get_one_notice_listing_all_of_them_in_catalog_order() -> None:
    terms = item(
        required=("z9", "a1", "m2", "b7"),
        tolerable=("m3",),
        optional=("m4",),
        material_names={"z9": "申请表", "a1": "身份证", "m2": "章程草案", "b7": "场地证明"},
    )
    state = (
        given()
        .when(submit({"m2", "m4"}, terms=terms))
        .then(
            submitted_payload(("m2", "m4"), terms),
            OneTimeNoticeIssued(missing=("z9", "a1", "b7")),
        )
    )
    assert state.status == Status.PENDING_SUPPLEMENT
    assert state.notice_missing == ("z9", "a1", "b7")
    assert state.holder == VILLAGE
    assert state.accepted_at is None and state.deadline is None


def test_a_notice_is_issued_even_without_auto_accept() -> None:
    state = given().when(submit({"m1"}, auto_accept=False)).then_types("CaseSubmitted", "OneTimeNoticeIssued")
    assert state.notice_missing == ("m2",)


def test_without_auto_accept_a_complete_submission_is_only_submitted() -> None:
    state = given().when(submit(auto_accept=False)).then(submitted_payload(("m1", "m2", "m3")))
    assert state.status == Status.SUBMITTED
    assert state.holder == VILLAGE
    assert state.transit is None
    assert state.deadline is None


def test_an_unknown_material_code_is_refused() -> None:
    err = given().when(submit({"m1", "m2", "x9"})).then_refused("unknown_material", kind="invalid")
    assert err.field == "provided"
    assert "x9" in err.message


@pytest.mark.parametrize("role", ["auditor", "supervision", "system", "citizen"])
def test_roles_other_than_operators_may_not_submit(role: str) -> None:
    given().when(submit(role=role)).then_refused("role_not_allowed", kind="forbidden")


def test_a_second_submission_for_an_existing_case_is_refused() -> None:
    given(submit()).when(submit()).then_refused("case_exists", kind="conflict")


# -- SupplementMaterials ----------------------------------------------------------------------


def test_a_partial_supplement_keeps_the_case_pending() -> None:
    state = (
        given(submit(set()))
        .when(supplement({"m1", "m4"}))
        .then(MaterialsSupplemented(materials=("m1", "m4")))
    )
    assert state.status == Status.PENDING_SUPPLEMENT
    assert state.provided == {"m1", "m4"}
    assert state.missing_required == ("m2",)
    assert state.holder == VILLAGE


def test_completing_the_required_materials_accepts_the_case_on_the_supplement_day() -> None:
    # Submitted Monday 2 March, completed Wednesday 4 March: the clock starts on the 4th.
    wednesday = china(2026, 3, 4)
    state = (
        given(submit({"m1"}), supplement({"m3"}))
        .when(supplement({"m2"}, at=wednesday))
        .then(
            MaterialsSupplemented(materials=("m2",)),
            CaseAccepted(deadline=date(2026, 4, 1), tolerated_missing=()),
        )
    )
    assert state.status == Status.ACCEPTED
    assert state.accepted_at == wednesday
    assert state.provided == {"m1", "m2", "m3"}


def test_supplementing_only_materials_already_provided_is_refused() -> None:
    err = given(submit({"m1"})).when(supplement({"m1"})).then_refused("nothing_supplemented", kind="invalid")
    assert err.field == "provided"


def test_supplementing_an_unknown_material_is_refused() -> None:
    given(submit({"m1"})).when(supplement({"m2", "zz"})).then_refused("unknown_material", kind="invalid")


def test_another_node_cannot_supplement() -> None:
    given(submit({"m1"})).when(supplement({"m2"}, node="c01.t01.v02")).then_refused(
        "case_not_held", kind="forbidden"
    )


def test_supplementing_after_acceptance_is_refused() -> None:
    given(submit()).when(supplement({"m4"})).then_refused("invalid_state", kind="conflict")


def test_supplementing_after_the_case_was_routed_is_refused() -> None:
    route = RouteCase(
        case_id=CASE_ID, at=MONDAY, actor=ROUTING, to_node=TOWNSHIP, cause_event_id="ev-accepted"
    )
    given(submit(), route).when(supplement({"m4"}, node=TOWNSHIP)).then_refused("invalid_state")


# -- AcceptCase -------------------------------------------------------------------------------


def test_explicit_acceptance_after_submission_without_auto_accept() -> None:
    tuesday = china(2026, 3, 3)
    state = (
        given(submit({"m1", "m2"}, auto_accept=False))
        .when(accept(at=tuesday))
        .then(
            CaseAccepted(
                deadline=date(2026, 3, 31), tolerated_missing=("m3",), tolerated_due=date(2026, 3, 10)
            )
        )
    )
    assert state.status == Status.ACCEPTED
    assert state.accepted_at == tuesday
    assert state.transit is not None and state.transit.kind == "intake"


def test_accepting_with_required_materials_missing_names_them_in_chinese() -> None:
    err = given(submit(set())).when(accept()).then_refused("materials_missing", kind="conflict")
    assert "申请书" in err.message and "章程草案" in err.message
    assert "验资报告复印件" not in err.message  # tolerable: not a reason to refuse acceptance


def test_accepting_twice_is_refused() -> None:
    given(submit()).when(accept()).then_refused("invalid_state")


def test_another_node_cannot_accept() -> None:
    given(submit(auto_accept=False)).when(accept(node="c01.t01.v02")).then_refused("case_not_held")


def test_an_auditor_cannot_accept() -> None:
    cmd = AcceptCase(case_id=CASE_ID, at=MONDAY, actor=actor(role="auditor"))
    given(submit(auto_accept=False)).when(cmd).then_refused("role_not_allowed", kind="forbidden")


def test_accepting_a_case_that_does_not_exist_is_refused() -> None:
    given().when(accept()).then_refused("case_not_found", kind="not_found")


# -- RefuseCase -------------------------------------------------------------------------------


def test_refusal_records_the_reason_and_legal_basis() -> None:
    state = (
        given(submit(auto_accept=False))
        .when(refuse())
        .then(CaseRefused(reason="不属于本事项受理范围", legal_basis="《条例》第五条"))
    )
    assert state.status == Status.REFUSED
    assert state.refusal_reason == "不属于本事项受理范围"
    assert not state.is_open


def test_a_pending_supplement_case_can_be_refused() -> None:
    state = given(submit({"m1"})).when(refuse()).then_types("CaseRefused")
    assert state.status == Status.REFUSED


@pytest.mark.parametrize("reason", ["", "   "])
def test_refusal_needs_a_reason(reason: str) -> None:
    err = (
        given(submit(auto_accept=False)).when(refuse(reason)).then_refused("reason_required", kind="invalid")
    )
    assert err.field == "reason"


def test_a_refused_case_cannot_be_accepted() -> None:
    given(submit(auto_accept=False), refuse()).when(accept()).then_refused("invalid_state", kind="conflict")


def test_a_refused_case_cannot_be_supplemented() -> None:
    given(submit({"m1"}), refuse()).when(supplement({"m2"})).then_refused("invalid_state")


def test_an_accepted_case_cannot_be_refused() -> None:
    given(submit()).when(refuse()).then_refused("invalid_state")
