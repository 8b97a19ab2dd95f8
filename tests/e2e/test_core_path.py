"""A matter travels village → county window → back to the village, through the four real services."""

from __future__ import annotations

import json
import time
from typing import Any

import httpx

from tests.support.system import System

VILLAGE = "c01.t01.v01"
TOWNSHIP = "c01.t01"


def who(system: System, operator: str, node: str, role: str | None = None) -> dict[str, str]:
    """Bearer-token headers of a real (seeded) account at the node."""
    return system.who(operator, node, role)


def wait_for(fn, timeout: float = 15.0, interval: float = 0.1):  # type: ignore[no-untyped-def]
    end = time.monotonic() + timeout
    last = None
    while time.monotonic() < end:
        last = fn()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout}s (last: {last})")


def on_worklist(system: System, node: str, case_id: str, operator: str = "") -> dict[str, Any] | None:
    operator = operator or f"viewer@{node}"
    r = httpx.get(f"{system.url('node')}/api/nodes/{node}/worklist", headers=who(system, operator, node))
    assert r.status_code == 200, r.text
    return next((c for c in r.json() if c["case_id"] == case_id), None)


def act(
    system: System, node: str, operator: str, case_id: str, action: str, body: dict[str, Any] | None = None
) -> dict[str, Any]:
    r = httpx.post(
        f"{system.url('node')}/api/cases/{case_id}/{action}",
        headers=who(system, operator, node),
        json=body or {},
    )
    assert r.status_code == 200, f"{action}: {r.status_code} {r.text}"
    return r.json()


def submit(system: System, item_code: str, materials: list[str], node: str = VILLAGE) -> httpx.Response:
    return httpx.post(
        f"{system.url('intake')}/api/cases",
        headers=who(system, "wang", node),
        json={
            "item_code": item_code,
            "applicant": {"name": "李四", "phone": "13900000000"},
            "materials": materials,
        },
    )


def required_materials(system: System, code: str, kinds: tuple[str, ...] = ("required",)) -> list[str]:
    item = httpx.get(f"{system.url('intake')}/api/catalog/{code}").json()
    return [m["code"] for m in item["materials"] if m["kind"] in kinds]


def test_county_tier_matter_from_village_to_department_and_back(system: System) -> None:
    code = "MZ-001"  # 社团审批: county tier, civil-affairs
    dept = "c01.d.civil-affairs"
    r = submit(system, code, required_materials(system, code, ("required", "tolerable")))
    assert r.status_code == 201, r.text
    case = r.json()
    case_id = case["case_id"]
    assert case["status"] == "accepted" and case["deadline"]

    row = wait_for(lambda: on_worklist(system, dept, case_id))
    assert row["status"] == "handling" and row["holder"] == dept
    assert on_worklist(system, VILLAGE, case_id) is None  # the village no longer holds it

    act(system, dept, "li", case_id, "claim")
    act(system, dept, "li", case_id, "decide", {"approved": True, "reason": "符合登记条件"})
    act(system, dept, "li", case_id, "issue-result", {"result": "社会团体法人登记证书 示社证字第0001号"})

    wait_for(lambda: on_worklist(system, VILLAGE, case_id, "wang"))  # the result came back to the village
    act(system, VILLAGE, "wang", case_id, "deliver", {"method": "in_person", "recipient": "李四"})
    act(system, VILLAGE, "wang", case_id, "close")
    act(system, VILLAGE, "wang", case_id, "evaluate", {"rating": 5, "comment": "一次办好"})

    detail = httpx.get(
        f"{system.url('node')}/api/cases/{case_id}", headers=who(system, "wang", VILLAGE)
    ).json()
    types = [t["type"] for t in detail["timeline"]]
    assert types == [
        "CaseSubmitted",
        "CaseAccepted",
        "CaseRouted",
        "CaseClaimed",
        "CaseDecided",
        "ResultIssued",
        "CaseRouted",
        "ResultDelivered",
        "CaseClosed",
        "CaseEvaluated",
    ]
    assert detail["status"] == "closed" and detail["evaluation"] == 5

    # the audit trail: replay shows the full timeline, verify passes
    replay = system.cli("audit", "replay", "--case", case_id, "--json")
    assert replay.returncode == 0, replay.stderr
    assert [json.loads(line)["type"] for line in replay.stdout.splitlines()] == types
    table = system.cli("audit", "replay", "--case", case_id)
    assert "归档" in table.stdout and "送达" in table.stdout
    ledger = wait_for(lambda: _ledger(system, case_id, len(types)))
    assert all(e["chain_ok"] for e in ledger)
    verify = system.cli("audit", "verify")
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert "every chain intact" in verify.stdout

    # one trace from the intake request through routing, the node projection and the audit ledger
    command = next(s for s in system.spans("intake") if s["attributes"].get("liandong.case_id") == case_id)
    trace_id = command["trace_id"]
    server = [s for s in system.spans("intake") if s["trace_id"] == trace_id and s["kind"] == "SERVER"]
    assert server and server[0]["name"].startswith("POST /api/cases")  # the trace starts at the HTTP request
    for name in ("routing", "node", "audit"):
        wait_for(lambda n=name: any(s["trace_id"] == trace_id for s in system.spans(n)))


def _ledger(system: System, case_id: str, n: int) -> list[dict[str, Any]] | None:
    r = httpx.get(
        f"{system.url('audit')}/api/audit/cases/{case_id}", headers=who(system, "auditor1", "c01", "auditor")
    )
    if r.status_code != 200:
        return None
    rows = r.json()
    return rows if len(rows) == n else None


def test_township_matter_escalated_to_the_county_and_returned_result(system: System) -> None:
    code = "JS-001"
    item = httpx.get(f"{system.url('intake')}/api/catalog/{code}")
    if item.status_code != 200 or item.json()["tier"] != "township":
        code = next(
            i["code"]
            for i in httpx.get(f"{system.url('intake')}/api/catalog").json()
            if i["tier"] == "township"
        )
    dept_key = httpx.get(f"{system.url('intake')}/api/catalog/{code}").json()["department"]
    dept = f"c01.d.{dept_key}"
    r = submit(system, code, required_materials(system, code))
    assert r.status_code == 201, r.text
    case_id = r.json()["case_id"]

    wait_for(lambda: on_worklist(system, TOWNSHIP, case_id))
    act(system, TOWNSHIP, "zhao", case_id, "claim")
    act(system, TOWNSHIP, "zhao", case_id, "escalate", {"reason": "涉及跨乡镇事项，需县级部门审核"})
    wait_for(lambda: on_worklist(system, dept, case_id))
    act(system, dept, "qian", case_id, "claim")
    act(system, dept, "qian", case_id, "return", {"reason": "请乡镇补充现场核查意见"})
    wait_for(lambda: on_worklist(system, TOWNSHIP, case_id))
    act(system, TOWNSHIP, "zhao", case_id, "claim")
    act(system, TOWNSHIP, "zhao", case_id, "decide", {"approved": False, "reason": "不符合条件"})
    act(system, TOWNSHIP, "zhao", case_id, "issue-result", {"result": "不予批准决定书"})
    wait_for(lambda: on_worklist(system, VILLAGE, case_id, "wang"))
    detail = httpx.get(
        f"{system.url('node')}/api/cases/{case_id}", headers=who(system, "wang", VILLAGE)
    ).json()
    assert detail["outcome"] == "denied"
    assert [t["type"] for t in detail["timeline"]].count("CaseRouted") == 4
