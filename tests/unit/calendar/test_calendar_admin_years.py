"""Admin holiday files take precedence; years without any data fall back to the weekend rule, loudly."""

import logging
import shutil
from datetime import date
from pathlib import Path

import pytest

from shared.calendar import (
    UNKNOWN_YEAR_CODE,
    AdminYear,
    CalendarWarning,
    DayInfo,
    WorkCalendar,
    WorkdaysResult,
    parse_admin_year,
)

EXAMPLE = Path(__file__).resolve().parents[3] / "shared" / "calendar" / "example-holidays-2027.yaml.example"

ADMIN_2026 = """\
year: 2026
source: "test schedule"
holidays:
  - {from: 2026-01-01, to: 2026-01-03, name: 元旦}
  - {date: 2026-03-02, name: 测试假日}
workdays:
  - {date: 2026-01-04, name: 元旦调休}
"""

ADMIN_2027 = """\
year: 2027
holidays:
  - {date: 2027-01-01, name: 元旦}
  - {from: 2027-02-06, to: 2027-02-13, name: 春节}
workdays:
  - {date: 2027-02-20, name: 春节调休}
"""


def _calendar(tmp_path: Path, **files: str) -> WorkCalendar:
    for stem, text in files.items():
        (tmp_path / f"{stem.lstrip('y')}.yaml").write_text(text, encoding="utf-8")
    return WorkCalendar.load(tmp_path)


def _unknown_year_records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [
        r for r in caplog.records if r.name == "liandong.calendar" and UNKNOWN_YEAR_CODE in r.getMessage()
    ]


def test_admin_file_overrides_chinese_calendar_for_its_whole_year(tmp_path: Path) -> None:
    cal = _calendar(tmp_path, y2026=ADMIN_2026)
    assert cal.day(date(2026, 3, 2)) == DayInfo(date(2026, 3, 2), False, "admin", "测试假日")
    assert cal.day(date(2026, 1, 4)) == DayInfo(date(2026, 1, 4), True, "admin", "元旦调休")
    # chinese-calendar's 2026 春节 block is NOT applied: the admin file replaces the whole year.
    assert cal.day(date(2026, 2, 16)) == DayInfo(date(2026, 2, 16), True, "admin", None)
    assert cal.day(date(2026, 2, 14)) == DayInfo(date(2026, 2, 14), False, "admin", None)
    # other years still come from chinese-calendar
    assert cal.day(date(2025, 1, 28)).source == "chinese-calendar"
    # 2026-02-27 Fri + 2: 03-02 is the admin holiday -> 03-03 (1), 03-04 (2)
    assert cal.add_workdays(date(2026, 2, 27), 2) == WorkdaysResult(date(2026, 3, 4), ())


def test_admin_file_for_2027_is_used_without_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="liandong.calendar")
    cal = _calendar(tmp_path, y2027=ADMIN_2027)
    assert 2027 in cal.known_years()
    assert cal.day(date(2027, 2, 8)) == DayInfo(date(2027, 2, 8), False, "admin", "春节")
    # 2027-02-05 Fri + 1: block 02-06..02-13 off, 02-14 Sun off -> 02-15 Mon
    assert cal.add_workdays(date(2027, 2, 5), 1) == WorkdaysResult(date(2027, 2, 15), ())
    # 02-19 Fri + 1 -> 02-20 Sat 调休
    assert cal.next_workday(date(2027, 2, 19)) == WorkdaysResult(date(2027, 2, 20), ())
    assert cal.count_workdays(date(2027, 2, 5), date(2027, 2, 20)).value == 6  # 15..19, 20
    assert _unknown_year_records(caplog) == []


def test_span_from_2026_into_unknown_2027_warns_and_uses_weekend_rule(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING, logger="liandong.calendar")
    cal = WorkCalendar.load(None)
    # 2026-12-20 Sun + 20: Dec 21-25 (5), Dec 28-31 (9), 2027 by weekend rule: Jan 1 Fri (10),
    # Jan 4-8 (15), Jan 11-15 (20)
    result = cal.add_workdays(date(2026, 12, 20), 20)
    assert result == WorkdaysResult(date(2027, 1, 15), (CalendarWarning.unknown_year(2027),))
    warning = result.warnings[0]
    assert warning.code == "calendar_year_unknown"
    assert warning.message == (
        "no holiday data for 2027: weekends only; load the State Council schedule into the holiday directory"
    )
    assert warning.message_zh == "2027年节假日安排未导入，按周末规则计算，请管理员导入国务院节假日安排"
    records = _unknown_year_records(caplog)
    assert len(records) == 1
    assert records[0].levelno == logging.WARNING
    assert "year=2027" in records[0].getMessage()
    assert records[0].year == 2027  # type: ignore[attr-defined]


