"""Load a case to decide from: the database snapshot, topped up from the stream.

Replaying a whole case from JetStream costs milliseconds; reading the snapshot and asking the
stream only for what came after its sequence costs one round trip when nothing is newer.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from shared.case import CaseState
from shared.case.chain import ChainBreak, apply_stored
from shared.db.snapshot_store import Snapshot, SnapshotStore
from shared.events import GENESIS_HASH
from shared.eventstore import DecodeError, JetStreamEventStore, decode_message
from shared.eventstore.subjects import case_subject

log = logging.getLogger("liandong.repository")


@dataclass(frozen=True)
class LoadedCase:
    state: CaseState | None
    subject: str
    stream_seq: int
    last_hash: str


def subject_for(case_id: str) -> str:
    """Case ids are ``<origin node code>-<ulid>``; the subject is ``case.<code>.<ulid>``."""
    code, sep, rest = case_id.partition("-")
    if not sep or not rest:
        raise ValueError(f"malformed case id {case_id!r}")
    return case_subject(code, rest)


class CaseRepository:
    """``snapshots=None`` reads every case whole from the stream and remembers nothing: right for a
    writer that touches a case a few times while it is short (intake), where a snapshot read and
    write per command cost more database work than one batched direct get of a handful of events."""

    def __init__(self, store: JetStreamEventStore, snapshots: SnapshotStore | None) -> None:
        self.store = store
        self.snapshots = snapshots

    async def load(self, case_id: str) -> LoadedCase:
        snap = await self.snapshots.get(case_id) if self.snapshots is not None else None
        if snap is None:
            loaded = LoadedCase(None, subject_for(case_id), 0, GENESIS_HASH)
        else:
            loaded = LoadedCase(snap.state, snap.subject, snap.stream_seq, snap.last_hash)
        return await self.top_up(loaded)

    async def top_up(self, loaded: LoadedCase) -> LoadedCase:
        state, seq, last = loaded.state, loaded.stream_seq, loaded.last_hash
        for raw in await self.store.read_raw(loaded.subject, loaded.stream_seq):
            seq = raw.seq  # a refused event still occupies its place in the stream
            try:
                ev = decode_message(raw.seq, raw.subject, raw.data, raw.headers)
                folded = apply_stored(state, last, ev.envelope, ev.domain())
            except (DecodeError, ChainBreak) as exc:
                log.error(
                    "ignoring event that breaks the case",
                    extra={"subject": raw.subject, "seq": raw.seq, "reason": str(exc)},
                )
                continue
            state, last = folded.state, folded.last_hash
        return LoadedCase(state, loaded.subject, seq, last)

    async def remember(self, loaded: LoadedCase) -> None:
        if loaded.state is not None and self.snapshots is not None:
            await self.snapshots.put(
                Snapshot(loaded.state, loaded.subject, loaded.stream_seq, loaded.last_hash)
            )
