"""One POST route per handling action: ``/api/cases/{case_id}/<action>`` with that action's body.

(No ``from __future__ import annotations`` here: the routes are built in a loop and FastAPI must
see each route's body model as a real class.)"""

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Request
from pydantic import BaseModel

from services.village_node import service
from services.village_node.actions import ACTIONS, Action, body_is_optional
from shared.bootstrap import Kernel
from shared.events import Actor
from shared.web.actors import current_actor

router = APIRouter(prefix="/api")


class ActionResult(BaseModel):
    case_id: str
    status: str
    version: int
    holder: str | None
    owner: str | None


def _kernel(request: Request) -> Kernel:
    kernel: Kernel = request.app.state.kernel
    return kernel


def _route(action: Action) -> None:
    model = action.body
    optional = body_is_optional(action)

    async def handle(
        case_id: str,
        k: Annotated[Kernel, Depends(_kernel)],
        actor: Annotated[Actor, Depends(current_actor)],
        body: Annotated[Any, Body()] = None,
    ) -> ActionResult:
        payload: BaseModel = body if body is not None else model()
        fields = payload.model_dump(exclude={"expected_version"})
        expected = getattr(payload, "expected_version", None)
        state = await service.act(k, actor, case_id, action.name, fields, expected)
        return ActionResult(
            case_id=state.case_id,
            status=state.status.value,
            version=state.version,
            holder=state.holder,
            owner=state.owner,
        )

    handle.__annotations__["body"] = Annotated[model | None if optional else model, Body()]
    if not optional:
        handle.__defaults__ = None
    handle.__name__ = action.name.replace("-", "_")
    router.post(
        f"/cases/{{case_id}}/{action.name}",
        tags=["actions"],
        summary=action.label,
        response_model=ActionResult,
        name=f"action_{handle.__name__}",
    )(handle)


for _action in ACTIONS.values():
    _route(_action)
