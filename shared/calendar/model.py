"""Value types of the working-day calendar: pure data, no behaviour beyond invariants."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import Literal

DaySource = Literal["admin", "chinese-calendar", "weekend-rule"]

UNKNOWN_YEAR_CODE = "calendar_year_unknown"


class HolidayFileError(ValueError):
    """An admin holiday file is unreadable or invalid. ``str()`` names the file and the problem."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


@dataclass(frozen=True)
class CalendarWarning:
    """A result was computed over days of a year the calendar has no holiday data for."""

    year: int
    code: str
    message: str
    message_zh: str

    @classmethod
    def unknown_year(cls, year: int) -> CalendarWarning:
        return cls(
            year=year,
            code=UNKNOWN_YEAR_CODE,
            message=(
                f"no holiday data for {year}: weekends only; "
                "load the State Council schedule into the holiday directory"
            ),
            message_zh=f"{year}年节假日安排未导入，按周末规则计算，请管理员导入国务院节假日安排",
        )


@dataclass(frozen=True)
class DayInfo:
    """How one calendar day is classified, and by which source."""

    day: date
    is_workday: bool
    source: DaySource
    name: str | None


@dataclass(frozen=True)
class WorkdaysResult:
    """A computed date (``add_workdays`` & co.) or count (``count_workdays``) plus its warnings.

    ``warnings`` holds one entry per distinct year without holiday data whose days were consulted,
    sorted by year; it is empty when every consulted day was known.
    """

    value: date | int
    warnings: tuple[CalendarWarning, ...] = ()

    @property
    def date_value(self) -> date:
        if not isinstance(self.value, date):
            raise TypeError(f"result holds a count ({self.value!r}), not a date")
        return self.value

    @property
    def int_value(self) -> int:
        if isinstance(self.value, date):
            raise TypeError(f"result holds a date ({self.value!r}), not a count")
        return self.value


@dataclass(frozen=True)
class AdminYear:
    """One year's schedule as published by the State Council and entered by an admin.

    ``holidays`` are days off (weekend days inside a holiday block included); ``workdays`` are the
    adjusted working days (调休上班), which always fall on a Saturday or Sunday. Every other day of
    the year follows the weekend rule. Build it with :func:`shared.calendar.parse_admin_year` to
    get file-level validation messages; the invariants here are a last line of defence.
    """

    year: int
    holidays: Mapping[date, str] = field(default_factory=dict, hash=False)
    workdays: Mapping[date, str] = field(default_factory=dict, hash=False)
    source: str | None = None
    origin: str = "<memory>"

    def __post_init__(self) -> None:
        object.__setattr__(self, "holidays", MappingProxyType(dict(self.holidays)))
        object.__setattr__(self, "workdays", MappingProxyType(dict(self.workdays)))
        for d in (*self.holidays, *self.workdays):
            if d.year != self.year:
                raise ValueError(f"{self.origin}: {d.isoformat()} is not in year {self.year}")
        both = sorted(set(self.holidays) & set(self.workdays))
        if both:
            raise ValueError(f"{self.origin}: {both[0].isoformat()} is both a holiday and a workday")
        for d in self.workdays:
            if d.weekday() < 5:
                raise ValueError(f"{self.origin}: adjusted workday {d.isoformat()} is not a weekend")
