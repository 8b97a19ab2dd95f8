"""Intake use cases: thin functions between HTTP and the case core."""

from __future__ import annotations

import hashlib

from services.intake.case_numbers import next_case_number
from services.intake.channels import CHANNELS_BY_KIND
from services.intake.schemas import (
    NoticeRequest,
    RefuseRequest,
    SubmitRequest,
    SupplementRequest,
    WithdrawRequest,
)
from shared.bootstrap import Kernel
from shared.case import (
    AcceptCase,
    CaseState,
    Command,
    DomainError,
    IssueNotice,
    RefuseCase,
    SubmitCase,
    SupplementMaterials,
    WithdrawCase,
)
from shared.clock import local_date
from shared.events import Actor
from shared.ids import _ALPHABET, new_case_id
from shared.service_layer.terms import item_terms
from shared.web.access import require_act, require_read, require_role_may_act
from shared.web.errors import ApiError


def case_id_for(node_code: str, idempotency_key: str | None) -> str:
    """A new case id; with an idempotency key, the same id for every retry of one submission."""
    if not idempotency_key:
        return f"{node_code}-{new_case_id()}"
    digest = int.from_bytes(hashlib.sha256(f"{node_code}|{idempotency_key}".encode()).digest()[:17], "big")
    token = "".join(_ALPHABET[(digest >> (5 * i)) & 31] for i in range(26))
    return f"{node_code}-{token}"


async def submit(
    k: Kernel, actor: Actor, req: SubmitRequest, idempotency_key: str | None
) -> tuple[CaseState, bool]:
    require_role_may_act(actor, "submit")
    item = k.catalog.get(req.item_code)
    node = k.org.get(actor.node_id)
    allowed = CHANNELS_BY_KIND[node.kind]
    channel = req.channel or allowed[0]
    if channel not in allowed:
        raise ApiError(
            422,
            "channel_not_allowed",
            f"“{node.name}”不能登记“{channel}”渠道的办件",
            f"node {node.id} ({node.kind}) cannot record channel {channel}; allowed: {', '.join(allowed)}",
            "channel",
        )
    case_id = case_id_for(node.code, idempotency_key)
    now = k.clock.now()
    if idempotency_key:
        existing = (await k.repo.load(case_id)).state
        if existing is not None:
            return existing, False
    number = await next_case_number(
        k.db.engine, k.org.county.region_code or "000000", node.code, local_date(now)
    )
    cmd = SubmitCase(
        case_id=case_id,
        at=now,
        actor=actor,
        case_number=number,
        item=item_terms(item),
        applicant=req.applicant,
        channel=channel,
        provided=frozenset(req.materials),
        defective=dict(req.defective),
        auto_accept=req.accept,
        fast_track=req.fast_track,
        proxy=req.proxy,
    )
    try:
        result = await k.commands.execute(cmd, writer=node.code)
    except DomainError as exc:
        if exc.code == "case_exists" and idempotency_key:
            state = (await k.repo.load(case_id)).state
            assert state is not None
            return state, False
        raise
    assert result.state is not None
    return result.state, True


async def notice(k: Kernel, actor: Actor, case_id: str, req: NoticeRequest) -> CaseState:
    cmd = IssueNotice(
        case_id=case_id,
        at=k.clock.now(),
        actor=actor,
        missing=tuple(dict.fromkeys(req.missing)),
        defective=dict(req.defective),
    )
    return await _run(k, actor, cmd, "notice")


async def supplement(k: Kernel, actor: Actor, case_id: str, req: SupplementRequest) -> CaseState:
    cmd = SupplementMaterials(
        case_id=case_id, at=k.clock.now(), actor=actor, provided=frozenset(req.materials)
    )
    return await _run(k, actor, cmd, "supplement")


async def accept(k: Kernel, actor: Actor, case_id: str) -> CaseState:
    return await _run(k, actor, AcceptCase(case_id=case_id, at=k.clock.now(), actor=actor), "accept")


async def refuse(k: Kernel, actor: Actor, case_id: str, req: RefuseRequest) -> CaseState:
    cmd = RefuseCase(
        case_id=case_id, at=k.clock.now(), actor=actor, reason=req.reason, legal_basis=req.legal_basis
    )
    return await _run(k, actor, cmd, "refuse")


async def withdraw(k: Kernel, actor: Actor, case_id: str, req: WithdrawRequest) -> CaseState:
    cmd = WithdrawCase(case_id=case_id, at=k.clock.now(), actor=actor, reason=req.reason)
    return await _run(k, actor, cmd, "withdraw")


async def _run(k: Kernel, actor: Actor, cmd: Command, action: str) -> CaseState:
    require_act(actor, await get_case(k, cmd.case_id), action)
    result = await k.commands.execute(cmd, writer=k.org.get(actor.node_id).code)
    assert result.state is not None
    return result.state


async def get_case(k: Kernel, case_id: str) -> CaseState:
    try:
        state = (await k.repo.load(case_id)).state
    except ValueError:
        state = None
    if state is None:
        raise ApiError(404, "case_not_found", "办件不存在", f"case {case_id} does not exist", "case_id")
    return state


async def get_visible(k: Kernel, actor: Actor, case_id: str) -> CaseState:
    state = await get_case(k, case_id)
    require_read(actor, state)
    return state
