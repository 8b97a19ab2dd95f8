"""Deadline arithmetic over real 2025 / 2026 holiday blocks (expected dates counted by hand)."""

from datetime import date

import pytest

from shared.calendar import WorkCalendar, WorkdaysResult

CAL = WorkCalendar()


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        # 2025 春节: off 01-28..02-04, work Sun 01-26 and Sat 02-08.
        # 01-26 Sun (1), 01-27 (2), 02-05 (3), 02-06 (4), 02-07 (5), 02-08 Sat (6), 02-10 (7)
        (date(2025, 1, 24), 1, date(2025, 1, 26)),
        (date(2025, 1, 24), 2, date(2025, 1, 27)),
        (date(2025, 1, 24), 3, date(2025, 2, 5)),
        (date(2025, 1, 24), 5, date(2025, 2, 7)),
        (date(2025, 1, 24), 6, date(2025, 2, 8)),
        (date(2025, 1, 24), 7, date(2025, 2, 10)),
        # accepted on a holiday: clock starts the next working day
        (date(2025, 1, 29), 1, date(2025, 2, 5)),
        # 2025 国庆: off 10-01..10-08, work Sun 09-28 and Sat 10-11.
        # 09-28 Sun (1), 09-29 (2), 09-30 (3), 10-09 (4), 10-10 (5), 10-11 Sat (6), 10-13 (7)
        (date(2025, 9, 26), 3, date(2025, 9, 30)),
        (date(2025, 9, 26), 4, date(2025, 10, 9)),
        (date(2025, 9, 26), 6, date(2025, 10, 11)),
        (date(2025, 9, 26), 7, date(2025, 10, 13)),
        # 2026 元旦: off 01-01..01-03, work Sun 01-04.
        (date(2025, 12, 31), 1, date(2026, 1, 4)),
        # 2026 春节: off 02-15..02-23, work Sat 02-14 and Sat 02-28.
        # 02-13 (1), 02-14 Sat (2), 02-24 (3), 02-25 (4), 02-26 (5)
        (date(2026, 2, 12), 2, date(2026, 2, 14)),
        (date(2026, 2, 12), 3, date(2026, 2, 24)),
        (date(2026, 2, 12), 5, date(2026, 2, 26)),
        # 2026 中秋 + 国庆: off 09-25..09-27 and 10-01..10-07, work Sun 09-20 and Sat 10-10.
        # 09-20 Sun (1), 09-21..24 (2..5), 09-28 (6), 09-29 (7), 09-30 (8), 10-08 (9), 10-09 (10),
        # 10-10 Sat (11), 10-12 (12)
        (date(2026, 9, 18), 1, date(2026, 9, 20)),
        (date(2026, 9, 18), 5, date(2026, 9, 24)),
        (date(2026, 9, 18), 6, date(2026, 9, 28)),
        (date(2026, 9, 18), 9, date(2026, 10, 8)),
        (date(2026, 9, 18), 11, date(2026, 10, 10)),
        (date(2026, 9, 18), 12, date(2026, 10, 12)),
    ],
)
def test_add_workdays_across_holiday_blocks(start: date, n: int, expected: date) -> None:
    assert CAL.add_workdays(start, n) == WorkdaysResult(expected, ())


def test_add_zero_workdays_is_first_workday_on_or_after() -> None:
    assert CAL.add_workdays(date(2025, 1, 27), 0).value == date(2025, 1, 27)
    assert CAL.add_workdays(date(2025, 1, 28), 0).value == date(2025, 2, 5)
    assert CAL.add_workdays(date(2025, 1, 25), 0).value == date(2025, 1, 26)


def test_negative_n_is_rejected() -> None:
    with pytest.raises(ValueError, match="n must be >= 0"):
        CAL.add_workdays(date(2025, 1, 24), -1)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2025, 1, 24), date(2025, 2, 8), 6),
        (date(2025, 1, 27), date(2025, 2, 4), 0),  # whole 春节 block
        (date(2025, 9, 30), date(2025, 10, 12), 3),  # 10-09, 10-10, 10-11 Sat
        (date(2026, 2, 13), date(2026, 2, 28), 6),  # 02-14, 02-24..27, 02-28
        # 2025: 261 weekdays - 18 weekday holidays + 5 调休 weekend days = 248
        (date(2025, 1, 1), date(2025, 12, 31), 248),
        # 2026: 261 weekdays - 19 weekday holidays + 6 调休 weekend days = 248
        (date(2025, 12, 31), date(2026, 12, 31), 248),
        (date(2025, 2, 8), date(2025, 2, 8), 0),
        (date(2025, 2, 10), date(2025, 2, 8), 0),  # end before start
    ],
)
def test_count_workdays_counts_start_exclusive_end_inclusive(start: date, end: date, expected: int) -> None:
    assert CAL.count_workdays(start, end) == WorkdaysResult(expected, ())


def test_next_and_previous_workday_skip_holiday_blocks() -> None:
    assert CAL.next_workday(date(2025, 1, 27)).value == date(2025, 2, 5)
    assert CAL.next_workday(date(2025, 1, 25)).value == date(2025, 1, 26)  # 调休 Sunday
    assert CAL.next_workday(date(2025, 9, 30)).value == date(2025, 10, 9)
    assert CAL.next_workday(date(2026, 2, 13)).value == date(2026, 2, 14)  # 调休 Saturday
    assert CAL.previous_workday(date(2025, 2, 5)).value == date(2025, 1, 27)
    assert CAL.previous_workday(date(2025, 1, 27)).value == date(2025, 1, 26)
    assert CAL.previous_workday(date(2026, 1, 5)).value == date(2026, 1, 4)
    assert CAL.previous_workday(date(2026, 1, 4)).value == date(2025, 12, 31)
    assert CAL.first_workday_on_or_after(date(2026, 10, 1)).value == date(2026, 10, 8)
    assert CAL.first_workday_on_or_after(date(2026, 10, 10)).value == date(2026, 10, 10)


def test_result_accessors() -> None:
    assert CAL.add_workdays(date(2025, 1, 24), 5).date_value == date(2025, 2, 7)
    assert CAL.count_workdays(date(2025, 1, 24), date(2025, 2, 8)).int_value == 6
    with pytest.raises(TypeError):
        _ = CAL.count_workdays(date(2025, 1, 24), date(2025, 2, 8)).date_value
