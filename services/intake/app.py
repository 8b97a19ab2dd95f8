"""The intake service: ``create_app(settings)``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from services.intake import api, case_numbers, documents_api
from shared.bootstrap import start_kernel
from shared.clock import Clock
from shared.settings import Settings
from shared.web.app_factory import make_app


def create_app(settings: Settings, clock: Clock | None = None) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # intake reads its short-lived cases whole from the stream (one batched direct get)
        # rather than keeping snapshots: see CaseRepository
        k = await start_kernel(
            settings, "intake", case_numbers.metadata, writer_code="IN", clock=clock, snapshots=False
        )
        app.state.kernel, app.state.org, app.state.nc, app.state.db = k, k.org, k.nc, k.db
        try:
            yield
        finally:
            await k.close()

    app = make_app("Liandong intake 一门受理", lifespan, settings.max_body_bytes)
    app.include_router(api.router)
    app.include_router(documents_api.router)
    return app
