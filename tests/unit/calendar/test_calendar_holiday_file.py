"""Validation of admin holiday files: every problem raises HolidayFileError naming file and entry."""

from datetime import date
from pathlib import Path

import pytest

from shared.calendar import HolidayFileError, WorkCalendar, load_holiday_dir, load_holiday_file

VALID = """\
year: 2027
source: "国务院办公厅关于2027年部分节假日安排的通知"
holidays:
  - {date: 2027-01-01, name: 元旦}
  - {from: 2027-02-06, to: 2027-02-13, name: 春节}
workdays:
  - {date: 2027-02-20, name: 春节调休}
"""

H = "year: 2027\nholidays:\n"


def _write(tmp_path: Path, text: str, name: str = "2027.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_valid_file_is_parsed(tmp_path: Path) -> None:
    admin = load_holiday_file(_write(tmp_path, VALID))
    assert admin.year == 2027
    assert admin.source == "国务院办公厅关于2027年部分节假日安排的通知"
    assert len(admin.holidays) == 9
    assert admin.holidays[date(2027, 2, 10)] == "春节"
    assert dict(admin.workdays) == {date(2027, 2, 20): "春节调休"}
    assert admin.origin == str(tmp_path / "2027.yaml")


def test_quoted_dates_and_yml_suffix_are_accepted(tmp_path: Path) -> None:
    _write(tmp_path, 'year: 2027\nholidays:\n  - {date: "2027-01-01", name: 元旦}\n', "2027.yml")
    assert load_holiday_dir(tmp_path)[2027].holidays == {date(2027, 1, 1): "元旦"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("holidays: []\n", "'year' is required"),
        ("year: '2027'\n", "'year' is required and must be an integer"),
        (
            H + "  - {date: 2026-12-31, name: 元旦}\n",
            "holidays[0]: 2026-12-31 is outside year 2027",
        ),
        (
            H + "  - {from: 2027-12-30, to: 2028-01-01, name: 元旦}\n",
            "holidays[0]: 2028-01-01 is outside year 2027",
        ),
        (
            H + "  - {from: 2027-02-13, to: 2027-02-06, name: 春节}\n",
            "holidays[0]: from 2027-02-13 is after to 2027-02-06",
        ),
        (
            H + "  - {date: 2027-02-06, name: 春节}\nworkdays:\n  - {date: 2027-02-06, name: 调休}\n",
            "2027-02-06 is listed both under holidays and workdays",
        ),
        (
            "year: 2027\nworkdays:\n  - {date: 2027-02-22, name: 春节调休}\n",
            "workdays[0]: adjusted workday 2027-02-22 is not a weekend",
        ),
        (
            H + "  - {date: 2027-01-01, name: 元旦}\n  - {date: 2027-01-01, name: 元旦}\n",
            "holidays[1]: duplicate date 2027-01-01 (already in holidays[0])",
        ),
        (
            H + "  - {from: 2027-02-06, to: 2027-02-13, name: 春节}\n"
            "  - {from: 2027-02-13, to: 2027-02-14, name: 春节}\n",
            "holidays[1]: duplicate date 2027-02-13 (already in holidays[0])",
        ),
        (
            "year: 2027\nworkdays:\n  - {date: 2027-02-20, name: a}\n  - {date: 2027-02-20, name: b}\n",
            "workdays[1]: duplicate date 2027-02-20",
        ),
        ("year: 2027\nholiday: []\n", "unknown top-level key(s) holiday"),
        (H + "  - {day: 2027-01-01, name: 元旦}\n", "holidays[0]: unknown key(s) day"),
        (H + "  - {date: 2027-01-01}\n", "holidays[0]: 'name' is required"),
        (
            H + "  - {date: 2027-01-01, from: 2027-01-01, to: 2027-01-02, name: x}\n",
            "holidays[0]: give either 'date' or 'from'/'to', not both",
        ),
        (H + "  - {from: 2027-01-01, name: x}\n", "holidays[0]: needs 'date', or both"),
        (
            H + "  - {date: '2027-13-01', name: x}\n",
            "holidays[0].date: '2027-13-01' is not",
        ),
        (H + "  - {date: 2027-01-01 08:00:00, name: x}\n", "has a time of day"),
        (H + "  - 2027-01-01\n", "holidays[0]: expected a mapping"),
        ("year: 2027\nholidays: {date: 2027-01-01, name: x}\n", "'holidays' must be a list"),
        ("year: 2027\nsource: [a]\n", "'source' must be text"),
        (H + "  - {date: 2027-02-30, name: x}\n", "invalid YAML"),
        ("year: 2027\nholidays: [\n", "invalid YAML"),
        ("", "file is empty"),
        ("- 2027\n", "expected a mapping with 'year'"),
        ("year: 2026\n", "file name says 2027 but 'year' is 2026"),
    ],
)
def test_invalid_file_raises_error_naming_file_and_problem(tmp_path: Path, text: str, expected: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(HolidayFileError) as info:
        load_holiday_file(path)
    assert str(info.value).startswith(f"{path}: ")
    assert expected in str(info.value)
    assert info.value.path == str(path)
    # WorkCalendar.load surfaces the same error
    with pytest.raises(HolidayFileError, match=r"2027\.yaml"):
        WorkCalendar.load(tmp_path)


def test_two_files_for_the_same_year_are_rejected(tmp_path: Path) -> None:
    _write(tmp_path, VALID, "2027.yaml")
    _write(tmp_path, VALID, "holidays-2027.yaml")
    with pytest.raises(HolidayFileError, match="year 2027 is already defined by"):
        WorkCalendar.load(tmp_path)


def test_holiday_dir_that_is_a_file_is_rejected(tmp_path: Path) -> None:
    path = _write(tmp_path, VALID)
    with pytest.raises(HolidayFileError, match="not a directory"):
        WorkCalendar.load(path)


def test_non_yaml_files_are_ignored(tmp_path: Path) -> None:
    _write(tmp_path, "not: [valid", "README.txt")
    _write(tmp_path, "year: 1\n", "2027.yaml.example")
    assert WorkCalendar.load(tmp_path).known_years() == frozenset(range(2004, 2027))
