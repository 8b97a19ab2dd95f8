"""The worklist page: the node's open cases, most urgent first, with filters, search and live update."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from services.village_node import service, worklist_views
from services.village_node.access import sees_every_node
from services.village_node.actions import ACTIONS
from services.village_node.reviews_api import review_views
from services.village_node.web.errors import HtmlRoute
from services.village_node.web.render import page
from shared.bootstrap import Kernel
from shared.case import Status
from shared.case.describe import status_label
from shared.web.actors import Session, current_session

router = APIRouter(route_class=HtmlRoute, include_in_schema=False)
SessionDep = Annotated[Session, Depends(current_session)]
View = Literal["held", "submitted", "all"]
Short = Annotated[str, Query(max_length=64)]


def _scope(session: Session, view: View | None, node: str) -> tuple[View, str | None]:
    """Which list to show: supervision and auditors start with the whole county."""
    everyone = sees_every_node(session.actor)
    if view is None:
        view = "all" if everyone and not node else "held"
    if view == "all":
        return view, None
    return view, node or session.actor.node_id


async def _rows(k: Kernel, session: Session, view: View, node_id: str | None) -> list[dict[str, Any]]:
    if node_id is None:
        return await worklist_views.all_open(k, session.actor)
    return await service.worklist(k, session.actor, node_id, origin=view == "submitted")


@router.get("/")
async def home() -> Response:
    return RedirectResponse("/worklist", status_code=303)


@router.get("/worklist")
async def worklist_page(
    request: Request,
    session: SessionDep,
    view: View | None = None,
    node: Short = "",
    status: Short = "",
    item: Short = "",
    channel: Short = "",
    q: Short = "",
    partial: bool = False,
    done: Short = "",
    case: Short = "",
) -> Response:
    k: Kernel = request.app.state.kernel
    view, node_id = _scope(session, view, node)
    rows = await _rows(k, session, view, node_id)
    shown = worklist_views.filter_views(rows, status, item, channel, q)
    version = await worklist_views.version(k, session.actor, node_id)
    name = service.node_name(k)
    ctx: dict[str, Any] = {
        "rows": shown,
        "total": len(rows),
        "node_name": name,
        "view": view,
        "node_id": node_id or "",
        "version": version,
        "filters": {"status": status, "item": item, "channel": channel, "q": q, "node": node},
    }
    if partial:
        return page(request, "worklist_rows.html", session, **ctx)
    reviews = (
        await review_views(k, node_id)
        if view == "held" and node_id and k.org.get(node_id).kind == "department"
        else []
    )
    items = sorted({(r["item_code"], r["item_name"]) for r in rows})
    statuses = [(s.value, status_label(s)) for s in Status if s.value in service.OPEN]
    nodes = [(n.id, n.name) for n in k.org] if sees_every_node(session.actor) else []
    return page(
        request,
        "worklist.html",
        session,
        items=items,
        statuses=statuses,
        nodes=nodes,
        everyone=sees_every_node(session.actor),
        done=ACTIONS[done].label if done in ACTIONS else "",
        done_case=case,
        reviews=reviews,
        **ctx,
    )


@router.get("/worklist/version")
async def worklist_version(
    request: Request, session: SessionDep, view: View | None = None, node: Short = ""
) -> Response:
    view, node_id = _scope(session, view, node)
    version = await worklist_views.version(request.app.state.kernel, session.actor, node_id)
    return JSONResponse({"version": version}, headers={"Cache-Control": "no-store"})