def test_span_ending_in_2026_has_no_warning() -> None:
    # 2026-12-20 + 9 = 2026-12-31: no 2027 day consulted
    assert WorkCalendar().add_workdays(date(2026, 12, 20), 9) == WorkdaysResult(date(2026, 12, 31), ())


def test_each_unknown_year_warns_once_per_result_and_is_logged_once(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="liandong.calendar")
    cal = WorkCalendar()
    # 2027-12-29 Wed + 5 (weekend rule): 12-30 (1), 12-31 (2), 2028-01-03 (3), 01-04 (4), 01-05 (5)
    first = cal.add_workdays(date(2027, 12, 29), 5)
    assert first.value == date(2028, 1, 5)
    assert [w.year for w in first.warnings] == [2027, 2028]
    again = cal.count_workdays(date(2027, 12, 1), date(2028, 1, 31))
    # weekend rule: 2027-12-02 Thu..12-31 Fri = 22 weekdays; 2028-01 (starts Sat) = 21 weekdays
    assert again.value == 22 + 21
    assert [w.year for w in again.warnings] == [2027, 2028]
    # consults 2028-01-02 Sun, 01-01 Sat (2028) and 2027-12-31 Fri (2027)
    assert cal.previous_workday(date(2028, 1, 3)) == WorkdaysResult(
        date(2027, 12, 31), (CalendarWarning.unknown_year(2027), CalendarWarning.unknown_year(2028))
    )
    assert cal.previous_workday(date(2028, 1, 5)) == WorkdaysResult(
        date(2028, 1, 4), (CalendarWarning.unknown_year(2028),)
    )
    assert cal.day(date(2028, 1, 1)) == DayInfo(date(2028, 1, 1), False, "weekend-rule", None)
    assert cal.is_workday(date(2028, 1, 3))
    assert sorted(r.year for r in _unknown_year_records(caplog)) == [2027, 2028]  # type: ignore[attr-defined]


def test_known_years_include_admin_years(tmp_path: Path) -> None:
    cal = _calendar(tmp_path, y2027=ADMIN_2027)
    assert cal.known_years() == frozenset(range(2004, 2028))
    assert 2028 not in cal.known_years()


def test_from_admin_years_builds_calendar_from_parsed_model() -> None:
    admin = parse_admin_year(
        {"year": 2028, "holidays": [{"date": date(2028, 1, 3), "name": "测试"}], "workdays": []}
    )
    cal = WorkCalendar.from_admin_years({2028: admin})
    assert not cal.is_workday(date(2028, 1, 3))
    assert cal.next_workday(date(2027, 12, 31)).warnings == ()  # only 2028 days consulted
    with pytest.raises(ValueError, match="registered under key"):
        WorkCalendar.from_admin_years({2027: admin})


def test_admin_year_model_rejects_inconsistent_data() -> None:
    with pytest.raises(ValueError, match="not a weekend"):
        AdminYear(year=2027, workdays={date(2027, 1, 4): "x"})
    with pytest.raises(ValueError, match="not in year"):
        AdminYear(year=2027, holidays={date(2026, 1, 1): "x"})


def test_example_file_is_valid_but_never_loaded_by_default(tmp_path: Path) -> None:
    shutil.copy(EXAMPLE, tmp_path / EXAMPLE.name)
    assert 2027 not in WorkCalendar.load(tmp_path).known_years()
    shutil.copy(EXAMPLE, tmp_path / "2027.yaml")
    cal = WorkCalendar.load(tmp_path)
    assert cal.day(date(2027, 1, 1)).source == "admin"
    assert "EXAMPLE" in EXAMPLE.read_text(encoding="utf-8")


def test_missing_holiday_dir_means_chinese_calendar_only(tmp_path: Path) -> None:
    assert WorkCalendar.load(tmp_path / "absent").known_years() == frozenset(range(2004, 2027))
