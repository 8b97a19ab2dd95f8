"""What the report needs to know about each case, gathered from its events in stream order."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from shared.case import CaseState, evolve
from shared.clock import local_date
from shared.eventstore import StoredEvent


@dataclass
class Complaint:
    complaint_id: str
    filed: date
    against_node: str
    content: str
    resolved: date | None = None
    substantiated: bool | None = None
    finding: str = ""


@dataclass
class CaseFacts:
    case_id: str
    case_number: str = ""
    item_code: str = ""
    item_name: str = ""
    kind: str = ""
    origin: str = ""
    submitted: date | None = None
    accepted: date | None = None
    refused: date | None = None
    closed: date | None = None
    decided_by: str | None = None
    routed_to: str | None = None  # last node it was placed at for handling
    deadline: date | None = None  # as it stood when closed (extensions and suspensions included)
    ratings: list[tuple[date, int]] = field(default_factory=list)
    warnings: list[date] = field(default_factory=list)  # 黄牌 on the case's own deadline
    overdue_marks: list[date] = field(default_factory=list)  # 红牌
    complaints: list[Complaint] = field(default_factory=list)
    state: CaseState | None = None

    @property
    def handler(self) -> str:
        """The node answerable for the handling: who decided, else where it was placed, else the origin."""
        return self.decided_by or self.routed_to or self.origin


def _collect_one(f: CaseFacts, ev: StoredEvent) -> None:
    env, p = ev.envelope, ev.envelope.payload
    day, t = local_date(env.at), env.type
    if t == "CaseSubmitted":
        f.case_number, f.origin, f.submitted = p["case_number"], p["node_id"], day
        f.item_code, f.item_name, f.kind = p["item"]["code"], p["item"]["name"], p["item"]["kind"]
    elif t == "CaseAccepted":
        f.accepted = day
    elif t == "CaseRefused":
        f.refused = day
    elif t == "CaseRouted" and p.get("purpose") != "delivery":
        f.routed_to = p["to_node"]
    elif t == "CaseDecided":
        f.decided_by = env.actor.node_id
    elif t == "CaseClosed":
        f.closed = day
        f.deadline = f.state.deadline if f.state else None
    elif t == "CaseEvaluated":
        f.ratings.append((day, int(p["rating"])))
    elif t in ("DeadlineWarned", "DeadlineMissed") and p.get("target") == "case":
        (f.warnings if t == "DeadlineWarned" else f.overdue_marks).append(day)
    elif t == "ComplaintFiled":
        f.complaints.append(Complaint(p["complaint_id"], day, p["against_node"], p.get("content", "")))
    elif t == "ComplaintResolved":
        for c in f.complaints:
            if c.complaint_id == p["complaint_id"]:
                c.resolved, c.substantiated, c.finding = day, bool(p["substantiated"]), p.get("finding", "")


def collect(events: Iterable[StoredEvent]) -> dict[str, CaseFacts]:
    cases: dict[str, CaseFacts] = {}
    for ev in events:
        cid = ev.envelope.case_id
        f = cases.get(cid) or cases.setdefault(cid, CaseFacts(cid))
        f.state = evolve(f.state, ev.domain())
        _collect_one(f, ev)
    for f in cases.values():
        if f.closed is None and f.state is not None:
            f.deadline = f.state.deadline
        f.state = None  # not needed any more; keeps a big quarter small in memory
    return cases
