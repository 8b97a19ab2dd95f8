"""The common shape of every HTTP service: errors, body limit, health, tracing."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from typing import Any

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor

from shared.web.errors import install_error_handlers
from shared.web.limits import BodySizeLimit
from shared.web.readiness import readiness_checks


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
        checks = await readiness_checks(getattr(app.state, "nc", None), getattr(app.state, "db", None))
        ok = all(checks.values())
        return JSONResponse({"ready": ok, "checks": checks}, status_code=200 if ok else 503)

    FastAPIInstrumentor.instrument_app(app, excluded_urls="health,ready")
    return app
