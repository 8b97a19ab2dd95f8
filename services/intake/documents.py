"""Documents use cases: read the case's events from the stream, keep only those that continue
its hash chain, and hand them to the pure renderer in ``shared/documents``."""

from __future__ import annotations

import logging

from shared.bootstrap import Kernel
from shared.case import CaseState
from shared.case.chain import ChainBreak, apply_stored
from shared.documents import DocumentNotFound, DocumentRef, Recorded, Reference
from shared.documents import list_documents as _list
from shared.documents import render_document as _render
from shared.events import GENESIS_HASH, Actor
from shared.eventstore import DecodeError, decode_message
from shared.service_layer.case_repository import subject_for
from shared.web.access import require_read
from shared.web.errors import ApiError

log = logging.getLogger("liandong.intake.documents")


def _not_found(case_id: str) -> ApiError:
    return ApiError(404, "case_not_found", "办件不存在", f"case {case_id} does not exist", "case_id")


async def case_history(k: Kernel, case_id: str) -> tuple[CaseState, list[Recorded]]:
    """Every event of the case that verifies and continues its chain, with its place in the case."""
    try:
        subject = subject_for(case_id)
    except ValueError:
        raise _not_found(case_id) from None
    state: CaseState | None = None
    last, out = GENESIS_HASH, []
    for raw in await k.store.read_raw(subject):
        try:
            stored = decode_message(raw.seq, raw.subject, raw.data, raw.headers)
            folded = apply_stored(state, last, stored.envelope, stored.domain())
        except (DecodeError, ChainBreak) as exc:
            log.error(
                "document skips an event that breaks the case", extra={"seq": raw.seq, "reason": str(exc)}
            )
            continue
        state, last = folded.state, folded.last_hash
        out.append(Recorded(stored.envelope.seq, stored.domain()))
    if state is None:
        raise _not_found(case_id)
    return state, out


def reference(k: Kernel, state: CaseState) -> Reference:
    code = state.item.code
    return Reference(org=k.org, item=k.catalog.get(code) if code in k.catalog else None)


async def list_documents(k: Kernel, actor: Actor, case_id: str) -> list[DocumentRef]:
    state, events = await case_history(k, case_id)
    require_read(actor, state)
    return _list(events, reference(k, state))


async def render(k: Kernel, actor: Actor, case_id: str, kind: str, seq: int | None) -> str:
    state, events = await case_history(k, case_id)
    require_read(actor, state)
    try:
        return _render(events, kind, reference(k, state), seq)
    except DocumentNotFound as exc:
        raise ApiError(404, exc.code, exc.message, exc.message_en, "kind") from None
