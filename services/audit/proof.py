"""Inclusion proofs: a case's events, each with a Merkle inclusion proof against a signed checkpoint.

``build_proof`` reads the ledger; ``check_proof`` needs nothing but the file (and, to pin the
signer, the published public key): no NATS, no database.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from pymerkle import InclusionProof, InvalidProof, verify_inclusion
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from services.audit.checkpoints import Checkpoint, latest_checkpoint
from services.audit.merkle import LeafTree, leaf_data, leaf_hash
from services.audit.signing import key_id, load_public_pem
from services.audit.tables import ledger
from shared.events import GENESIS_HASH
from shared.events.envelope import hash_of_document

FORMAT = "liandong.audit.proof/v1"


class ProofUnavailable(LookupError):
    pass


async def build_proof(engine: AsyncEngine, case_id: str, public_pem: str) -> dict[str, Any]:
    async with engine.connect() as conn:
        cp = await latest_checkpoint(conn)
        rows = (
            await conn.execute(
                select(ledger.c.stream_seq, ledger.c.position, ledger.c.body)
                .where(ledger.c.case_id == case_id)
                .order_by(ledger.c.position)
            )
        ).all()
        if not rows:
            raise ProofUnavailable(f"no ledger entries for case {case_id}")
        if cp is None:
            raise ProofUnavailable("the ledger has no signed checkpoint yet")
        leaves = await conn.execute(
            select(ledger.c.leaf_hash).where(ledger.c.position <= cp.size).order_by(ledger.c.position)
        )
        tree = LeafTree(bytes.fromhex(h) for (h,) in leaves)
    if tree.get_size() != cp.size or tree.get_root(cp.size).hex() != cp.root:
        raise ProofUnavailable(f"the ledger does not match its checkpoint at size {cp.size}: run verify")
    events, pending = [], []
    for seq, position, body in rows:
        entry = {"stream_seq": seq, "position": position, "event": json.loads(body)}
        if position > cp.size:
            pending.append(entry)
            continue
        entry["proof"] = tree.prove_inclusion(position, cp.size).serialize()
        events.append(entry)
    return {
        "format": FORMAT,
        "case_id": case_id,
        "checkpoint": cp.model_dump(mode="json"),
        "public_key": public_pem,
        "events": events,
        "not_yet_checkpointed": pending,
    }


@dataclass
class ProofCheck:
    case_id: str = ""
    proven: int = 0
    pending: int = 0
    key_id: str = ""
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and self.proven > 0


def check_proof(doc: dict[str, Any], pinned_public_pem: str | None = None) -> ProofCheck:
    out = ProofCheck(case_id=str(doc.get("case_id", "")))
    try:
        _check(doc, pinned_public_pem, out)
    except (KeyError, TypeError, ValueError) as exc:
        out.problems.append(f"malformed proof file: {type(exc).__name__}: {exc}")
    return out


def _check(doc: dict[str, Any], pinned: str | None, out: ProofCheck) -> None:
    if doc.get("format") != FORMAT:
        raise ValueError(f"not a {FORMAT} file")
    public = load_public_pem(pinned or doc["public_key"])
    out.key_id = key_id(public)
    cp = Checkpoint.model_validate(doc["checkpoint"])
    if cp.key_id != out.key_id:
        out.problems.append(f"checkpoint signed by key {cp.key_id}, not by {out.key_id}")
    if not cp.verify(pinned or doc["public_key"]):
        out.problems.append(f"checkpoint at size {cp.size}: signature does not verify")
    prev, last_position = GENESIS_HASH, 0
    for i, entry in enumerate(doc["events"], start=1):
        ev = entry["event"]
        name = f"event #{ev.get('seq')} ({ev.get('event_id')}) of case {ev.get('case_id')}"
        if ev.get("case_id") != out.case_id:
            out.problems.append(f"{name}: belongs to another case")
        if hash_of_document(ev) != ev.get("hash"):
            out.problems.append(f"{name}: content does not match its hash")
        if ev.get("seq") != i or ev.get("prev_hash") != prev:
            out.problems.append(f"{name}: does not continue the case's chain (dropped or reordered)")
        prev = ev.get("hash", "")
        position = entry["position"]
        if position <= last_position:
            out.problems.append(f"{name}: ledger positions out of order")
        last_position = position
        base = leaf_hash(leaf_data(entry["stream_seq"], ev["hash"]))
        try:
            proof = InclusionProof.deserialize(entry["proof"])
            verify_inclusion(base, bytes.fromhex(cp.root), proof, index=position, size=cp.size)
        except InvalidProof as exc:
            out.problems.append(f"{name}: inclusion proof fails ({exc})")
            continue
        out.proven += 1
    out.pending = len(doc.get("not_yet_checkpointed", []))
