"""Audit HTTP routes: read-only views of the ledger for supervision and auditors."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy import select

from services.audit.checkpoints import latest_checkpoint
from services.audit.proof import ProofUnavailable, build_proof
from services.audit.tables import ledger
from shared.bootstrap import Kernel
from shared.case.describe import describe, label, material_names_of
from shared.events import Actor
from shared.web.actors import current_actor
from shared.web.errors import ApiError

router = APIRouter(prefix="/api/audit")
public = APIRouter(prefix="/api/audit")
READERS = frozenset({"supervision", "auditor", "admin"})


async def auditor(actor: Annotated[Actor, Depends(current_actor)]) -> Actor:
    if actor.role not in READERS:
        raise ApiError(
            403,
            "auditors_only",
            "仅督查科和审计人员可查看审计台账",
            "audit views are for supervision and auditors",
        )
    return actor


def kernel(request: Request) -> Kernel:
    return request.app.state.kernel


KernelDep = Annotated[Kernel, Depends(kernel)]
AuditorDep = Annotated[Actor, Depends(auditor)]


def _row(k: Kernel, r: Any, names: dict[str, str] | None = None) -> dict[str, Any]:
    payload = json.loads(r.body)["payload"]
    name = lambda n: k.org.get(n).name if n in k.org else n  # noqa: E731
    return {
        "stream_seq": r.stream_seq,
        "event_id": r.event_id,
        "case_id": r.case_id,
        "seq": r.seq,
        "type": r.type,
        "label": label(r.type),
        "description": describe(r.type, payload, name, names),
        "at": r.at,
        "operator_id": r.operator_id,
        "node_id": r.node_id,
        "hash": r.hash,
        "chain_ok": r.chain_ok,
        "problem": r.problem,
    }


@router.get("/cases/{case_id}", tags=["audit"])
async def case_ledger(case_id: str, k: KernelDep, _: AuditorDep) -> list[dict[str, Any]]:
    async with k.db.engine.connect() as conn:
        rows = (
            await conn.execute(
                select(ledger).where(ledger.c.case_id == case_id).order_by(ledger.c.stream_seq)
            )
        ).all()
    if not rows:
        raise ApiError(
            404, "case_not_found", "审计台账中没有该办件", f"no ledger entries for case {case_id}", "case_id"
        )
    names = material_names_of(
        (r.type, json.loads(r.body)["payload"]) for r in rows if r.type == "CaseSubmitted"
    )
    return [_row(k, r, names) for r in rows]


@router.get("/findings", tags=["audit"])
async def findings(k: KernelDep, _: AuditorDep, limit: int = 100) -> list[dict[str, Any]]:
    stmt = (
        select(ledger)
        .where(ledger.c.chain_ok.is_(False))
        .order_by(ledger.c.stream_seq)
        .limit(min(limit, 1000))
    )
    async with k.db.engine.connect() as conn:
        return [_row(k, r) for r in (await conn.execute(stmt)).all()]


@public.get("/pubkey", tags=["audit"])
async def pubkey(request: Request) -> dict[str, str]:
    """The Ed25519 public key that signs ledger checkpoints (PEM): published, no login needed."""
    signer = request.app.state.signer
    return {"key_id": signer.key_id, "algorithm": "Ed25519", "public_key": signer.public_pem()}


@public.get("/checkpoints/latest", tags=["audit"])
async def latest(k: KernelDep) -> dict[str, Any]:
    async with k.db.engine.connect() as conn:
        cp = await latest_checkpoint(conn)
    if cp is None:
        raise ApiError(404, "no_checkpoint", "审计台账尚无签名检查点", "no signed checkpoint yet")
    return cp.model_dump(mode="json")


@router.get("/cases/{case_id}/proof", tags=["audit"])
async def case_proof(case_id: str, request: Request, k: KernelDep, _: AuditorDep) -> dict[str, Any]:
    try:
        return await build_proof(k.db.engine, case_id, request.app.state.signer.public_pem())
    except ProofUnavailable as exc:
        raise ApiError(404, "proof_unavailable", "无法为该办件出具包含证明", str(exc), "case_id") from None
