"""The intake's view of a case: what a window operator needs after each step."""

from __future__ import annotations

from services.intake.schemas import CaseSummary, DefectRef, MaterialRef
from shared.case import CaseState, Status


def summary(state: CaseState) -> CaseSummary:
    def refs(codes: tuple[str, ...]) -> list[MaterialRef]:
        return [MaterialRef(code=c, name=state.item.material_name(c)) for c in codes]

    pending = state.status == Status.PENDING_SUPPLEMENT
    listed = set(state.notice_missing) if pending else set()
    item = state.item
    notice = tuple(m for m in (*item.required, *item.tolerable, *item.optional) if m in listed)
    return CaseSummary(
        case_id=state.case_id,
        case_number=state.case_number,
        status=state.status.value,
        version=state.version,
        holder=state.holder,
        item_code=state.item.code,
        item_name=state.item.name,
        channel=state.channel,
        deadline=state.deadline,
        notice_missing=refs(tuple(m for m in notice if m not in state.provided)),
        defective=[
            DefectRef(code=c, name=state.item.material_name(c), problem=why)
            for c, why in state.defective.items()
        ],
        tolerated_missing=refs(state.tolerated_missing),
        tolerated_outstanding=refs(state.outstanding_tolerated),
        tolerated_due=state.tolerated_due,
        fast_track=state.fast_track,
        internal_deadline=state.internal_deadline,
        proxy=state.proxy,
        calendar_warnings=list(state.calendar_warnings),
    )
