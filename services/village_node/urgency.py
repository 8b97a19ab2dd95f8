"""How urgent a case is on a worklist: red card (overdue), yellow card (warned), fast track, deadline.

Uses the clock marks the core records when the case has them (``overdue`` / ``warned`` flags or
``marks`` entries such as ``overdue:…``), and otherwise judges from the working days left:
a red card when the deadline has passed, a yellow card when at most one working day is left.
"""

from __future__ import annotations

from datetime import date
from typing import Any

WARN_WORKDAYS = 1


def _marked(state: Any, kind: str) -> bool:
    marks = getattr(state, "marks", None) or ()
    return any(str(m).startswith(f"{kind}:") or str(m) == kind for m in marks)


def flags(state: Any, workdays_left: int | None) -> dict[str, bool]:
    running = getattr(state, "suspension", None) is None and state.deadline is not None
    overdue = (
        bool(getattr(state, "overdue", False))
        or _marked(state, "overdue")
        or (running and workdays_left is not None and workdays_left < 0)
    )
    warned = not overdue and (
        bool(getattr(state, "warned", False))
        or _marked(state, "warning")
        or (running and workdays_left is not None and workdays_left <= WARN_WORKDAYS)
    )
    return {"overdue": overdue, "warned": warned, "fast_track": bool(getattr(state, "fast_track", False))}


def sort_key(view: dict[str, Any]) -> tuple[int, int, bool, date, str]:
    """Red first, then yellow, then fast-track, then the nearest deadline; no deadline last."""
    card = 0 if view.get("overdue") else 1 if view.get("warned") else 2
    deadline = view.get("deadline")
    return (
        card,
        0 if view.get("fast_track") else 1,
        deadline is None,
        deadline or date.max,
        str(view.get("case_number", "")),
    )
