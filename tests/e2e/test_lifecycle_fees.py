"""A fee-bearing item (一口收费): the result cannot be issued before payment; the fee is assessed once
from the catalog, paid once with a receipt number; then the result is issued and delivered to the
proxy agent who carries the case (代办). The 缴费通知书 is issued from the assessment."""

from __future__ import annotations

import httpx

from tests.e2e.test_lifecycle_common import (
    VILLAGE,
    act,
    catalog_materials,
    document,
    documents,
    held_by,
    ok,
    refused,
    submit,
    summary,
    try_act,
)
from tests.support.system import System

CODE, DEPT = "CG-002", "c01.d.city-management"  # 市容临时占道、施工占道审批: 200.00 yuan
WANG, WU = ("wang", VILLAGE), ("wu", DEPT)
PROXY = {"agent_id": "daiban-07", "mandate_ref": "委托书第2026-031号"}


def test_the_result_waits_for_the_single_fee_point(system: System) -> None:
    item = ok(httpx.get(f"{system.url('intake')}/api/catalog/{CODE}"))
    assert item["fee_fen"] == 20000
    case = submit(system, CODE, catalog_materials(system, CODE, "required", "tolerable"), proxy=PROXY)
    case_id = case["case_id"]
    assert case["proxy"] == PROXY
    held_by(system, DEPT, case_id)
    v = act(system, WU, case_id, "claim")["version"]
    refused(system, try_act(system, WU, case_id, "assess-fee"), 409, "invalid_state", case_id, v)
    v = act(system, WU, case_id, "decide", {"approved": True, "reason": "占道方案符合要求"})["version"]

    result = {"result": "临时占道许可证 示城占字第0108号"}
    refused(system, try_act(system, WU, case_id, "issue-result", result), 409, "fee_unpaid", case_id, v)
    refused(
        system,
        try_act(system, WU, case_id, "pay-fee", {"receipt_no": "SF-2026-0042"}),
        409,
        "fee_not_assessed",
        case_id,
        v,
    )
    act(system, WU, case_id, "assess-fee", {"basis": "城市道路占用费"})
    # the window prints the notice for the citizen to pay at once
    fee = document(system, case_id, "fee", WU)
    assert "<h1>缴费通知书</h1>" in fee and case["case_number"] in fee
    assert "¥200.00元（人民币贰佰元整）" in fee and "城市道路占用费" in fee and "一口收费" in fee
    assert "示范县城市管理局" in fee and "（盖章）" in fee
    decision = document(system, case_id, "decision", WU)
    assert "<h1>准予批准决定书</h1>" in decision and "人民币200.00元（贰佰元整）" in decision

    v = summary(system, case_id)["version"]
    refused(system, try_act(system, WU, case_id, "assess-fee"), 409, "fee_assessed", case_id, v)
    refused(system, try_act(system, WU, case_id, "issue-result", result), 409, "fee_unpaid", case_id, v)
    refused(
        system,
        try_act(system, WU, case_id, "pay-fee", {"receipt_no": "  "}),
        422,
        "reason_required",
        case_id,
        v,
    )
    act(system, WU, case_id, "pay-fee", {"receipt_no": "SF-2026-0042"})
    v = summary(system, case_id)["version"]
    refused(
        system,
        try_act(system, WU, case_id, "pay-fee", {"receipt_no": "SF-2026-0043"}),
        409,
        "fee_paid",
        case_id,
        v,
    )
    act(system, WU, case_id, "issue-result", result)
    # the village, where the citizen collects the result, prints the same notice
    assert document(system, case_id, "fee") == fee

    held_by(system, VILLAGE, case_id)
    act(system, WANG, case_id, "deliver", {"method": "proxy", "recipient": "赵代办"})
    act(system, WANG, case_id, "close")
    delivery = document(system, case_id, "delivery")
    assert "代办员代领" in delivery and "daiban-07" in delivery and "代收人签名或盖章" in delivery
    kinds = [d["kind"] for d in documents(system, case_id)]
    assert kinds == ["receipt", "decision", "fee", "delivery"]
