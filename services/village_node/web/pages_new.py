"""A new matter at the window: pick the item, read its guide, tick the materials brought, submit
through intake (which answers with acceptance or the one-time notice), print the receipt."""

from __future__ import annotations

import secrets
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from services.village_node.web.errors import HtmlRoute
from services.village_node.web.intake_client import IntakeClient
from services.village_node.web.item_index import ItemIndex
from services.village_node.web.render import page
from shared.bootstrap import Kernel
from shared.web.access import require_role_may_act
from shared.web.actors import Session, current_session
from shared.web.errors import ApiError

router = APIRouter(route_class=HtmlRoute, include_in_schema=False)
SessionDep = Annotated[Session, Depends(current_session)]


def item_index(request: Request) -> ItemIndex:
    index: ItemIndex | None = getattr(request.app.state, "item_index", None)
    if index is None:
        k: Kernel = request.app.state.kernel
        index = request.app.state.item_index = ItemIndex(k.catalog, k.org)
    return index


@router.get("/new")
async def pick_item(
    request: Request, session: SessionDep, q: Annotated[str, Query(max_length=64)] = ""
) -> Response:
    require_role_may_act(session.actor, "submit")
    index = item_index(request)
    return page(request, "pick_item.html", session, items=index.search(q), all_items=index.items, q=q)


def _form(request: Request, session: Session, code: str, status: int = 200, **ctx: Any) -> Response:
    k: Kernel = request.app.state.kernel
    item = k.catalog.get(code)
    dept = (
        k.org.department(item.department).name if k.org.has_department(item.department) else item.department
    )
    ctx.setdefault("values", {})
    ctx.setdefault("brought", [])
    ctx.setdefault("error", "")
    return page(
        request,
        "new_matter.html",
        session,
        status=status,
        item=item,
        department_name=dept,
        submission_key=ctx.pop("submission_key", None) or secrets.token_urlsafe(16),
        **ctx,
    )


@router.get("/new/{code}")
async def new_matter(request: Request, code: str, session: SessionDep) -> Response:
    require_role_may_act(session.actor, "submit")
    return _form(request, session, code)


@router.post("/new/{code}")
async def submit_matter(
    request: Request,
    code: str,
    session: SessionDep,
    name: Annotated[str, Form(max_length=60)] = "",
    id_number: Annotated[str, Form(max_length=18)] = "",
    phone: Annotated[str, Form(max_length=20)] = "",
    organization: Annotated[str, Form(max_length=100)] = "",
    materials: Annotated[list[str], Form(max_length=50)] = [],  # noqa: B006 (FastAPI copies defaults)
    submission_key: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    require_role_may_act(session.actor, "submit")
    values = {"name": name, "id_number": id_number, "phone": phone, "organization": organization}
    applicant = {
        "name": name.strip(),
        **{k: v.strip() for k, v in values.items() if k != "name" and v.strip()},
    }
    body = {"item_code": code, "applicant": applicant, "materials": [m[:16] for m in materials]}
    client: IntakeClient = request.app.state.intake
    try:
        if not name.strip():
            raise ApiError(
                422, "invalid_input", "请填写申请人姓名", "the applicant's name is required", "name"
            )
        case = await client.submit(session.token, body, submission_key or secrets.token_urlsafe(16))
    except ApiError as exc:
        return _form(
            request,
            session,
            code,
            status=exc.status,
            values=values,
            brought=materials,
            error=exc.message,
            submission_key=submission_key,
        )
    return RedirectResponse(f"/cases/{case['case_id']}?from=new", status_code=303)
