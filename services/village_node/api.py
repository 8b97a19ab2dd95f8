"""Node HTTP routes (JSON API). Each action route validates its body and calls ``service.act``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from services.village_node import service
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
