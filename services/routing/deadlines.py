"""When the clock owes a case a mark: pure rules over the case state and the working-day calendar.

- a promised case whose clock runs (accepted, not suspended, result not yet issued) is owed a
  warning (黄牌) from the start of the last working day before its deadline — one working day or
  less is left — and an overdue mark (红牌) from the start of the day after its deadline;
- an immediate case (即办件) is owed only the overdue mark: it is late once its working day is over;
- an open rectification (整改) and every unanswered supervision order (督办) are owed both marks
  against their own due dates, whatever the case's status;
- suspension stops the case's clock and resumption or an extension moves its deadline, so the
  marks owed follow the state; a mark already made (``state.marks``) is never owed again.

The instants agree with the core's ``MarkDeadline``, which judges by the local calendar day.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from shared.calendar import WorkCalendar
from shared.case import CaseState
from shared.case.state import mark_key
from shared.case.timeframes import MarkKind, Target
from shared.clock import local_midnight
from shared.ids import ms_of, ulid


@dataclass(frozen=True, order=True)
class Timer:
    fire_at: datetime
    kind: MarkKind
    target: Target
    ref: str
    due: date

    @property
    def key(self) -> str:
        return mark_key(self.kind, self.target, self.ref, self.due)


def warning_at(due: date, calendar: WorkCalendar) -> datetime:
    """The start of the last working day before ``due``: from then on, ≤1 working day is left."""
    return local_midnight(calendar.previous_workday(due).date_value)


def overdue_at(due: date) -> datetime:
    """The start of the day after ``due``: the deadline has passed."""
    return local_midnight(due + timedelta(days=1))


def _both(target: Target, ref: str, due: date, calendar: WorkCalendar) -> list[Timer]:
    return [
        Timer(warning_at(due, calendar), "warning", target, ref, due),
        Timer(overdue_at(due), "overdue", target, ref, due),
    ]


def owed_marks(state: CaseState, calendar: WorkCalendar) -> list[Timer]:
    """Every mark the case is still owed, due now or later, earliest first."""
    timers: list[Timer] = []
    if state.clock_running and state.deadline is not None:
        if state.item.kind == "promised":
            timers += _both("case", state.case_id, state.deadline, calendar)
        else:
            timers.append(Timer(overdue_at(state.deadline), "overdue", "case", state.case_id, state.deadline))
    r = state.rectification
    if r is not None and not r.completed:
        timers += _both("rectification", state.case_id, r.due, calendar)
    for order in state.orders:
        if not order.answered:
            timers += _both("supervision", order.order_id, order.due, calendar)
    return sorted(t for t in timers if t.key not in state.marks)


def due_marks(state: CaseState, calendar: WorkCalendar, now: datetime) -> list[Timer]:
    return [t for t in owed_marks(state, calendar) if t.fire_at <= now]


def mark_event_id(case_id: str, timer: Timer, node_code: str = "RT") -> str:
    """The same id for the same mark, whichever routing instance makes it and however often.

    Derived from (case, kind, target, ref, due); the time part is the instant the mark falls due,
    so mark ids sort with the case's other events.
    """
    digest = hashlib.sha256(f"{case_id}|{timer.key}".encode()).digest()
    return f"{ulid(ms_of(timer.fire_at), digest)}-{node_code}"
