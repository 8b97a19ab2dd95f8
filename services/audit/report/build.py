"""The quarterly report (季度通报) as data: county, each township, each window, overdue cases,
complaints, best and worst windows. Pure: events in, report out."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from services.audit.report.facts import Complaint, collect
from services.audit.report.metrics import Metrics, compute, is_overdue
from services.audit.report.period import Quarter
from shared.calendar import WorkCalendar
from shared.case.evaluation import RATING_ZH
from shared.clock import local_date
from shared.eventstore import StoredEvent
from shared.org import OrgTree

MIN_CLOSED_TO_RANK = 5


@dataclass(frozen=True)
class Scope:
    kind: str  # county | township | window
    node_id: str
    name: str
    metrics: Metrics


@dataclass(frozen=True)
class OverdueCase:
    case_number: str
    case_id: str
    item_name: str
    handler: str
    deadline: str
    closed: str  # "" when still open


@dataclass(frozen=True)
class QuarterReport:
    quarter: Quarter
    county: Scope
    townships: list[Scope]
    windows: list[Scope]
    overdue: list[OverdueCase]
    complaints: list[Complaint]
    best: list[Scope]
    worst: list[Scope]
    last_stream_seq: int
    events: int
    ratings: tuple[tuple[str, int], ...]  # 非常满意 … 非常不满意, county-wide, evaluations in the quarter


def township_of(node_id: str) -> str | None:
    parts = node_id.split(".")
    return ".".join(parts[:2]) if len(parts) >= 2 and parts[1].startswith("t") else None


def _pct(text: str) -> Decimal:
    return Decimal(text.rstrip("%")) if text.endswith("%") else Decimal(-1)


def rank_key(s: Scope) -> tuple[Decimal, Decimal, int, str]:
    m = s.metrics
    return (_pct(m.on_time_rate), _pct(m.satisfaction_rate), m.closed, s.node_id)


def build(events: Iterable[StoredEvent], q: Quarter, org: OrgTree, calendar: WorkCalendar) -> QuarterReport:
    seen = {"n": 0, "last": 0}

    def in_window() -> Iterable[StoredEvent]:
        for ev in events:
            if local_date(ev.envelope.at) < q.end:
                seen["n"] += 1
                seen["last"] = max(seen["last"], ev.stream_seq)
                yield ev

    facts = sorted(collect(in_window()).values(), key=lambda f: f.case_id)
    name = lambda n: org.get(n).name if n in org else n  # noqa: E731
    county_id = next((n.id for n in org if n.kind == "county"), "c01")
    county = Scope("county", county_id, name(county_id), compute(facts, q, calendar))
    townships = [
        Scope(
            "township",
            t.id,
            t.name,
            compute([f for f in facts if township_of(f.origin) == t.id], q, calendar),
        )
        for t in sorted((n for n in org if n.kind == "township"), key=lambda n: n.id)
    ]
    windows = [
        Scope("window", d.id, d.name, compute([f for f in facts if f.handler == d.id], q, calendar))
        for d in sorted((n for n in org if n.kind == "department"), key=lambda n: n.id)
    ]
    ranked = sorted(
        (w for w in windows if w.metrics.closed >= MIN_CLOSED_TO_RANK), key=rank_key, reverse=True
    )
    best = ranked[:3]
    worst = [w for w in reversed(ranked[-3:]) if w not in best]
    overdue = [
        OverdueCase(
            f.case_number, f.case_id, f.item_name, name(f.handler), str(f.deadline), str(f.closed or "")
        )
        for f in facts
        if is_overdue(f, q)
    ]
    overdue.sort(key=lambda o: (o.deadline, o.case_number))
    complaints = sorted(
        (c for f in facts for c in f.complaints if c.filed in q), key=lambda c: (c.filed, c.complaint_id)
    )
    given = [r for f in facts for d, r in f.ratings if d in q]
    ratings = tuple((RATING_ZH[level], given.count(level)) for level in (5, 4, 3, 2, 1))
    return QuarterReport(
        q, county, townships, windows, overdue, complaints, best, worst, seen["last"], seen["n"], ratings
    )
