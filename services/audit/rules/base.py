"""The rule-check framework: small rule functions over one case's replayed events.

A rule declares the event types it reads; it is active only when all of them are registered
event types, so a rule written for a type that does not exist yet simply does not run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from shared.calendar import WorkCalendar
from shared.case import CaseState, evolve
from shared.clock import local_date
from shared.events import REGISTRY
from shared.eventstore import StoredEvent


@dataclass(frozen=True)
class Step:
    """One event of a case, with the case as it stood just before it."""

    event: StoredEvent
    before: CaseState | None

    @property
    def type(self) -> str:
        return self.event.envelope.type

    @property
    def day(self) -> date:
        return local_date(self.event.envelope.at)

    @property
    def id(self) -> str:
        return self.event.envelope.event_id


@dataclass
class CaseHistory:
    case_id: str
    steps: list[Step] = field(default_factory=list)
    state: CaseState | None = None

    def add(self, ev: StoredEvent) -> None:
        self.steps.append(Step(ev, self.state))
        self.state = evolve(self.state, ev.domain())

    def of(self, *types: str) -> list[Step]:
        return [s for s in self.steps if s.type in types]


@dataclass(frozen=True)
class RuleContext:
    calendar: WorkCalendar
    now: datetime  # rules about things not done "in time" judge open items against this instant

    @property
    def today(self) -> date:
        return local_date(self.now)


@dataclass(frozen=True)
class RuleFinding:
    rule: str
    case_id: str
    case_number: str
    event_ids: tuple[str, ...]
    stream_seqs: tuple[int, ...]
    message: str

    def line(self) -> str:
        seqs = ", ".join(str(s) for s in self.stream_seqs)
        return f"{self.rule}: case {self.case_id} ({self.case_number}), events at stream seq {seqs}: {self.message}"


RuleFn = Callable[[CaseHistory, RuleContext], Iterable[RuleFinding]]


@dataclass(frozen=True)
class Rule:
    name: str
    title: str  # Chinese, for reports
    needs: frozenset[str]
    check: RuleFn

    @property
    def active(self) -> bool:
        return all(REGISTRY.known(t) for t in self.needs)


RULES: list[Rule] = []


def rule(name: str, title: str, needs: Iterable[str]) -> Callable[[RuleFn], RuleFn]:
    def wrap(fn: RuleFn) -> RuleFn:
        RULES.append(Rule(name, title, frozenset(needs), fn))
        return fn

    return wrap


def finding(rule_name: str, h: CaseHistory, steps: Iterable[Step], message: str) -> RuleFinding:
    chosen = list(steps)
    number = h.state.case_number if h.state else ""
    return RuleFinding(
        rule_name,
        h.case_id,
        number,
        tuple(s.id for s in chosen),
        tuple(s.event.stream_seq for s in chosen),
        message,
    )
