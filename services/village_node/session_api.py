"""Session routes of the JSON API: log in for a bearer token, and ask who the token belongs to."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from services.village_node.login import LoginBody, open_session
from shared.web.actors import Session, current_session

router = APIRouter(prefix="/api", tags=["session"])


def session_ttl(request: Request) -> timedelta:
    return timedelta(hours=request.app.state.kernel.settings.auth_token_hours)


@router.post("/login")
async def login(body: LoginBody, request: Request) -> dict[str, Any]:
    """Log in with a login and password; send the returned token as ``Authorization: Bearer <token>``
    to the node, intake and audit services until ``expires_at``."""
    k = request.app.state.kernel
    opened = await open_session(
        k.db.engine,
        k.settings.auth_secret,
        session_ttl(request),
        request.app.state.failed_logins,
        body.operator_id,
        body.password,
    )
    return opened.as_json(k.org)


@router.get("/me")
async def me(request: Request, session: Annotated[Session, Depends(current_session)]) -> dict[str, Any]:
    """The operator the token or cookie belongs to."""
    a = session.actor
    return {
        "operator_id": a.operator_id,
        "node_id": a.node_id,
        "node_name": request.app.state.org.get(a.node_id).name,
        "role": a.role,
    }
