"""Case-state snapshots: the state a writer decides from, with the stream position it reflects."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from shared.case import CaseState
from shared.db.tables import case_snapshots
from shared.db.upsert import upsert


@dataclass(frozen=True)
class Snapshot:
    state: CaseState
    subject: str
    stream_seq: int
    last_hash: str


def snapshot_row(snap: Snapshot) -> dict[str, object]:
    s = snap.state
    return {
        "case_id": s.case_id,
        "subject": snap.subject,
        "case_number": s.case_number,
        "status": s.status.value,
        "holder": s.holder,
        "origin_node": s.origin_node,
        "owner": s.owner,
        "item_code": s.item.code,
        "deadline": s.deadline,
        "updated_at": s.updated_at,
        "version": s.version,
        "stream_seq": snap.stream_seq,
        "last_hash": snap.last_hash,
        "state": s.model_dump_json(),
    }


def snapshot_from_row(row: object) -> Snapshot:
    m = row._mapping  # type: ignore[attr-defined]
    return Snapshot(
        CaseState.model_validate_json(m["state"]), m["subject"], int(m["stream_seq"]), m["last_hash"]
    )


async def save_snapshots(conn: AsyncConnection, snaps: list[Snapshot]) -> None:
    """Upsert, keeping whichever copy reflects the later stream position."""
    await upsert(
        conn, case_snapshots, [snapshot_row(s) for s in snaps], key=["case_id"], newer_than="stream_seq"
    )


async def load_snapshot(conn: AsyncConnection, case_id: str) -> Snapshot | None:
    row = (await conn.execute(select(case_snapshots).where(case_snapshots.c.case_id == case_id))).first()
    return snapshot_from_row(row) if row else None


async def clear_snapshots(conn: AsyncConnection) -> None:
    await conn.execute(delete(case_snapshots))


class SnapshotStore:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def get(self, case_id: str) -> Snapshot | None:
        async with self._engine.connect() as conn:
            return await load_snapshot(conn, case_id)

    async def put(self, snap: Snapshot) -> None:
        async with self._engine.begin() as conn:
            await save_snapshots(conn, [snap])
