"""The node service: ``create_app(settings)`` runs the HTTP API and the case-state projection."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from services.village_node import accounts, api, api_actions, reviews_api, session_api, web
from services.village_node.login import FailedLogins
from services.village_node.web.intake_client import IntakeClient
from shared.bootstrap import start_kernel
from shared.clock import Clock
from shared.projections import ProjectionRunner
from shared.projections.case_states import CaseStateProjection
from shared.settings import Settings
from shared.web.app_factory import make_app

CONSUMER = "node-case-states"


def create_app(settings: Settings, clock: Clock | None = None, run_projection: bool = True) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        k = await start_kernel(settings, "node", accounts.metadata, writer_code="ND", clock=clock)
        app.state.kernel, app.state.org, app.state.nc, app.state.db = k, k.org, k.nc, k.db
        app.state.account_check = accounts.account_check(k.db.engine)
        app.state.failed_logins = FailedLogins()
        app.state.intake = IntakeClient(settings.intake_base_url())
        stop = asyncio.Event()
        runner = ProjectionRunner(
            k.nc,
            k.db,
            CaseStateProjection("node.case_states"),
            consumer=CONSUMER,
            batch=settings.projection_batch,
        )
        app.state.runner = runner
        task = asyncio.create_task(runner.run(stop)) if run_projection else None
        try:
            yield
        finally:
            stop.set()
            if task:
                await asyncio.wait_for(task, 10)
            await app.state.intake.close()
            await k.close()

    app = make_app("Liandong node 村（社区）、乡镇、县级窗口工作台", lifespan, settings.max_body_bytes)
    app.include_router(api.router)
    app.include_router(api_actions.router)
    app.include_router(reviews_api.router)  # joint-review tasks, with their own projection
    app.include_router(session_api.router)
    web.install(app)
    return app
