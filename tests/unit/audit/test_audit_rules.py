"""Every rule check against real domain events: a clean history passes, a bad one is named.

Bad histories are what an old or faulty writer could have stored: the domain's own event types,
placed where ``decide`` would have refused them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from services.audit.rules import RULES, RuleContext, RuleFinding, check_events
from shared.case import (
    CaseAccepted,
    CaseClosed,
    CaseDecided,
    DomainEvent,
    ResultIssued,
)
from shared.case.evaluation import CompleteRectification
from shared.case.fees import AssessFee, FeeAssessed
from shared.case.kernel import Command, decide, fold
from shared.case.supervision import AnswerSupervisionOrder, IssueSupervisionOrder
from shared.case.timeframes import (
    CaseResumed,
    DeadlineWarned,
    DecideExtension,
    RequestExtension,
    ResumeCase,
    SuspendCase,
)
from shared.eventstore import StoredEvent
from shared.eventstore.codec import to_domain
from tests.support.audit_traffic import ITEMS, CasePlan, commands, seal
from tests.support.builders import CTX, ROUTING, actor

MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
SUPERVISOR = actor("c01", "dcz", role="supervision")
LATER = RuleContext(CTX.calendar, datetime(2026, 12, 31, tzinfo=UTC))


def plan(code: str = "MZ-001", **kw: object) -> CasePlan:
    return CasePlan("T01V01-RULE0000000001", "c01.t01.v01", code, MONDAY, **kw)  # type: ignore[arg-type]


class History:
    """Real commands through decide/evolve, plus raw domain events where a bad writer would put them."""

    def __init__(self, cmds: list[Command]) -> None:
        self.state = None
        self.events: list[DomainEvent] = []
        for c in cmds:
            self.do(c)

    def do(self, cmd: Command) -> History:
        new = decide(self.state, cmd, CTX)
        self.state = fold(self.state, new)
        self.events.extend(new)
        return self

    def raw(self, payload: object, who: object, at: datetime | None = None) -> History:
        assert self.state is not None
        ev = DomainEvent(self.state.case_id, payload, at or self.events[-1].at, who)  # type: ignore[arg-type]
        self.state = fold(self.state, [ev])
        self.events.append(ev)
        return self

    def stored(self) -> list[StoredEvent]:
        cid = self.events[0].case_id
        envs = seal(self.events, cid)
        return [
            StoredEvent(i, f"case.T01V01.{cid}", e, to_domain(e).payload, {}) for i, e in enumerate(envs, 1)
        ]

    def findings(self, ctx: RuleContext = LATER) -> list[RuleFinding]:
        return check_events(self.stored(), ctx)


def steps(p: CasePlan, until: str | None = None) -> list[Command]:
    """The plan's commands, up to (not including) the first of type ``until``."""
    out = []
    for c in commands(p):
        if until and type(c).__name__ == until:
            break
        out.append(c)
    return out


def only(findings: list[RuleFinding], rule: str) -> RuleFinding:
    assert [f.rule for f in findings] == [rule], [f.line() for f in findings]
    return findings[0]


CLERK = actor("c01.d.civil-affairs", "clerk@c01.d.civil-affairs")
AT = MONDAY + timedelta(days=1)


def test_a_clean_case_passes_every_rule() -> None:
    assert all(r.active for r in RULES), [r.name for r in RULES if not r.active]
    assert History(commands(plan(close_after=5, rating=5))).findings() == []


def test_handled_by_a_node_that_did_not_hold_it() -> None:
    h = History(steps(plan(close_after=5), until="DecideCase"))
    intruder = actor("c01.d.statistics", "zhang@c01.d.statistics")
    f = only(h.raw(CaseDecided(outcome="approved"), intruder, AT).findings(), "handled_by_non_holder")
    assert f.case_id == h.events[0].case_id and f.stream_seqs == (len(h.events),)
    assert "c01.d.civil-affairs" in f.message


def test_decision_without_acceptance() -> None:
    h = History(steps(plan(close_after=5), until="AcceptCase"))
    village = actor("c01.t01.v01", "agent@c01.t01.v01")
    f = only(h.raw(CaseDecided(outcome="approved"), village, AT).findings(), "decided_without_acceptance")
    assert f.event_ids and f.stream_seqs == (len(h.events),)


def test_clock_ran_while_suspended() -> None:
    h = History(steps(plan(close_after=5), until="DecideCase"))
    h.do(
        SuspendCase(case_id=h.state.case_id, at=AT, actor=CLERK, procedure="expert_review", reason="专家评审")
    )
    assert h.findings() == []
    due = h.state.deadline
    h.raw(DeadlineWarned(target="case", ref=h.state.case_id, due=due), ROUTING, AT + timedelta(days=20))
    f = only(h.findings(), "clock_ran_while_suspended")
    assert f.stream_seqs == (len(h.events) - 1, len(h.events))

    resumed = History(steps(plan(close_after=5), until="DecideCase"))
    resumed.do(SuspendCase(case_id=h.state.case_id, at=AT, actor=CLERK, procedure="hearing", reason="听证"))
    resumed.do(ResumeCase(case_id=h.state.case_id, at=AT + timedelta(days=7), actor=CLERK))
    assert resumed.findings() == []
    bad = History(steps(plan(close_after=5), until="DecideCase"))
    bad.do(SuspendCase(case_id=h.state.case_id, at=AT, actor=CLERK, procedure="hearing", reason="听证"))
    old = bad.state.deadline
    bad.raw(CaseResumed(paused_workdays=5, deadline=old), CLERK, AT + timedelta(days=7))
    assert only(bad.findings(), "clock_ran_while_suspended").message.startswith("resumed after 5")


