"""The ledger's global chain, signed checkpoints and Merkle inclusion proofs (SQLite and PostgreSQL)."""

from __future__ import annotations

import copy
import json

from sqlalchemy import select

from services.audit.checkpoints import all_checkpoints, chain_hash, checkpoint_now
from services.audit.proof import build_proof, check_proof
from services.audit.signing import Signer
from services.audit.tables import ledger
from shared.events import GENESIS_HASH
from shared.events.envelope import hash_of_document
from tests.integration.audit.conftest import AuditWorld


async def test_every_entry_links_the_global_chain_and_checkpoints_are_signed(audit_world: AuditWorld) -> None:
    w = audit_world
    async with w.db.engine.connect() as conn:
        rows = (await conn.execute(select(ledger).order_by(ledger.c.position))).all()
        cps = await all_checkpoints(conn)
    assert len(rows) == w.events and [r.position for r in rows] == list(range(1, w.events + 1))
    prev = GENESIS_HASH
    for r in rows:
        assert r.ledger_hash == chain_hash(prev, r.hash, r.stream_seq) and r.chain_ok
        prev = r.ledger_hash
    assert [cp.size for cp in cps] == list(range(50, w.events + 1, 50))
    assert all(cp.verify(w.signer.public_pem()) for cp in cps)
    assert cps[-1].ledger_hash == rows[cps[-1].size - 1].ledger_hash


async def _signed_proof(w: AuditWorld, case_id: str) -> dict:  # type: ignore[type-arg]
    from datetime import UTC, datetime

    async with w.db.engine.begin() as conn:
        await checkpoint_now(conn, w.signer, datetime.now(UTC))  # sign the tail too, as the hourly timer does
    return await build_proof(w.db.engine, case_id, w.signer.public_pem())


async def test_inclusion_proof_round_trip_and_forgeries_rejected(audit_world: AuditWorld) -> None:
    w = audit_world
    plan = next(p for p in w.plans if p.closed_on is not None)
    doc = json.loads(json.dumps(await _signed_proof(w, plan.case_id)))  # through JSON, like a file
    good = check_proof(doc, w.signer.public_pem())
    assert good.ok and good.proven == len(doc["events"]) >= 8 and good.pending == 0

    def forged(change) -> list[str]:  # type: ignore[no-untyped-def]
        bad = copy.deepcopy(doc)
        change(bad)
        result = check_proof(bad, w.signer.public_pem())
        assert not result.ok
        return result.problems

    def edit_payload(d: dict) -> None:  # type: ignore[type-arg]
        d["events"][3]["event"]["payload"]["reason"] = "改过的"

    def forge_hash(d: dict) -> None:  # type: ignore[type-arg]
        ev = d["events"][0]["event"]
        ev["payload"]["case_number"] = "511199-FORGED"
        ev["hash"] = hash_of_document(ev)

    def move_root(d: dict) -> None:  # type: ignore[type-arg]
        d["checkpoint"]["root"] = "00" * 32

    def drop_event(d: dict) -> None:  # type: ignore[type-arg]
        del d["events"][2]

    def flip_path(d: dict) -> None:  # type: ignore[type-arg]
        path = d["events"][1]["proof"]["path"]
        path[-1] = path[-1][::-1]

    assert any("does not match its hash" in p for p in forged(edit_payload))
    assert any("inclusion proof fails" in p for p in forged(forge_hash))
    assert any("signature does not verify" in p for p in forged(move_root))
    assert any("chain" in p for p in forged(drop_event))
    assert any("inclusion proof fails" in p for p in forged(flip_path))

    # a whole proof re-signed by another key is refused when the published key is pinned
    other = Signer.generate()
    from services.audit.checkpoints import Checkpoint

    cp = Checkpoint.model_validate(doc["checkpoint"]).model_copy(update={"key_id": other.key_id})
    resigned = copy.deepcopy(doc)
    resigned["checkpoint"] = cp.model_copy(update={"signature": other.sign(cp.statement())}).model_dump(
        mode="json"
    )
    resigned["public_key"] = other.public_pem()
    assert check_proof(resigned).ok  # self-consistent…
    assert not check_proof(resigned, w.signer.public_pem()).ok  # …but not signed by the county's key


async def test_events_already_in_the_ledger_never_become_a_second_leaf(audit_world: AuditWorld) -> None:
    """Given a caught-up ledger, when events it holds are handed to it again (a second applier, a
    redelivery), then the ledger, its head and its Merkle tree are unchanged."""
    from services.audit.checkpoints import load_head
    from services.audit.ledger import LedgerProjection
    from shared.eventstore import decode_message
    from shared.eventstore.replay import iterate_stream

    w = audit_world
    again = [decode_message(m.seq, m.subject, m.data, m.headers) async for m in iterate_stream(w.nc)][-7:]
    async with w.db.engine.connect() as conn:
        before_rows = (await conn.execute(select(ledger).order_by(ledger.c.stream_seq))).all()
        before_head = await load_head(conn)
    async with w.db.engine.begin() as conn:
        await LedgerProjection(w.signer, every=50).apply(conn, again)
    async with w.db.engine.connect() as conn:
        assert (await conn.execute(select(ledger).order_by(ledger.c.stream_seq))).all() == before_rows
        assert await load_head(conn) == before_head
