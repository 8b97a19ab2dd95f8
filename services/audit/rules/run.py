"""Running the active rules over cases' histories."""

from __future__ import annotations

from collections.abc import Iterable

from services.audit.rules.base import RULES, CaseHistory, RuleContext, RuleFinding
from shared.eventstore import StoredEvent


def check_history(h: CaseHistory, ctx: RuleContext, only: frozenset[str] = frozenset()) -> list[RuleFinding]:
    out: list[RuleFinding] = []
    for r in RULES:
        if r.active and (not only or r.name in only):
            out.extend(r.check(h, ctx))
    return out


def check_events(
    events: Iterable[StoredEvent], ctx: RuleContext, only: frozenset[str] = frozenset()
) -> list[RuleFinding]:
    """Events in stream order (good ones only), grouped by case, every active rule applied."""
    cases: dict[str, CaseHistory] = {}
    for ev in events:
        cid = ev.envelope.case_id
        cases.setdefault(cid, CaseHistory(cid)).add(ev)
    out: list[RuleFinding] = []
    for h in cases.values():
        out.extend(check_history(h, ctx, only))
    out.sort(key=lambda f: (f.stream_seqs[0] if f.stream_seqs else 0, f.rule))
    return out
