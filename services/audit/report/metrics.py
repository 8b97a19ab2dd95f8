"""The quarterly metrics, computed exactly as docs/report-metrics.md defines them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from decimal import ROUND_HALF_UP, Decimal

from services.audit.report.facts import CaseFacts
from services.audit.report.period import Quarter
from shared.calendar import WorkCalendar


def rate(part: int, whole: int) -> str:
    """A percentage with one decimal (half up), or "—" when there is nothing to divide by."""
    if whole == 0:
        return "—"
    return f"{(Decimal(part) * 100 / Decimal(whole)).quantize(Decimal('0.1'), ROUND_HALF_UP)}%"


@dataclass(frozen=True)
class Metrics:
    received: int  # 收件
    accepted: int  # 受理
    refused: int  # 不予受理
    closed: int  # 办结
    completion_rate: str  # 办结率 = closed / received
    immediate_closed: int  # 即办件
    immediate_rate: str  # 即办件率 = immediate closed / closed
    promised_received: int  # 承诺件收件
    promised_closed: int  # 承诺件办结
    on_time: int
    on_time_rate: str  # 承诺件按时办结率
    early: int
    early_rate: str  # 提前办结率
    avg_workdays: str  # 平均办结用时（工作日）
    evaluations: int  # 评价数
    rating_rate: str  # 评议率 = evaluated closed cases / closed
    satisfied: int
    satisfaction_rate: str  # 满意率 = ratings >= 4 / evaluations
    yellow_cards: int
    red_cards: int
    overdue: int  # cases listed as overdue
    complaints: int
    complaints_substantiated: int

    @classmethod
    def names(cls) -> list[str]:
        return [f.name for f in fields(cls)]


def is_overdue(f: CaseFacts, q: Quarter) -> bool:
    """Closed in the quarter after its deadline, or still open at its end with the deadline passed."""
    if f.deadline is None or f.accepted is None or f.refused is not None:
        return False
    if f.closed is not None:
        return f.closed in q and f.closed > f.deadline
    return f.deadline < q.last_day


def compute(facts: Sequence[CaseFacts], q: Quarter, calendar: WorkCalendar) -> Metrics:
    received = [f for f in facts if f.submitted in q]
    closed = [f for f in facts if f.closed in q]
    immediate = [f for f in closed if f.kind == "immediate"]
    promised = [f for f in closed if f.kind == "promised"]
    on_time = [f for f in promised if f.deadline is not None and f.closed <= f.deadline]  # type: ignore[operator]
    early = [f for f in promised if f.deadline is not None and f.closed < f.deadline]  # type: ignore[operator]
    days = [
        calendar.count_workdays(f.accepted, f.closed).int_value for f in closed if f.accepted and f.closed
    ]
    ratings = [r for f in facts for d, r in f.ratings if d in q]
    rated_closed = [f for f in closed if any(d in q for d, _ in f.ratings)]
    complaints = [c for f in facts for c in f.complaints if c.filed in q]
    avg = "—" if not days else str((Decimal(sum(days)) / len(days)).quantize(Decimal("0.01"), ROUND_HALF_UP))
    return Metrics(
        received=len(received),
        accepted=sum(1 for f in facts if f.accepted in q),
        refused=sum(1 for f in facts if f.refused in q),
        closed=len(closed),
        completion_rate=rate(len(closed), len(received)),
        immediate_closed=len(immediate),
        immediate_rate=rate(len(immediate), len(closed)),
        promised_received=sum(1 for f in received if f.kind == "promised"),
        promised_closed=len(promised),
        on_time=len(on_time),
        on_time_rate=rate(len(on_time), len(promised)),
        early=len(early),
        early_rate=rate(len(early), len(promised)),
        avg_workdays=avg,
        evaluations=len(ratings),
        rating_rate=rate(len(rated_closed), len(closed)),
        satisfied=sum(1 for r in ratings if r >= 4),
        satisfaction_rate=rate(sum(1 for r in ratings if r >= 4), len(ratings)),
        yellow_cards=sum(1 for f in facts for d in f.warnings if d in q),
        red_cards=sum(1 for f in facts for d in f.overdue_marks if d in q),
        overdue=sum(1 for f in facts if is_overdue(f, q)),
        complaints=len(complaints),
        complaints_substantiated=sum(1 for c in complaints if c.substantiated),
    )
