"""Who may act, and in what order: holder, acceptance, delivery, fees, documents."""

from __future__ import annotations

from collections.abc import Iterator

from services.audit.rules.base import CaseHistory, RuleContext, RuleFinding, finding, rule
from shared.case.guards import OPERATOR_ROLES

# events only the node holding the case may record (首问负责, one writer at a time)
HOLDER_ACTIONS = frozenset(
    {
        "OneTimeNoticeIssued",
        "CaseAccepted",
        "CaseRefused",
        "CaseClaimed",
        "CaseEscalated",
        "CaseReturned",
        "CaseTransferred",
        "CaseHandedOver",
        "CaseDecided",
        "ResultIssued",
        "ResultDelivered",
        "CaseClosed",
        "CaseSuspended",
        "CaseResumed",
        "ExtensionRequested",
        "FeeAssessed",
    }
)


@rule("handled_by_non_holder", "非持有节点办理", ["CaseRouted", "CaseDecided"])
def handled_by_non_holder(h: CaseHistory, ctx: RuleContext) -> Iterator[RuleFinding]:
    for s in h.steps:
        actor = s.event.envelope.actor
        if s.type not in HOLDER_ACTIONS or actor.role not in OPERATOR_ROLES or s.before is None:
            continue
        if s.before.holder != actor.node_id:
            held = s.before.holder or "无（流转中）"
            yield finding(
                "handled_by_non_holder",
                h,
                [s],
                f"{s.type} recorded by {actor.operator_id}@{actor.node_id}, but the case was held by {held}",
            )


@rule("decided_without_acceptance", "未受理即作出决定", ["CaseAccepted", "CaseDecided"])
def decided_without_acceptance(h: CaseHistory, ctx: RuleContext) -> Iterator[RuleFinding]:
    accepted = False
    for s in h.steps:
        accepted = accepted or s.type == "CaseAccepted"
        if s.type == "CaseDecided" and not accepted:
            yield finding(
                "decided_without_acceptance", h, [s], "a decision with no acceptance (受理) before it"
            )


@rule("closed_without_delivery", "未送达即办结", ["ResultDelivered", "CaseClosed"])
def closed_without_delivery(h: CaseHistory, ctx: RuleContext) -> Iterator[RuleFinding]:
    delivered = False
    for s in h.steps:
        delivered = delivered or s.type == "ResultDelivered"
        if s.type == "CaseClosed" and not delivered:
            yield finding(
                "closed_without_delivery", h, [s], "closed (办结) but the result was never delivered (送达)"
            )


@rule("result_before_fee_paid", "未缴费即出件", ["FeeAssessed", "FeePaid", "ResultIssued"])
def result_before_fee_paid(h: CaseHistory, ctx: RuleContext) -> Iterator[RuleFinding]:
    assessed = None
    paid = False
    for s in h.steps:
        if s.type == "FeeAssessed":
            assessed, paid = s, False
        elif s.type == "FeePaid":
            paid = True
        elif s.type == "ResultIssued" and assessed is not None and not paid:
            yield finding(
                "result_before_fee_paid",
                h,
                [assessed, s],
                "result issued (出件) before the assessed fee was paid",
            )


@rule("missing_document", "应有文书或材料缺失", ["CaseAccepted", "CaseRefused", "ResultIssued"])
def missing_document(h: CaseHistory, ctx: RuleContext) -> Iterator[RuleFinding]:
    for s in h.steps:
        before, payload = s.before, s.event.envelope.payload
        if before is None:
            continue
        if s.type == "CaseAccepted":
            gaps = [m for m in before.item.required if m not in before.provided]
            if gaps:
                yield finding(
                    "missing_document",
                    h,
                    [s],
                    f"accepted while required materials were missing: {', '.join(gaps)}",
                )
        elif s.type == "CaseRefused" and not (payload.get("reason") and payload.get("legal_basis")):
            yield finding(
                "missing_document", h, [s], "refusal notice (不予受理通知书) without reason and legal basis"
            )
        elif s.type == "ResultIssued":
            owed = [m for m in getattr(before, "tolerated_missing", ()) if m not in before.provided]
            if owed:
                yield finding(
                    "missing_document",
                    h,
                    [s],
                    f"result issued while tolerated-gap materials were owed: {', '.join(owed)}",
                )
