"""Worklist queries for the workbench: the county-wide view for supervision and auditors, filters
and search over a worklist, and a cheap version number that changes when a worklist may have."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, or_, select

from services.village_node import urgency
from services.village_node.access import require_node, sees_every_node
from services.village_node.service import OPEN, row_view
from shared.bootstrap import Kernel
from shared.clock import local_date
from shared.db.snapshot_store import snapshot_from_row
from shared.db.tables import case_snapshots
from shared.events import Actor
from shared.web.errors import ApiError

ALL_OPEN_LIMIT = 1000


async def all_open(k: Kernel, actor: Actor) -> list[dict[str, Any]]:
    """Every open case in the county, most urgent first (supervision and auditors only)."""
    if not sees_every_node(actor):
        raise ApiError(
            403, "other_node", "只能查看本节点的办件", "only supervision and auditors see every node"
        )
    stmt = (
        select(case_snapshots)
        .where(case_snapshots.c.status.in_(OPEN))
        .order_by(case_snapshots.c.deadline)
        .limit(ALL_OPEN_LIMIT)
    )
    async with k.db.engine.connect() as conn:
        rows = (await conn.execute(stmt)).all()
    today = local_date(k.clock.now())
    views = [row_view(k, snapshot_from_row(r).state, today) for r in rows]
    views.sort(key=urgency.sort_key)
    return views


def filter_views(
    views: list[dict[str, Any]], status: str = "", item: str = "", channel: str = "", q: str = ""
) -> list[dict[str, Any]]:
    """Keep the rows matching every given filter; ``q`` matches the case number or applicant name."""
    needle = q.strip().casefold()
    return [
        v
        for v in views
        if (not status or v["status"] == status)
        and (not item or v["item_code"] == item)
        and (not channel or v["channel"] == channel)
        and (
            not needle
            or needle in str(v["case_number"]).casefold()
            or needle in str(v["applicant_name"]).casefold()
            or needle in str(v["case_id"]).casefold()
        )
    ]


async def version(k: Kernel, actor: Actor, node_id: str | None) -> str:
    """Changes whenever a case held by or submitted at the node (any node: ``None``) changes,
    arrives or leaves: the newest stream position among them and how many there are."""
    stmt = select(func.max(case_snapshots.c.stream_seq), func.count())
    if node_id is None:
        if not sees_every_node(actor):
            raise ApiError(
                403, "other_node", "只能查看本节点的办件", "only supervision and auditors see every node"
            )
    else:
        require_node(actor, node_id)
        stmt = stmt.where(or_(case_snapshots.c.holder == node_id, case_snapshots.c.origin_node == node_id))
    async with k.db.engine.connect() as conn:
        top, n = (await conn.execute(stmt)).one()
    return f"{top or 0}-{n}"
