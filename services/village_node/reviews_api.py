"""``GET /api/nodes/{node_id}/reviews``: the joint reviews a department's window owes an opinion on.

The router brings its own projection (``reviews.JointReviewTasks``, consumer
``node-joint-reviews``), started and stopped by the router's lifespan inside the node service's.
Operators answer with the existing action ``POST /api/cases/{case_id}/opinion``.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from sqlalchemy import select

from migrations.runner import create_unmigrated
from services.village_node import reviews
from services.village_node.access import require_node
from shared.bootstrap import Kernel
from shared.db.snapshot_store import snapshot_from_row
from shared.db.tables import case_snapshots
from shared.events import Actor
from shared.projections import ProjectionRunner
from shared.web.actors import current_actor

CONSUMER = "node-joint-reviews"


@contextlib.asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    k: Kernel = app.state.kernel
    await create_unmigrated(k.db, "node", reviews.metadata)
    runner = ProjectionRunner(
        k.nc, k.db, reviews.JointReviewTasks(), consumer=CONSUMER, batch=k.settings.projection_batch
    )
    app.state.reviews_runner = runner
    stop = asyncio.Event()
    task = asyncio.create_task(runner.run(stop)) if getattr(app.state, "run_projections", True) else None
    try:
        yield
    finally:
        stop.set()
        if task is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(task, 10)
        await runner.close()


router = APIRouter(prefix="/api", lifespan=lifespan)


def _kernel(request: Request) -> Kernel:
    kernel: Kernel = request.app.state.kernel
    return kernel


@router.get("/nodes/{node_id}/reviews", tags=["worklist"])
async def node_reviews(
    node_id: str,
    k: Annotated[Kernel, Depends(_kernel)],
    actor: Annotated[Actor, Depends(current_actor)],
    include_answered: Annotated[bool, Query(description="also the reviews already answered")] = False,
) -> list[dict[str, Any]]:
    """Joint reviews (会签/或签) this window owes an opinion on, oldest first; answer each with
    ``POST /api/cases/{case_id}/opinion``. ``concluded`` means the joint result is already in: an
    opinion given now is recorded as late and changes nothing."""
    k.org.get(node_id)
    require_node(actor, node_id)
    return await review_views(k, node_id, include_answered)


async def review_views(k: Kernel, node_id: str, include_answered: bool = False) -> list[dict[str, Any]]:
    """The reviews a window owes, with each case's number, item and deadline (also for the workbench)."""
    async with k.db.engine.connect() as conn:
        tasks = await reviews.pending_reviews(conn, node_id, answered=include_answered)
        ids = [t["case_id"] for t in tasks]
        rows = (await conn.execute(select(case_snapshots).where(case_snapshots.c.case_id.in_(ids)))).all()
    states = {s.case_id: s for s in (snapshot_from_row(r).state for r in rows)}
    return [_view(k, t, states.get(t["case_id"])) for t in tasks]


def _view(k: Kernel, task: dict[str, Any], state: Any) -> dict[str, Any]:
    def name(node_id: str | None) -> str | None:
        return k.org.get(node_id).name if node_id and node_id in k.org else node_id

    department = task["department"]
    return {
        "case_id": task["case_id"],
        "case_number": state.case_number if state else None,
        "item_code": state.item.code if state else None,
        "item_name": state.item.name if state else None,
        "deadline": state.deadline if state else None,
        "department": department,
        "department_name": k.org.department(department).name
        if k.org.has_department(department)
        else department,
        "lead_node": task["lead_node"],
        "lead_node_name": name(task["lead_node"]),
        "kind": task["kind"],
        "mode": task["mode"],
        "requested_at": task["requested_at"],
        "answered": task["answered"],
        "approve": task["approve"],
        "late": task["late"],
        "concluded": task["result"] is not None,
        "result": task["result"],
    }
