"""The working-day calendar: which days are 工作日, and deadline arithmetic in working days.

Precedence per year: admin holiday file > chinese-calendar > weekend rule. A year with neither an
admin file nor chinese-calendar data is classified by the weekend rule alone; every result computed
over such a day carries a :class:`CalendarWarning`, and the year is logged once at WARNING on
``liandong.calendar``. Nothing here reads the clock; only :meth:`WorkCalendar.load` touches files.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from pathlib import Path

from shared.calendar.holiday_file import load_holiday_dir
from shared.calendar.model import UNKNOWN_YEAR_CODE, AdminYear, CalendarWarning, DayInfo, WorkdaysResult
from shared.calendar.sources import (
    CHINESE_CALENDAR_YEARS,
    YearTable,
    admin_table,
    chinese_calendar_table,
    weekend_rule_table,
)

logger = logging.getLogger("liandong.calendar")
_ONE_DAY = timedelta(days=1)


def _check_date(d: object) -> date:
    if isinstance(d, datetime) or not isinstance(d, date):
        raise TypeError(f"expected a datetime.date (a local calendar day), got {type(d).__name__}: {d!r}")
    return d


def _warnings(infos: Iterable[DayInfo]) -> tuple[CalendarWarning, ...]:
    years = sorted({i.day.year for i in infos if i.source == "weekend-rule"})
    return tuple(CalendarWarning.unknown_year(y) for y in years)


class WorkCalendar:
    """Immutable classification of days; per-year tables are built lazily and cached."""

    def __init__(self, admin_years: Mapping[int, AdminYear] | None = None) -> None:
        self._admin: dict[int, AdminYear] = dict(admin_years or {})
        for year, admin in self._admin.items():
            if admin.year != year:
                raise ValueError(f"admin year {admin.year} ({admin.origin}) registered under key {year}")
        self._tables: dict[int, YearTable] = {}
        self._lock = threading.Lock()

    @classmethod
    def load(cls, holiday_dir: Path | None = None) -> WorkCalendar:
        """Read every ``*.yaml`` in ``holiday_dir`` (if given and it exists); bad files raise
        :class:`HolidayFileError` naming the file and the problem."""
        if holiday_dir is None or not holiday_dir.exists():
            if holiday_dir is not None:
                logger.info("calendar_holiday_dir_missing path=%s", holiday_dir)
            return cls()
        return cls(load_holiday_dir(holiday_dir))

    @classmethod
    def from_admin_years(cls, years: Mapping[int, AdminYear]) -> WorkCalendar:
        return cls(years)

    def known_years(self) -> frozenset[int]:
        """Years with admin or chinese-calendar data (everything else falls back to the weekend rule)."""
        return frozenset(self._admin) | CHINESE_CALENDAR_YEARS

    def _table(self, year: int) -> YearTable:
        table = self._tables.get(year)
        if table is not None:
            return table
        with self._lock:
            table = self._tables.get(year)
            if table is None:
                if year in self._admin:
                    table = admin_table(self._admin[year])
                elif year in CHINESE_CALENDAR_YEARS:
                    table = chinese_calendar_table(year)
                else:
                    table = weekend_rule_table(year)
                    w = CalendarWarning.unknown_year(year)
                    logger.warning(
                        "%s year=%d fallback=weekend-rule: %s",
                        UNKNOWN_YEAR_CODE,
                        year,
                        w.message,
                        extra={"event": UNKNOWN_YEAR_CODE, "year": year},
                    )
                self._tables[year] = table
        return table

    def day(self, d: date) -> DayInfo:
        d = _check_date(d)
        return self._table(d.year)[d.toordinal() - date(d.year, 1, 1).toordinal()]

    def is_workday(self, d: date) -> bool:
        return self.day(d).is_workday

    def first_workday_on_or_after(self, d: date) -> WorkdaysResult:
        info = self.day(d)
        seen = [info]
        while not info.is_workday:
            info = self.day(info.day + _ONE_DAY)
            seen.append(info)
        return WorkdaysResult(info.day, _warnings(seen))

    def next_workday(self, d: date) -> WorkdaysResult:
        """First working day strictly after ``d``."""
        return self.first_workday_on_or_after(_check_date(d) + _ONE_DAY)

    def previous_workday(self, d: date) -> WorkdaysResult:
        """Last working day strictly before ``d``."""
        info = self.day(_check_date(d) - _ONE_DAY)
        seen = [info]
        while not info.is_workday:
            info = self.day(info.day - _ONE_DAY)
            seen.append(info)
        return WorkdaysResult(info.day, _warnings(seen))

    def add_workdays(self, start: date, n: int) -> WorkdaysResult:
        """The ``n``-th working day strictly after ``start`` (``start`` itself never counts).

        A case accepted on day A with N promised working days is due ``add_workdays(A, N)``.
        ``n == 0`` gives the first working day on or after ``start``.
        """
        start = _check_date(start)
        if isinstance(n, bool) or not isinstance(n, int):
            raise TypeError(f"n must be an int, got {n!r}")
        if n < 0:
            raise ValueError(f"n must be >= 0, got {n}")
        if n == 0:
            return self.first_workday_on_or_after(start)
        seen: list[DayInfo] = []
        d, remaining = start, n
        while remaining:
            d += _ONE_DAY
            info = self.day(d)
            seen.append(info)
            if info.is_workday:
                remaining -= 1
        return WorkdaysResult(d, _warnings(seen))

    def count_workdays(self, start: date, end: date) -> WorkdaysResult:
        """Number of working days d with ``start < d <= end`` (0 if ``end <= start``)."""
        start, end = _check_date(start), _check_date(end)
        seen = [self.day(start + timedelta(days=i)) for i in range(1, (end - start).days + 1)]
        return WorkdaysResult(sum(1 for i in seen if i.is_workday), _warnings(seen))
