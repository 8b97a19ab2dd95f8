"""The quarterly report: a generated quarter of 20,000 cases against numbers computed here from the
plan (not by the report code), and byte-identical output from the live ledger, a rebuilt ledger
and the stream itself."""

from __future__ import annotations

import time
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from services.audit.ledger import LedgerProjection
from services.audit.report.metrics import rate
from services.audit.report.period import Quarter
from services.audit.report.write import ReportFiles, report_from
from services.audit.source import from_ledger, from_stream
from shared.db import kernel_metadata, make_database
from shared.eventstore import StoredEvent
from shared.eventstore.codec import to_domain
from shared.org import OrgTree
from shared.projections import ProjectionRunner
from tests.integration.audit.conftest import AuditWorld
from tests.support.audit_streams import subject_of
from tests.support.audit_traffic import CAL, CasePlan, lifecycle, plan_quarter, seal

Q1 = Quarter(2026, 1)
ORG = OrgTree.load(None)


def expected(plans: list[CasePlan]) -> dict[str, object]:
    """The county's numbers, straight from what each plan says happens."""
    received = [p for p in plans if p.submitted.date() in Q1]
    closed = [p for p in plans if p.closed_on in Q1]
    promised = [p for p in closed if p.terms.kind == "promised"]
    on_time = [p for p in promised if (p.close_after or 0) <= p.terms.promised_days]
    early = [p for p in promised if (p.close_after or 0) < p.terms.promised_days]
    ratings = [p.rating for p in closed if p.rating is not None]
    open_at_end = [p for p in plans if not p.refused and (p.closed_on is None or p.closed_on >= Q1.end)]
    overdue = [p for p in closed if p.late] + [p for p in open_at_end if p.deadline < Q1.last_day]
    avg = Decimal(sum(p.close_after or 0 for p in closed)) / len(closed)
    return {
        "received": len(received),
        "accepted": sum(1 for p in received if not p.refused),
        "refused": sum(1 for p in received if p.refused),
        "closed": len(closed),
        "completion_rate": rate(len(closed), len(received)),
        "immediate_closed": sum(1 for p in closed if p.terms.kind == "immediate"),
        "promised_received": sum(1 for p in received if p.terms.kind == "promised"),
        "promised_closed": len(promised),
        "on_time": len(on_time),
        "early": len(early),
        "avg_workdays": str(avg.quantize(Decimal("0.01"), ROUND_HALF_UP)),
        "evaluations": len(ratings),
        "satisfied": sum(1 for r in ratings if r >= 4),
        "yellow_cards": sum(1 for p in plans if p.warning_on in Q1),
        "red_cards": sum(1 for p in plans if p.overdue_on in Q1),
        "overdue": len(overdue),
        "complaints": sum(1 for p in closed if p.complaint),
        "complaints_substantiated": sum(1 for p in closed if p.complaint and (p.rating or 5) <= 2),
    }


async def test_a_quarter_of_20000_cases_gives_the_numbers_computed_from_the_plan(tmp_path: Path) -> None:
    started = time.monotonic()
    # a quarter plus the last weeks of the one before (closings in Q1 of cases received in Q4)
    plans = plan_quarter(20_000, date(2026, 1, 1), date(2026, 3, 31), seed=2026)
    plans += plan_quarter(600, date(2025, 12, 1), date(2025, 12, 31), seed=2025)
    envs = [e for p in plans for e in seal(lifecycle(p), p.case_id)]
    envs.sort(key=lambda e: e.at)  # stream order follows time, cases interleaved
    db = make_database("", "audit", tmp_path)
    await db.create_all(kernel_metadata, LedgerProjection.metadata)
    ledger = LedgerProjection()
    for i in range(0, len(envs), 5000):  # the real projection writes the ledger, in batches
        batch = [
            StoredEvent(i + j + 1, subject_of(e.case_id), e, to_domain(e).payload, {})
            for j, e in enumerate(envs[i : i + 5000])
        ]
        async with db.engine.begin() as conn:
            await ledger.apply(conn, batch)
    report, files = await report_from(from_ledger(db.engine), Q1, ORG, CAL)
    await db.dispose()
    m = report.county.metrics
    want = expected(plans)
    assert {k: getattr(m, k) for k in want} == want
    assert m.received >= 20_000 and m.overdue > 100 and m.red_cards > 100 and m.complaints > 50
    assert m.satisfaction_rate == rate(int(want["satisfied"]), int(want["evaluations"]))  # type: ignore[call-overload]
    # every closed case is counted once in the townships and once at its handling node
    assert sum(t.metrics.closed for t in report.townships) == m.closed
    assert len(report.overdue) == m.overdue and files.csv.count("\n") == 1 + 1 + 3 + len(report.windows)
    assert report.best and report.worst and report.best[0].node_id != report.worst[0].node_id
    print(f"20,000-case quarter: {time.monotonic() - started:.1f}s")


async def _files(events, world_org=ORG) -> ReportFiles:  # type: ignore[no-untyped-def]
    return (await report_from(events, Q1, world_org, CAL))[1]


async def test_rebuilt_ledger_and_the_stream_give_byte_identical_reports(
    audit_world: AuditWorld, tmp_path: Path
) -> None:
    w = audit_world
    live = await _files(from_ledger(w.db.engine))
    assert "示范县" in live.html and "data:image/png;base64," in live.html
    from_the_stream = await _files(from_stream(w.nc))
    await w.runner.rebuild()  # drop the ledger, replay from sequence 1
    rebuilt = await _files(from_ledger(w.db.engine))
    fresh_db = make_database("", "audit-fresh", tmp_path)  # a brand-new audit database
    await fresh_db.create_all(kernel_metadata, LedgerProjection.metadata)
    runner = ProjectionRunner(w.nc, fresh_db, LedgerProjection(w.signer), consumer="audit-fresh")
    await runner.catch_up()
    fresh = await _files(from_ledger(fresh_db.engine))
    await fresh_db.dispose()
    for other in (from_the_stream, rebuilt, fresh):
        assert other.html.encode() == live.html.encode()
        assert other.csv.encode() == live.csv.encode()
        assert other.overdue_csv.encode() == live.overdue_csv.encode()
    paths = live.write(tmp_path / "out", Q1)
    assert [p.name for p in paths] == ["report-2026Q1.html", "report-2026Q1.csv", "report-2026Q1-overdue.csv"]
