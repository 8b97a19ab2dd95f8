"""Wiring shared by the services: settings → database, NATS, event store, command handler.

Called from each service's lifespan; nothing here runs at import time.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from nats.aio.client import Client as NATS
from sqlalchemy import MetaData

from migrations.runner import create_unmigrated, upgrade_service
from shared.calendar import WorkCalendar
from shared.case import Context
from shared.catalog import Catalog
from shared.clock import Clock, SystemClock
from shared.db import Database, kernel_metadata, make_database
from shared.db.snapshot_store import SnapshotStore
from shared.eventstore import JetStreamEventStore, ensure_streams, wait_for_streams
from shared.messaging import connect, nats_auth
from shared.org import OrgTree
from shared.service_layer import CaseCommandHandler, CaseRepository
from shared.settings import Settings

log = logging.getLogger("liandong.bootstrap")


@dataclass
class Kernel:
    settings: Settings
    service: str
    db: Database
    nc: NATS
    store: JetStreamEventStore
    repo: CaseRepository
    commands: CaseCommandHandler
    catalog: Catalog
    org: OrgTree
    ctx: Context
    clock: Clock

    async def close(self) -> None:
        try:
            await self.nc.drain()
        except Exception:
            log.debug("nats drain failed", exc_info=True)
        await self.db.dispose()


def load_reference_data(settings: Settings) -> tuple[Catalog, OrgTree, WorkCalendar]:
    org = OrgTree.load(settings.org_path)
    catalog = Catalog.load(settings.catalog_path)
    catalog.validate_against(org, raise_errors=True)
    calendar = WorkCalendar.load(settings.holiday_dir)
    return catalog, org, calendar


async def start_kernel(
    settings: Settings,
    service: str,
    *metadatas: MetaData,
    writer_code: str | None = None,
    clock: Clock | None = None,
    snapshots: bool = True,
) -> Kernel:
    catalog, org, calendar = load_reference_data(settings)
    db = make_database(settings.database_url, service, settings.data_dir)
    await upgrade_service(db, service)
    await create_unmigrated(db, service, kernel_metadata, *metadatas)
    nc = await connect(settings.nats_url, f"liandong-{service}", **nats_auth(settings))
    if settings.nats_manage_streams:
        await ensure_streams(nc, replicas=settings.stream_replicas)
    else:
        await wait_for_streams(nc)
    store = JetStreamEventStore(nc)
    repo = CaseRepository(store, SnapshotStore(db.engine) if snapshots else None)
    ctx = Context(calendar=calendar)
    clock = clock or SystemClock()
    commands = CaseCommandHandler(repo, ctx, writer_code or service[:2].upper(), clock)
    log.info("kernel started", extra={"service": service, "database": db.dialect, "nats": settings.nats_url})
    return Kernel(settings, service, db, nc, store, repo, commands, catalog, org, ctx, clock)
