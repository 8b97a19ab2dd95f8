"""``liandong audit replay`` and ``liandong audit verify``: read the stream itself, not a copy.

verify exit codes: 0 every chain intact (and the ledger, when given, matches the stream);
1 a changed, dropped, reordered or injected event was found (the first one is named);
2 the stream could not be read.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field

from nats.aio.client import Client as NATS
from rich.console import Console
from rich.table import Table
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from services.audit.chain import Finding, Head, check
from services.audit.ledger import ledger
from shared.case.describe import describe, label
from shared.clock import LOCAL_TZ
from shared.eventstore import JetStreamEventStore, StoredEvent
from shared.eventstore.replay import iterate_stream
from shared.service_layer.case_repository import subject_for


async def case_events(nc: NATS, case_id: str) -> list[StoredEvent]:
    return await JetStreamEventStore(nc).read(subject_for(case_id))


def print_timeline(events: list[StoredEvent], node_name: Callable[[str], str], console: Console) -> None:
    if not events:
        console.print("[yellow]no events for this case[/yellow]")
        return
    first = events[0].envelope
    table = Table(title=f"办件 {first.case_id} 全程记录", show_lines=False)
    for col in ("#", "时间", "节点", "操作员", "事项", "说明"):
        table.add_column(col)
    for ev in events:
        env = ev.envelope
        table.add_row(
            str(env.seq),
            env.at.astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M:%S"),
            node_name(env.actor.node_id),
            env.actor.operator_id,
            label(env.type),
            describe(env.type, ev.payload.model_dump(mode="json"), node_name),
        )
    console.print(table)


def timeline_json(events: list[StoredEvent]) -> list[str]:
    return [
        json.dumps({"stream_seq": e.stream_seq, **e.envelope.model_dump(mode="json")}, ensure_ascii=False)
        for e in events
    ]


@dataclass
class VerifyReport:
    checked: int = 0
    cases: int = 0
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings


async def verify_stream(nc: NATS, engine: AsyncEngine | None = None) -> VerifyReport:
    report = VerifyReport()
    heads: dict[str, Head] = {}
    stored: dict[int, str] = {}
    async for msg in iterate_stream(nc):
        report.checked += 1
        verdict = check(heads, msg.seq, msg.subject, msg.data, msg.headers)
        if verdict.finding:
            report.findings.append(verdict.finding)
        if verdict.event:
            stored[msg.seq] = verdict.event.envelope.hash
    report.cases = len(heads)
    if engine is not None:
        report.findings.extend(await _compare_ledger(engine, stored))
    report.findings.sort(key=lambda f: f.stream_seq)
    return report


async def _compare_ledger(engine: AsyncEngine, stored: dict[int, str]) -> list[Finding]:
    """The ledger must hold exactly what the stream holds: same sequences, same hashes."""
    out: list[Finding] = []
    seen: set[int] = set()
    async with engine.connect() as conn:
        result = await conn.stream(
            select(ledger.c.stream_seq, ledger.c.case_id, ledger.c.event_id, ledger.c.hash)
        )
        async for seq, case_id, event_id, h in result:
            seen.add(seq)
            if seq not in stored:
                out.append(
                    Finding(seq, "", case_id, event_id, "ledger_extra", "ledger entry not in the stream")
                )
            elif stored[seq] != h:
                out.append(
                    Finding(
                        seq, "", case_id, event_id, "ledger_mismatch", "ledger hash differs from the stream"
                    )
                )
    return out
