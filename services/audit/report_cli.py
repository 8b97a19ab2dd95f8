"""``liandong audit report --quarter 2026Q1``: the quarterly notice as HTML (with charts) and CSV."""

from __future__ import annotations

import asyncio
from pathlib import Path

import typer

from services.audit.report.period import Quarter
from shared.settings import Settings


def report_command(
    quarter: str = typer.Option(..., "--quarter", help="e.g. 2026Q1"),
    out: Path = typer.Option(Path("reports"), "--out", help="directory for the files"),
    source: str = typer.Option("ledger", "--source", help="ledger (the audit database) or stream"),
) -> None:
    """Write report-<quarter>.html, .csv and -overdue.csv, reproducible from the stream alone."""
    from services.audit.check_cli import _events
    from services.audit.report.write import report_from
    from shared.calendar import WorkCalendar
    from shared.org import OrgTree

    s = Settings()
    q = Quarter.parse(quarter)

    async def run() -> list[Path]:
        org, calendar = OrgTree.load(s.org_path), WorkCalendar.load(s.holiday_dir)
        _, files = await report_from(_events(s, source, None), q, org, calendar)
        return files.write(out, q)

    for path in asyncio.run(run()):
        typer.echo(str(path))
