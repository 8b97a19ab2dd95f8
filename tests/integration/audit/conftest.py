from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date

import pytest
from nats.aio.client import Client as NATS

from services.audit.app import CONSUMER
from services.audit.ledger import LedgerProjection
from services.audit.signing import Signer
from shared.db import Database
from shared.eventstore import JetStreamEventStore, ensure_streams
from shared.messaging import connect
from shared.projections import ProjectionRunner
from tests.support.audit_streams import append_interleaved
from tests.support.audit_traffic import CasePlan, plan_quarter
from tests.support.nats_server import NatsServer


@dataclass
class AuditWorld:
    nc: NATS
    db: Database
    signer: Signer
    plans: list[CasePlan]
    events: int
    runner: ProjectionRunner


@pytest.fixture
async def audit_world(fresh_nats: NatsServer, database: Database) -> AsyncIterator[AuditWorld]:
    """30 cases interleaved on a server of their own, and a caught-up ledger signed every 50 entries."""
    nc = await connect(fresh_nats.url, "audit-tests")
    await ensure_streams(nc)
    plans = plan_quarter(30, date(2026, 3, 2), date(2026, 3, 13), seed=11)
    n = await append_interleaved(JetStreamEventStore(nc), plans)
    signer = Signer.generate()
    await database.create_all(LedgerProjection.metadata, *_kernel())
    runner = ProjectionRunner(nc, database, LedgerProjection(signer, every=50), consumer=CONSUMER)
    await runner.catch_up()
    yield AuditWorld(nc, database, signer, plans, n, runner)
    await nc.close()


def _kernel() -> tuple:  # type: ignore[type-arg]
    from shared.db import kernel_metadata

    return (kernel_metadata,)
