"""How documents write dates, money, numbers and personal data."""

from __future__ import annotations

from datetime import date, datetime

from shared.clock import LOCAL_TZ

_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SECTIONS = ("", "万", "亿", "万亿")


def date_zh(value: date | datetime | None) -> str:
    """``2026年3月2日`` — a datetime is first put into China time (GB/T 9704: Arabic numerals)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(LOCAL_TZ).date()
    return f"{value.year}年{value.month}月{value.day}日"


def time_zh(value: datetime) -> str:
    local = value.astimezone(LOCAL_TZ)
    return f"{date_zh(local)} {local:%H:%M}"


def yuan(fen: int) -> str:
    return f"{fen // 100:,}.{fen % 100:02d}"


def rmb_upper(fen: int) -> str:
    """The amount in capital Chinese numerals as written on receipts: 30000 fen → 叁佰元整."""
    if fen < 0:
        raise ValueError("amounts are never negative")
    if fen == 0:
        return "零元整"
    whole, rest = divmod(fen, 100)
    jiao, cents = divmod(rest, 10)
    out = f"{_integer(whole)}元" if whole else ""
    if not jiao and not cents:
        return out + "整"
    if jiao:
        out += f"{_DIGITS[jiao]}角"
    elif whole:
        out += "零"
    return out + (f"{_DIGITS[cents]}分" if cents else "整")


def _group(g: int) -> str:
    """1..9999 in capitals, with 零 for inner gaps (1005 → 壹仟零伍)."""
    out, gap = "", False
    for pos, unit in ((1000, "仟"), (100, "佰"), (10, "拾"), (1, "")):
        d = g // pos % 10
        if d == 0:
            gap = bool(out)
            continue
        out += ("零" if gap else "") + _DIGITS[d] + unit
        gap = False
    return out


def _integer(n: int) -> str:
    groups: list[int] = []
    while n:
        n, g = divmod(n, 10000)
        groups.append(g)
    out, gap = "", False
    for index in reversed(range(len(groups))):
        g = groups[index]
        if g == 0:
            gap = bool(out)
            continue
        if out and (gap or g < 1000):
            out += "零"
        out += _group(g) + _SECTIONS[index]
        gap = False
    return out


def mask(value: str | None, head: int, tail: int) -> str:
    """Personal numbers are printed masked: the applicant proves identity at the window, not on paper."""
    if not value:
        return ""
    if len(value) <= head + tail:
        return "*" * len(value)
    return value[:head] + "*" * (len(value) - head - tail) + value[-tail:]


def document_number(case_number: str, abbreviation: str, seq: int) -> str:
    """``受字〔2026〕511199-20260302-T01V01-0001-03号``: the kind's character, the case's year (from
    the case number's date), the case number and the event's place in the case. The same event
    always gets the same number, and no two documents of the county share one."""
    parts = case_number.split("-")
    year = parts[1][:4] if len(parts) > 1 and parts[1][:8].isdigit() else ""
    bracket = f"〔{year}〕" if year else ""
    return f"{abbreviation}字{bracket}{case_number}-{seq:02d}号"
