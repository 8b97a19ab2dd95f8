"""Time limits on the real 2026 calendar: fast track (快速通道), special procedures (特别程序) that stop
the clock, and extensions (延期) approved by the supervision office.

The case used here is accepted on Monday 30 March 2026 with 20 promised working days: 31 March,
1–3 April (4), 清明 4–6 April off, 7–10 (8), 13–17 (13), 20–24 (18), 27, 28 April: due Tuesday 28 April.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest
from pydantic import ValidationError

from shared.case import (
    CaseAccepted,
    CaseResumed,
    CaseSubmitted,
    CaseSuspended,
    DecideExtension,
    EscalateCase,
    ExtensionDenied,
    ExtensionGranted,
    ExtensionRequested,
    FastTrackFlagged,
    FlagFastTrack,
    RequestExtension,
    RequestJointReview,
    ResumeCase,
    ReturnCase,
    Status,
    SuspendCase,
    TransferCase,
)
from shared.case.kernel import Command
from shared.case.state import Procedure
from shared.events import Actor
from tests.support.builders import CASE_ID, DEPT, ROUTING, TOWNSHIP, VILLAGE, actor, applicant, item
from tests.support.gwt import given
from tests.unit.case.lifecycle import (
    AGENT,
    ALICE,
    BOB,
    SUPERVISOR,
    at_dept,
    china,
    decide,
    issue,
    joint_item,
    route,
    submit,
    supplement,
    village_tier_at_village,
)

ACCEPTED = china(3, 30)
DUE = date(2026, 4, 28)


def handling(**over: object) -> list[Command]:
    return at_dept(item(**over) if over else None, at=ACCEPTED)


def suspend(
    at: datetime = china(4, 2),
    procedure: Procedure = "expert_review",
    reason: str = "需组织专家评审",
    operator: str = ALICE,
) -> SuspendCase:
    return SuspendCase(
        case_id=CASE_ID,
        at=at,
        actor=actor(DEPT, operator),
        procedure=procedure,
        reason=reason,
        expected_days=10,
    )


def resume(
    at: datetime = china(4, 9), operator: str = ALICE, node: str = DEPT, note: str = "专家评审结束"
) -> ResumeCase:
    return ResumeCase(case_id=CASE_ID, at=at, actor=actor(node, operator), note=note)


def request_extension(
    days: int = 10, reason: str = "需补充现场核查", at: datetime = china(4, 20), operator: str = ALICE
) -> RequestExtension:
    return RequestExtension(case_id=CASE_ID, at=at, actor=actor(DEPT, operator), days=days, reason=reason)


def decide_extension(approve: bool = True, note: str = "", by: Actor = SUPERVISOR) -> DecideExtension:
    return DecideExtension(case_id=CASE_ID, at=china(4, 21), actor=by, approve=approve, note=note)


def fast_track(
    at: datetime = ACCEPTED, node: str = DEPT, operator: str = ALICE, reason: str = "重点项目绿色通道"
) -> FlagFastTrack:
    return FlagFastTrack(case_id=CASE_ID, at=at, actor=actor(node, operator), reason=reason)


# -- FlagFastTrack ----------------------------------------------------------------------------------


def test_a_case_fast_tracked_at_submission_gets_an_internal_limit_of_half_the_promised_days() -> None:
    # Accepted Monday 2 March, 20 promised working days: internal limit 10 working days = 16 March.
    state = (
        given()
        .when(submit(fast_track=True))
        .then(
            CaseSubmitted(
                case_number="511199-20260302-T01V01-0001",
                item=item(),
                applicant=applicant(),
                channel="village_room",
                node_id=VILLAGE,
                provided=("m1", "m2", "m3"),
                fast_track=True,
            ),
            CaseAccepted(deadline=date(2026, 3, 30), internal_deadline=date(2026, 3, 16)),
        )
    )
    assert state.fast_track and state.internal_deadline == date(2026, 3, 16)


def test_a_case_fast_tracked_while_handled_counts_half_from_acceptance_across_national_day() -> None:
    # Accepted Monday 28 September 2026. 10 working days: 29, 30 Sep, (1–7 Oct off), 8, 9, Sat 10
    # (国庆节调休), 12–16 Oct: 16 October. The deadline (20) runs on to 30 October.
    history = at_dept(at=china(9, 28))
    state = (
        given(*history)
        .when(fast_track(at=china(9, 29)))
        .then(FastTrackFlagged(reason="重点项目绿色通道", internal_deadline=date(2026, 10, 16)))
    )
    assert state.fast_track
    assert state.deadline == date(2026, 10, 30)


def test_a_case_fast_tracked_before_acceptance_gets_its_internal_limit_when_accepted() -> None:
    history = [submit(provided=("m1",)), fast_track(at=china(3, 2), node=VILLAGE, operator=AGENT)]
    state = (
        given(*history)
        .when(supplement("m2", at=china(3, 3)))
        .then_types("MaterialsSupplemented", "CaseAccepted")
    )
    assert state.internal_deadline == date(2026, 3, 17)  # 10 working days after Tuesday 3 March


def test_fast_tracking_a_pending_case_records_no_internal_limit_yet() -> None:
    state = (
        given(submit(provided=("m1",)))
        .when(fast_track(at=china(3, 2), node=VILLAGE, operator=AGENT))
        .then(FastTrackFlagged(reason="重点项目绿色通道"))
    )
    assert state.fast_track and state.internal_deadline is None


def test_a_three_day_item_gets_one_internal_day() -> None:
    state = given(*handling(promised_days=3)).when(fast_track()).then_types("FastTrackFlagged")
    assert state.internal_deadline == date(2026, 3, 31)


def test_an_immediate_item_fast_tracked_is_due_internally_the_same_day() -> None:
    state = (
        given(*handling(kind="immediate", promised_days=0)).when(fast_track()).then_types("FastTrackFlagged")
    )
    assert state.internal_deadline == date(2026, 3, 30)


def test_fast_tracking_twice_changes_nothing() -> None:
    given(*handling(), fast_track()).when(fast_track()).then_nothing()


def test_fast_tracking_needs_a_reason() -> None:
    err = given(*handling()).when(fast_track(reason=" ")).then_refused("reason_required", kind="invalid")
    assert err.field == "reason"


def test_only_the_holder_fast_tracks() -> None:
    given(*handling()).when(fast_track(node=TOWNSHIP)).then_refused("case_not_held", kind="forbidden")


def test_a_case_waiting_for_routing_cannot_be_fast_tracked() -> None:
    given(submit(at=ACCEPTED)).when(fast_track(node=VILLAGE, operator=AGENT)).then_refused(
        "case_in_transit", kind="conflict"
    )


def test_a_case_whose_result_is_issued_cannot_be_fast_tracked() -> None:
    history = [*village_tier_at_village(), decide(node=VILLAGE, operator=AGENT), issue(VILLAGE, AGENT)]
    given(*history).when(fast_track(node=VILLAGE, operator=AGENT)).then_refused(
        "invalid_state", kind="conflict"
    )


# -- SuspendCase / ResumeCase -------------------------------------------------------------------------


def test_a_special_procedure_stops_the_clock() -> None:
    state = (
        given(*handling())
        .when(suspend())
        .then(CaseSuspended(procedure="expert_review", reason="需组织专家评审", expected_days=10))
    )
    assert state.suspension is not None and state.suspension.since == china(4, 2)
    assert not state.clock_running
    assert state.deadline == DUE  # moves only on resumption, by the days actually paused


def test_resuming_moves_the_deadline_by_the_working_days_paused_across_qingming_and_labour_day() -> None:
    # Stopped Thursday 2 April, resumed Thursday 9 April: 3, 7, 8, 9 April = 4 working days (4–6
    # April off). 28 April + 4 working days: 29, 30 April, (1–5 May off), 6, 7 May.
    state = (
        given(*handling(), suspend())
        .when(resume())
        .then(CaseResumed(paused_workdays=4, deadline=date(2026, 5, 7), note="专家评审结束"))
    )
    assert state.suspension is None and state.clock_running
    assert state.deadline == date(2026, 5, 7)
    assert state.paused_workdays == 4


def test_a_procedure_over_a_weekend_pauses_one_working_day() -> None:
    # Friday 10 April to Monday 13 April: only the 13th is a working day. 28 April + 1 = 29 April.
    history = [*handling(), suspend(at=china(4, 10))]
    given(*history).when(resume(at=china(4, 13), note="")).then(
        CaseResumed(paused_workdays=1, deadline=date(2026, 4, 29))
    )


def test_a_procedure_ended_the_same_day_moves_nothing() -> None:
    history = [*handling(), suspend(at=china(4, 2, 9))]
    given(*history).when(resume(at=china(4, 2, 16), note="")).then(
        CaseResumed(paused_workdays=0, deadline=DUE)
    )


def test_pauses_add_up() -> None:
    history = [*handling(), suspend(), resume(), suspend(at=china(4, 10), procedure="public_notice")]
    state = given(*history).when(resume(at=china(4, 13), note="公示期满")).then_types("CaseResumed")
    assert state.paused_workdays == 5
    assert state.deadline == date(2026, 5, 8)  # 7 May + 1 working day


def test_a_colleague_at_the_holding_window_may_resume() -> None:
    given(*handling(), suspend()).when(resume(operator=BOB)).then_types("CaseResumed")


@pytest.mark.parametrize(
    "command",
    [
        decide(),
        EscalateCase(case_id=CASE_ID, at=china(4, 3), actor=actor(DEPT, ALICE), reason="超出本级权限"),
        ReturnCase(case_id=CASE_ID, at=china(4, 3), actor=actor(DEPT, ALICE), reason="需村里核实"),
        TransferCase(
            case_id=CASE_ID, at=china(4, 3), actor=actor(DEPT, ALICE), to_department="planning", reason="职责"
        ),
        request_extension(),
        suspend(at=china(4, 3), procedure="hearing"),
    ],
    ids=lambda c: type(c).__name__,
)
def test_handling_waits_while_the_case_is_suspended(command: Command) -> None:
    err = given(*handling(), suspend()).when(command).then_refused("case_suspended", kind="conflict")
    assert "中止" in err.message


def test_a_joint_review_is_not_requested_while_suspended() -> None:
    history = [*at_dept(joint_item(), at=ACCEPTED), suspend()]
    cmd = RequestJointReview(case_id=CASE_ID, at=china(4, 3), actor=actor(DEPT, ALICE))
    given(*history).when(cmd).then_refused("case_suspended", kind="conflict")


def test_a_special_procedure_needs_a_reason() -> None:
    err = given(*handling()).when(suspend(reason="")).then_refused("reason_required", kind="invalid")
    assert err.field == "reason"


def test_only_the_owner_starts_a_special_procedure() -> None:
    given(*handling()).when(suspend(operator=BOB)).then_refused("not_case_owner", kind="forbidden")


def test_a_decided_case_is_not_suspended() -> None:
    given(*handling(), decide(at=china(4, 1))).when(suspend()).then_refused("invalid_state", kind="conflict")


def test_an_unclaimed_case_is_not_suspended() -> None:
    given(submit(at=ACCEPTED), route(DEPT, "ev-accepted")).when(suspend()).then_refused(
        "case_not_claimed", kind="conflict"
    )


def test_a_case_that_is_not_suspended_cannot_be_resumed() -> None:
    given(*handling()).when(resume()).then_refused("not_suspended", kind="conflict")


def test_only_the_holder_resumes() -> None:
    given(*handling(), suspend()).when(resume(node=TOWNSHIP, operator="t-li")).then_refused(
        "case_not_held", kind="forbidden"
    )


def test_expected_days_are_bounded() -> None:
    with pytest.raises(ValidationError):
        SuspendCase(
            case_id=CASE_ID,
            at=ACCEPTED,
            actor=actor(DEPT, ALICE),
            procedure="hearing",
            reason="x",
            expected_days=0,
        )


# -- RequestExtension / DecideExtension ---------------------------------------------------------------


def test_the_owner_requests_an_extension_with_a_reason() -> None:
    state = (
        given(*handling())
        .when(request_extension())
        .then(ExtensionRequested(days=10, reason="需补充现场核查"))
    )
    assert state.extension_request is not None and state.extension_request.requested_by == ALICE
    assert state.deadline == DUE


def test_a_granted_extension_moves_the_deadline_by_working_days() -> None:
    # 28 April + 10 working days: 29, 30 April, 6, 7, 8, Sat 9 May (劳动节调休), 11, 12, 13, 14 May.
    state = (
        given(*handling(), request_extension())
        .when(decide_extension(note=" 同意延期 "))
        .then(ExtensionGranted(days=10, deadline=date(2026, 5, 14), note="同意延期"))
    )
    assert state.deadline == date(2026, 5, 14)
    assert state.extended_days == 10
    assert state.extension_request is None


def test_a_denied_extension_needs_a_note_and_leaves_the_deadline() -> None:
    state = (
        given(*handling(), request_extension())
        .when(decide_extension(False, "理由不充分"))
        .then(ExtensionDenied(note="理由不充分"))
    )
    assert state.deadline == DUE and state.extension_request is None and state.extended_days == 0


def test_a_denial_without_a_note_is_refused() -> None:
    err = (
        given(*handling(), request_extension())
        .when(decide_extension(False, " "))
        .then_refused("reason_required", kind="invalid")
    )
    assert err.field == "note"


@pytest.mark.parametrize(
    "by", [actor(DEPT, ALICE), ROUTING, actor("c01", "aud", role="auditor")], ids=lambda a: a.role
)
def test_only_the_supervision_office_decides_extensions(by: Actor) -> None:
    err = (
        given(*handling(), request_extension())
        .when(decide_extension(by=by))
        .then_refused("supervision_only", kind="forbidden")
    )
    assert "督查科" in err.message


def test_an_admin_may_decide_an_extension() -> None:
    admin = actor("c01", "admin-1", role="admin")
    given(*handling(), request_extension()).when(decide_extension(by=admin)).then_types("ExtensionGranted")


def test_there_must_be_a_request_to_decide() -> None:
    given(*handling()).when(decide_extension()).then_refused("no_extension_request", kind="conflict")


def test_one_request_at_a_time() -> None:
    given(*handling(), request_extension()).when(request_extension(5)).then_refused(
        "extension_pending", kind="conflict"
    )


def test_immediate_cases_are_never_extended() -> None:
    given(*handling(kind="immediate", promised_days=0)).when(request_extension()).then_refused(
        "immediate_no_extension", kind="conflict"
    )


def test_extensions_are_capped_at_30_working_days_in_total() -> None:
    history = [*handling(), request_extension(20), decide_extension()]
    err = given(*history).when(request_extension(11)).then_refused("extension_too_long", kind="invalid")
    assert err.field == "days"
    assert "30" in err.message


def test_extensions_up_to_the_cap_are_allowed() -> None:
    history = [*handling(), request_extension(20), decide_extension()]
    given(*history).when(request_extension(10)).then(ExtensionRequested(days=10, reason="需补充现场核查"))


def test_a_single_request_over_30_days_is_invalid_input() -> None:
    with pytest.raises(ValidationError):
        request_extension(31)


def test_an_extension_needs_a_reason() -> None:
    err = (
        given(*handling()).when(request_extension(reason="")).then_refused("reason_required", kind="invalid")
    )
    assert err.field == "reason"


def test_only_the_owner_requests_an_extension() -> None:
    given(*handling()).when(request_extension(operator=BOB)).then_refused("not_case_owner", kind="forbidden")


def test_a_decided_case_requests_no_extension() -> None:
    given(*handling(), decide(at=china(4, 1))).when(request_extension()).then_refused(
        "invalid_state", kind="conflict"
    )


def test_a_request_left_pending_while_the_case_was_decided_can_still_be_decided() -> None:
    # The clock runs until the result is issued: the deadline of a decided case may still move.
    state = (
        given(*handling(), request_extension(), decide(at=china(4, 20, 16)))
        .when(decide_extension())
        .then_types("ExtensionGranted")
    )
    assert state.deadline == date(2026, 5, 14)


def test_no_extension_is_decided_once_the_result_is_issued() -> None:
    history = [*handling(), request_extension(), decide(at=china(4, 20, 16)), issue(at=china(4, 20, 17))]
    given(*history).when(decide_extension()).then_refused("invalid_state", kind="conflict")


def test_a_suspended_case_keeps_a_granted_extension_when_it_resumes() -> None:
    # Extended to 14 May on 21 April while suspended since Monday the 20th; resumed Thursday 23
    # April: 21, 22, 23 April = 3 working days paused, so 14 May + 15, 18, 19 May.
    history = [*handling(), request_extension(), suspend(at=china(4, 20, 15)), decide_extension()]
    state = (
        given(*history)
        .when(resume(at=china(4, 23)))
        .then(CaseResumed(paused_workdays=3, deadline=date(2026, 5, 19), note="专家评审结束"))
    )
    assert state.status == Status.HANDLING and state.extended_days == 10


def test_issuing_the_result_drops_an_extension_request_still_pending() -> None:
    # the clock stopped: supervision has nothing left to extend
    history = [*handling(), request_extension(), decide()]
    state = given(*history).when(issue()).then_types("ResultIssued")
    assert state.extension_request is None
    given(*history, issue()).when(decide_extension()).then_refused("invalid_state")
