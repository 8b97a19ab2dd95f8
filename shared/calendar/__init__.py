"""Working-day calendar (工作日历): Chinese statutory holidays, 调休 days and deadline arithmetic.

See docs/calendar.md. Typical use::

    calendar = WorkCalendar.load(Path("/etc/liandong/holidays"))
    due = calendar.add_workdays(accepted_on, promised_days)
    due.value, due.warnings  # warnings is empty unless a year without holiday data was touched
"""

from shared.calendar.holiday_file import load_holiday_dir, load_holiday_file, parse_admin_year
from shared.calendar.model import (
    UNKNOWN_YEAR_CODE,
    AdminYear,
    CalendarWarning,
    DayInfo,
    DaySource,
    HolidayFileError,
    WorkdaysResult,
)
from shared.calendar.sources import CHINESE_CALENDAR_YEARS
from shared.calendar.work_calendar import WorkCalendar

__all__ = [
    "CHINESE_CALENDAR_YEARS",
    "UNKNOWN_YEAR_CODE",
    "AdminYear",
    "CalendarWarning",
    "DayInfo",
    "DaySource",
    "HolidayFileError",
    "WorkCalendar",
    "WorkdaysResult",
    "load_holiday_dir",
    "load_holiday_file",
    "parse_admin_year",
]
