"""The audit service: ``create_app(settings)`` runs the ledger projection, the checkpoint timer
and the read API."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from services.audit import api
from services.audit.checkpoints import checkpoint_now
from services.audit.ledger import LedgerProjection, metadata
from services.audit.settings import AuditSettings
from services.audit.signing import Signer, load_signer
from shared.bootstrap import start_kernel
from shared.clock import Clock, SystemClock
from shared.db import Database
from shared.projections import ProjectionRunner
from shared.settings import Settings
from shared.web.app_factory import make_app

CONSUMER = "audit-ledger"
log = logging.getLogger("liandong.audit")


async def checkpoint_timer(
    db: Database, signer: Signer, clock: Clock, interval: float, stop: asyncio.Event
) -> None:
    """Sign the ledger head at least every ``interval`` seconds while new entries arrive."""
    tick = max(1.0, min(60.0, interval / 4))
    last = clock.now()
    while not stop.is_set():
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), tick)
        if stop.is_set() or (clock.now() - last).total_seconds() < interval:
            continue
        try:
            async with db.engine.begin() as conn:
                cp = await checkpoint_now(conn, signer, clock.now())
            last = clock.now()
            if cp:
                log.info("checkpoint signed", extra={"size": cp.size, "root": cp.root})
        except Exception:  # the database may be away; try again next tick
            log.warning("checkpoint timer failed", exc_info=True)


def create_app(settings: Settings, clock: Clock | None = None, audit: AuditSettings | None = None) -> FastAPI:
    audit = audit or AuditSettings()
    clock = clock or SystemClock()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        signer = load_signer(audit.key_path(settings.data_dir), create=audit.creates_key())
        k = await start_kernel(settings, "audit", metadata, writer_code="AU", clock=clock)
        app.state.kernel, app.state.org, app.state.nc, app.state.db = k, k.org, k.nc, k.db
        app.state.signer = signer
        stop = asyncio.Event()
        projection = LedgerProjection(signer, audit.checkpoint_every, clock.now)
        runner = ProjectionRunner(k.nc, k.db, projection, consumer=CONSUMER, batch=settings.projection_batch)
        app.state.runner = runner
        tasks = [
            asyncio.create_task(runner.run(stop)),
            asyncio.create_task(checkpoint_timer(k.db, signer, clock, audit.checkpoint_interval_s, stop)),
        ]
        try:
            yield
        finally:
            stop.set()
            await asyncio.wait_for(asyncio.gather(*tasks), 10)
            await k.close()

    app = make_app("Liandong audit 电子监察", lifespan, settings.max_body_bytes)
    app.include_router(api.public)
    app.include_router(api.router)
    return app
