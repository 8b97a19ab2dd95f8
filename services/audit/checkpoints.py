"""Signed checkpoints: (size, last stream seq, global chain hash, Merkle root), signed with Ed25519.

The signed message is the canonical JSON of :meth:`Checkpoint.statement`; a verifier needs only
the public key, the checkpoint and the data it covers.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator
from sqlalchemy import desc, select
from sqlalchemy.ext.asyncio import AsyncConnection

from services.audit.merkle import Frontier
from services.audit.signing import Signer, load_public_pem, verify_signature
from services.audit.tables import checkpoints, ledger_head
from shared.db.upsert import upsert
from shared.events import GENESIS_HASH, canonical_json

STATEMENT_TYPE = "liandong.audit.checkpoint/v1"


def chain_hash(prev: str, event_hash: str, stream_seq: int) -> str:
    """One link of the global chain: SHA-256 over prev ledger_hash ‖ event hash ‖ stream seq (decimal)."""
    return hashlib.sha256(f"{prev}{event_hash}{stream_seq}".encode("ascii")).hexdigest()


class Checkpoint(BaseModel):
    model_config = ConfigDict(frozen=True)

    size: int
    stream_seq: int
    ledger_hash: str
    root: str
    signed_at: datetime
    key_id: str
    signature: str = ""

    @field_validator("signed_at")
    @classmethod
    def _utc(cls, v: datetime) -> datetime:
        # SQLite hands time-zone-aware columns back naive; they were written in UTC
        return v.replace(tzinfo=UTC) if v.tzinfo is None else v

    def statement(self) -> bytes:
        return canonical_json(
            {
                "type": STATEMENT_TYPE,
                "size": self.size,
                "stream_seq": self.stream_seq,
                "ledger_hash": self.ledger_hash,
                "root": self.root,
                "signed_at": self.signed_at.astimezone(UTC).isoformat(),
                "key_id": self.key_id,
            }
        )

    def verify(self, public_pem: str) -> bool:
        return verify_signature(load_public_pem(public_pem), self.statement(), self.signature)


def sign_checkpoint(
    signer: Signer, size: int, stream_seq: int, ledger_hash: str, root: str, at: datetime
) -> Checkpoint:
    unsigned = Checkpoint(
        size=size,
        stream_seq=stream_seq,
        ledger_hash=ledger_hash,
        root=root,
        signed_at=at.astimezone(UTC).replace(microsecond=0),
        key_id=signer.key_id,
    )
    return unsigned.model_copy(update={"signature": signer.sign(unsigned.statement())})


class Head(BaseModel):
    size: int = 0
    stream_seq: int = 0
    ledger_hash: str = GENESIS_HASH
    frontier: list[list[Any]] = []

    def tree(self) -> Frontier:
        return Frontier.load(self.size, self.frontier)


async def load_head(conn: AsyncConnection) -> Head:
    row = (await conn.execute(select(ledger_head).where(ledger_head.c.id == 1))).first()
    if row is None:
        return Head()
    return Head(
        size=row.size,
        stream_seq=row.stream_seq,
        ledger_hash=row.ledger_hash,
        frontier=json.loads(row.frontier),
    )


async def save_head(conn: AsyncConnection, head: Head) -> None:
    row = {
        "id": 1,
        "size": head.size,
        "stream_seq": head.stream_seq,
        "ledger_hash": head.ledger_hash,
        "frontier": json.dumps(head.frontier),
    }
    await upsert(conn, ledger_head, row, key=["id"])


async def save_checkpoints(conn: AsyncConnection, cps: list[Checkpoint]) -> None:
    await upsert(conn, checkpoints, [cp.model_dump() for cp in cps], key=["size"])


async def latest_checkpoint(conn: AsyncConnection, max_size: int | None = None) -> Checkpoint | None:
    stmt = select(checkpoints).order_by(desc(checkpoints.c.size)).limit(1)
    if max_size is not None:
        stmt = stmt.where(checkpoints.c.size <= max_size)
    row = (await conn.execute(stmt)).first()
    return Checkpoint.model_validate(row._asdict()) if row else None


async def all_checkpoints(conn: AsyncConnection) -> list[Checkpoint]:
    rows = (await conn.execute(select(checkpoints).order_by(checkpoints.c.size))).all()
    return [Checkpoint.model_validate(r._asdict()) for r in rows]


async def checkpoint_now(conn: AsyncConnection, signer: Signer, at: datetime) -> Checkpoint | None:
    """Sign the current head if it is not signed yet (the hourly timer and ``--checkpoint``)."""
    head = await load_head(conn)
    last = await latest_checkpoint(conn)
    if head.size == 0 or (last is not None and last.size >= head.size):
        return None
    cp = sign_checkpoint(signer, head.size, head.stream_seq, head.ledger_hash, head.tree().root(), at)
    await save_checkpoints(conn, [cp])
    return cp
