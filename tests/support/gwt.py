"""Given / when / then for the case decider.

given(submitted, accepted).when(ClaimCase(...)).then(CaseClaimed(...))
given(...).when(cmd).then_refused("already_claimed")
given(...).when(cmd).then_nothing()          # e.g. a redelivered duplicate
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from shared.case import CaseState, DomainError
from shared.case.kernel import Command, DomainEvent, decide, fold
from shared.events import EventPayload
from tests.support.builders import CTX


@dataclass
class Scenario:
    history: list[DomainEvent | Command] = field(default_factory=list)
    command: Command | None = None

    def state(self) -> CaseState | None:
        state: CaseState | None = None
        for item in self.history:
            if isinstance(item, Command):
                state = fold(state, decide(state, item, CTX))
            else:
                state = fold(state, [item])
        return state

    def when(self, command: Command) -> Scenario:
        self.command = command
        return self

    def _decide(self) -> list[DomainEvent]:
        assert self.command is not None, "when(...) first"
        return decide(self.state(), self.command, CTX)

    def then(self, *expected: EventPayload) -> CaseState:
        events = self._decide()
        assert [e.payload for e in events] == list(expected)
        for e in events:
            assert e.at == self.command.at and e.actor == self.command.actor  # type: ignore[union-attr]
        state = fold(self.state(), events)
        assert state is not None
        return state

    def then_types(self, *types: str) -> CaseState:
        events = self._decide()
        assert [e.type for e in events] == list(types)
        state = fold(self.state(), events)
        assert state is not None
        return state

    def then_refused(self, code: str, kind: str | None = None) -> DomainError:
        with pytest.raises(DomainError) as info:
            self._decide()
        err = info.value
        assert err.code == code, f"expected {code}, got {err.code}: {err.message_en}"
        assert err.message and err.message_en
        if kind:
            assert err.kind == kind
        return err

    def then_nothing(self) -> None:
        assert self._decide() == []


def given(*history: DomainEvent | Command) -> Scenario:
    """History as commands (decided in order) or as ready-made domain events."""
    return Scenario(list(history))
