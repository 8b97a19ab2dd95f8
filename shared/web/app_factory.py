"""The common shape of every HTTP service: errors, body limit, health, tracing."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from typing import Any

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from sqlalchemy import text

from shared.web.errors import install_error_handlers
from shared.web.limits import BodySizeLimit

ReadyCheck = Callable[[FastAPI], Awaitable[dict[str, Any]]]


def make_app(
    title: str,
    lifespan: Callable[[FastAPI], AbstractAsyncContextManager[None]],
    max_body_bytes: int,
    **kwargs: Any,
) -> FastAPI:
    app = FastAPI(title=title, lifespan=lifespan, **kwargs)
    install_error_handlers(app)
    app.add_middleware(BodySizeLimit, max_bytes=max_body_bytes)

    @app.get("/health", tags=["ops"])
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/ready", tags=["ops"])
    async def ready() -> JSONResponse:
        checks: dict[str, Any] = {}
        nc = getattr(app.state, "nc", None)
        checks["nats"] = bool(nc is not None and nc.is_connected)
        db = getattr(app.state, "db", None)
        if db is not None:
            try:
                async with db.engine.connect() as conn:
                    await conn.execute(text("SELECT 1"))
                checks["database"] = True
            except Exception:
                checks["database"] = False
        ok = all(checks.values())
        return JSONResponse({"ready": ok, "checks": checks}, status_code=200 if ok else 503)

    FastAPIInstrumentor.instrument_app(app, excluded_urls="health,ready")
    return app
