"""Day classification from chinese-calendar for real 2025 / 2026 schedules (国务院办公厅通知).

Expected dates are hard-coded from the official schedules, not read back from the package:
2025 (国办发明电〔2024〕12号) and 2026 (国办发明电〔2025〕7号).
"""

from datetime import date, timedelta

import chinese_calendar
import pytest

from shared.calendar import CHINESE_CALENDAR_YEARS, DayInfo, WorkCalendar

CAL = WorkCalendar()


def _span(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


HOLIDAY_BLOCKS = [
    # 2025
    (date(2025, 1, 28), date(2025, 2, 4), "春节"),
    (date(2025, 5, 1), date(2025, 5, 5), "劳动节"),
    (date(2025, 10, 1), date(2025, 10, 5), "国庆节"),
    (date(2025, 10, 7), date(2025, 10, 8), "国庆节"),
    # 2026
    (date(2026, 1, 1), date(2026, 1, 3), "元旦"),
    (date(2026, 2, 15), date(2026, 2, 23), "春节"),
    (date(2026, 9, 25), date(2026, 9, 27), "中秋"),
    (date(2026, 10, 1), date(2026, 10, 7), "国庆节"),
]

ADJUSTED_WORKDAYS = [
    (date(2025, 1, 26), "春节调休"),  # Sunday
    (date(2025, 2, 8), "春节调休"),  # Saturday
    (date(2025, 4, 27), "劳动节调休"),  # Sunday
    (date(2025, 9, 28), "国庆节调休"),  # Sunday
    (date(2025, 10, 11), "国庆节调休"),  # Saturday
    (date(2026, 1, 4), "元旦调休"),  # Sunday
    (date(2026, 2, 14), "春节调休"),  # Saturday
    (date(2026, 2, 28), "春节调休"),  # Saturday
    (date(2026, 5, 9), "劳动节调休"),  # Saturday
    (date(2026, 9, 20), "国庆节调休"),  # Sunday
    (date(2026, 10, 10), "国庆节调休"),  # Saturday
]


@pytest.mark.parametrize(("first", "last", "name"), HOLIDAY_BLOCKS)
def test_given_official_holiday_block_when_classified_then_every_day_is_off_and_named(
    first: date, last: date, name: str
) -> None:
    for d in _span(first, last):
        assert CAL.day(d) == DayInfo(d, False, "chinese-calendar", name)
        assert not CAL.is_workday(d)


@pytest.mark.parametrize(("d", "name"), ADJUSTED_WORKDAYS)
def test_given_adjusted_weekend_workday_when_classified_then_it_is_a_workday(d: date, name: str) -> None:
    assert d.weekday() >= 5
    assert CAL.day(d) == DayInfo(d, True, "chinese-calendar", name)


def test_given_mid_autumn_inside_2025_national_day_block_then_named_mid_autumn() -> None:
    # chinese-calendar labels 2025-10-06 (中秋) separately inside the National Day block.
    assert CAL.day(date(2025, 10, 6)) == DayInfo(date(2025, 10, 6), False, "chinese-calendar", "中秋")


def test_given_ordinary_days_then_weekend_rule_applies_with_no_name() -> None:
    assert CAL.day(date(2025, 3, 3)) == DayInfo(date(2025, 3, 3), True, "chinese-calendar", None)
    assert CAL.day(date(2025, 3, 8)) == DayInfo(date(2025, 3, 8), False, "chinese-calendar", None)
    # A weekday right after a block is back to work.
    assert CAL.is_workday(date(2025, 2, 5))
    assert CAL.is_workday(date(2026, 2, 24))


def test_known_years_are_chinese_calendar_range_without_admin_files() -> None:
    assert CAL.known_years() == frozenset(range(2004, 2027))
    assert frozenset(range(2004, 2027)) == CHINESE_CALENDAR_YEARS


@pytest.mark.parametrize("year", [2004, 2015, 2020, 2024, 2025, 2026])
def test_every_day_agrees_with_chinese_calendar_is_workday(year: int) -> None:
    for d in _span(date(year, 1, 1), date(year, 12, 31)):
        assert CAL.is_workday(d) == chinese_calendar.is_workday(d), d
        off, _ = chinese_calendar.get_holiday_detail(d)
        assert CAL.day(d).is_workday is not off, d


def test_datetime_is_rejected_rather_than_silently_truncated() -> None:
    from datetime import datetime

    with pytest.raises(TypeError):
        CAL.day(datetime(2025, 1, 28, 23, 30))
