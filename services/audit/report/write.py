"""Producing the report files from a source of events (the ledger or the stream itself)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

from services.audit.report.build import QuarterReport, build
from services.audit.report.csv_out import metrics_csv, overdue_csv
from services.audit.report.html_out import render_html
from services.audit.report.period import Quarter
from shared.calendar import WorkCalendar
from shared.eventstore import StoredEvent
from shared.org import OrgTree


@dataclass(frozen=True)
class ReportFiles:
    html: str
    csv: str
    overdue_csv: str

    def write(self, out_dir: Path, q: Quarter) -> list[Path]:
        out_dir.mkdir(parents=True, exist_ok=True)
        paths = []
        for suffix, text in ((".html", self.html), (".csv", self.csv), ("-overdue.csv", self.overdue_csv)):
            path = out_dir / f"report-{q.code}{suffix}"
            path.write_bytes(text.encode("utf-8"))
            paths.append(path)
        return paths


async def report_from(
    events: AsyncIterator[StoredEvent], q: Quarter, org: OrgTree, calendar: WorkCalendar
) -> tuple[QuarterReport, ReportFiles]:
    collected = [ev async for ev in events]
    report = build(collected, q, org, calendar)
    name = lambda n: org.get(n).name if n in org else n  # noqa: E731
    return report, ReportFiles(render_html(report, name), metrics_csv(report), overdue_csv(report))
