"""A low rating (好差评 ≤ 2, with a reason) opens a rectification (整改) owed by the node that handled
the case, within 15 working days; that node completes it; a follow-up (回访) records whether the
citizen is now satisfied."""

from __future__ import annotations

from tests.e2e.test_lifecycle_common import (
    CALENDAR,
    SUPERVISION,
    TOWNSHIP,
    VILLAGE,
    act,
    catalog_materials,
    detail,
    event_day,
    held_by,
    refused,
    submit,
    summary,
    try_act,
)
from tests.support.system import System

CODE = "GH-004"  # 申办《房屋翻修许可证》的受理: handled by the township center
WANG, ZHAO = ("wang", VILLAGE), ("zhao", TOWNSHIP)


def test_a_low_rating_opens_a_rectification_owed_by_the_handling_node_then_a_follow_up(
    system: System,
) -> None:
    materials = catalog_materials(system, CODE, "required", "tolerable")
    case_id = submit(system, CODE, materials)["case_id"]
    held_by(system, TOWNSHIP, case_id)
    act(system, ZHAO, case_id, "claim")
    act(system, ZHAO, case_id, "decide", {"approved": True, "reason": "翻修方案符合要求"})
    act(system, ZHAO, case_id, "issue-result", {"result": "房屋翻修许可证 柳建翻字第0031号"})
    held_by(system, VILLAGE, case_id)
    act(system, WANG, case_id, "deliver", {"method": "in_person", "recipient": "李四"})
    v = act(system, WANG, case_id, "close")["version"]

    refused(
        system, try_act(system, WANG, case_id, "evaluate", {"rating": 2}), 422, "reason_required", case_id, v
    )
    refused(
        system,
        try_act(system, WANG, case_id, "evaluate", {"rating": 6, "comment": "?"}),
        422,
        "rating_out_of_range",
        case_id,
        v,
    )
    refused(
        system,
        try_act(system, WANG, case_id, "follow-up", {"satisfied": True}),
        409,
        "rectification_not_done",
        case_id,
        v,
    )
    act(system, WANG, case_id, "evaluate", {"rating": 2, "comment": "窗口人员态度生硬，让我多跑了一次"})

    seen = detail(system, case_id)
    types = [t["type"] for t in seen["timeline"]]
    assert types[-2:] == ["CaseEvaluated", "RectificationOpened"] and seen["evaluation"] == 2
    due = CALENDAR.add_workdays(event_day(seen, "CaseEvaluated"), 15).date_value
    opened = seen["timeline"][-1]["description"]
    assert "柳新镇" in opened and f"须于{due.isoformat()}前整改" in opened

    v = summary(system, case_id)["version"]
    again = {"rating": 5, "comment": "改评"}
    refused(system, try_act(system, WANG, case_id, "evaluate", again), 409, "already_evaluated", case_id, v)
    measures = {"measures": "对窗口人员批评教育，推行一次性告知清单"}
    refused(
        system,
        try_act(system, WANG, case_id, "complete-rectification", measures),
        403,
        "not_rectifying_node",
        case_id,
        v,
    )
    refused(
        system,
        try_act(system, WANG, case_id, "follow-up", {"satisfied": True}),
        409,
        "rectification_not_done",
        case_id,
        v,
    )

    # the township handled the case: it owes the rectification and sees the closed case for it
    assert detail(system, case_id, ZHAO)["status"] == "closed"
    act(system, ZHAO, case_id, "complete-rectification", measures)
    v = summary(system, case_id)["version"]
    refused(
        system,
        try_act(system, ZHAO, case_id, "complete-rectification", measures),
        409,
        "no_open_rectification",
        case_id,
        v,
    )

    act(system, WANG, case_id, "follow-up", {"satisfied": True, "note": "回访群众表示满意"})
    v = summary(system, case_id)["version"]
    refused(
        system,
        try_act(system, SUPERVISION, case_id, "follow-up", {"satisfied": False}),
        409,
        "followed_up",
        case_id,
        v,
    )
    final = detail(system, case_id, SUPERVISION)
    assert [t["type"] for t in final["timeline"]][-4:] == [
        "CaseEvaluated",
        "RectificationOpened",
        "RectificationCompleted",
        "FollowUpRecorded",
    ]
    assert "群众满意" in final["timeline"][-1]["description"]
