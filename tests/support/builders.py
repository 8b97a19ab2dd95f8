"""Test data builders: item terms, actors, commands with sensible defaults."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from shared.calendar import WorkCalendar
from shared.case import Applicant, DomainEvent, ItemTerms, SubmitCase
from shared.case.kernel import Command, Context, decide, fold
from shared.events import Actor, Envelope
from shared.eventstore import seal_chain
from shared.ids import new_event_id

VILLAGE = "c01.t01.v01"
TOWNSHIP = "c01.t01"
DEPT = "c01.d.civil-affairs"
CASE_ID = "T01V01-01JTESTCASE000000000000"
# Monday 2026-03-02 10:00 China time
MONDAY = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)

CTX = Context(calendar=WorkCalendar.load(None))


def actor(node: str = VILLAGE, operator: str | None = None, role: str | None = None) -> Actor:
    if role is None:
        role = (
            "county_staff"
            if ".d." in node or node == "c01"
            else "township_operator"
            if node.count(".") == 1
            else "village_operator"
        )
    return Actor(operator_id=operator or f"op@{node}", node_id=node, role=role)


ROUTING = Actor(operator_id="system:routing", node_id="c01", role="system")


def item(**over: Any) -> ItemTerms:
    base: dict[str, Any] = {
        "code": "MZ-001",
        "name": "社团审批",
        "department": "civil-affairs",
        "tier": "county",
        "kind": "promised",
        "promised_days": 20,
        "required": ("m1", "m2"),
        "tolerable": ("m3",),
        "optional": ("m4",),
        "material_names": {"m1": "申请书", "m2": "章程草案", "m3": "验资报告复印件", "m4": "其他"},
    }
    base.update(over)
    return ItemTerms(**base)


def applicant() -> Applicant:
    return Applicant(name="张三", id_number="11010519491231002X", phone="13800000000")


def submit(case_id: str = CASE_ID, provided: Iterable[str] = ("m1", "m2"), **over: Any) -> SubmitCase:
    """A village-room submission of ``item()`` by ``applicant()``; anything else through ``over``."""
    fields: dict[str, Any] = {
        "case_id": case_id,
        "at": MONDAY,
        "actor": actor(),
        "case_number": "N-1",
        "item": item(),
        "applicant": applicant(),
        "channel": "village_room",
        "provided": frozenset(provided),
    }
    return SubmitCase(**{**fields, **over})


def events_of(commands: list[Command], state: Any = None) -> tuple[Any, list[DomainEvent]]:
    """Run commands one after another through decide/evolve; return final state and all events."""
    out: list[DomainEvent] = []
    for cmd in commands:
        evs = decide(state, cmd, CTX)
        state = fold(state, evs)
        out.extend(evs)
    return state, out


def seal_all(events: list[DomainEvent], node_code: str = "T01V01") -> list[Envelope]:
    return list(seal_chain(events, event_id=lambda _i: new_event_id(node_code), correlation_id="corr"))
