"""Printing replays: a Rich timeline table for one case, one line per event for long replays, or
JSON lines (one envelope per line, with its stream sequence)."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping

from rich.console import Console
from rich.table import Table

from shared.case.describe import describe, label, material_names_of
from shared.clock import LOCAL_TZ
from shared.eventstore import StoredEvent

NodeName = Callable[[str], str]


def json_line(ev: StoredEvent) -> str:
    return json.dumps(
        {"stream_seq": ev.stream_seq, **ev.envelope.model_dump(mode="json")}, ensure_ascii=False
    )


def _cells(ev: StoredEvent, node_name: NodeName, names: Mapping[str, str] | None = None) -> tuple[str, ...]:
    env = ev.envelope
    payload = ev.payload.model_dump(mode="json")
    if names is None and env.type == "CaseSubmitted":
        names = material_names_of([(env.type, payload)])
    return (
        env.at.astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M:%S"),
        node_name(env.actor.node_id),
        env.actor.operator_id,
        label(env.type),
        describe(env.type, payload, node_name, names),
    )


def case_table(events: list[StoredEvent], node_name: NodeName) -> Table:
    title = f"办件 {events[0].envelope.case_id} 全程记录" if events else "无记录"
    table = Table(title=title)
    for col in ("#", "时间", "节点", "操作员", "事项", "说明"):
        table.add_column(col)
    names = material_names_of((e.envelope.type, e.envelope.payload) for e in events)
    for ev in events:
        table.add_row(str(ev.envelope.seq), *_cells(ev, node_name, names))
    return table


def print_line(ev: StoredEvent, node_name: NodeName, console: Console) -> None:
    at, node, operator, what, text = _cells(ev, node_name)
    console.print(
        f"{ev.stream_seq:>8} {at} {ev.envelope.case_id} [bold]{what}[/bold] {node} {operator}：{text}"
    )
