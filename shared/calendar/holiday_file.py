"""Admin holiday files: one YAML file per year, validated strictly (see docs/calendar.md)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

from shared.calendar.model import AdminYear, HolidayFileError

_TOP_KEYS = frozenset({"year", "source", "holidays", "workdays"})
_ENTRY_KEYS = frozenset({"date", "from", "to", "name"})
FILE_SUFFIXES = (".yaml", ".yml")


def _as_date(value: object, what: str, origin: str) -> date:
    if isinstance(value, datetime):
        raise HolidayFileError(origin, f"{what}: {value!r} has a time of day; give a plain YYYY-MM-DD date")
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise HolidayFileError(origin, f"{what}: {value!r} is not a YYYY-MM-DD date")


def _entry_days(entry: object, where: str, origin: str) -> tuple[list[date], str]:
    if not isinstance(entry, Mapping):
        raise HolidayFileError(origin, f"{where}: expected a mapping like {{date: ..., name: ...}}")
    unknown = sorted(str(k) for k in set(entry) - _ENTRY_KEYS)
    if unknown:
        raise HolidayFileError(origin, f"{where}: unknown key(s) {', '.join(unknown)}")
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip():
        raise HolidayFileError(origin, f"{where}: 'name' is required (e.g. 春节, 春节调休)")
    if "date" in entry:
        if "from" in entry or "to" in entry:
            raise HolidayFileError(origin, f"{where}: give either 'date' or 'from'/'to', not both")
        return [_as_date(entry["date"], f"{where}.date", origin)], name.strip()
    if "from" not in entry or "to" not in entry:
        raise HolidayFileError(origin, f"{where}: needs 'date', or both 'from' and 'to'")
    first = _as_date(entry["from"], f"{where}.from", origin)
    last = _as_date(entry["to"], f"{where}.to", origin)
    if first > last:
        raise HolidayFileError(origin, f"{where}: from {first} is after to {last}")
    return [first + timedelta(days=i) for i in range((last - first).days + 1)], name.strip()


def _section(data: Mapping[str, Any], key: str, year: int, origin: str) -> dict[date, str]:
    entries = data.get(key) or []
    if not isinstance(entries, list):
        raise HolidayFileError(origin, f"'{key}' must be a list of entries")
    days: dict[date, str] = {}
    first_seen: dict[date, str] = {}
    for i, entry in enumerate(entries):
        where = f"{key}[{i}]"
        dates, name = _entry_days(entry, where, origin)
        for d in dates:
            if d.year != year:
                raise HolidayFileError(origin, f"{where}: {d} is outside year {year}")
            if d in days:
                raise HolidayFileError(origin, f"{where}: duplicate date {d} (already in {first_seen[d]})")
            if key == "workdays" and d.weekday() < 5:
                raise HolidayFileError(
                    origin, f"{where}: adjusted workday {d} is not a weekend (it is a weekday already)"
                )
            days[d] = name
            first_seen[d] = where
    return days


def parse_admin_year(data: object, origin: str = "<memory>") -> AdminYear:
    """Validate already-parsed YAML data; ``origin`` (usually the file path) prefixes every error."""
    if not isinstance(data, Mapping):
        raise HolidayFileError(origin, "expected a mapping with 'year', 'holidays' and 'workdays'")
    unknown = sorted(str(k) for k in set(data) - _TOP_KEYS)
    if unknown:
        raise HolidayFileError(origin, f"unknown top-level key(s) {', '.join(unknown)}")
    year = data.get("year")
    if isinstance(year, bool) or not isinstance(year, int):
        raise HolidayFileError(origin, f"'year' is required and must be an integer, got {year!r}")
    source = data.get("source")
    if source is not None and not isinstance(source, str):
        raise HolidayFileError(origin, f"'source' must be text, got {source!r}")
    holidays = _section(data, "holidays", year, origin)
    workdays = _section(data, "workdays", year, origin)
    both = sorted(set(holidays) & set(workdays))
    if both:
        raise HolidayFileError(origin, f"{both[0]} is listed both under holidays and workdays")
    return AdminYear(year=year, holidays=holidays, workdays=workdays, source=source, origin=origin)


def load_holiday_file(path: Path) -> AdminYear:
    """Read and validate one admin holiday file."""
    origin = str(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise HolidayFileError(origin, f"cannot read file: {exc}") from exc
    except (yaml.YAMLError, ValueError) as exc:  # PyYAML raises ValueError for e.g. 2027-02-30
        raise HolidayFileError(origin, f"invalid YAML: {exc}") from exc
    if data is None:
        raise HolidayFileError(origin, "file is empty")
    admin_year = parse_admin_year(data, origin)
    if path.stem.isdigit() and int(path.stem) != admin_year.year:
        raise HolidayFileError(origin, f"file name says {path.stem} but 'year' is {admin_year.year}")
    return admin_year


def load_holiday_dir(holiday_dir: Path) -> dict[int, AdminYear]:
    """Read every ``*.yaml`` / ``*.yml`` file directly in ``holiday_dir``; one file per year."""
    if not holiday_dir.is_dir():
        raise HolidayFileError(str(holiday_dir), "holiday directory is not a directory")
    years: dict[int, AdminYear] = {}
    paths = sorted(p for p in holiday_dir.iterdir() if p.suffix in FILE_SUFFIXES and p.is_file())
    for path in paths:
        admin_year = load_holiday_file(path)
        if admin_year.year in years:
            other = years[admin_year.year].origin
            raise HolidayFileError(str(path), f"year {admin_year.year} is already defined by {other}")
        years[admin_year.year] = admin_year
    return years
