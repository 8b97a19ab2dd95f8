"""Joint-review tasks (会签 / 或签): what each reviewing department's window owes an opinion on.

A small projection of its own (consumer ``node-joint-reviews``): one row per (case, department),
written when the lead requests the review, given its window when routing dispatches it, marked
answered when the department's opinion is recorded, given the joint result when routing concludes
it, and closed when the case is. The worklist ``pending_reviews`` lists a window's unanswered
tasks on open cases; an opinion given after the conclusion is still recorded (as late).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    MetaData,
    String,
    Table,
    and_,
    delete,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncConnection

from shared.case import (
    CaseClosed,
    CaseRefused,
    CaseWithdrawn,
    JointOpinionRecorded,
    JointReviewConcluded,
    JointReviewDispatched,
    JointReviewRequested,
)
from shared.db.upsert import upsert
from shared.eventstore import StoredEvent
from shared.projections.base import Rejected

metadata = MetaData()

joint_review_tasks = Table(
    "joint_review_tasks",
    metadata,
    Column("case_id", String(64), primary_key=True),
    Column("department", String(40), primary_key=True),
    Column("node_id", String(64), index=True),  # the department's window, once dispatched
    Column("lead_node", String(64), nullable=False),
    Column("kind", String(20), nullable=False),  # parallel_approval | joint_prereview
    Column("mode", String(3), nullable=False),  # all (会签) | any (或签)
    Column("requested_at", DateTime(timezone=True), nullable=False),
    Column("answered", Boolean, nullable=False),
    Column("approve", Boolean),
    Column("late", Boolean),
    Column("result", String(10)),  # the joint result, once concluded
    Column("case_open", Boolean, nullable=False),
)
CLOSING = (CaseClosed, CaseWithdrawn, CaseRefused)


class JointReviewTasks:
    metadata = metadata

    def __init__(self, name: str = "node.joint_reviews") -> None:
        self.name = name

    async def apply(self, conn: AsyncConnection, events: Sequence[StoredEvent]) -> Sequence[Rejected]:
        for ev in events:
            await self._apply(conn, ev)
        return []

    async def _apply(self, conn: AsyncConnection, ev: StoredEvent) -> None:
        p, case_id, t = ev.payload, ev.envelope.case_id, joint_review_tasks
        of_case = t.c.case_id == case_id
        if isinstance(p, JointReviewRequested):
            rows = [_requested(case_id, d, p, ev) for d in p.departments]
            await upsert(conn, t, rows, key=["case_id", "department"])
        elif isinstance(p, JointReviewDispatched):
            for department, node_id in p.reviewers.items():
                await conn.execute(
                    update(t).where(of_case, t.c.department == department).values(node_id=node_id)
                )
        elif isinstance(p, JointOpinionRecorded):
            stmt = update(t).where(of_case, t.c.department == p.department)
            await conn.execute(stmt.values(answered=True, approve=p.approve, late=p.late))
        elif isinstance(p, JointReviewConcluded):
            await conn.execute(update(t).where(of_case).values(result=p.result))
        elif isinstance(p, CLOSING):
            await conn.execute(update(t).where(of_case).values(case_open=False))

    async def reset(self, conn: AsyncConnection) -> None:
        await conn.execute(delete(joint_review_tasks))


def _requested(case_id: str, department: str, p: JointReviewRequested, ev: StoredEvent) -> dict[str, Any]:
    return {
        "case_id": case_id,
        "department": department,
        "node_id": None,
        "lead_node": ev.envelope.actor.node_id,
        "kind": p.kind,
        "mode": p.mode,
        "requested_at": ev.envelope.at,
        "answered": False,
        "approve": None,
        "late": None,
        "result": None,
        "case_open": True,
    }


async def pending_reviews(
    conn: AsyncConnection, node_id: str, answered: bool = False
) -> list[dict[str, Any]]:
    """The window's review tasks on open cases (unanswered ones, or with ``answered`` all of them)."""
    t = joint_review_tasks
    where = and_(t.c.node_id == node_id, t.c.case_open.is_(True))
    if not answered:
        where = and_(where, t.c.answered.is_(False))
    rows = await conn.execute(select(t).where(where).order_by(t.c.requested_at))
    return [dict(r._mapping) for r in rows]
