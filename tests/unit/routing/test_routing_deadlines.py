"""The marks a case is owed and when — pure, and in agreement with the core's ``MarkDeadline``."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from services.routing.deadlines import Timer, due_marks, mark_event_id, overdue_at, owed_marks, warning_at
from shared.case import (
    CaseState,
    ClaimCase,
    Command,
    DecideCase,
    DomainError,
    IssueResult,
    IssueSupervisionOrder,
    MarkDeadline,
    RouteCase,
    SubmitCase,
    SuspendCase,
)
from shared.case.kernel import decide, fold
from shared.catalog import Catalog
from shared.events import Actor
from shared.service_layer.terms import item_terms
from tests.support.builders import CTX, ROUTING, actor, applicant

CATALOG = Catalog.load(None)
CAL = CTX.calendar
STATS = "c01.d.statistics"
MONDAY = datetime.fromisoformat("2026-09-28T10:00:00+08:00")  # before the National Day holiday
SUPERVISION = Actor(operator_id="du", node_id="c01", role="supervision")


def cst(text: str) -> datetime:
    return datetime.fromisoformat(f"{text}+08:00")


def run(state: CaseState | None, *commands: Command) -> CaseState:
    for cmd in commands:
        state = fold(state, decide(state, cmd, CTX))
    assert state is not None
    return state


def accepted(code: str, at: datetime = MONDAY) -> CaseState:
    item = item_terms(CATALOG.get(code))
    return run(
        None,
        SubmitCase(
            case_id="T01V01-C1",
            at=at,
            actor=actor("c01.t01.v01"),
            case_number="N-1",
            item=item,
            applicant=applicant(),
            channel="village_room",
            provided=frozenset((*item.required, *item.tolerable)),
        ),
        RouteCase(case_id="T01V01-C1", at=at, actor=ROUTING, to_node=STATS, cause_event_id="ev-1"),
        ClaimCase(case_id="T01V01-C1", at=at, actor=actor(STATS, "li")),
    )


def mark(state: CaseState, t: Timer, at: datetime) -> CaseState:
    return run(
        state,
        MarkDeadline(
            case_id=state.case_id, at=at, actor=ROUTING, kind=t.kind, target=t.target, ref=t.ref, due=t.due
        ),
    )


def test_a_promised_case_is_owed_a_warning_the_working_day_before_and_an_overdue_mark_after() -> None:
    state = accepted("TJ-001")  # 5 working days across the National Day holiday: due Saturday 10-10 (调休)
    assert state.deadline == date(2026, 10, 10)
    assert owed_marks(state, CAL) == [
        Timer(cst("2026-10-09T00:00:00"), "warning", "case", state.case_id, date(2026, 10, 10)),
        Timer(cst("2026-10-11T00:00:00"), "overdue", "case", state.case_id, date(2026, 10, 10)),
    ]
    assert due_marks(state, CAL, cst("2026-10-08T23:59:59")) == []
    assert [t.kind for t in due_marks(state, CAL, cst("2026-10-09T00:00:00"))] == ["warning"]


def test_the_warning_skips_back_over_holidays_and_weekends() -> None:
    assert warning_at(date(2026, 10, 8), CAL) == cst("2026-09-30T00:00:00")  # across 10-01..10-07
    assert warning_at(date(2026, 10, 12), CAL) == cst("2026-10-10T00:00:00")  # the adjusted Saturday
    assert warning_at(date(2026, 10, 19), CAL) == cst("2026-10-16T00:00:00")  # Monday → Friday
    assert overdue_at(date(2026, 10, 16)) == cst("2026-10-17T00:00:00")  # the next calendar day


def test_an_immediate_case_is_owed_only_the_overdue_mark_at_the_end_of_its_day() -> None:
    state = accepted("TJ-003")
    assert [(t.kind, t.fire_at) for t in owed_marks(state, CAL)] == [("overdue", cst("2026-09-29T00:00:00"))]


def test_marks_made_are_not_owed_again() -> None:
    state = accepted("TJ-001")
    warning, overdue = owed_marks(state, CAL)
    state = mark(state, warning, cst("2026-10-09T08:00:00"))
    assert owed_marks(state, CAL) == [overdue]
    state = mark(state, overdue, cst("2026-10-11T08:00:00"))
    assert owed_marks(state, CAL) == []


def test_a_suspended_case_and_a_case_whose_result_is_issued_are_owed_nothing() -> None:
    state = accepted("TJ-001")
    op = actor(STATS, "li")
    suspended = run(
        state, SuspendCase(case_id=state.case_id, at=MONDAY, actor=op, procedure="hearing", reason="听证")
    )
    assert owed_marks(suspended, CAL) == []
    done = run(
        state,
        DecideCase(case_id=state.case_id, at=MONDAY, actor=op, approved=True),
        IssueResult(case_id=state.case_id, at=MONDAY, actor=op, result="证书"),
    )
    assert owed_marks(done, CAL) == []


def test_supervision_orders_are_owed_marks_of_their_own() -> None:
    state = accepted("TJ-005")
    state = run(
        state,
        IssueSupervisionOrder(
            case_id=state.case_id,
            at=MONDAY,
            actor=SUPERVISION,
            order_id="DB-1",
            due=date(2026, 10, 9),
            instruction="限期",
        ),
    )
    orders = [t for t in owed_marks(state, CAL) if t.target == "supervision"]
    assert [(t.kind, t.ref, t.fire_at) for t in orders] == [
        ("warning", "DB-1", cst("2026-10-08T00:00:00")),
        ("overdue", "DB-1", cst("2026-10-10T00:00:00")),
    ]


def test_mark_ids_are_the_same_for_the_same_mark_and_differ_otherwise() -> None:
    state = accepted("TJ-001")
    warning, overdue = owed_marks(state, CAL)
    assert mark_event_id(state.case_id, warning) == mark_event_id(state.case_id, warning)
    ids = {
        mark_event_id(state.case_id, warning),
        mark_event_id(state.case_id, overdue),
        mark_event_id("T01V01-C2", warning),
        mark_event_id(
            state.case_id, Timer(warning.fire_at, "warning", "case", state.case_id, date(2026, 10, 12))
        ),
    }
    assert len(ids) == 4 and all(i.endswith("-RT") for i in ids)


@pytest.mark.parametrize("code", ["TJ-001", "TJ-002", "TJ-003", "MZ-001", "GH-004", "FG-001"])
@pytest.mark.parametrize("accepted_on", [date(2026, 9, 28) + timedelta(days=d) for d in range(0, 40, 3)])
def test_the_core_accepts_a_mark_exactly_from_the_instant_routing_computes(
    code: str, accepted_on: date
) -> None:
    state = accepted(
        code,
        datetime.combine(accepted_on, datetime.min.time()).replace(tzinfo=MONDAY.tzinfo)
        + timedelta(hours=10),
    )
    for t in owed_marks(state, CAL):
        with pytest.raises(DomainError) as refused:
            mark(state, t, t.fire_at - timedelta(seconds=1))
        assert refused.value.code == "not_due"
        assert mark(state, t, t.fire_at).marks >= {t.key}
