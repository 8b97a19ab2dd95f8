"""What must hold after any fault: read the stream itself and compare everything against it.

- every acknowledged write is in the stream, once; no event id twice; each case's events are
  numbered 1..n with an intact chain (apart from what a test injected on purpose);
- every projection (the node's case states, the audit ledger) equals a fresh rebuild from the
  stream into an empty database: nothing lost, nothing applied twice.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from nats.aio.client import Client as NATS
from sqlalchemy import MetaData, Table, select
from sqlalchemy.exc import DBAPIError

from shared.case import CaseState
from shared.db import Database, kernel_metadata, make_database
from shared.db.checkpoint_store import get_checkpoint
from shared.db.tables import case_snapshots
from shared.eventstore.replay import iterate_stream, stream_end
from shared.projections import Projection, ProjectionRunner
from shared.projections.case_states import CaseStateProjection
from tests.faults.load import LoadStats

ACK_EVENT = {
    "submit": "CaseSubmitted",
    "claim": "CaseClaimed",
    "decide": "CaseDecided",
    "issue-result": "ResultIssued",
    "deliver": "ResultDelivered",
    "close": "CaseClosed",
}
CLOSED_FLOW = [
    "CaseSubmitted",
    "CaseAccepted",
    "CaseRouted",
    "CaseClaimed",
    "CaseDecided",
    "ResultIssued",
    "CaseRouted",
    "ResultDelivered",
    "CaseClosed",
]


def ledger_projection() -> Projection:
    from services.audit.ledger import LedgerProjection

    return LedgerProjection()  # type: ignore[return-value]


def projections() -> dict[str, tuple[str, Projection, str]]:
    """name → (service schema, projection, table compared)."""
    return {
        "node.case_states": ("node", CaseStateProjection("node.case_states"), "case_snapshots"),
        "audit.ledger": ("audit", ledger_projection(), "ledger"),
    }


async def read_stream(nc: NATS) -> list[tuple[int, str, dict[str, Any] | None]]:
    out: list[tuple[int, str, dict[str, Any] | None]] = []
    async for m in iterate_stream(nc):
        try:
            doc = json.loads(m.data)
        except ValueError:
            doc = None
        out.append((m.seq, m.subject, doc if isinstance(doc, dict) else None))
    return out


def check_stream(
    events: Sequence[tuple[int, str, dict[str, Any] | None]], stats: LoadStats, injected: set[int]
) -> dict[str, list[str]]:
    """Per case, its event types in order; asserts ids are unique and case seqs are 1..n."""
    ids: Counter[str] = Counter()
    by_case: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for seq, _subject, doc in events:
        if seq in injected:
            continue
        assert doc is not None, f"unreadable event at stream seq {seq}"
        ids[doc["event_id"]] += 1
        by_case[doc["case_id"]].append((doc["seq"], doc["type"]))
    dup = [i for i, n in ids.items() if n > 1]
    assert not dup, f"event ids stored twice: {dup[:5]}"
    for case_id, evs in by_case.items():
        assert [s for s, _ in evs] == list(range(1, len(evs) + 1)), f"{case_id}: case seqs {evs}"
    types = {c: [t for _, t in evs] for c, evs in by_case.items()}
    for ack in stats.acks:
        got = types.get(ack.case_id, [])
        assert ACK_EVENT[ack.action] in got, f"acknowledged {ack} missing from the stream: {got}"
        assert len(got) >= ack.version, f"acknowledged {ack} beyond the stored case: {got}"
    for case_id in stats.closed:
        assert types[case_id] == CLOSED_FLOW, f"{case_id}: {types[case_id]}"
    for case_id, got in types.items():
        once = [t for t in got if t != "CaseRouted"]
        assert len(once) == len(set(once)), f"{case_id}: an event applied twice: {got}"
    return types


async def settle(nc: NATS, dbs: dict[str, Database], timeout: float = 90.0) -> int:
    """Wait until every projection's checkpoint reaches the end of the stream."""
    end = await stream_end(nc)
    deadline = time.monotonic() + timeout
    names = projections()
    while True:
        behind: dict[str, object] = {}
        for name, (service, _p, _t) in names.items():
            try:
                async with dbs[service].engine.connect() as conn:
                    cp = await get_checkpoint(conn, name)
            except (OSError, DBAPIError) as exc:  # the database restarting: keep waiting
                behind[name] = type(exc).__name__
                continue
            if cp < end:
                behind[name] = cp
        if not behind:
            return end
        assert time.monotonic() < deadline, f"projections behind stream end {end}: {behind}"
        await asyncio.sleep(0.5)


def _norm(value: Any) -> Any:
    if isinstance(value, str) and value.startswith('{"case_id"'):
        # a case state: frozensets serialise in hash order, which differs between processes
        return CaseState.model_validate_json(value)
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC).isoformat()
    return value


async def _rows(db: Database, table: Table, columns: list[str]) -> list[tuple[Any, ...]]:
    key = [c for c in table.primary_key.columns]
    async with db.engine.connect() as conn:
        result = await conn.execute(select(*[table.c[c] for c in columns]).order_by(*key))
        return [tuple(_norm(v) for v in row) for row in result]


async def compare_with_rebuild(nc: NATS, dbs: dict[str, Database], workdir: Path) -> dict[str, int]:
    """Rebuild every projection from sequence 1 into an empty SQLite file and compare its table."""
    sizes: dict[str, int] = {}
    for name, (service, projection, table_name) in projections().items():
        fresh = make_database("", f"rebuild-{service}-{time.monotonic_ns()}", workdir)
        try:
            await fresh.create_all(kernel_metadata, projection.metadata)
            runner = ProjectionRunner(
                nc, fresh, projection, consumer=f"rebuild-{service}-{time.monotonic_ns()}", batch=512
            )
            await runner.rebuild()
            await nc.jetstream().delete_consumer(runner.stream, runner.consumer)
            table = _table(projection.metadata, table_name)
            columns = [c.name for c in table.columns if c.name not in ("updated_at",)]
            if table is case_snapshots:
                columns = ["case_id", "status", "holder", "version", "stream_seq", "last_hash", "state"]
            live = await _rows(dbs[service], table, columns)
            rebuilt = await _rows(fresh, table, columns)
            if len(live) != len(rebuilt):
                lost = sorted({r[0] for r in rebuilt} - {r[0] for r in live})
                extra = sorted({r[0] for r in live} - {r[0] for r in rebuilt})
                raise AssertionError(
                    f"{name}: {len(live)} rows live, {len(rebuilt)} rebuilt; missing {lost[:20]}, extra {extra[:20]}"
                )
            diff = [(a, b) for a, b in zip(live, rebuilt, strict=True) if a != b]
            assert not diff, f"{name}: {len(diff)} rows differ from a rebuild; first: {diff[0]}"
            sizes[name] = len(live)
        finally:
            await fresh.dispose()
    return sizes


def _table(metadata: MetaData, name: str) -> Table:
    if name in metadata.tables:
        return metadata.tables[name]
    return kernel_metadata.tables[name]
