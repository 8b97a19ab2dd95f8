"""A case's history as the documents see it: every stored event with the state just before and
just after it, folded with the core's own ``evolve`` (no clock, no I/O)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from shared.case import CaseState, DomainEvent, evolve


@dataclass(frozen=True)
class Recorded:
    """One stored event of the case: its place in the case (``seq``, from 1) and the event."""

    seq: int
    event: DomainEvent


@dataclass(frozen=True)
class Step:
    seq: int
    event: DomainEvent
    before: CaseState | None
    after: CaseState

    @property
    def type(self) -> str:
        return self.event.type


def replay(recorded: Sequence[Recorded]) -> list[Step]:
    """Fold the events in order; a document issued at step N shows the case as it was then."""
    steps: list[Step] = []
    state: CaseState | None = None
    for r in sorted(recorded, key=lambda r: r.seq):
        after = evolve(state, r.event)
        steps.append(Step(r.seq, r.event, state, after))
        state = after
    return steps
