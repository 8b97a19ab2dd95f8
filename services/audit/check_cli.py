"""``liandong audit check``: the rule checks over replayed events, each finding naming case and events."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import typer
from rich.console import Console

from services.audit.replay_cli import instant
from services.audit.rules import RULES, RuleContext, check_events
from shared.eventstore import StoredEvent
from shared.settings import Settings

out = Console(highlight=False, soft_wrap=True)


def check_command(
    case: str = typer.Option(None, "--case", help="only this case"),
    node: str = typer.Option(None, "--node", help="only cases this node acted on"),
    rules: list[str] = typer.Option([], "--rule", help="only these rules"),
    source: str = typer.Option("stream", "--source", help="stream (the event stream) or ledger"),
    now: str = typer.Option(None, "--now", help="judge open deadlines at this instant (default: now)"),
    as_json: bool = typer.Option(False, "--json", help="findings as JSON lines"),
) -> None:
    """Check handling rules; exit 0 when nothing is found, 1 with findings."""
    from shared.calendar import WorkCalendar

    s = Settings()
    ctx = RuleContext(WorkCalendar.load(s.holiday_dir), instant(now) or datetime.now(UTC))

    async def run() -> int:
        events = [ev async for ev in _events(s, source, case)]
        if node:
            touched = {e.envelope.case_id for e in events if e.envelope.actor.node_id == node}
            events = [e for e in events if e.envelope.case_id in touched]
        findings = check_events(events, ctx, frozenset(rules))
        for f in findings:
            out.print(json.dumps(dataclasses.asdict(f), ensure_ascii=False) if as_json else f.line())
        active = [r.name for r in RULES if r.active]
        Console(stderr=True).print(
            f"{len(findings)} finding(s) in {len({e.envelope.case_id for e in events})} cases; rules: {', '.join(active)}"
        )
        return 1 if findings else 0

    raise typer.Exit(asyncio.run(run()))


async def _events(s: Settings, source: str, case: str | None) -> AsyncIterator[StoredEvent]:
    from services.audit.cli import audit_db, connect
    from services.audit.source import from_ledger, from_stream

    if source == "ledger":
        db = audit_db(s)
        try:
            async for ev in from_ledger(db.engine, case):
                yield ev
        finally:
            await db.dispose()
        return
    nc = await connect(s, attempts=20)
    try:
        async for ev in from_stream(nc, case):
            yield ev
    finally:
        await nc.close()
