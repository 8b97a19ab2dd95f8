"""What each document says, taken from the event that issued it and the case as it was then.

Every builder returns plain data for its template: names instead of codes, Chinese dates, the
issuing body. Later events never change an issued document, so a reprint is byte-identical.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from shared.case import (
    CaseAccepted,
    CaseDecided,
    CaseRefused,
    CaseSuspended,
    ExtensionGranted,
    FeeAssessed,
    OneTimeNoticeIssued,
    ResultDelivered,
)
from shared.case.describe import DELIVERY_ZH, PROCEDURE_ZH
from shared.documents.formatting import date_zh, document_number, rmb_upper, time_zh, yuan
from shared.documents.history import Step
from shared.documents.kinds import KINDS
from shared.documents.parties import Reference, case_view, in_catalog_order, names

Facts = dict[str, Any]
Builder = Callable[[Step, list[Step], Reference], tuple[str | None, Facts]]  # (issuing node, facts)
_BUILDERS: dict[str, Builder] = {}


def builds(kind: str) -> Callable[[Builder], Builder]:
    def wrap(fn: Builder) -> Builder:
        _BUILDERS[kind] = fn
        return fn

    return wrap


def number_of(kind: str, step: Step) -> str:
    return document_number(step.after.case_number, KINDS[kind].abbreviation, step.seq)


def facts_for(kind: str, step: Step, steps: list[Step], ref: Reference) -> Facts:
    issuer_node, body = _BUILDERS[kind](step, steps, ref)
    return {
        "kind": kind,
        "title": KINDS[kind].title(step, steps),
        "number": number_of(kind, step),
        "issuer": ref.issuer(issuer_node),
        "issued_on": date_zh(step.event.at),
        "operator": step.event.actor.operator_id,
        "case": case_view(step.after, ref),
        "review_body": ref.review_body,
        "supervision_office": ref.supervision_office,
        **body,
    }


def _first(steps: list[Step], event_type: str) -> Step | None:
    return next((s for s in steps if s.type == event_type), None)


def _last_before(steps: list[Step], event_type: str, seq: int) -> Step | None:
    return next((s for s in reversed(steps) if s.type == event_type and s.seq < seq), None)


@builds("receipt")
def _receipt(step: Step, steps: list[Step], ref: Reference) -> tuple[str | None, Facts]:
    s, e = step.after, step.event.payload
    assert isinstance(e, CaseAccepted)
    return step.event.actor.node_id, {
        "submitted_at": time_zh(s.submitted_at),
        "accepted_at": time_zh(step.event.at),
        "after_notice": _first(steps, "OneTimeNoticeIssued") is not None,
        "received": names(s, in_catalog_order(s, s.provided)),
        "tolerated": names(s, e.tolerated_missing),
        "tolerated_due": date_zh(e.tolerated_due),
        "immediate": s.item.kind == "immediate",
        "promised_days": s.item.promised_days,
        "deadline": date_zh(e.deadline),
        "internal_deadline": date_zh(e.internal_deadline),
    }


@builds("notice")
def _notice(step: Step, steps: list[Step], ref: Reference) -> tuple[str | None, Facts]:
    s, e = step.after, step.event.payload
    assert isinstance(e, OneTimeNoticeIssued)
    first = _first(steps, "OneTimeNoticeIssued")
    assert first is not None
    return step.event.actor.node_id, {
        "is_first": first.seq == step.seq,
        "first_number": number_of("notice", first),
        "first_on": date_zh(first.event.at),
        "submitted_on": date_zh(s.submitted_at),
        "received": names(s, in_catalog_order(s, s.provided)),
        "missing": names(s, e.missing),
        "defective": [{"name": s.item.material_name(c), "problem": why} for c, why in e.defective.items()],
        "tolerable": names(s, s.missing_tolerable),
    }


@builds("refusal")
def _refusal(step: Step, steps: list[Step], ref: Reference) -> tuple[str | None, Facts]:
    e = step.event.payload
    assert isinstance(e, CaseRefused)
    return step.event.actor.node_id, {
        "submitted_on": date_zh(step.after.submitted_at),
        "reason": e.reason,
        "refusal_basis": e.legal_basis,
    }


@builds("suspension")
def _suspension(step: Step, steps: list[Step], ref: Reference) -> tuple[str | None, Facts]:
    e = step.event.payload
    assert isinstance(e, CaseSuspended) and step.before is not None
    return step.event.actor.node_id, {
        "procedure": PROCEDURE_ZH.get(e.procedure, e.procedure),
        "reason": e.reason,
        "expected_days": e.expected_days,
        "since": date_zh(step.event.at),
        "accepted_on": date_zh(step.before.accepted_at),
        "deadline": date_zh(step.before.deadline),
    }


@builds("extension")
def _extension(step: Step, steps: list[Step], ref: Reference) -> tuple[str | None, Facts]:
    e, before = step.event.payload, step.before
    assert isinstance(e, ExtensionGranted) and before is not None
    request = before.extension_request
    approver = step.event.actor
    return before.holder or approver.node_id, {
        "days": e.days,
        "reason": request.reason if request else "",
        "note": e.note,
        "approved_by": ref.supervision_office
        if approver.role == "supervision"
        else ref.issuer(approver.node_id),
        "accepted_on": date_zh(before.accepted_at),
        "old_deadline": date_zh(before.deadline),
        "paused_days": before.paused_workdays,
        "deadline": date_zh(e.deadline),
    }


@builds("decision")
def _decision(step: Step, steps: list[Step], ref: Reference) -> tuple[str | None, Facts]:
    s, e = step.after, step.event.payload
    assert isinstance(e, CaseDecided)
    joint = None
    if s.joint is not None and s.joint.result is not None:
        joint = {
            "mode": "会签" if s.joint.mode == "all" else "或签",
            "departments": [ref.department(d) for d in s.joint.departments],
            "result": "通过" if s.joint.result == "approved" else "未通过",
        }
    return s.decided_by_node or step.event.actor.node_id, {
        "approved": e.outcome == "approved",
        "reason": e.reason,
        "accepted_on": date_zh(s.accepted_at),
        "joint": joint,
        "fee": (
            {"yuan": yuan(s.item.fee_fen), "upper": rmb_upper(s.item.fee_fen)}
            if e.outcome == "approved" and s.item.fee_fen > 0
            else None
        ),
    }


@builds("fee")
def _fee(step: Step, steps: list[Step], ref: Reference) -> tuple[str | None, Facts]:
    e = step.event.payload
    assert isinstance(e, FeeAssessed)
    decision = _last_before(steps, "CaseDecided", step.seq)
    standard = ref.fee_basis(step.after.item)
    return step.event.actor.node_id, {
        "yuan": yuan(e.amount_fen),
        "upper": rmb_upper(e.amount_fen),
        "basis": e.basis,
        "standard": standard if standard and standard != e.basis else "",
        "decision_number": number_of("decision", decision) if decision else "",
    }


@builds("delivery")
def _delivery(step: Step, steps: list[Step], ref: Reference) -> tuple[str | None, Facts]:
    s, e = step.after, step.event.payload
    assert isinstance(e, ResultDelivered)
    decision = _last_before(steps, "CaseDecided", step.seq)
    return step.event.actor.node_id, {
        "result": s.result,
        "approved": s.outcome == "approved",
        "decision_number": number_of("decision", decision) if decision else "",
        "decision_title": KINDS["decision"].title(decision, steps) if decision else "",
        "method": DELIVERY_ZH.get(e.method, e.method),
        "by_proxy": e.method == "proxy",
        "recipient": e.recipient,
        "delivered_at": time_zh(step.event.at),
        "decided_by": ref.issuer(s.decided_by_node),
    }