def test_promised_case_closed_late_without_an_extension() -> None:
    late = plan(close_after=ITEMS["MZ-001"].promised_days + 2)
    f = only(History(commands(late)).findings(), "closed_late_without_extension")
    assert str(late.deadline) in f.message

    h = History(steps(late, until="DecideCase"))
    cid = h.state.case_id
    h.do(RequestExtension(case_id=cid, at=AT, actor=CLERK, days=5, reason="需补充现场核查"))
    h.do(DecideExtension(case_id=cid, at=AT, actor=SUPERVISOR, approve=True, note="同意"))
    for c in commands(late)[len(steps(late, until="DecideCase")) :]:
        h.do(c)
    assert h.findings() == []


def test_closed_without_delivery() -> None:
    h = History(steps(plan(close_after=5), until="DeliverResult"))
    village = actor("c01.t01.v01", "agent@c01.t01.v01")
    f = only(h.raw(CaseClosed(), village).findings(), "closed_without_delivery")
    assert f.stream_seqs == (len(h.events),)


def test_low_rating_without_rectification_in_time() -> None:
    h = History(commands(plan(close_after=5, rating=1)))
    opened = next(e for e in h.events if e.type == "RectificationOpened")
    due = opened.payload.due  # type: ignore[attr-defined]
    in_time = RuleContext(CTX.calendar, datetime.combine(due, datetime.min.time(), UTC))
    assert h.findings(in_time) == []
    f = only(h.findings(LATER), "low_rating_not_rectified")
    assert "still open" in f.message and len(f.event_ids) == 2
    node = opened.payload.node_id  # type: ignore[attr-defined]
    fixer = actor(node, f"lead@{node}")
    h.do(
        CompleteRectification(
            case_id=h.state.case_id, at=h.events[-1].at, actor=fixer, measures="限时办结培训"
        )
    )
    assert h.findings(LATER) == []


def test_result_issued_before_the_fee_was_paid() -> None:
    from tests.support.builders import item

    ITEMS["FEE-01"] = item(
        code="FEE-01",
        name="垃圾准运证",
        department="civil-affairs",
        tier="county",
        kind="promised",
        promised_days=10,
        fee_fen=5000,
        required=("m1",),
        tolerable=(),
        optional=(),
        material_names={"m1": "申请表"},
    )
    try:
        p = plan("FEE-01", close_after=3)
        h = History(steps(p, until="IssueResult"))
        h.do(AssessFee(case_id=h.state.case_id, at=AT, actor=CLERK))
        h.raw(ResultIssued(result="准运证", deliver_at="c01.t01.v01"), CLERK)
        f = only(h.findings(), "result_before_fee_paid")
        assert len(f.stream_seqs) == 2 and isinstance(h.events[-2].payload, FeeAssessed)
    finally:
        del ITEMS["FEE-01"]


def test_a_required_document_missing() -> None:
    p = plan(close_after=5)
    first = commands(p)[0].model_copy(update={"provided": frozenset()})
    h = History([first])
    village = actor("c01.t01.v01", "agent@c01.t01.v01")
    f = only(h.raw(CaseAccepted(deadline=date(2026, 3, 30)), village).findings(), "missing_document")
    assert "m1" in f.message


def test_supervision_order_not_answered_by_its_date() -> None:
    h = History(steps(plan(close_after=5), until="DecideCase"))
    cid = h.state.case_id
    h.do(
        IssueSupervisionOrder(
            case_id=cid,
            at=AT,
            actor=SUPERVISOR,
            order_id="DB-1",
            due=date(2026, 3, 6),
            instruction="请于3月6日前办结",
        )
    )
    on_time = RuleContext(CTX.calendar, datetime(2026, 3, 5, tzinfo=UTC))
    assert h.findings(on_time) == []
    f = only(h.findings(), "supervision_unanswered")
    assert "DB-1" in f.message and "unanswered" in f.message
    h.do(
        AnswerSupervisionOrder(
            case_id=cid,
            at=datetime(2026, 3, 5, 8, tzinfo=UTC),
            actor=CLERK,
            order_id="DB-1",
            response="已办结",
        )
    )
    assert h.findings() == []


@pytest.mark.parametrize("rule", [r.name for r in RULES])
def test_every_rule_has_a_test_here(rule: str) -> None:
    import inspect
    import sys

    assert f'"{rule}"' in inspect.getsource(sys.modules[__name__])
