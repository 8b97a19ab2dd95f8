"""The ledger projection: every event as stored, with its stream sequence and chain verdict."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    delete,
    select,
)
from sqlalchemy.ext.asyncio import AsyncConnection

from services.audit.chain import Head, check
from shared.db.upsert import upsert
from shared.eventstore import StoredEvent
from shared.projections import Rejected

metadata = MetaData()

ledger = Table(
    "ledger",
    metadata,
    Column("stream_seq", BigInteger, primary_key=True),
    Column("event_id", String(80), nullable=False),
    Column("case_id", String(64), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("type", String(60), nullable=False),
    Column("schema_version", Integer, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("operator_id", String(64), nullable=False),
    Column("node_id", String(64), nullable=False),
    Column("role", String(32), nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    Column("body", Text, nullable=False),
    Column("chain_ok", Boolean, nullable=False),
    Column("problem", Text),
    Index("ix_ledger_case", "case_id", "seq"),
    Index("ix_ledger_node_at", "node_id", "at"),
)

case_heads = Table(
    "ledger_case_heads",
    metadata,
    Column("case_id", String(64), primary_key=True),
    Column("seq", Integer, nullable=False),
    Column("hash", String(64), nullable=False),
)


class LedgerProjection:
    name = "audit.ledger"
    metadata = metadata

    async def apply(self, conn: AsyncConnection, events: Sequence[StoredEvent]) -> Sequence[Rejected]:
        ids = list({e.envelope.case_id for e in events})
        heads: dict[str, Head] = {}
        for chunk in (ids[i : i + 500] for i in range(0, len(ids), 500)):
            for row in await conn.execute(select(case_heads).where(case_heads.c.case_id.in_(chunk))):
                heads[row.case_id] = Head(row.seq, row.hash)
        before = dict(heads)
        rows = []
        for ev in events:
            verdict = check(heads, ev.stream_seq, ev.subject, ev.envelope.to_bytes(), ev.headers)
            env = ev.envelope
            rows.append(
                {
                    "stream_seq": ev.stream_seq,
                    "event_id": env.event_id,
                    "case_id": env.case_id,
                    "seq": env.seq,
                    "type": env.type,
                    "schema_version": env.schema_version,
                    "at": env.at,
                    "recorded_at": env.recorded_at,
                    "operator_id": env.actor.operator_id,
                    "node_id": env.actor.node_id,
                    "role": env.actor.role,
                    "prev_hash": env.prev_hash,
                    "hash": env.hash,
                    "body": env.to_bytes().decode(),
                    "chain_ok": verdict.finding is None,
                    "problem": verdict.finding.line() if verdict.finding else None,
                }
            )
        await upsert(conn, ledger, rows, key=["stream_seq"])
        changed = [
            {"case_id": c, "seq": h.seq, "hash": h.hash} for c, h in heads.items() if before.get(c) != h
        ]
        await upsert(conn, case_heads, changed, key=["case_id"])
        return []

    async def reset(self, conn: AsyncConnection) -> None:
        await conn.execute(delete(ledger))
        await conn.execute(delete(case_heads))
