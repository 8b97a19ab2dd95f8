"""A suspended and extended case: a special procedure (特别程序) stops the clock, resuming moves the
deadline by the working days it was stopped, an extension approved by the supervision office
moves it by the approved working days; the 特别程序期限告知书 and 延长期限通知书 are issued.

The services read the system clock, so the pause lasts as long as the test does: the expected
deadlines are computed with the working-day calendar for the dates the events really carry."""

from __future__ import annotations

from datetime import date

from tests.e2e.test_lifecycle_common import (
    CALENDAR,
    SUPERVISION,
    act,
    catalog_materials,
    date_zh,
    detail,
    document,
    documents,
    event_day,
    held_by,
    refused,
    submit,
    summary,
    try_act,
)
from tests.support.system import System

CODE, DEPT = "MZ-001", "c01.d.civil-affairs"  # 社团审批: 20 working days at the civil-affairs window
SUN = ("sun", DEPT)


def test_suspension_pauses_the_clock_and_an_approved_extension_moves_the_deadline(system: System) -> None:
    case = submit(system, CODE, catalog_materials(system, CODE, "required", "tolerable"))
    case_id = case["case_id"]
    held_by(system, DEPT, case_id)
    act(system, SUN, case_id, "claim")
    first = summary(system, case_id)
    deadline = date.fromisoformat(first["deadline"])
    assert (
        deadline == CALENDAR.add_workdays(event_day(detail(system, case_id), "CaseAccepted"), 20).date_value
    )

    v = first["version"]
    refused(system, try_act(system, SUN, case_id, "resume"), 409, "not_suspended", case_id, v)
    act(
        system,
        SUN,
        case_id,
        "suspend",
        {"procedure": "expert_review", "reason": "章程条款需专家评审", "expected_days": 5},
    )
    v = summary(system, case_id)["version"]
    refused(
        system, try_act(system, SUN, case_id, "decide", {"approved": True}), 409, "case_suspended", case_id, v
    )
    again = {"procedure": "hearing", "reason": "再次中止"}
    refused(system, try_act(system, SUN, case_id, "suspend", again), 409, "case_suspended", case_id, v)
    ask = {"days": 5, "reason": "需补充征求业务主管单位意见"}
    refused(
        system, try_act(system, SUN, case_id, "request-extension", ask), 409, "case_suspended", case_id, v
    )
    assert summary(system, case_id)["deadline"] == deadline.isoformat()  # still the original deadline

    act(system, SUN, case_id, "resume", {"note": "专家评审已完成"})
    seen = detail(system, case_id)
    paused = CALENDAR.count_workdays(
        event_day(seen, "CaseSuspended"), event_day(seen, "CaseResumed")
    ).int_value
    resumed = CALENDAR.add_workdays(deadline, paused).date_value if paused else deadline
    after_resume = summary(system, case_id)
    assert after_resume["deadline"] == resumed.isoformat()

    v = after_resume["version"]
    refused(
        system,
        try_act(system, SUPERVISION, case_id, "decide-extension", {"approve": True}),
        409,
        "no_extension_request",
        case_id,
        v,
    )
    act(system, SUN, case_id, "request-extension", ask)
    v = summary(system, case_id)["version"]
    refused(
        system, try_act(system, SUN, case_id, "request-extension", ask), 409, "extension_pending", case_id, v
    )
    # the handling window cannot approve its own extension: that is the supervision office's
    refused(
        system,
        try_act(system, SUN, case_id, "decide-extension", {"approve": True}),
        403,
        "supervision_only",
        case_id,
        v,
    )
    act(system, SUPERVISION, case_id, "decide-extension", {"approve": True, "note": "同意延长5个工作日"})
    extended = CALENDAR.add_workdays(resumed, 5).date_value
    assert summary(system, case_id)["deadline"] == extended.isoformat()
    assert detail(system, case_id, SUN)["deadline"] == extended.isoformat()  # the worklist projection agrees

    listed = {d["kind"]: d for d in documents(system, case_id)}
    assert {"receipt", "suspension", "extension"} <= set(listed)
    assert listed["suspension"]["title"] == "特别程序期限告知书"
    assert listed["extension"]["title"] == "延长期限通知书"

    suspension = document(system, case_id, "suspension", SUN)
    assert "<h1>特别程序期限告知书</h1>" in suspension and first["case_number"] in suspension
    assert "专家评审" in suspension and "章程条款需专家评审" in suspension and "约5个工作日" in suspension
    assert f"原定办结期限为{date_zh(deadline)}" in suspension
    assert "第四十五条" in suspension and "示范县民政局" in suspension

    extension = document(system, case_id, "extension")
    assert "<h1>延长期限通知书</h1>" in extension and first["case_number"] in extension
    assert f"办结期限延至{date_zh(extended)}" in extension and "延长5个工作日" in extension
    assert f"办结期限为{date_zh(resumed)}" in extension
    assert "示范县政务服务中心督查科" in extension and "需补充征求业务主管单位意见" in extension
    # printing is reading: a reprint is byte-identical
    assert document(system, case_id, "extension", SUN, seq=listed["extension"]["seq"]) == extension

    # the case goes on after its time limits: decision and its document
    act(system, SUN, case_id, "decide", {"approved": True, "reason": "符合登记条件"})
    decision = document(system, case_id, "decision")
    assert "<h1>准予批准决定书</h1>" in decision and "决定准予批准" in decision
