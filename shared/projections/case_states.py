"""The case-state projection: one snapshot row per case, the state writers decide from.

Rows written through by a command handler are already ahead; the projection skips anything at
or below a row's stream position and refuses events that do not continue the case's chain.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from shared.case.chain import ChainBreak, apply_stored
from shared.db.snapshot_store import Snapshot, clear_snapshots, save_snapshots, snapshot_from_row
from shared.db.tables import case_snapshots, kernel_metadata
from shared.events import GENESIS_HASH
from shared.eventstore import StoredEvent
from shared.projections.base import Rejected


class CaseStateProjection:
    metadata = kernel_metadata

    def __init__(self, name: str = "case_states") -> None:
        self.name = name

    async def apply(self, conn: AsyncConnection, events: Sequence[StoredEvent]) -> Sequence[Rejected]:
        ids = list({e.envelope.case_id for e in events})
        current: dict[str, Snapshot] = {}
        for chunk in (ids[i : i + 500] for i in range(0, len(ids), 500)):
            rows = await conn.execute(select(case_snapshots).where(case_snapshots.c.case_id.in_(chunk)))
            for row in rows:
                found = snapshot_from_row(row)
                current[found.state.case_id] = found
        changed: set[str] = set()
        rejected: list[Rejected] = []
        for ev in events:
            case_id = ev.envelope.case_id
            snap = current.get(case_id)
            if snap is not None and ev.stream_seq <= snap.stream_seq:
                continue
            try:
                folded = apply_stored(
                    snap.state if snap else None,
                    snap.last_hash if snap else GENESIS_HASH,
                    ev.envelope,
                    ev.domain(),
                )
            except ChainBreak as exc:
                rejected.append(Rejected(ev.stream_seq, exc.reason, exc.code))
                continue
            current[case_id] = Snapshot(folded.state, ev.subject, ev.stream_seq, folded.last_hash)
            changed.add(case_id)
        await save_snapshots(conn, [current[c] for c in changed])
        return rejected

    async def reset(self, conn: AsyncConnection) -> None:
        await clear_snapshots(conn)
