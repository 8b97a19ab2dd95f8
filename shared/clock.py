"""Time helpers. Business dates are in China Standard Time; instants are stored in UTC.

Only the edges (HTTP handlers, timers) read the clock, through a ``Clock`` that tests replace.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Protocol
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Shanghai")


def local_date(at: datetime) -> date:
    return at.astimezone(LOCAL_TZ).date()


def local_midnight(day: date) -> datetime:
    """The instant a local calendar day begins, in UTC."""
    return datetime.combine(day, time(0), LOCAL_TZ).astimezone(UTC)


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A settable clock for tests and for replaying at a chosen instant."""

    def __init__(self, at: datetime) -> None:
        self._at = at

    def now(self) -> datetime:
        return self._at

    def set(self, at: datetime) -> None:
        self._at = at
