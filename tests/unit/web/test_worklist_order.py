"""Worklist order and filters, and finding items by pinyin initials."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace
from typing import Any

from services.village_node import urgency
from services.village_node.web.item_index import ItemIndex, initials
from services.village_node.worklist_views import filter_views
from shared.catalog import Catalog
from shared.org import OrgTree


def row(n: str, deadline: date | None, **flags: bool) -> dict[str, Any]:
    return {
        "case_number": n,
        "deadline": deadline,
        "overdue": False,
        "warned": False,
        "fast_track": False,
        **flags,
    }


def test_red_then_yellow_then_fast_track_then_deadline() -> None:
    rows = [
        row("a", date(2027, 1, 1)),
        row("b", None),
        row("c", date(2027, 3, 1), fast_track=True),
        row("d", date(2027, 2, 1), warned=True),
        row("e", date(2027, 5, 1), overdue=True),
        row("f", date(2026, 12, 1)),
    ]
    assert [r["case_number"] for r in sorted(rows, key=urgency.sort_key)] == ["e", "d", "c", "f", "a", "b"]


def test_flags_from_the_core_or_from_working_days_left() -> None:
    plain = SimpleNamespace(deadline=date(2027, 1, 1), suspension=None)
    assert urgency.flags(plain, -1)["overdue"] and not urgency.flags(plain, -1)["warned"]
    assert urgency.flags(plain, 1)["warned"] and not urgency.flags(plain, 2)["warned"]
    marked = SimpleNamespace(
        deadline=None, marks=frozenset({"overdue:deadline:x:2027-01-01"}), fast_track=True
    )
    assert urgency.flags(marked, None) == {"overdue": True, "warned": False, "fast_track": True}
    paused = SimpleNamespace(deadline=date(2027, 1, 1), suspension=object())
    assert not urgency.flags(paused, -3)["overdue"]  # the clock stands still during a special procedure


def test_filters_and_search() -> None:
    views = [
        {"case_id": "X-1", "case_number": "511199-0001", "applicant_name": "张三", "status": "handling",
         "item_code": "MZ-001", "channel": "village_room"},
        {"case_id": "X-2", "case_number": "511199-0002", "applicant_name": "李四", "status": "accepted",
         "item_code": "GH-001", "channel": "online"},
    ]  # fmt: skip
    assert [v["case_id"] for v in filter_views(views, q="李")] == ["X-2"]
    assert [v["case_id"] for v in filter_views(views, q="0001")] == ["X-1"]
    assert [v["case_id"] for v in filter_views(views, status="handling", item="MZ-001")] == ["X-1"]
    assert filter_views(views, channel="hotline") == []


def test_items_are_found_by_pinyin_initials_name_or_code() -> None:
    assert initials("流动人口婚育证明") == "ldrkhyzm"
    index = ItemIndex(Catalog.load(None), OrgTree.load(None))
    assert any(i.code == "GH-001" for i in index.search("czjs"))
    assert [i.code for i in index.search("gh-001")] == ["GH-001"]
    assert any(i.code == "MZ-001" for i in index.search("社团"))
    assert len(index.search("")) == len(index.items)
