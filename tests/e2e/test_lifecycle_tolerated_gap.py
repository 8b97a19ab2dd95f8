"""A tolerated-gap case (容缺受理): accepted with a tolerable material missing, carried to delivery,
refused archiving until the material is supplied, then archived."""

from __future__ import annotations

from tests.e2e.test_lifecycle_common import (
    CALENDAR,
    OTHER_VILLAGE,
    VILLAGE,
    act,
    call,
    catalog_materials,
    date_zh,
    detail,
    document,
    event_day,
    held_by,
    ok,
    refused,
    submit,
    summary,
    try_act,
)
from tests.support.system import System

CODE, DEPT = "MZ-001", "c01.d.civil-affairs"
WANG = ("wang", VILLAGE)
QIAN = ("qian", DEPT)


def supplement(system: System, case_id: str, materials: list[str], actor: tuple[str, str] = WANG):  # type: ignore[no-untyped-def]
    return call(system, "POST", "intake", f"/api/cases/{case_id}/supplement", actor, {"materials": materials})


def test_a_tolerated_gap_blocks_archiving_until_the_material_is_supplied(system: System) -> None:
    (gap,) = catalog_materials(system, CODE, "tolerable")
    case = submit(system, CODE, catalog_materials(system, CODE, "required"))
    case_id = case["case_id"]
    assert case["status"] == "accepted"
    assert [m["code"] for m in case["tolerated_missing"]] == [gap]
    assert [m["code"] for m in case["tolerated_outstanding"]] == [gap]
    accepted_on = event_day(detail(system, case_id), "CaseAccepted")
    assert case["tolerated_due"] == CALENDAR.add_workdays(accepted_on, 5).date_value.isoformat()
    gap_name = case["tolerated_missing"][0]["name"]

    receipt = document(system, case_id, "receipt")
    assert "<h1>受理回执</h1>" in receipt and "符合容缺受理条件" in receipt
    assert f"<li>{gap_name}</li>" in receipt and f"请于{date_zh(case['tolerated_due'])}前补交" in receipt

    held_by(system, DEPT, case_id)
    act(system, QIAN, case_id, "claim")
    act(system, QIAN, case_id, "decide", {"approved": True, "reason": "符合登记条件"})
    act(system, QIAN, case_id, "issue-result", {"result": "社会团体法人登记证书 示社证字第0002号"})
    held_by(system, VILLAGE, case_id)
    v = summary(system, case_id)["version"]
    no_mandate = {"method": "proxy", "recipient": "李四"}
    refused(
        system, try_act(system, WANG, case_id, "deliver", no_mandate), 409, "no_proxy_mandate", case_id, v
    )
    act(system, WANG, case_id, "deliver", {"method": "in_person", "recipient": "李四"})

    v = summary(system, case_id)["version"]
    message = refused(
        system, try_act(system, WANG, case_id, "close"), 409, "tolerated_material_outstanding", case_id, v
    )
    assert gap_name in message
    # after acceptance only the tolerated material is owed, and only where the case is
    refused(system, supplement(system, case_id, ["m1"]), 422, "not_owed", case_id, v)
    other = ("zhou", OTHER_VILLAGE)
    refused(system, supplement(system, case_id, [gap], other), 403, "case_not_visible", case_id, v)

    after = ok(supplement(system, case_id, [gap]))
    assert after["tolerated_outstanding"] == [] and after["version"] == v + 1
    refused(system, supplement(system, case_id, [gap]), 409, "invalid_state", case_id, v + 1)
    act(system, WANG, case_id, "close")
    final = detail(system, case_id)
    assert final["status"] == "closed"
    types = [t["type"] for t in final["timeline"]]
    assert types.index("MaterialsSupplemented") > types.index("ResultDelivered")
    assert types[-1] == "CaseClosed"
    delivery = document(system, case_id, "delivery")
    assert "<h1>送达回执</h1>" in delivery and "社会团体法人登记证书 示社证字第0002号" in delivery
    assert "本人领取" in delivery and "受送达人签名或盖章" in delivery
