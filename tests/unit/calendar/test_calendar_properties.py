"""Property tests: add_workdays / count_workdays agree with each other and with a brute-force model."""

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from shared.calendar import WorkCalendar

CAL = WorkCalendar()  # no admin files: 2025-2026 from chinese-calendar, 2027+ by weekend rule
UNKNOWN = frozenset({2027, 2028, 2029})

starts = st.dates(min_value=date(2025, 1, 1), max_value=date(2028, 12, 31))
counts = st.integers(min_value=0, max_value=40)


@settings(max_examples=300, deadline=None)
@given(start=starts, n=counts)
def test_count_of_add_is_n_and_result_is_a_workday(start: date, n: int) -> None:
    result = CAL.add_workdays(start, n)
    due = result.date_value
    assert CAL.is_workday(due)
    assert due >= start
    if n > 0:
        assert due > start
        assert CAL.count_workdays(start, due).value == n
        # no working day is skipped: the day before `due` leaves exactly n - 1 working days
        assert CAL.count_workdays(start, due - timedelta(days=1)).value == n - 1
        # the days consulted are start < d <= due; one warning per unknown year among them
        consulted = range((start + timedelta(days=1)).year, due.year + 1)
        assert [w.year for w in result.warnings] == [y for y in consulted if y in UNKNOWN]
    else:
        assert CAL.count_workdays(start, due).value == (0 if due == start else 1)


@settings(max_examples=200, deadline=None)
@given(start=starts, n=st.integers(min_value=1, max_value=40))
def test_add_matches_brute_force_day_by_day(start: date, n: int) -> None:
    d, remaining = start, n
    while remaining:
        d += timedelta(days=1)
        if CAL.day(d).is_workday:
            remaining -= 1
    assert CAL.add_workdays(start, n).value == d


@settings(max_examples=200, deadline=None)
@given(a=starts, b=starts, c=starts)
def test_count_is_additive(a: date, b: date, c: date) -> None:
    a, b, c = sorted((a, b, c))
    total = CAL.count_workdays(a, c).int_value
    assert total == CAL.count_workdays(a, b).int_value + CAL.count_workdays(b, c).int_value


@settings(max_examples=200, deadline=None)
@given(d=starts)
def test_next_and_previous_workday_are_inverse_on_workdays(d: date) -> None:
    nxt = CAL.next_workday(d).date_value
    prev = CAL.previous_workday(d).date_value
    assert prev < d < nxt
    assert CAL.is_workday(nxt) and CAL.is_workday(prev)
    assert CAL.count_workdays(prev, nxt).value == (2 if CAL.is_workday(d) else 1)
    assert CAL.previous_workday(nxt).value == (d if CAL.is_workday(d) else prev)
