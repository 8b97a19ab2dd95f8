"""Joint review (会签 / 或签) with three departments, over HTTP through the four real services, and
the deadline clock seen from a worklist.

The services run with a copy of the demo catalog in which the 或签 item WT-004 names a third
department (health), so both modes are exercised with three reviewers. Each mode ends with a late
opinion that is recorded and changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from shared.calendar import WorkCalendar
from shared.clock import LOCAL_TZ, local_midnight
from tests.conftest import _run_in_thread, require
from tests.e2e.test_core_path import VILLAGE, act, required_materials, submit, wait_for, who
from tests.e2e.test_workbench_input import browser_session
from tests.support import postgres
from tests.support.nats_server import NatsServer
from tests.support.system import System

CATALOG = Path(__file__).resolve().parents[2] / "shared" / "catalog" / "demo_catalog.yaml"
WINDOW = {
    key: f"c01.d.{key}"
    for key in (
        "construction",
        "culture",
        "planning",
        "environment",
        "fire-rescue",
        "public-security",
        "health",
    )
}


@pytest.fixture(scope="module")
def routed_system(tmp_path_factory: pytest.TempPathFactory) -> Iterator[System]:
    workdir = tmp_path_factory.mktemp("routing-e2e")
    catalog = workdir / "catalog.yaml"
    text = CATALOG.read_text(encoding="utf-8")
    three = text.replace(
        "departments: [public-security, fire-rescue]}", "departments: [public-security, fire-rescue, health]}"
    )
    assert three != text
    catalog.write_text(three, encoding="utf-8")
    db = postgres.TestDatabase()
    try:
        _run_in_thread(db.create())
    except postgres.PostgresUnavailable as exc:
        require(False, str(exc))
    nats = NatsServer(store_dir=workdir / "nats").start()
    env = {
        "LIANDONG_CATALOG_PATH": str(catalog),
        "LIANDONG_ROUTING_TEST_CONTROLS": "true",
        "LIANDONG_ROUTING_CLOCK": datetime.now(LOCAL_TZ).isoformat(),
    }
    system = System(nats.url, db.raw_url, workdir, extra_env=env)
    try:
        system.start()
        yield system
    finally:
        for svc in system.services.values():  # kill: a graceful stop of node and audit takes ~15 s each
            svc.kill()
        nats.cleanup()
        _run_in_thread(db.drop())


def reviews(system: System, node: str, include_answered: bool = False) -> list[dict[str, Any]]:
    r = httpx.get(
        f"{system.url('node')}/api/nodes/{node}/reviews",
        params={"include_answered": include_answered},
        headers=who(system, f"rev@{node}", node),
    )
    assert r.status_code == 200, r.text
    return list(r.json())


def review_of(
    system: System, node: str, case_id: str, include_answered: bool = False
) -> dict[str, Any] | None:
    return next((t for t in reviews(system, node, include_answered) if t["case_id"] == case_id), None)


def opinion(system: System, node: str, case_id: str, approve: bool, text: str = "") -> httpx.Response:
    return httpx.post(
        f"{system.url('node')}/api/cases/{case_id}/opinion",
        headers=who(system, f"rev@{node}", node),
        json={"approve": approve, "opinion": text},
    )


def timeline(system: System, case_id: str, node: str, operator: str) -> list[str]:
    r = httpx.get(f"{system.url('node')}/api/cases/{case_id}", headers=who(system, operator, node))
    assert r.status_code == 200, r.text
    return [t["type"] for t in r.json()["timeline"]]


def start_review(system: System, code: str, lead: str) -> str:
    r = submit(system, code, required_materials(system, code))
    assert r.status_code == 201, r.text
    case_id: str = r.json()["case_id"]
    wait_for(lambda: timeline(system, case_id, VILLAGE, "wang")[-1] == "CaseRouted")
    act(system, lead, f"lead@{lead}", case_id, "claim")
    act(system, lead, f"lead@{lead}", case_id, "request-joint-review")
    return case_id


def concluded(system: System, case_id: str, lead: str) -> bool:
    return "JointReviewConcluded" in timeline(system, case_id, lead, f"lead@{lead}")


def test_countersign_three_departments_one_refusal_rejects_and_a_late_approval_changes_nothing(
    routed_system: System,
) -> None:
    s, lead = routed_system, WINDOW["construction"]
    case_id = start_review(s, "ZJ-001", lead)  # 会签: planning, environment, fire-rescue
    for key in ("planning", "environment", "fire-rescue"):  # fan-out: each window sees its task
        task = wait_for(lambda k=key: review_of(s, WINDOW[k], case_id))
        assert (task["mode"], task["department"], task["lead_node"], task["concluded"]) == (
            "all",
            key,
            lead,
            False,
        )
        assert (
            httpx.get(
                f"{s.url('node')}/api/cases/{case_id}", headers=who(s, f"rev@{WINDOW[key]}", WINDOW[key])
            ).status_code
            == 200
        )
    assert review_of(s, WINDOW["health"], case_id) is None  # not a reviewer

    assert opinion(s, WINDOW["planning"], case_id, True, "符合规划").status_code == 200
    assert not concluded(s, case_id, lead)
    decide = httpx.post(
        f"{s.url('node')}/api/cases/{case_id}/decide",
        headers=who(s, f"lead@{lead}", lead),
        json={"approved": True},
    )
    assert decide.status_code == 409 and decide.json()["error"]["code"] == "joint_review_required"
    assert opinion(s, WINDOW["environment"], case_id, False, "环评未通过").status_code == 200
    wait_for(lambda: concluded(s, case_id, lead))  # fan-in: one refusal rejects under 会签

    late = wait_for(lambda: (t := review_of(s, WINDOW["fire-rescue"], case_id)) and t["concluded"] and t)
    assert late["result"] == "rejected" and not late["answered"]
    assert opinion(s, WINDOW["fire-rescue"], case_id, True, "消防合格").status_code == 200
    answered = wait_for(
        lambda: review_of(s, WINDOW["fire-rescue"], case_id, include_answered=True)["answered"]
    )
    assert answered
    row = review_of(s, WINDOW["fire-rescue"], case_id, include_answered=True)
    assert row is not None and row["late"] and row["result"] == "rejected"
    assert review_of(s, WINDOW["fire-rescue"], case_id) is None  # no longer pending
    again = opinion(s, WINDOW["fire-rescue"], case_id, False, "再提一次")
    assert again.status_code == 409 and again.json()["error"]["code"] == "opinion_recorded"

    types = timeline(s, case_id, lead, f"lead@{lead}")
    assert types.count("JointReviewDispatched") == 1 and types.count("JointReviewConcluded") == 1
    assert types.index("JointReviewConcluded") < len(types) - 1  # the late opinion came after it
    refused = httpx.post(
        f"{s.url('node')}/api/cases/{case_id}/decide",
        headers=who(s, f"lead@{lead}", lead),
        json={"approved": True},
    )
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "joint_review_rejected"
    act(
        s,
        lead,
        f"lead@{lead}",
        case_id,
        "decide",
        {"approved": False, "reason": "联合审查未通过：环评未通过"},
    )


def test_countersign_all_three_approve(routed_system: System) -> None:
    s, lead = routed_system, WINDOW["construction"]
    case_id = start_review(s, "ZJ-001", lead)
    for key in ("planning", "environment", "fire-rescue"):
        wait_for(lambda k=key: review_of(s, WINDOW[k], case_id))
        assert not concluded(s, case_id, lead)
    # the reviewing window's workbench lists the review it owes, linking to the case page
    page = browser_session(s, f"rev@{WINDOW['planning']}", WINDOW["planning"]).get("/worklist")
    assert (
        page.status_code == 200 and "待提出意见的联合审查" in page.text and f"/cases/{case_id}" in page.text
    )
    for key in ("planning", "environment", "fire-rescue"):
        assert opinion(s, WINDOW[key], case_id, True, "同意").status_code == 200
    wait_for(lambda: concluded(s, case_id, lead))
    act(s, lead, f"lead@{lead}", case_id, "decide", {"approved": True, "reason": "联合审查通过"})


def test_any_of_three_one_approval_approves_and_a_late_refusal_changes_nothing(routed_system: System) -> None:
    s, lead = routed_system, WINDOW["culture"]
    case_id = start_review(s, "WT-004", lead)  # 或签: public-security, fire-rescue, health
    for key in ("public-security", "fire-rescue", "health"):
        task = wait_for(lambda k=key: review_of(s, WINDOW[k], case_id))
        assert task["mode"] == "any" and task["kind"] == "joint_prereview"

    assert opinion(s, WINDOW["public-security"], case_id, False, "治安条件不符").status_code == 200
    assert not concluded(s, case_id, lead)  # one refusal is not enough under 或签
    assert opinion(s, WINDOW["health"], case_id, True, "卫生合格").status_code == 200
    wait_for(lambda: concluded(s, case_id, lead))

    late = wait_for(lambda: (t := review_of(s, WINDOW["fire-rescue"], case_id)) and t["concluded"] and t)
    assert late["result"] == "approved"
    assert opinion(s, WINDOW["fire-rescue"], case_id, False, "消防通道不畅").status_code == 200
    row = wait_for(
        lambda: (
            review_of(s, WINDOW["fire-rescue"], case_id, include_answered=True)["answered"]
            and (review_of(s, WINDOW["fire-rescue"], case_id, include_answered=True))
        )
    )
    assert row["late"] and row["result"] == "approved"
    assert timeline(s, case_id, lead, f"lead@{lead}").count("JointReviewConcluded") == 1
    act(s, lead, f"lead@{lead}", case_id, "decide", {"approved": True, "reason": "联合预审通过"})


def test_the_clock_warns_a_promised_case_on_its_worklist(routed_system: System) -> None:
    s, window = routed_system, "c01.d.statistics"
    r = submit(s, "TJ-001", required_materials(s, "TJ-001"))
    assert r.status_code == 201, r.text
    case_id, deadline = r.json()["case_id"], datetime.fromisoformat(r.json()["deadline"]).date()
    row = wait_for(lambda: _row(s, window, case_id))
    assert not row["warned"]
    warn_at = local_midnight(WorkCalendar.load(None).previous_workday(deadline).date_value)
    moved = httpx.post(
        f"{s.url('routing')}/control/clock", json={"at": (warn_at + timedelta(minutes=1)).isoformat()}
    )
    assert moved.status_code == 200, moved.text
    wait_for(lambda: "DeadlineWarned" in timeline(s, case_id, window, "li"))
    assert wait_for(lambda: _row(s, window, case_id)["warned"])  # a yellow card on the worklist
    assert timeline(s, case_id, window, "li").count("DeadlineWarned") == 1


def _row(s: System, node: str, case_id: str) -> dict[str, Any] | None:
    r = httpx.get(f"{s.url('node')}/api/nodes/{node}/worklist", headers=who(s, "li", node))
    assert r.status_code == 200, r.text
    return next((c for c in r.json() if c["case_id"] == case_id), None)
