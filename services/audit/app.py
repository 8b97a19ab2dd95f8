"""The audit service: ``create_app(settings)`` runs the ledger projection and the read API."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from services.audit import api
from services.audit.ledger import LedgerProjection, metadata
from shared.bootstrap import start_kernel
from shared.clock import Clock
from shared.projections import ProjectionRunner
from shared.settings import Settings
from shared.web.app_factory import make_app

CONSUMER = "audit-ledger"


def create_app(settings: Settings, clock: Clock | None = None) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        k = await start_kernel(settings, "audit", metadata, writer_code="AU", clock=clock)
        app.state.kernel, app.state.org, app.state.nc, app.state.db = k, k.org, k.nc, k.db
        stop = asyncio.Event()
        runner = ProjectionRunner(
            k.nc, k.db, LedgerProjection(), consumer=CONSUMER, batch=settings.projection_batch
        )
        app.state.runner = runner
        task = asyncio.create_task(runner.run(stop))
        try:
            yield
        finally:
            stop.set()
            await asyncio.wait_for(task, 10)
            await k.close()

    app = make_app("Liandong audit 电子监察", lifespan, settings.max_body_bytes)
    app.include_router(api.router)
    return app
