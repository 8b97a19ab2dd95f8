"""The ledger projection: every event as stored, its stream sequence, its per-case chain verdict,
its link in the global chain and its Merkle leaf; a signed checkpoint every ``every`` entries."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncConnection

from services.audit.chain import Head as CaseHead
from services.audit.chain import check_decoded
from services.audit.checkpoints import (
    Checkpoint,
    Head,
    chain_hash,
    load_head,
    save_checkpoints,
    save_head,
    sign_checkpoint,
)
from services.audit.merkle import leaf_data, leaf_hash
from services.audit.signing import Signer
from services.audit.tables import case_heads, checkpoints, ledger, ledger_head, metadata
from shared.db.upsert import upsert
from shared.eventstore import StoredEvent
from shared.projections import Rejected

__all__ = ["LedgerProjection", "ledger", "metadata"]


def _utcnow() -> datetime:
    return datetime.now(UTC)


class LedgerProjection:
    name = "audit.ledger"
    metadata = metadata

    def __init__(
        self, signer: Signer | None = None, every: int = 1000, now: Callable[[], datetime] = _utcnow
    ) -> None:
        self.signer = signer
        self.every = every
        self.now = now

    async def _case_heads(self, conn: AsyncConnection, ids: list[str]) -> dict[str, CaseHead]:
        heads: dict[str, CaseHead] = {}
        for chunk in (ids[i : i + 500] for i in range(0, len(ids), 500)):
            for row in await conn.execute(select(case_heads).where(case_heads.c.case_id.in_(chunk))):
                heads[row.case_id] = CaseHead(row.seq, row.hash)
        return heads

    async def apply(self, conn: AsyncConnection, events: Sequence[StoredEvent]) -> Sequence[Rejected]:
        head = await load_head(conn)
        events = [e for e in events if e.stream_seq > head.stream_seq]  # never a leaf twice
        heads = await self._case_heads(conn, list({e.envelope.case_id for e in events}))
        before = dict(heads)
        tree = head.tree()
        prev = head.ledger_hash
        rows, signed = [], []
        for ev in events:
            body = ev.envelope.to_bytes()
            verdict = check_decoded(heads, ev)
            env = ev.envelope
            leaf = leaf_hash(leaf_data(ev.stream_seq, env.hash))
            tree.append(leaf)
            prev = chain_hash(prev, env.hash, ev.stream_seq)
            rows.append(
                {
                    "stream_seq": ev.stream_seq,
                    "position": tree.size,
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
                    "ledger_hash": prev,
                    "leaf_hash": leaf.hex(),
                    "body": body.decode(),
                    "chain_ok": verdict.finding is None,
                    "problem": verdict.finding.line() if verdict.finding else None,
                }
            )
            if self.signer and tree.size % self.every == 0:
                signed.append(self._sign(tree.size, ev.stream_seq, prev, tree.root()))
        await upsert(conn, ledger, rows, key=["stream_seq"])
        changed = [
            {"case_id": c, "seq": h.seq, "hash": h.hash} for c, h in heads.items() if before.get(c) != h
        ]
        await upsert(conn, case_heads, changed, key=["case_id"])
        if events:
            last = events[-1].stream_seq
            await save_head(
                conn, Head(size=tree.size, stream_seq=last, ledger_hash=prev, frontier=tree.dump())
            )
        await save_checkpoints(conn, signed)
        return []

    def _sign(self, size: int, stream_seq: int, ledger_hash: str, root: str) -> Checkpoint:
        assert self.signer is not None
        return sign_checkpoint(self.signer, size, stream_seq, ledger_hash, root, self.now())

    async def reset(self, conn: AsyncConnection) -> None:
        for table in (ledger, case_heads, ledger_head, checkpoints):
            await conn.execute(delete(table))
