"""``liandong audit replay``: timelines, filters, progress, JSON lines, and ``--as-of`` time travel."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime
from typing import Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

from services.audit.replay import ReplayFilter, ReplayStats, replay, states_as_of
from services.audit.timeline import case_table, json_line, print_line
from services.audit.worklist import case_view, worklist
from shared.clock import LOCAL_TZ, local_date
from shared.settings import Settings

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True)


def instant(text: str | None) -> datetime | None:
    """ISO date or date-time; without a zone it is China time."""
    if not text:
        return None
    value = datetime.fromisoformat(text)
    return value if value.tzinfo else value.replace(tzinfo=LOCAL_TZ)


def _names() -> Any:
    from shared.org import OrgTree

    org = OrgTree.load(Settings().org_path)
    return lambda n: org.get(n).name if n in org else n


def replay_command(
    case: str = typer.Option(None, "--case", help="one case id"),
    node: str = typer.Option(None, "--node", help="events done at this node (with --as-of: its worklist)"),
    operator: str = typer.Option(None, "--operator", help="events done by this operator"),
    types: list[str] = typer.Option([], "--type", help="event type(s), e.g. CaseDecided"),
    since: str = typer.Option(None, "--from", help="period start (business time), e.g. 2026-01-01"),
    until: str = typer.Option(None, "--to", help="period end, exclusive"),
    as_of: str = typer.Option(None, "--as-of", help="time travel: the case or worklist at this instant"),
    as_json: bool = typer.Option(False, "--json", help="JSON lines instead of a table"),
) -> None:
    """Replay the event stream: a case's timeline, or every event matching the filters."""
    from services.audit.cli import connect

    s = Settings()
    flt = ReplayFilter(case, node, operator, frozenset(types), instant(since), instant(until))

    async def run() -> int:
        nc = await connect(s, attempts=20)
        try:
            with _progress(not as_json and case is None) as bar:
                if as_of:
                    return await _time_travel(nc, flt, instant(as_of), as_json, bar)  # type: ignore[arg-type]
                return await _timeline(nc, flt, as_json, bar)
        finally:
            await nc.close()

    raise typer.Exit(asyncio.run(run()))


class _Bar:
    def __init__(self, enabled: bool) -> None:
        self.progress = Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=err,
            transient=True,
            disable=not enabled,
        )
        self.task = self.progress.add_task("回放事件流", total=None)

    def __enter__(self) -> _Bar:
        self.progress.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.__exit__(None, None, None)

    def __call__(self, done: int, total: int) -> None:
        self.progress.update(self.task, completed=done, total=total)


def _progress(enabled: bool) -> _Bar:
    return _Bar(enabled)


async def _timeline(nc: Any, flt: ReplayFilter, as_json: bool, bar: _Bar) -> int:
    stats = ReplayStats()
    names = (lambda n: n) if as_json else _names()
    events = []
    async for ev in replay(nc, flt, stats, bar):
        if as_json:
            typer.echo(json_line(ev))
        elif flt.case:
            events.append(ev)
        else:
            print_line(ev, names, out)
    if flt.case and not as_json:
        out.print(case_table(events, names) if events else "[yellow]no events for this case[/yellow]")
    for f in stats.findings:
        err.print(f"[red]chain problem[/red]: {f.line()}")
    if not as_json:
        err.print(f"{stats.shown} of {stats.read} events shown")
    return 0 if stats.shown else 1


async def _time_travel(nc: Any, flt: ReplayFilter, at: datetime, as_json: bool, bar: _Bar) -> int:
    from shared.calendar import WorkCalendar

    if not (flt.case or flt.node):
        err.print("[red]--as-of needs --case or --node[/red]")
        return 2
    states = await states_as_of(nc, at, flt.case, bar)
    if flt.case:
        state = states.get(flt.case)
        if state is None:
            err.print(f"[yellow]case {flt.case} did not exist yet at {at.isoformat()}[/yellow]")
            return 1
        typer.echo(json.dumps(case_view(state), ensure_ascii=False, indent=None if as_json else 1))
        return 0
    calendar = WorkCalendar.load(Settings().holiday_dir)
    rows = worklist(states.values(), flt.node or "", local_date(at), calendar)
    if as_json:
        for row in rows:
            typer.echo(json.dumps(row, ensure_ascii=False))
        return 0
    from rich.table import Table

    table = Table(title=f"{flt.node} 待办 as of {at.astimezone(LOCAL_TZ):%Y-%m-%d %H:%M}")
    for col in ("办件编号", "事项", "状态", "认领人", "办理时限", "剩余工作日"):
        table.add_column(col)
    for r in rows:
        table.add_row(
            r["case_number"],
            r["item_name"],
            r["status_label"],
            r["owner"] or "",
            r["deadline"] or "",
            "" if r["workdays_left"] is None else str(r["workdays_left"]),
        )
    out.print(table)
    return 0
