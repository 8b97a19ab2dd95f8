"""Single fee point (一口收费): the catalog's fee is assessed once after approval, paid once with a
receipt number, and the result cannot be issued while it is unpaid."""

from __future__ import annotations

from pydantic import Field

from shared.case.errors import conflict
from shared.case.guards import require_holder, require_owner, require_status, require_text
from shared.case.kernel import Command, Context, DomainEvent, decider, evolver
from shared.case.state import CaseState, Fee, Status
from shared.events import EventPayload, event


class AssessFee(Command):
    basis: str = Field(default="", max_length=300)


class PayFee(Command):
    receipt_no: str = Field(max_length=60)


@event
class FeeAssessed(EventPayload):
    TYPE = "FeeAssessed"
    amount_fen: int
    basis: str


@event
class FeePaid(EventPayload):
    TYPE = "FeePaid"
    amount_fen: int
    receipt_no: str


@decider(AssessFee)
def assess(state: CaseState, cmd: AssessFee, ctx: Context) -> list[EventPayload]:
    require_owner(state, cmd.actor)
    require_status(state, Status.DECIDED, action="核定收费", action_en="assess the fee")
    if state.outcome != "approved":
        raise conflict("not_approved", "不予批准的办件不收费", "denied cases are not charged")
    if state.item.fee_fen <= 0:
        raise conflict("free_item", "该事项不收费", "this item is free of charge")
    if state.fee is not None:
        raise conflict("fee_assessed", "费用已核定（一口收费）", "the fee was already assessed")
    basis = cmd.basis.strip() or "服务事项目录收费标准"
    return [FeeAssessed(amount_fen=state.item.fee_fen, basis=basis)]


@decider(PayFee)
def pay(state: CaseState, cmd: PayFee, ctx: Context) -> list[EventPayload]:
    require_holder(state, cmd.actor)
    if state.fee is None:
        raise conflict("fee_not_assessed", "尚未核定收费", "no fee has been assessed")
    if state.fee.paid:
        raise conflict(
            "fee_paid",
            f"费用已缴纳（收据号{state.fee.receipt_no}），不能重复收费",
            "the fee was already paid",
        )
    receipt = require_text(cmd.receipt_no, "receipt_no", "收据号")
    return [FeePaid(amount_fen=state.fee.amount_fen, receipt_no=receipt)]


@evolver(FeeAssessed)
def assessed(s: CaseState, e: FeeAssessed, m: DomainEvent) -> CaseState:
    return s.model_copy(update={"fee": Fee(amount_fen=e.amount_fen, basis=e.basis)})


@evolver(FeePaid)
def paid(s: CaseState, e: FeePaid, m: DomainEvent) -> CaseState:
    assert s.fee is not None
    return s.model_copy(update={"fee": s.fee.model_copy(update={"paid": True, "receipt_no": e.receipt_no})})
