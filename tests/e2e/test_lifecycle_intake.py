"""The one door (一门受理) over HTTP: the one-time notice and what may follow it, acceptance with its
receipt, refusal with a reason and a legal basis, fast track, proxy mandates, withdrawal, and who
may print a case's documents."""

from __future__ import annotations

from typing import Any

import httpx

from tests.e2e.test_lifecycle_common import (
    CALENDAR,
    OTHER_VILLAGE,
    VILLAGE,
    call,
    catalog_materials,
    date_zh,
    detail,
    document,
    documents,
    event_day,
    ok,
    refused,
    submit,
    summary,
    who,
)
from tests.support.system import System

CODE = "MZ-001"  # 社团审批: m1–m5 required, m6 tolerable, 20 working days
WANG = ("wang", VILLAGE)


def post(system: System, case_id: str, step: str, body: dict[str, Any] | None = None) -> httpx.Response:
    return call(system, "POST", "intake", f"/api/cases/{case_id}/{step}", WANG, body or {})


def test_one_time_notice_then_supplement_notices_within_it_then_acceptance(system: System) -> None:
    case = submit(system, CODE, ["m1", "m2", "m3", "m6"], defective={"m3": "章程草案缺少会员大会通过日期"})
    case_id, v = case["case_id"], case["version"]
    assert case["status"] == "pending_supplement" and case["channel"] == "village_room"
    assert [m["code"] for m in case["notice_missing"]] == ["m3", "m4", "m5"]
    assert case["defective"] == [
        {"code": "m3", "name": "章程草案", "problem": "章程草案缺少会员大会通过日期"}
    ]
    notice = document(system, case_id, "notice")
    assert "<h1>一次性告知书</h1>" in notice and case["case_number"] in notice
    assert (
        "<li>验资报告</li>" in notice and "<td>章程草案</td><td>章程草案缺少会员大会通过日期</td>" in notice
    )
    assert "第三十二条" in notice and "柳新镇柳新村便民服务室" in notice

    refused(system, post(system, case_id, "accept"), 409, "materials_missing", case_id, v)
    message = refused(
        system,
        post(system, case_id, "notice", {"missing": ["m1"]}),
        409,
        "one_time_notice_violation",
        case_id,
        v,
    )
    assert "社会团体成立登记申请书" in message
    refused(system, post(system, case_id, "notice", {}), 422, "empty_notice", case_id, v)
    refused(system, post(system, case_id, "notice", {"missing": ["m9"]}), 422, "unknown_material", case_id, v)

    still = ok(post(system, case_id, "supplement", {"materials": ["m4", "m5"]}))
    assert still["status"] == "pending_supplement" and [m["code"] for m in still["notice_missing"]] == ["m3"]
    again = ok(post(system, case_id, "notice", {"defective": {"m3": "补交的章程草案仍未注明通过日期"}}))
    assert again["defective"][0]["problem"] == "补交的章程草案仍未注明通过日期"
    accepted = ok(post(system, case_id, "supplement", {"materials": ["m3"]}))
    assert accepted["status"] == "accepted" and accepted["tolerated_missing"] == []
    accepted_on = event_day(detail(system, case_id), "CaseAccepted")
    assert accepted["deadline"] == CALENDAR.add_workdays(accepted_on, 20).date_value.isoformat()

    listed = documents(system, case_id)
    assert [(d["kind"], d["title"]) for d in listed] == [
        ("notice", "一次性告知书"),
        ("notice", "补正告知书"),
        ("receipt", "受理回执"),
    ]
    second = document(system, case_id, "notice", seq=listed[1]["seq"])
    assert "<h1>补正告知书</h1>" in second and listed[0]["number"] in second
    assert document(system, case_id, "notice", seq=listed[0]["seq"]) == notice  # reprints never change
    receipt = document(system, case_id, "receipt")
    assert "经补正材料齐全" in receipt and f"{date_zh(accepted['deadline'])}前" in receipt
    for d in listed:
        assert httpx.get(f"{system.url('intake')}{d['url']}", headers=who(system, *WANG)).text.startswith(
            "<!DOCTYPE"
        )


