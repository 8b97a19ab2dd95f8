"""Intake HTTP routes: validate, call the use case, shape the answer. No rules here."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Request
from fastapi.responses import JSONResponse

from services.intake import service
from services.intake.schemas import (
    CaseSummary,
    NoticeRequest,
    RefuseRequest,
    SubmitRequest,
    SupplementRequest,
    WithdrawRequest,
)
from services.intake.views import summary
from shared.bootstrap import Kernel
from shared.events import Actor
from shared.web.actors import current_actor

router = APIRouter(prefix="/api")
ActorDep = Annotated[Actor, Depends(current_actor)]


def kernel(request: Request) -> Kernel:
    return request.app.state.kernel


KernelDep = Annotated[Kernel, Depends(kernel)]


@router.get("/catalog", tags=["catalog"])
async def list_items(k: KernelDep, q: str = "", tier: str | None = None) -> list[dict[str, Any]]:
    items = k.catalog.search(q)
    return [
        {
            "code": i.code,
            "name": i.name,
            "department": i.department,
            "tier": i.tier,
            "kind": i.kind,
            "promised_days": i.promised_days,
            "fee_fen": i.fee_fen,
        }
        for i in items
        if tier is None or i.tier == tier
    ]


@router.get("/catalog/{code}", tags=["catalog"])
async def item_guide(code: str, k: KernelDep) -> dict[str, Any]:
    item = k.catalog.get(code)
    doc = item.model_dump(mode="json")
    doc["department_name"] = k.org.department(item.department).name
    return doc


@router.get("/org", tags=["catalog"])
async def org_nodes(k: KernelDep) -> list[dict[str, Any]]:
    return [n.model_dump(mode="json") for n in k.org]


@router.post("/cases", tags=["cases"], status_code=201, response_model=CaseSummary)
async def submit_case(
    req: SubmitRequest,
    k: KernelDep,
    actor: ActorDep,
    idempotency_key: Annotated[str | None, Header(max_length=100)] = None,
) -> Any:
    state, created = await service.submit(k, actor, req, idempotency_key)
    body = summary(state)
    return body if created else JSONResponse(body.model_dump(mode="json"), status_code=200)


@router.get("/cases/{case_id}", tags=["cases"], response_model=CaseSummary)
async def get_case(case_id: str, k: KernelDep, actor: ActorDep) -> CaseSummary:
    return summary(await service.get_visible(k, actor, case_id))


@router.post("/cases/{case_id}/notice", tags=["cases"], response_model=CaseSummary)
async def notice(case_id: str, req: NoticeRequest, k: KernelDep, actor: ActorDep) -> CaseSummary:
    """补正告知: a later notice may only repeat what the one-time notice listed."""
    return summary(await service.notice(k, actor, case_id, req))


@router.post("/cases/{case_id}/supplement", tags=["cases"], response_model=CaseSummary)
async def supplement(case_id: str, req: SupplementRequest, k: KernelDep, actor: ActorDep) -> CaseSummary:
    return summary(await service.supplement(k, actor, case_id, req))


@router.post("/cases/{case_id}/accept", tags=["cases"], response_model=CaseSummary)
async def accept(case_id: str, k: KernelDep, actor: ActorDep) -> CaseSummary:
    return summary(await service.accept(k, actor, case_id))


@router.post("/cases/{case_id}/refuse", tags=["cases"], response_model=CaseSummary)
async def refuse(case_id: str, req: RefuseRequest, k: KernelDep, actor: ActorDep) -> CaseSummary:
    return summary(await service.refuse(k, actor, case_id, req))


@router.post("/cases/{case_id}/withdraw", tags=["cases"], response_model=CaseSummary)
async def withdraw(case_id: str, req: WithdrawRequest, k: KernelDep, actor: ActorDep) -> CaseSummary:
    return summary(await service.withdraw(k, actor, case_id, req))
