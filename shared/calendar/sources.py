"""Per-year day tables built from the three sources: admin file, chinese-calendar, weekend rule.

A table is a tuple of :class:`DayInfo` indexed by day of year (0 = 1 January), so a lookup is O(1)
once a year has been built. chinese-calendar's own ``is_workday`` re-scans its whole holiday dict
on every call to validate the year, so tables are built straight from its public ``holidays`` /
``workdays`` dicts instead (tests check the result against ``is_workday`` for every day).
"""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar
from chinese_calendar.constants import Holiday

from shared.calendar.model import AdminYear, DayInfo

YearTable = tuple[DayInfo, ...]

_CC_HOLIDAYS: dict[date, str] = dict(chinese_calendar.holidays)
_CC_WORKDAYS: dict[date, str] = dict(chinese_calendar.workdays)
# chinese-calendar supports exactly the years between its first and last holiday (inclusive).
_CC_FIRST = min(_CC_HOLIDAYS).year
_CC_LAST = max(_CC_HOLIDAYS).year
CHINESE_CALENDAR_YEARS: frozenset[int] = frozenset(range(_CC_FIRST, _CC_LAST + 1))

# chinese-calendar stores English names; its Holiday enum also carries the Chinese one.
_ZH_NAMES: dict[str, str] = {h.value: h.chinese for h in Holiday}
ADJUSTED_WORKDAY_SUFFIX = "调休"


def _days_of(year: int) -> list[date]:
    first = date(year, 1, 1)
    return [first + timedelta(days=i) for i in range((date(year + 1, 1, 1) - first).days)]


def _zh(english: str) -> str:
    return _ZH_NAMES.get(english, english)


def _is_weekday(d: date) -> bool:
    return d.weekday() < 5


def admin_table(admin: AdminYear) -> YearTable:
    infos = []
    for d in _days_of(admin.year):
        if d in admin.holidays:
            infos.append(DayInfo(d, False, "admin", admin.holidays[d]))
        elif d in admin.workdays:
            infos.append(DayInfo(d, True, "admin", admin.workdays[d]))
        else:
            infos.append(DayInfo(d, _is_weekday(d), "admin", None))
    return tuple(infos)


def chinese_calendar_table(year: int) -> YearTable:
    if year not in CHINESE_CALENDAR_YEARS:
        raise ValueError(f"chinese-calendar has no data for {year}")
    infos = []
    for d in _days_of(year):
        if d in _CC_WORKDAYS:  # same precedence as chinese_calendar.is_workday
            festival = _ZH_NAMES.get(_CC_WORKDAYS[d], _CC_WORKDAYS[d])
            infos.append(DayInfo(d, True, "chinese-calendar", festival + ADJUSTED_WORKDAY_SUFFIX))
        elif d in _CC_HOLIDAYS:
            infos.append(
                DayInfo(d, False, "chinese-calendar", _ZH_NAMES.get(_CC_HOLIDAYS[d], _CC_HOLIDAYS[d]))
            )
        else:
            infos.append(DayInfo(d, _is_weekday(d), "chinese-calendar", None))
    return tuple(infos)


def weekend_rule_table(year: int) -> YearTable:
    return tuple(DayInfo(d, _is_weekday(d), "weekend-rule", None) for d in _days_of(year))
