"""The deadline clock against real NATS and PostgreSQL, with routing's clock moved by the test.

The demo county's calendar around the 2026 National Day holiday: 10-01..10-07 off, Saturday 10-10
an adjusted working day (调休). A case accepted Monday 09-28 with 5 promised working days counts
09-29, 09-30, 10-08, 10-09, 10-10 and is due Saturday 10-10.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select

from services.routing.timers import deadline_timers
from shared.case import (
    AnswerSupervisionOrder,
    ClaimCase,
    CloseCase,
    CompleteRectification,
    DecideCase,
    DecideExtension,
    DeliverResult,
    EvaluateCase,
    IssueResult,
    IssueSupervisionOrder,
    RequestExtension,
    ResumeCase,
    SuspendCase,
)
from shared.events import Actor
from tests.integration.routing.conftest import T0
from tests.integration.routing.harness import Harness
from tests.support.builders import actor

STATS = "c01.d.statistics"
VILLAGE = "c01.t01.v01"
SUPERVISION = Actor(operator_id="du", node_id="c01", role="supervision")


def cst(text: str) -> datetime:
    return datetime.fromisoformat(f"{text}+08:00")


async def marks(h: Harness, case_id: str) -> list[tuple[str, str, str, date, datetime]]:
    """(type, target, ref, due, at) of every clock mark on the case, in stream order."""
    return [
        (e.envelope.type, e.payload.target, e.payload.ref, e.payload.due, e.envelope.at)  # type: ignore[attr-defined]
        for e in await h.events(case_id)
        if e.envelope.type in ("DeadlineWarned", "DeadlineMissed")
    ]


async def timer_rows(h: Harness, case_id: str) -> list[tuple[str, str, date]]:
    async with h.rt.kernel.db.engine.connect() as conn:
        rows = await conn.execute(select(deadline_timers).where(deadline_timers.c.case_id == case_id))
        return sorted((r.kind, r.target, r.due) for r in rows)


async def test_a_promised_case_is_warned_and_marked_overdue_at_the_working_day_instants(h: Harness) -> None:
    case_id = await h.submit("TJ-001")  # 5 promised working days
    await h.react(case_id)
    state = await h.state(case_id)
    assert state.deadline == date(2026, 10, 10) and state.holder == STATS
    due = date(2026, 10, 10)
    assert await h.at(cst("2026-09-30T23:59:59")) == 0
    assert await timer_rows(h, case_id) == [("overdue", "case", due), ("warning", "case", due)]

    # warning: from the start of the last working day before the deadline (Friday 10-09)
    assert await h.at(cst("2026-10-08T23:59:59")) == 0
    assert await h.at(cst("2026-10-09T00:00:00")) == 1
    assert await h.at(cst("2026-10-09T15:00:00")) == 0  # made once
    # overdue: from the start of the day after the deadline (the adjusted working Saturday)
    assert await h.at(cst("2026-10-10T23:59:59")) == 0
    assert await h.at(cst("2026-10-11T00:00:00")) == 1
    assert await h.at(cst("2026-10-20T00:00:00")) == 0

    assert await marks(h, case_id) == [
        ("DeadlineWarned", "case", case_id, due, cst("2026-10-09T00:00:00")),
        ("DeadlineMissed", "case", case_id, due, cst("2026-10-11T00:00:00")),
    ]
    assert await timer_rows(h, case_id) == []  # nothing more is owed
    state = await h.state(case_id)
    assert state.warned and state.overdue


async def test_suspension_stops_the_clock_and_resumption_moves_the_deadline(h: Harness) -> None:
    case_id = await h.submit("TJ-001")
    await h.react(case_id)
    op = actor(STATS, "li")
    await h.do(ClaimCase(case_id=case_id, at=cst("2026-09-28T11:00:00"), actor=op))
    await h.do(
        SuspendCase(
            case_id=case_id,
            at=cst("2026-09-29T10:00:00"),
            actor=op,
            procedure="expert_review",
            reason="专家评审",
        )
    )
    assert await h.at(cst("2026-10-09T00:00:00")) == 0  # suspended: no warning for 10-10
    assert await h.at(cst("2026-10-11T00:00:00")) == 0  # nor an overdue mark
    assert await timer_rows(h, case_id) == []

    # resumed on Monday 10-12: 09-30, 10-08, 10-09, 10-10, 10-12 were stopped → due 10-16
    state = await h.do(ResumeCase(case_id=case_id, at=cst("2026-10-12T09:00:00"), actor=op))
    assert state.deadline == date(2026, 10, 16)
    assert await h.at(cst("2026-10-14T23:59:59")) == 0
    assert await h.at(cst("2026-10-15T00:00:00")) == 1
    assert [(t, d) for t, _, _, d, _ in await marks(h, case_id)] == [("DeadlineWarned", date(2026, 10, 16))]


async def test_an_extension_moves_the_deadline_and_issuing_the_result_stops_the_clock(h: Harness) -> None:
    case_id = await h.submit("TJ-002")  # 3 working days: due Thursday 10-08, warned from 09-30
    await h.react(case_id)
    op = actor(STATS, "li")
    await h.do(ClaimCase(case_id=case_id, at=cst("2026-09-28T11:00:00"), actor=op))
    await h.do(
        RequestExtension(
            case_id=case_id, at=cst("2026-09-29T09:00:00"), actor=op, days=2, reason="需现场核查"
        )
    )
    state = await h.do(
        DecideExtension(case_id=case_id, at=cst("2026-09-29T16:00:00"), actor=SUPERVISION, approve=True)
    )
    assert state.deadline == date(2026, 10, 10)  # 10-08 + 2 working days (10-09, the adjusted Saturday)
    assert await h.at(cst("2026-09-30T00:00:00")) == 0  # the warning for 10-08 is no longer owed
    assert await h.at(cst("2026-10-09T00:00:00")) == 1

    await h.do(DecideCase(case_id=case_id, at=cst("2026-10-09T10:00:00"), actor=op, approved=True))
    await h.do(IssueResult(case_id=case_id, at=cst("2026-10-09T11:00:00"), actor=op, result="统计调查登记证"))
    await h.react(case_id)  # the result travels back to the village
    assert await h.at(cst("2026-10-11T00:00:00")) == 0  # the clock stopped at the result: never overdue
    assert [(t, d) for t, _, _, d, _ in await marks(h, case_id)] == [("DeadlineWarned", date(2026, 10, 10))]
    assert (await h.state(case_id)).holder == VILLAGE


async def test_an_immediate_case_still_open_at_the_end_of_its_day_is_overdue_without_a_warning(
    h: Harness,
) -> None:
    case_id = await h.submit("TJ-003")  # 即办件, accepted Monday 10:00
    await h.react(case_id)
    assert await h.at(cst("2026-09-28T23:59:59")) == 0
    assert await h.at(cst("2026-09-29T00:00:00")) == 1
    assert await marks(h, case_id) == [
        ("DeadlineMissed", "case", case_id, date(2026, 9, 28), cst("2026-09-29T00:00:00"))
    ]


async def test_supervision_orders_are_warned_and_marked_until_answered(h: Harness) -> None:
    case_id = await h.submit("TJ-005")  # 30 working days: far away
    await h.react(case_id)
    for order_id in ("DB-1", "DB-2"):
        await h.do(
            IssueSupervisionOrder(
                case_id=case_id,
                at=T0,
                actor=SUPERVISION,
                order_id=order_id,
                due=date(2026, 10, 9),
                instruction="限期办理",
            )
        )
    await h.do(
        AnswerSupervisionOrder(
            case_id=case_id,
            at=cst("2026-09-30T09:00:00"),
            actor=actor(STATS, "li"),
            order_id="DB-2",
            response="已办理",
        )
    )
    assert await h.at(cst("2026-10-07T23:59:59")) == 0
    assert await h.at(cst("2026-10-08T00:00:00")) == 1  # the last working day before 10-09
    assert await h.at(cst("2026-10-10T00:00:00")) == 1
    assert [(t, tg, ref) for t, tg, ref, _, _ in await marks(h, case_id)] == [
        ("DeadlineWarned", "supervision", "DB-1"),
        ("DeadlineMissed", "supervision", "DB-1"),
    ]


async def test_an_open_rectification_is_warned_and_marked_and_completion_stops_it(h: Harness) -> None:
    op = actor(VILLAGE, "wang")
    day = cst("2026-09-28T10:00:00")
    cases = []
    for _ in range(2):
        case_id = await h.submit("RS-001")  # village tier, immediate: handled where it was accepted
        await h.react(case_id)
        for cmd in (
            ClaimCase(case_id=case_id, at=day, actor=op),
            DecideCase(case_id=case_id, at=day, actor=op, approved=True),
            IssueResult(case_id=case_id, at=day, actor=op, result="证明"),
            DeliverResult(case_id=case_id, at=day, actor=op),
            CloseCase(case_id=case_id, at=day, actor=op),
            EvaluateCase(case_id=case_id, at=day, actor=op, rating=1, comment="态度差"),
        ):
            await h.do(cmd)
        cases.append(case_id)
    due = h.calendar.add_workdays(date(2026, 9, 28), 15).date_value
    assert due == date(2026, 10, 23)
    await h.do(
        CompleteRectification(case_id=cases[1], at=day + timedelta(days=1), actor=op, measures="已整改")
    )

    assert await h.at(cst("2026-10-21T23:59:59")) == 0
    assert await h.at(cst("2026-10-22T00:00:00")) == 1  # Thursday before Friday 10-23
    assert await h.at(cst("2026-10-23T23:59:59")) == 0
    assert await h.at(cst("2026-10-24T00:00:00")) == 1
    assert [(t, tg) for t, tg, _, _, _ in await marks(h, cases[0])] == [
        ("DeadlineWarned", "rectification"),
        ("DeadlineMissed", "rectification"),
    ]
    assert await marks(h, cases[1]) == []


async def test_the_due_time_table_is_rebuilt_from_the_stream(h: Harness) -> None:
    op = actor(STATS, "li")
    running = await h.submit("TJ-001")
    suspended = await h.submit("TJ-002")
    immediate = await h.submit("TJ-003")
    for case_id in (running, suspended, immediate):
        await h.react(case_id)
    await h.do(ClaimCase(case_id=suspended, at=T0, actor=op))
    await h.do(SuspendCase(case_id=suspended, at=T0, actor=op, procedure="field_survey", reason="现场勘验"))
    await h.do(
        IssueSupervisionOrder(
            case_id=running,
            at=T0,
            actor=SUPERVISION,
            order_id="DB-9",
            due=date(2026, 10, 30),
            instruction="限期",
        )
    )
    assert await h.at(cst("2026-10-09T08:00:00")) == 2  # running's warning, immediate's overdue mark
    await h.settle()

    async def table() -> list[tuple[object, ...]]:
        async with h.rt.kernel.db.engine.connect() as conn:
            return sorted(tuple(r) for r in await conn.execute(select(deadline_timers)))

    before = await table()
    assert {(r[0], r[1], r[2]) for r in before} == {
        (running, "overdue", "case"),
        (running, "warning", "supervision"),
        (running, "overdue", "supervision"),
    }
    await h.rt.clock_runner.rebuild()
    assert await table() == before
