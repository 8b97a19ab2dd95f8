"""The case page: who, what, where, until when, every document, the timeline in plain Chinese, and
the actions the core allows now as buttons (refused ones with the reason)."""

from __future__ import annotations

import re
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from services.village_node import service
from services.village_node.actions import ACTIONS
from services.village_node.web.action_forms import form_for, values_from
from services.village_node.web.errors import HtmlRoute, explain
from services.village_node.web.intake_client import IntakeClient
from services.village_node.web.render import SECURITY_HEADERS, page
from shared.bootstrap import Kernel
from shared.case import CaseState, Status
from shared.case.guards import OPERATOR_ROLES
from shared.web.access import require_act, require_role_may_act
from shared.web.actors import Session, current_session
from shared.web.errors import ApiError

router = APIRouter(route_class=HtmlRoute, include_in_schema=False)
SessionDep = Annotated[Session, Depends(current_session)]
# intake's documents may style themselves inline, but never run scripts
DOCUMENT_HEADERS = {
    **SECURITY_HEADERS,
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'",
}
KIND = re.compile(r"^[a-z][a-z_-]{0,31}$")
DOCUMENTS = {
    "receipt": "受理回执",
    "notice": "一次性告知书",
    "refusal": "不予受理决定书",
    "result": "办结通知",
}


async def _documents(
    client: IntakeClient, session: Session, state: CaseState, types: set[str]
) -> list[dict[str, Any]]:
    """Every document intake has issued for the case; if intake cannot say, the usual ones."""
    listed = await client.documents(session.token, state.case_id)
    if listed is not None:
        return [
            {
                "href": f"{d['kind']}?seq={d['seq']}",
                "title": d.get("title", ""),
                "number": d.get("number", ""),
            }
            for d in listed
            if KIND.match(str(d.get("kind", ""))) and isinstance(d.get("seq"), int)
        ]
    kinds = ["receipt"] if state.status != Status.REFUSED else ["refusal"]
    if "OneTimeNoticeIssued" in types:
        kinds.append("notice")
    return [{"href": k, "title": DOCUMENTS[k], "number": ""} for k in kinds]


def _actions(
    k: Kernel, session: Session, state: CaseState, detail: dict[str, Any]
) -> tuple[list[Any], list[Any]]:
    """(allowed actions with their forms, refused actions with the reason)."""
    allowed, refused = [], []
    for a in detail["actions"]:
        name = a["action"]
        try:
            require_act(session.actor, state, name)
        except ApiError as exc:
            a = {**a, "allowed": False, "reason": exc.message}
        if a["allowed"]:
            form = form_for(ACTIONS[name].body, k.org) if name in ACTIONS else None
            if form is not None:
                allowed.append({**a, "form": form})
                continue
            a = {**a, "reason": "请通过接口办理"}
        refused.append(a)
    return allowed, refused


async def case_page(
    request: Request, session: Session, case_id: str, status: int = 200, error: str = ""
) -> Response:
    k: Kernel = request.app.state.kernel
    detail = await service.case_detail(k, session.actor, case_id)
    state = await service.load_visible(k, session.actor, case_id)
    allowed, refused = _actions(k, session, state, detail)
    types = {t["type"] for t in detail["timeline"]}
    notice = [m for m in state.notice_missing if m not in state.provided]
    can_supplement = state.status == Status.PENDING_SUPPLEMENT and state.holder == session.actor.node_id
    try:
        require_role_may_act(session.actor, "supplement")
    except ApiError:
        can_supplement = False
    return page(
        request,
        "case.html",
        session,
        status=status,
        c=detail,
        state=state,
        node_name=service.node_name(k),
        allowed=allowed,
        refused=refused,
        documents=await _documents(request.app.state.intake, session, state, types),
        notice=[(m, state.item.material_name(m)) for m in notice],
        can_supplement=can_supplement,
        error=error,
        just_submitted=request.query_params.get("from") == "new",
    )


@router.get("/cases/{case_id}")
async def show_case(request: Request, case_id: str, session: SessionDep) -> Response:
    return await case_page(request, session, case_id)


@router.post("/cases/{case_id}/act/{action}")
async def take_action(
    request: Request,
    case_id: str,
    action: str,
    session: SessionDep,
    version: Annotated[int | None, Form()] = None,
) -> Response:
    k: Kernel = request.app.state.kernel
    if action not in ACTIONS:
        raise ApiError(404, "unknown_action", "没有这项操作", f"no action {action!r}")
    form = form_for(ACTIONS[action].body, k.org) or []
    try:
        body = ACTIONS[action].body.model_validate(
            {**values_from(form, await request.form()), "expected_version": version}
        )
        state = await service.act(
            k, session.actor, case_id, action, body.model_dump(exclude={"expected_version"}), version
        )
    except Exception as exc:
        status, code, zh, _ = explain(exc)
        if code in ("case_not_visible", "case_not_found", "read_only_role"):
            raise
        return await case_page(request, session, case_id, status=status, error=zh)
    if state.holder != session.actor.node_id and session.actor.role in OPERATOR_ROLES:
        # handed over (or answered as a reviewer): the case left this node's desk
        return RedirectResponse(
            f"/worklist?done={quote(action)}&case={quote(state.case_number)}", status_code=303
        )
    return RedirectResponse(f"/cases/{case_id}", status_code=303)


@router.post("/cases/{case_id}/supplement")
async def supplement(
    request: Request,
    case_id: str,
    session: SessionDep,
    materials: Annotated[list[str], Form(max_length=50)] = [],  # noqa: B006
) -> Response:
    await service.load_visible(request.app.state.kernel, session.actor, case_id)
    if not materials:
        return await case_page(request, session, case_id, status=422, error="请勾选补交的材料")
    client: IntakeClient = request.app.state.intake
    try:
        await client.supplement(session.token, case_id, [m[:16] for m in materials])
    except ApiError as exc:
        if exc.status in (401, 403, 404):
            raise
        return await case_page(request, session, case_id, status=exc.status, error=exc.message)
    return RedirectResponse(f"/cases/{case_id}", status_code=303)


@router.get("/cases/{case_id}/documents/{kind}")
async def document(
    request: Request,
    case_id: str,
    kind: str,
    session: SessionDep,
    seq: Annotated[int | None, Query(ge=1)] = None,
) -> Response:
    """The printable document from intake; while intake has none of this kind, the case sheet."""
    k: Kernel = request.app.state.kernel
    if not KIND.match(kind):
        raise ApiError(404, "unknown_document", "没有这种文书", f"no document kind {kind!r}")
    await service.load_visible(k, session.actor, case_id)
    client: IntakeClient = request.app.state.intake
    html = await client.document(session.token, case_id, kind, seq)
    if html is not None:
        return HTMLResponse(html, headers=DOCUMENT_HEADERS)
    if kind not in DOCUMENTS:
        raise ApiError(404, "unknown_document", "没有这种文书", f"no document {kind!r} for this case")
    detail = await service.case_detail(k, session.actor, case_id)
    return page(
        request, "print_case.html", session, c=detail, title=DOCUMENTS[kind], node_name=service.node_name(k)
    )