def test_documents_are_for_those_who_may_read_the_case(system: System) -> None:
    case_id = submit(system, CODE, catalog_materials(system, CODE, "required", "tolerable"))["case_id"]
    path = f"/cases/{case_id}/documents/receipt"
    assert httpx.get(f"{system.url('intake')}{path}").status_code == 401
    other = call(system, "GET", "intake", path, ("zhou", OTHER_VILLAGE))
    assert other.status_code == 403 and other.json()["error"]["code"] == "case_not_visible"
    listing = call(system, "GET", "intake", f"/api/cases/{case_id}/documents", ("zhou", OTHER_VILLAGE))
    assert listing.status_code == 403
    auditor = call(system, "GET", "intake", path, ("shen", "c01", "auditor"))
    assert auditor.status_code == 200 and "<h1>受理回执</h1>" in auditor.text
    unknown = call(system, "GET", "intake", f"/cases/{case_id}/documents/passport", WANG)
    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "unknown_document"
    later = call(system, "GET", "intake", f"/cases/{case_id}/documents/decision", WANG)
    assert later.status_code == 404 and later.json()["error"]["code"] == "document_not_issued"
    assert "准予/不予批准决定书" in later.json()["error"]["message"]
    nothing = call(system, "GET", "intake", "/cases/T01V01-01JNOSUCHCASE000000000000/documents/receipt", WANG)
    assert nothing.status_code == 404 and nothing.json()["error"]["code"] == "case_not_found"


def test_refusal_needs_a_reason_and_a_legal_basis(system: System) -> None:
    case = submit(system, CODE, catalog_materials(system, CODE, "required"), accept=False)
    case_id, v = case["case_id"], case["version"]
    assert case["status"] == "submitted"
    r = post(system, case_id, "refuse", {"reason": "不属于本县登记管理范围"})
    assert r.status_code == 422 and r.json()["error"]["field"] == "legal_basis"
    assert summary(system, case_id)["version"] == v
    blank = {"reason": "不属于本县登记管理范围", "legal_basis": "  "}
    refused(system, post(system, case_id, "refuse", blank), 422, "reason_required", case_id, v)
    body = {
        "reason": "拟成立的社会团体属全国性社团，不属于本县登记管理范围",
        "legal_basis": "《社会团体登记管理条例》第七条",
    }
    assert ok(post(system, case_id, "refuse", body))["status"] == "refused"
    refusal = document(system, case_id, "refusal")
    assert "<h1>不予受理通知书</h1>" in refusal and case["case_number"] in refusal
    assert body["reason"] in refusal and body["legal_basis"] in refusal
    assert "申请行政复议或者提起行政诉讼" in refusal and "示范县人民政府" in refusal
    refused(system, post(system, case_id, "accept"), 409, "invalid_state", case_id, v + 1)


def test_fast_track_and_proxy_are_recorded_and_printed(system: System) -> None:
    proxy = {"agent_id": "daiban-02", "mandate_ref": "委托书第2026-015号"}
    case = submit(
        system, CODE, catalog_materials(system, CODE, "required", "tolerable"), fast_track=True, proxy=proxy
    )
    assert case["fast_track"] is True and case["proxy"] == proxy
    accepted_on = event_day(detail(system, case["case_id"]), "CaseAccepted")
    assert case["internal_deadline"] == CALENDAR.add_workdays(accepted_on, 10).date_value.isoformat()
    receipt = document(system, case["case_id"], "receipt")
    assert "代办员 daiban-02" in receipt and "委托书第2026-015号" in receipt and "快速通道" in receipt

    r = call(
        system,
        "POST",
        "intake",
        "/api/cases",
        WANG,
        {"item_code": "TJ-005", "applicant": {"name": "王五"}, "materials": ["m1"], "proxy": proxy},
    )
    assert r.status_code == 409 and r.json()["error"]["code"] == "proxy_not_allowed"
    r = call(
        system,
        "POST",
        "intake",
        "/api/cases",
        WANG,
        {
            "item_code": CODE,
            "applicant": {"name": "王五"},
            "materials": ["m1"],
            "defective": {"m2": "复印件不清晰"},
        },
    )
    assert r.status_code == 422 and r.json()["error"]["code"] == "defective_not_provided"


def test_the_applicant_withdraws_before_a_decision(system: System) -> None:
    case = submit(system, CODE, ["m1"])
    case_id, v = case["case_id"], case["version"]
    refused(system, post(system, case_id, "withdraw", {"reason": " "}), 422, "reason_required", case_id, v)
    other = call(
        system, "POST", "intake", f"/api/cases/{case_id}/withdraw", ("zhou", OTHER_VILLAGE), {"reason": "x"}
    )
    assert other.status_code == 403 and summary(system, case_id)["version"] == v
    done = ok(post(system, case_id, "withdraw", {"reason": "申请人决定暂不成立社团"}))
    assert done["status"] == "withdrawn" and done["version"] == v + 1
    refused(
        system,
        post(system, case_id, "withdraw", {"reason": "再次撤回"}),
        409,
        "invalid_state",
        case_id,
        v + 1,
    )
    refused(
        system,
        post(system, case_id, "supplement", {"materials": ["m2"]}),
        409,
        "invalid_state",
        case_id,
        v + 1,
    )
