"""Node HTTP routes (JSON API). Each action route validates its body and calls ``service.act``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from services.village_node import service
from services.village_node.schemas import (
    DecideBody,
    DeliverBody,
    EvaluateBody,
    IssueBody,
    NoBody,
    ReasonBody,
    Strict,
)
from shared.bootstrap import Kernel
from shared.events import Actor
from shared.web.actors import current_actor

router = APIRouter(prefix="/api")
ActorDep = Annotated[Actor, Depends(current_actor)]


def kernel(request: Request) -> Kernel:
    return request.app.state.kernel


KernelDep = Annotated[Kernel, Depends(kernel)]


@router.get("/nodes/{node_id}/worklist", tags=["worklist"])
async def worklist(node_id: str, k: KernelDep, actor: ActorDep) -> list[dict[str, Any]]:
    """Open cases this node holds, most urgent first."""
    return await service.worklist(k, actor, node_id)


@router.get("/nodes/{node_id}/submitted", tags=["worklist"])
async def submitted_here(node_id: str, k: KernelDep, actor: ActorDep) -> list[dict[str, Any]]:
    """Open cases submitted at this node, wherever they are now (read-only tracking)."""
    return await service.worklist(k, actor, node_id, origin=True)


@router.get("/cases/{case_id}", tags=["cases"])
async def case_detail(case_id: str, k: KernelDep, actor: ActorDep) -> dict[str, Any]:
    return await service.case_detail(k, actor, case_id)


async def _act(k: Kernel, actor: Actor, case_id: str, action: str, body: Strict) -> dict[str, Any]:
    fields = body.model_dump(exclude={"expected_version"})
    state = await service.act(k, actor, case_id, action, fields, body.expected_version)
    return {
        "case_id": state.case_id,
        "status": state.status.value,
        "version": state.version,
        "holder": state.holder,
        "owner": state.owner,
    }


@router.post("/cases/{case_id}/claim", tags=["actions"])
async def claim(case_id: str, k: KernelDep, actor: ActorDep, body: NoBody | None = None) -> dict[str, Any]:
    return await _act(k, actor, case_id, "claim", body or NoBody())


@router.post("/cases/{case_id}/escalate", tags=["actions"])
async def escalate(case_id: str, body: ReasonBody, k: KernelDep, actor: ActorDep) -> dict[str, Any]:
    return await _act(k, actor, case_id, "escalate", body)


@router.post("/cases/{case_id}/return", tags=["actions"])
async def return_case(case_id: str, body: ReasonBody, k: KernelDep, actor: ActorDep) -> dict[str, Any]:
    return await _act(k, actor, case_id, "return", body)


@router.post("/cases/{case_id}/decide", tags=["actions"])
async def decide(case_id: str, body: DecideBody, k: KernelDep, actor: ActorDep) -> dict[str, Any]:
    return await _act(k, actor, case_id, "decide", body)


@router.post("/cases/{case_id}/issue-result", tags=["actions"])
async def issue_result(case_id: str, body: IssueBody, k: KernelDep, actor: ActorDep) -> dict[str, Any]:
    return await _act(k, actor, case_id, "issue-result", body)


@router.post("/cases/{case_id}/deliver", tags=["actions"])
async def deliver(
    case_id: str, k: KernelDep, actor: ActorDep, body: DeliverBody | None = None
) -> dict[str, Any]:
    return await _act(k, actor, case_id, "deliver", body or DeliverBody())


@router.post("/cases/{case_id}/close", tags=["actions"])
async def close(case_id: str, k: KernelDep, actor: ActorDep, body: NoBody | None = None) -> dict[str, Any]:
    return await _act(k, actor, case_id, "close", body or NoBody())


@router.post("/cases/{case_id}/evaluate", tags=["actions"])
async def evaluate(case_id: str, body: EvaluateBody, k: KernelDep, actor: ActorDep) -> dict[str, Any]:
    return await _act(k, actor, case_id, "evaluate", body)
