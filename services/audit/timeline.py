"""Printing replays: a Rich timeline table for one case, one line per event for long replays, or
JSON lines (one envelope per line, with its stream sequence)."""

from __future__ import annotations

import json
from collections.abc import Callable

from rich.console import Console
from rich.table import Table

from shared.case.describe import describe, label
from shared.clock import LOCAL_TZ
from shared.eventstore import StoredEvent

NodeName = Callable[[str], str]


def json_line(ev: StoredEvent) -> str:
    return json.dumps(
        {"stream_seq": ev.stream_seq, **ev.envelope.model_dump(mode="json")}, ensure_ascii=False
    )


def _cells(ev: StoredEvent, node_name: NodeName) -> tuple[str, ...]:
    env = ev.envelope
    return (
        env.at.astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M:%S"),
        node_name(env.actor.node_id),
        env.actor.operator_id,
        label(env.type),
        describe(env.type, ev.payload.model_dump(mode="json"), node_name),
    )


def case_table(events: list[StoredEvent], node_name: NodeName) -> Table:
    title = f"办件 {events[0].envelope.case_id} 全程记录" if events else "无记录"
    table = Table(title=title)
    for col in ("#", "时间", "节点", "操作员", "事项", "说明"):
        table.add_column(col)
    for ev in events:
        table.add_row(str(ev.envelope.seq), *_cells(ev, node_name))
    return table


def print_line(ev: StoredEvent, node_name: NodeName, console: Console) -> None:
    at, node, operator, what, text = _cells(ev, node_name)
    console.print(
        f"{ev.stream_seq:>8} {at} {ev.envelope.case_id} [bold]{what}[/bold] {node} {operator}：{text}"
    )
