"""A node's worklist as the node service shows it (open cases the node holds), for any instant."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from shared.calendar import WorkCalendar
from shared.case import CaseState
from shared.case.describe import status_label


def workdays_left(calendar: WorkCalendar, deadline: date | None, today: date) -> int | None:
    if deadline is None:
        return None
    if deadline >= today:
        return calendar.count_workdays(today, deadline).int_value
    return -calendar.count_workdays(deadline, today).int_value


def worklist(
    states: Iterable[CaseState], node_id: str, today: date, calendar: WorkCalendar
) -> list[dict[str, Any]]:
    rows = [
        {
            "case_id": s.case_id,
            "case_number": s.case_number,
            "item_code": s.item.code,
            "item_name": s.item.name,
            "status": s.status.value,
            "status_label": status_label(s.status),
            "holder": s.holder,
            "owner": s.owner,
            "deadline": s.deadline.isoformat() if s.deadline else None,
            "workdays_left": workdays_left(calendar, s.deadline, today),
            "version": s.version,
        }
        for s in states
        if s.holder == node_id and s.is_open
    ]
    rows.sort(key=lambda v: (v["deadline"] is None, v["deadline"] or "9999", v["case_number"]))
    return rows


def case_view(s: CaseState) -> dict[str, Any]:
    return s.model_dump(mode="json", exclude={"handled_causes", "applicant"}) | {
        "status_label": status_label(s.status)
    }
