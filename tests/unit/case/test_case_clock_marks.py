"""Clock marks made by routing's timer: a warning (黄牌) from the working day before a due date, an
overdue mark (红牌) only once it has passed; once per (kind, target, ref, due); never while the clock
is stopped. ``state.warned`` / ``state.overdue`` follow the case's current deadline.

The case here is accepted on Monday 30 March 2026 with 5 promised working days: 31 March, 1, 2,
3 April, (清明 4–6 April off), Tuesday 7 April. The working day before it is Friday 3 April.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from shared.case import (
    AnswerSupervisionOrder,
    CompleteRectification,
    DeadlineMissed,
    DeadlineWarned,
    DecideExtension,
    IssueSupervisionOrder,
    MarkDeadline,
    RequestExtension,
    ResumeCase,
    SuspendCase,
)
from shared.case.kernel import Command
from shared.case.timeframes import MarkKind, Target
from shared.events import Actor
from tests.support.builders import CASE_ID, DEPT, ROUTING, actor, item
from tests.support.gwt import Scenario, given
from tests.unit.case.lifecycle import (
    ALICE,
    SUPERVISOR,
    at_dept,
    china,
    closed,
    decide,
    evaluate,
    issue,
    submit,
)

DUE = date(2026, 4, 7)
FIVE_DAYS = item(promised_days=5)


def mark(
    kind: MarkKind,
    at: datetime,
    due: date = DUE,
    target: Target = "case",
    ref: str = CASE_ID,
    by: Actor = ROUTING,
) -> MarkDeadline:
    return MarkDeadline(case_id=CASE_ID, at=at, actor=by, kind=kind, target=target, ref=ref, due=due)


def handling() -> list[Command]:
    return at_dept(FIVE_DAYS, at=china(3, 30))


def suspend(at: datetime) -> SuspendCase:
    return SuspendCase(
        case_id=CASE_ID, at=at, actor=actor(DEPT, ALICE), procedure="hearing", reason="组织听证"
    )


# -- warnings and overdue marks on the case's deadline ---------------------------------------------------


def test_the_warning_comes_on_the_working_day_before_the_due_date_across_qingming() -> None:
    state = (
        given(*handling())
        .when(mark("warning", china(4, 3, 8)))
        .then(DeadlineWarned(target="case", ref=CASE_ID, due=DUE))
    )
    assert state.warned and not state.overdue


def test_no_warning_two_working_days_before() -> None:
    err = given(*handling()).when(mark("warning", china(4, 2, 17))).then_refused("not_due", kind="conflict")
    assert "时限未到" in err.message


@pytest.mark.parametrize("day", [5, 7], ids=["holiday-before", "due-day"])
def test_a_warning_late_in_the_window_is_still_accepted(day: int) -> None:
    given(*handling()).when(mark("warning", china(4, day))).then_types("DeadlineWarned")


def test_no_overdue_mark_on_the_due_day_itself() -> None:
    given(*handling()).when(mark("overdue", china(4, 7, 23, 30))).then_refused("not_due", kind="conflict")


def test_the_overdue_mark_comes_the_day_after() -> None:
    state = (
        given(*handling(), mark("warning", china(4, 3)))
        .when(mark("overdue", china(4, 8, 0, 5)))
        .then(DeadlineMissed(target="case", ref=CASE_ID, due=DUE))
    )
    assert state.warned and state.overdue


def test_the_day_is_the_china_date_not_the_utc_date() -> None:
    # 16:30 UTC on 7 April is 00:30 on 8 April in China: overdue.
    given(*handling()).when(mark("overdue", datetime(2026, 4, 7, 16, 30, tzinfo=UTC))).then_types(
        "DeadlineMissed"
    )


def test_the_clock_runs_while_the_case_waits_for_routing() -> None:
    given(submit(FIVE_DAYS, at=china(3, 30))).when(mark("warning", china(4, 3))).then_types("DeadlineWarned")


def test_the_clock_runs_until_the_result_is_issued() -> None:
    given(*handling(), decide(at=china(4, 7))).when(mark("overdue", china(4, 8))).then_types("DeadlineMissed")


# -- once only --------------------------------------------------------------------------------------------


def test_the_same_mark_made_twice_is_recorded_once() -> None:
    given(*handling(), mark("warning", china(4, 3))).when(mark("warning", china(4, 6))).then_nothing()


def test_a_repeated_mark_changes_nothing_even_after_the_clock_stopped() -> None:
    history = [*handling(), mark("overdue", china(4, 8)), decide(at=china(4, 9)), issue(at=china(4, 9))]
    given(*history).when(mark("overdue", china(4, 10))).then_nothing()


# -- when the clock is stopped -----------------------------------------------------------------------------


def test_no_mark_while_suspended() -> None:
    history = [*handling(), suspend(china(4, 1))]
    err = given(*history).when(mark("overdue", china(4, 8))).then_refused("clock_stopped", kind="conflict")
    assert err.message


def test_no_mark_before_the_case_is_complete() -> None:
    given(submit(FIVE_DAYS, provided=("m1",), at=china(3, 30))).when(
        mark("warning", china(4, 3))
    ).then_refused("clock_stopped", kind="conflict")


def test_no_mark_once_the_result_is_issued() -> None:
    history = [*handling(), decide(at=china(4, 7)), issue(at=china(4, 7, 16))]
    given(*history).when(mark("overdue", china(4, 8))).then_refused("clock_stopped", kind="conflict")


def test_no_mark_for_another_case() -> None:
    given(*handling()).when(mark("warning", china(4, 3), ref="T01V01-OTHER")).then_refused(
        "clock_stopped", kind="conflict"
    )


def test_only_routing_marks_deadlines() -> None:
    given(*handling()).when(mark("warning", china(4, 3), by=SUPERVISOR)).then_refused(
        "system_only", kind="forbidden"
    )


# -- marks follow the current deadline ------------------------------------------------------------------------


EXTENDED = date(2026, 4, 14)


def extended() -> list[Command]:
    """Warned on 3 April, then extended by 5 working days: 7 April + 8, 9, 10, 13, 14 April."""
    return [
        *handling(),
        mark("warning", china(4, 3)),
        RequestExtension(
            case_id=CASE_ID, at=china(4, 3, 11), actor=actor(DEPT, ALICE), days=5, reason="需补充调查"
        ),
        DecideExtension(case_id=CASE_ID, at=china(4, 3, 15), actor=SUPERVISOR, approve=True, note="同意"),
    ]


def test_an_extension_clears_the_warning_for_the_new_deadline() -> None:
    state = (
        given(*extended())
        .when(mark("warning", china(4, 13), EXTENDED))
        .then(DeadlineWarned(target="case", ref=CASE_ID, due=EXTENDED))
    )
    assert state.deadline == EXTENDED and state.warned


def test_after_an_extension_the_old_warning_no_longer_shows() -> None:
    state = Scenario(extended()).state()
    assert state is not None and state.deadline == EXTENDED
    assert not state.warned and not state.overdue


def test_a_mark_for_the_old_deadline_is_refused_after_an_extension() -> None:
    given(*extended()).when(mark("overdue", china(4, 8))).then_refused("clock_stopped", kind="conflict")


def test_the_warning_for_the_new_deadline_waits_for_its_own_window() -> None:
    given(*extended()).when(mark("warning", china(4, 10), EXTENDED)).then_refused("not_due", kind="conflict")


def suspended_and_resumed() -> list[Command]:
    """Suspended Wednesday 1 April, resumed Wednesday 8 April: 2, 3, 7, 8 April paused (4 working
    days), so the deadline moves from 7 April to 8, 9, 10, 13 April."""
    return [
        *handling(),
        suspend(china(4, 1)),
        ResumeCase(case_id=CASE_ID, at=china(4, 8), actor=actor(DEPT, ALICE)),
    ]


def test_after_a_suspension_the_old_deadline_is_not_marked_overdue() -> None:
    given(*suspended_and_resumed()).when(mark("overdue", china(4, 8, 12))).then_refused(
        "clock_stopped", kind="conflict"
    )


def test_after_a_suspension_the_moved_deadline_is_warned_in_its_own_window() -> None:
    moved = date(2026, 4, 13)
    state = (
        given(*suspended_and_resumed())
        .when(mark("warning", china(4, 10), moved))
        .then_types("DeadlineWarned")
    )
    assert state.deadline == moved and state.warned


# -- rectification and supervision-order deadlines -------------------------------------------------------------


RATED = china(9, 21)
RECTIFY_BY = date(2026, 10, 19)  # 15 working days after Monday 21 September (中秋, 国庆 off)


def rated_badly() -> list[Command]:
    return [*closed(), evaluate(1, "办事拖沓", at=RATED)]


def test_a_rectification_is_warned_on_the_working_day_before_it_is_due() -> None:
    given(*rated_badly()).when(mark("warning", china(10, 16), RECTIFY_BY, "rectification")).then(
        DeadlineWarned(target="rectification", ref=CASE_ID, due=RECTIFY_BY)
    )


def test_a_rectification_is_not_warned_earlier() -> None:
    given(*rated_badly()).when(mark("warning", china(10, 15), RECTIFY_BY, "rectification")).then_refused(
        "not_due", kind="conflict"
    )


def test_an_overdue_rectification_is_marked_on_an_archived_case() -> None:
    given(*rated_badly()).when(mark("overdue", china(10, 20), RECTIFY_BY, "rectification")).then_types(
        "DeadlineMissed"
    )


def test_a_completed_rectification_is_not_marked() -> None:
    done = CompleteRectification(
        case_id=CASE_ID, at=china(10, 9), actor=actor(DEPT, "zheng"), measures="约谈整改"
    )
    given(*rated_badly(), done).when(
        mark("overdue", china(10, 20), RECTIFY_BY, "rectification")
    ).then_refused("clock_stopped", kind="conflict")


def test_a_rectification_mark_must_name_its_due_date() -> None:
    given(*rated_badly()).when(
        mark("overdue", china(10, 20), date(2026, 10, 16), "rectification")
    ).then_refused("clock_stopped", kind="conflict")


def ordered(due: date = date(2026, 4, 3)) -> list[Command]:
    order = IssueSupervisionOrder(
        case_id=CASE_ID, at=china(3, 31), actor=SUPERVISOR, order_id="DB-7", due=due, instruction="请加快办理"
    )
    return [*handling(), order]


def test_a_supervision_order_is_warned_on_the_working_day_before_it_is_due() -> None:
    state = (
        given(*ordered())
        .when(mark("warning", china(4, 2), date(2026, 4, 3), "supervision", "DB-7"))
        .then(DeadlineWarned(target="supervision", ref="DB-7", due=date(2026, 4, 3)))
    )
    assert not state.warned  # the case's own deadline is not the order's


def test_a_supervision_order_is_marked_overdue_the_day_after() -> None:
    given(*ordered()).when(mark("overdue", china(4, 4), date(2026, 4, 3), "supervision", "DB-7")).then(
        DeadlineMissed(target="supervision", ref="DB-7", due=date(2026, 4, 3))
    )


@pytest.mark.parametrize(("day", "warned"), [(9, False), (10, True)], ids=["thursday", "friday"])
def test_an_order_due_on_a_sunday_is_warned_from_the_friday(day: int, warned: bool) -> None:
    sunday = date(2026, 4, 12)
    scenario = given(*ordered(sunday)).when(mark("warning", china(4, day), sunday, "supervision", "DB-7"))
    if warned:
        scenario.then_types("DeadlineWarned")
    else:
        scenario.then_refused("not_due", kind="conflict")


def test_an_answered_order_is_not_marked() -> None:
    reply = AnswerSupervisionOrder(
        case_id=CASE_ID, at=china(4, 2), actor=actor(DEPT, ALICE), order_id="DB-7", response="已办结"
    )
    given(*ordered(), reply).when(
        mark("overdue", china(4, 4), date(2026, 4, 3), "supervision", "DB-7")
    ).then_refused("clock_stopped", kind="conflict")


def test_an_unknown_order_is_not_marked() -> None:
    given(*handling()).when(
        mark("overdue", china(4, 4), date(2026, 4, 3), "supervision", "DB-9")
    ).then_refused("clock_stopped", kind="conflict")
