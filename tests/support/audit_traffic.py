"""Realistic case traffic for the audit tests and benchmark, made with the shared core (decide/evolve).

Each ``CasePlan`` says what happens to one case (accepted or refused, closed after how many working
days or left open, rating); ``lifecycle`` turns it into domain events through the real deciders,
and the plan itself is what the tests compute expected numbers from.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from shared.calendar import WorkCalendar
from shared.case import (
    AcceptCase,
    ClaimCase,
    CloseCase,
    DecideCase,
    DeliverResult,
    DomainEvent,
    EvaluateCase,
    IssueResult,
    ItemTerms,
    RefuseCase,
    RouteCase,
    SubmitCase,
)
from shared.case.kernel import Command, decide, fold
from shared.case.supervision import FileComplaint, ResolveComplaint
from shared.case.timeframes import MarkDeadline
from shared.clock import LOCAL_TZ
from shared.events import Envelope
from shared.eventstore import seal_chain
from tests.support.builders import CTX, ROUTING, actor, applicant, item

CAL: WorkCalendar = CTX.calendar
TOWNSHIPS = ("c01.t01", "c01.t02", "c01.t03")
VILLAGES = tuple(f"{t}.v0{i}" for t in TOWNSHIPS for i in range(1, 6))


def _item(code: str, name: str, dept: str, tier: str, kind: str, days: int) -> ItemTerms:
    return item(
        code=code,
        name=name,
        department=dept,
        tier=tier,
        kind=kind,
        promised_days=days,
        required=("m1",),
        tolerable=(),
        optional=(),
        material_names={"m1": "申请表"},
    )


ITEMS: dict[str, ItemTerms] = {
    "JS-001": _item("JS-001", "流动人口婚育证明", "health", "village", "immediate", 0),
    "TJ-001": _item("TJ-001", "统计调查登记证办理", "statistics", "township", "promised", 5),
    "MZ-001": _item("MZ-001", "社团审批", "civil-affairs", "county", "promised", 20),
    "TJ-003": _item("TJ-003", "统计调查登记证年审", "statistics", "county", "immediate", 0),
    "ZJ-001": _item("ZJ-001", "施工许可证初审", "construction", "county", "promised", 15),
    "CG-001": _item("CG-001", "垃圾准运证", "city-management", "county", "promised", 10),
}


def node_code(node_id: str) -> str:
    parts = node_id.split(".")
    return "".join(p.upper() for p in parts[1:]) if len(parts) > 1 else parts[0].upper()


def handler_of(terms: ItemTerms, origin: str) -> str:
    if terms.tier == "village":
        return origin
    if terms.tier == "township":
        return origin.rsplit(".", 1)[0]
    return f"c01.d.{terms.department}"


@dataclass(frozen=True)
class CasePlan:
    case_id: str
    origin: str
    item_code: str
    submitted: datetime
    refused: bool = False
    close_after: int | None = None  # working days after acceptance; None: still open
    rating: int | None = None
    complaint: bool = False  # a complaint against the handler, filed and resolved on the closing day

    @property
    def terms(self) -> ItemTerms:
        return ITEMS[self.item_code]

    @property
    def handler(self) -> str:
        return handler_of(self.terms, self.origin)

    @property
    def accepted_on(self) -> date:
        return self.submitted.date()

    @property
    def deadline(self) -> date:
        t = self.terms
        r = (
            CAL.first_workday_on_or_after(self.accepted_on)
            if t.kind == "immediate"
            else CAL.add_workdays(self.accepted_on, t.promised_days)
        )
        assert isinstance(r.value, date)
        return r.value

    @property
    def late(self) -> bool:
        return self.close_after is not None and self.close_after > self.terms.promised_days

    @property
    def warning_on(self) -> date | None:
        """Routing's yellow card: the working day before the deadline, for late promised cases."""
        if not self.late or self.terms.kind != "promised":
            return None
        return CAL.previous_workday(self.deadline).date_value

    @property
    def overdue_on(self) -> date | None:
        """The red card: the first working day after the deadline."""
        return CAL.next_workday(self.deadline).date_value if self.warning_on else None

    @property
    def closed_on(self) -> date | None:
        if self.refused or self.close_after is None:
            return None
        v = CAL.add_workdays(self.accepted_on, self.close_after).value
        assert isinstance(v, date)
        return v


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), LOCAL_TZ)


