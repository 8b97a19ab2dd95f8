"""One pass over the ledger: each entry's content against its hash, the global chain, the Merkle
tree, and every signed checkpoint against what it covers."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from services.audit.chain import Finding
from services.audit.checkpoints import Checkpoint, all_checkpoints, chain_hash
from services.audit.merkle import Frontier, leaf_data, leaf_hash
from services.audit.tables import ledger
from shared.events import GENESIS_HASH
from shared.events.envelope import hash_of_document


@dataclass(frozen=True, slots=True)
class Entry:
    stream_seq: int
    position: int
    event_id: str
    case_id: str
    hash: str


@dataclass
class LedgerPass:
    entries: list[Entry] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    checkpoints_ok: int = 0
    last_stream_seq: int = 0

    def add(self, e: Entry | None, seq: int, case_id: str, code: str, message: str) -> None:
        self.findings.append(Finding(seq, "", case_id, e.event_id if e else None, code, message, "ledger"))


async def _prefix(conn: AsyncConnection, from_seq: int) -> tuple[Frontier, str, int]:
    """Tree, chain hash and position just before ``from_seq``, from the stored values (trusted)."""
    tree, prev, position = Frontier(), GENESIS_HASH, 0
    rows = await conn.stream(
        select(ledger.c.leaf_hash, ledger.c.ledger_hash, ledger.c.position)
        .where(ledger.c.stream_seq < from_seq)
        .order_by(ledger.c.position)
    )
    async for leaf, lh, pos in rows:
        tree.append(bytes.fromhex(leaf))
        prev, position = lh, pos
    return tree, prev, position


async def check_ledger(conn: AsyncConnection, from_seq: int = 1, public_pem: str | None = None) -> LedgerPass:
    out = LedgerPass()
    tree, prev, position = await _prefix(conn, from_seq) if from_seq > 1 else (Frontier(), GENESIS_HASH, 0)
    cps = {cp.size: cp for cp in await all_checkpoints(conn) if cp.size > position}
    rows = await conn.stream(
        select(ledger).where(ledger.c.stream_seq >= from_seq).order_by(ledger.c.position)
    )
    async for r in rows:
        e = Entry(r.stream_seq, r.position, r.event_id, r.case_id, r.hash)
        out.entries.append(e)
        out.last_stream_seq = max(out.last_stream_seq, r.stream_seq)
        if r.position != position + 1:
            out.add(
                e,
                r.stream_seq,
                r.case_id,
                "ledger_gap",
                f"entries {position + 1}..{r.position - 1} are missing",
            )
        position = r.position
        try:
            body_ok = hash_of_document(json.loads(r.body)) == r.hash
        except ValueError:
            body_ok = False
        if not body_ok:
            out.add(e, r.stream_seq, r.case_id, "ledger_changed", "the stored event does not match its hash")
        leaf = leaf_hash(leaf_data(r.stream_seq, r.hash))
        if leaf.hex() != r.leaf_hash:
            out.add(e, r.stream_seq, r.case_id, "ledger_bad_leaf", "Merkle leaf does not match the entry")
        expected = chain_hash(prev, r.hash, r.stream_seq)
        if expected != r.ledger_hash:
            out.add(
                e,
                r.stream_seq,
                r.case_id,
                "ledger_chain_broken",
                "ledger_hash does not follow from the previous entry (an entry was changed, dropped, "
                "swapped or inserted here)",
            )
        # go on from the stored link, so each break is reported where it is and only there
        prev = r.ledger_hash
        tree.append(leaf)
        cp = cps.pop(tree.size, None)
        if cp is not None:
            chain = r.ledger_hash if expected == r.ledger_hash else expected
            _check_checkpoint(out, cp, e, chain, tree.root(), public_pem)
    for size in sorted(cps):
        out.add(
            None,
            0,
            "",
            "checkpoint_beyond_ledger",
            f"signed checkpoint at size {size} but the ledger is shorter",
        )
    return out


def _check_checkpoint(
    out: LedgerPass, cp: Checkpoint, e: Entry, chain: str, root: str, public_pem: str | None
) -> None:
    problems = []
    if cp.ledger_hash != chain:
        problems.append("global chain hash")
    if cp.root != root:
        problems.append("Merkle root")
    if cp.stream_seq != e.stream_seq:
        problems.append("stream sequence")
    if public_pem is not None and not cp.verify(public_pem):
        problems.append("signature")
    if problems:
        out.add(
            e,
            e.stream_seq,
            e.case_id,
            "checkpoint_mismatch",
            f"signed checkpoint at size {cp.size} does not match the ledger ({', '.join(problems)}): "
            "entries up to here were changed after signing",
        )
    else:
        out.checkpoints_ok += 1
