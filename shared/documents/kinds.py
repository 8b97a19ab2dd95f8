"""The documents a case can produce: which event issues each one, its title and its number's
character. One event issues at most one document; a kind may be issued more than once (every
notice, every suspension, every extension)."""

from __future__ import annotations

from dataclasses import dataclass

from shared.documents.history import Step


@dataclass(frozen=True)
class Kind:
    key: str  # the URL segment
    event_type: str
    abbreviation: str  # the 字 of the document number
    default_title: str

    def title(self, step: Step, steps: list[Step]) -> str:
        if self.key == "notice":
            first = next(s for s in steps if s.type == self.event_type)
            return "一次性告知书" if first.seq == step.seq else "补正告知书"
        if self.key == "decision":
            return "准予批准决定书" if step.after.outcome == "approved" else "不予批准决定书"
        return self.default_title


KINDS: dict[str, Kind] = {
    k.key: k
    for k in (
        Kind("receipt", "CaseAccepted", "受", "受理回执"),
        Kind("notice", "OneTimeNoticeIssued", "告", "一次性告知书"),
        Kind("refusal", "CaseRefused", "不受", "不予受理通知书"),
        Kind("suspension", "CaseSuspended", "特", "特别程序期限告知书"),
        Kind("extension", "ExtensionGranted", "延", "延长期限通知书"),
        Kind("decision", "CaseDecided", "决", "准予/不予批准决定书"),
        Kind("fee", "FeeAssessed", "缴", "缴费通知书"),
        Kind("delivery", "ResultDelivered", "送", "送达回执"),
    )
}
BY_EVENT: dict[str, Kind] = {k.event_type: k for k in KINDS.values()}
