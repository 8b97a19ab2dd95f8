"""The decider kernel: ``decide(state, command, ctx) -> events`` and ``evolve(state, event) -> state``.

Each use-case module declares its commands and events and registers one decider per command
and one evolver per event with ``@decider`` / ``@evolver``; adding a command is adding one
module-level function, nothing here changes. The kernel stamps every event with the command's
``at`` and ``actor`` and bumps the state's version: no clock, no ids, no I/O.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar, TypeVar

from pydantic import BaseModel, ConfigDict, field_validator

from shared.calendar import WorkCalendar
from shared.case.errors import DomainError
from shared.case.state import CaseState
from shared.events import Actor, EventPayload


class Command(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    CREATES: ClassVar[bool] = False
    # False when every prefix of the command's events is itself a valid resting point (e.g. a
    # submission received, then accepted): the writer may then append them one by one instead of
    # as one atomic batch. True (the default) for decisions that must land whole or not at all.
    ATOMIC: ClassVar[bool] = True

    case_id: str
    at: datetime
    actor: Actor

    @field_validator("at")
    @classmethod
    def _aware(cls, v: datetime) -> datetime:
        if v.tzinfo is None:
            raise ValueError("at must carry a time zone")
        return v


@dataclass(frozen=True)
class DomainEvent:
    case_id: str
    payload: EventPayload
    at: datetime
    actor: Actor

    @property
    def type(self) -> str:
        return self.payload.TYPE


@dataclass(frozen=True)
class Context:
    """What a decision may consult besides state and command: pure data, loaded at start-up."""

    calendar: WorkCalendar = field(default_factory=WorkCalendar.load)


C = TypeVar("C", bound=Command)
E = TypeVar("E", bound=EventPayload)
Decider = Callable[[Any, Any, Context], list[EventPayload]]
Evolver = Callable[[Any, Any, DomainEvent], CaseState]

_DECIDERS: dict[type[Command], Decider] = {}
_EVOLVERS: dict[type[EventPayload], Evolver] = {}


def decider(cmd: type[C]) -> Callable[[Decider], Decider]:
    def wrap(fn: Decider) -> Decider:
        if cmd in _DECIDERS:
            raise ValueError(f"{cmd.__name__} already has a decider")
        _DECIDERS[cmd] = fn
        return fn

    return wrap


def evolver(evt: type[E]) -> Callable[[Evolver], Evolver]:
    def wrap(fn: Evolver) -> Evolver:
        if evt in _EVOLVERS:
            raise ValueError(f"{evt.__name__} already has an evolver")
        _EVOLVERS[evt] = fn
        return fn

    return wrap


def decide(state: CaseState | None, command: Command, ctx: Context) -> list[DomainEvent]:
    handler = _DECIDERS.get(type(command))
    if handler is None:
        raise TypeError(f"no decider for {type(command).__name__}")
    if state is None and not command.CREATES:
        raise DomainError(
            "case_not_found", "办件不存在", f"case {command.case_id} does not exist", kind="not_found"
        )
    if state is not None and command.CREATES:
        raise DomainError(
            "case_exists", "办件已存在", f"case {command.case_id} already exists", kind="conflict"
        )
    payloads = handler(state, command, ctx)
    return [DomainEvent(command.case_id, p, command.at, command.actor) for p in payloads]


def evolve(state: CaseState | None, event: DomainEvent) -> CaseState:
    handler = _EVOLVERS.get(type(event.payload))
    if handler is None:
        raise TypeError(f"no evolver for {event.type}")
    new = handler(state, event.payload, event)
    if new is state:  # an evolver that changed nothing still yields a new version
        new = new.model_copy()
    # The evolver's result is a fresh copy nobody else holds: stamp it in place rather than copy
    # it a second time (a frozen model's copy is a third of the cost of applying an event).
    object.__setattr__(new, "version", new.version + 1)
    object.__setattr__(new, "updated_at", event.at)
    return new


def fold(state: CaseState | None, events: Iterable[DomainEvent]) -> CaseState | None:
    for e in events:
        state = evolve(state, e)
    return state


def registered_commands() -> list[type[Command]]:
    return list(_DECIDERS)


def registered_events() -> list[type[EventPayload]]:
    return list(_EVOLVERS)