def commands(p: CasePlan) -> list[Command]:
    cid, origin, handler = p.case_id, p.origin, p.handler
    village, worker = actor(origin, f"agent@{origin}"), actor(handler, f"clerk@{handler}")
    t0 = p.submitted
    cmds: list[Command] = [
        SubmitCase(
            case_id=cid,
            at=t0,
            actor=village,
            case_number=f"511199-{t0:%Y%m%d}-{cid[-6:]}",
            item=p.terms,
            applicant=applicant(),
            channel="village_room",
            provided=frozenset({"m1"}),
            auto_accept=False,
        )
    ]
    if p.refused:
        return [
            *cmds,
            RefuseCase(
                case_id=cid,
                at=t0 + timedelta(minutes=5),
                actor=village,
                reason="不属于受理范围",
                legal_basis="《行政许可法》第三十二条",
            ),
        ]
    t1 = t0 + timedelta(minutes=5)
    cmds += [
        AcceptCase(case_id=cid, at=t1, actor=village),
        RouteCase(case_id=cid, at=t1, actor=ROUTING, to_node=handler, cause_event_id=f"{cid}:accept"),
        ClaimCase(case_id=cid, at=t1 + timedelta(minutes=30), actor=worker),
    ]
    day = p.closed_on
    if day is None:
        return cmds
    if p.warning_on and p.overdue_on:
        for kind, on in (("warning", p.warning_on), ("overdue", p.overdue_on)):
            cmds.append(
                MarkDeadline(
                    case_id=cid,
                    at=_at(on, 7),
                    actor=ROUTING,
                    kind=kind,
                    target="case",
                    ref=cid,
                    due=p.deadline,
                )
            )
    cmds += [
        DecideCase(case_id=cid, at=_at(day, 14), actor=worker, approved=True, reason="符合条件"),
        IssueResult(case_id=cid, at=_at(day, 14, 30), actor=worker, result="准予办理"),
    ]
    if handler != origin:
        cmds.append(
            RouteCase(
                case_id=cid, at=_at(day, 14, 30), actor=ROUTING, to_node=origin, cause_event_id=f"{cid}:issue"
            )
        )
    cmds += [
        DeliverResult(case_id=cid, at=_at(day, 16), actor=village, method="in_person", recipient="张三"),
        CloseCase(case_id=cid, at=_at(day, 16, 5), actor=village),
    ]
    if p.rating is not None:
        comment = "办理太慢，多跑了一趟" if p.rating <= 2 else ""
        cmds.append(
            EvaluateCase(case_id=cid, at=_at(day, 16, 10), actor=village, rating=p.rating, comment=comment)
        )
    if p.complaint:
        office = actor("c01", "dcz@c01", role="supervision")
        cmds += [
            FileComplaint(
                case_id=cid,
                at=_at(day, 16, 20),
                actor=office,
                complaint_id=f"TS-{cid[-6:]}",
                against_node=handler,
                content="办事群众反映窗口推诿",
            ),
            ResolveComplaint(
                case_id=cid,
                at=_at(day, 17),
                actor=office,
                complaint_id=f"TS-{cid[-6:]}",
                substantiated=(p.rating or 5) <= 2,
                finding="经调查核实",
            ),
        ]
    return cmds


def lifecycle(p: CasePlan) -> list[DomainEvent]:
    state, out = None, []
    for cmd in commands(p):
        evs = decide(state, cmd, CTX)
        state = fold(state, evs)
        out.extend(evs)
    return out


def seal(events: list[DomainEvent], case_id: str) -> list[Envelope]:
    code = case_id.split("-", 1)[0]
    return list(
        seal_chain(events, event_id=lambda i: f"{case_id[-12:]}{i + 1:04d}-{code}", correlation_id=case_id)
    )


def workdays_in(start: date, end: date) -> list[date]:
    return [
        start + timedelta(days=i)
        for i in range((end - start).days + 1)
        if CAL.is_workday(start + timedelta(days=i))
    ]


def plan_quarter(n: int, start: date, end: date, seed: int = 7) -> list[CasePlan]:
    """``n`` cases submitted on working days between ``start`` and ``end`` with a known mix."""
    rnd = random.Random(seed)
    days = workdays_in(start, end)
    codes = list(ITEMS)
    plans = []
    for i in range(n):
        origin = VILLAGES[rnd.randrange(len(VILLAGES))]
        code = codes[rnd.randrange(len(codes))]
        submitted = _at(days[rnd.randrange(len(days))], 8 + rnd.randrange(4), rnd.randrange(60))
        cid = f"{node_code(origin)}-{i:06d}{rnd.getrandbits(40):010X}"
        roll = rnd.random()
        terms = ITEMS[code]
        refused = roll < 0.04
        if refused:
            plans.append(CasePlan(cid, origin, code, submitted, refused=True))
            continue
        if terms.kind == "immediate":
            close_after: int | None = 0 if roll < 0.97 else 1  # a few immediate cases slip a day
        elif roll < 0.10:
            close_after = None  # still open
        elif roll < 0.18:
            close_after = terms.promised_days + 1 + rnd.randrange(3)  # late
        else:
            close_after = rnd.randrange(terms.promised_days + 1)  # on time (early when < promised)
        rating = None if close_after is None or rnd.random() < 0.3 else rnd.choice((5, 5, 5, 4, 4, 3, 2, 1))
        complaint = close_after is not None and rnd.random() < 0.01
        plans.append(
            CasePlan(
                cid, origin, code, submitted, close_after=close_after, rating=rating, complaint=complaint
            )
        )
    return plans
