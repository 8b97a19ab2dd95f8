"""Applying a stored event to a case only if it continues the case's hash chain.

Used by every reader that folds events into state (the command repository and the case-state
projections), so an injected, reordered or forged event is refused the same way everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from shared.case.kernel import DomainEvent, evolve
from shared.case.state import CaseState
from shared.events import GENESIS_HASH, Envelope


class ChainBreak(ValueError):
    def __init__(self, reason: str, code: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.code = code


@dataclass(frozen=True)
class Folded:
    state: CaseState
    last_hash: str


def apply_stored(state: CaseState | None, last_hash: str, envelope: Envelope, event: DomainEvent) -> Folded:
    version = state.version if state else 0
    expected_prev = last_hash if state else GENESIS_HASH
    if envelope.seq != version + 1:
        raise ChainBreak(
            f"event {envelope.event_id} has seq {envelope.seq}, case {envelope.case_id} expects {version + 1}",
            "bad_seq",
        )
    if envelope.prev_hash != expected_prev:
        raise ChainBreak(
            f"event {envelope.event_id} prev_hash does not match the case's last hash", "bad_prev_hash"
        )
    try:
        new = evolve(state, event)
    except Exception as exc:  # an event no valid history could contain
        raise ChainBreak(
            f"event {envelope.event_id} cannot apply: {type(exc).__name__}: {exc}", "bad_transition"
        ) from None
    return Folded(new, envelope.hash)
