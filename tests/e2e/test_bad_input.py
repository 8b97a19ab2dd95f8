"""Bad input over HTTP: a clear 4xx naming the problem, and nothing appended."""

from __future__ import annotations

import httpx
import pytest

from tests.e2e.test_core_path import VILLAGE, act, required_materials, submit, wait_for, who
from tests.support.auth import bearer, mint
from tests.support.system import System


def error(r: httpx.Response, status: int, code: str) -> dict[str, str]:
    assert r.status_code == status, f"{r.status_code} {r.text}"
    err = r.json()["error"]
    assert err["code"] == code, err
    assert err["message"] and err["message_en"]
    return err


def timeline_types(system: System, case_id: str, node: str = VILLAGE) -> list[str]:
    r = httpx.get(f"{system.url('node')}/api/cases/{case_id}", headers=who(system, "wang", node))
    assert r.status_code == 200, r.text
    return [t["type"] for t in r.json()["timeline"]]


def test_unknown_item_code(system: System) -> None:
    err = error(submit(system, "XX-999", []), 404, "unknown_item")
    assert err["field"] == "item_code" and "XX-999" in err["message"]


def test_token_for_a_node_not_in_the_org_tree(system: System) -> None:
    token = mint(system.auth_secret, "wang", "c01.t09.v99", "village_operator")
    r = httpx.post(
        f"{system.url('intake')}/api/cases",
        headers=bearer(token),
        json={"item_code": "MZ-001", "applicant": {"name": "张三"}, "materials": []},
    )
    error(r, 401, "invalid_token")


def test_unknown_node_worklist(system: System) -> None:
    r = httpx.get(
        f"{system.url('node')}/api/nodes/c01.t09.v99/worklist", headers=who(system, "wang", VILLAGE)
    )
    err = error(r, 404, "unknown_node")
    assert "c01.t09.v99" in err["message"]


def test_missing_identity_is_401(system: System) -> None:
    r = httpx.post(f"{system.url('intake')}/api/cases", json={"item_code": "MZ-001"})
    error(r, 401, "unauthenticated")


def test_malformed_json(system: System) -> None:
    r = httpx.post(
        f"{system.url('intake')}/api/cases",
        headers={**who(system, "wang", VILLAGE), "content-type": "application/json"},
        content=b'{"item_code": "MZ-001", ',
    )
    error(r, 400, "malformed_json")


def test_invalid_field_is_named(system: System) -> None:
    r = httpx.post(
        f"{system.url('intake')}/api/cases",
        headers=who(system, "wang", VILLAGE),
        json={"item_code": "MZ-001", "applicant": {"name": "张三", "id_number": "123"}, "materials": []},
    )
    err = error(r, 422, "invalid_input")
    assert err["field"] == "applicant.id_number"


def test_oversized_body(system: System) -> None:
    r = httpx.post(
        f"{system.url('intake')}/api/cases",
        headers=who(system, "wang", VILLAGE),
        json={"item_code": "MZ-001", "applicant": {"name": "张"}, "materials": ["x" * 100] * 1000},
    )
    error(r, 413, "too_large")


@pytest.fixture(scope="module")
def held_case(system: System) -> str:
    r = submit(system, "MZ-001", required_materials(system, "MZ-001"))
    case_id = r.json()["case_id"]
    wait_for(
        lambda: any(
            c["case_id"] == case_id
            for c in httpx.get(
                f"{system.url('node')}/api/nodes/c01.d.civil-affairs/worklist",
                headers=who(system, "li", "c01.d.civil-affairs"),
            ).json()
        )
    )
    return case_id


def test_action_on_a_case_this_node_does_not_hold(system: System, held_case: str) -> None:
    before = timeline_types(system, held_case)
    r = httpx.post(
        f"{system.url('node')}/api/cases/{held_case}/claim", headers=who(system, "wang", VILLAGE), json={}
    )
    error(r, 403, "case_not_held")
    r = httpx.post(
        f"{system.url('node')}/api/cases/{held_case}/claim", headers=who(system, "x", "c01.t02.v01"), json={}
    )
    error(r, 403, "case_not_visible")
    assert timeline_types(system, held_case) == before


def test_action_not_allowed_in_the_state(system: System, held_case: str) -> None:
    before = timeline_types(system, held_case)
    r = httpx.post(
        f"{system.url('node')}/api/cases/{held_case}/deliver",
        headers=who(system, "li", "c01.d.civil-affairs"),
        json={},
    )
    error(r, 409, "invalid_state")
    assert timeline_types(system, held_case) == before


def test_stale_write_is_a_conflict(system: System, held_case: str) -> None:
    dept = "c01.d.civil-affairs"
    detail = httpx.get(f"{system.url('node')}/api/cases/{held_case}", headers=who(system, "li", dept)).json()
    version = detail["version"]
    act(system, dept, "li", held_case, "claim", {"expected_version": version})
    r = httpx.post(
        f"{system.url('node')}/api/cases/{held_case}/decide",
        headers=who(system, "li", dept),
        json={"approved": True, "expected_version": version},
    )  # the operator's page is one version old
    error(r, 409, "concurrent_update")
    assert timeline_types(system, held_case).count("CaseDecided") == 0


def test_two_operators_claim_at_once_one_wins(system: System) -> None:
    import concurrent.futures

    r = submit(system, "MZ-001", required_materials(system, "MZ-001"))
    assert r.status_code == 201, r.text
    case_id = r.json()["case_id"]
    dept = (
        "c01.d."
        + httpx.get(f"{system.url('node')}/api/cases/{case_id}", headers=who(system, "wang", VILLAGE)).json()[
            "item"
        ]["department"]
    )
    wait_for(
        lambda: any(
            c["case_id"] == case_id
            for c in httpx.get(
                f"{system.url('node')}/api/nodes/{dept}/worklist", headers=who(system, "a", dept)
            ).json()
        )
    )

    def claim(op: str) -> httpx.Response:
        return httpx.post(
            f"{system.url('node')}/api/cases/{case_id}/claim", headers=who(system, op, dept), json={}
        )

    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        results = list(pool.map(claim, ["alice", "bob"]))
    codes = sorted(r.status_code for r in results)
    assert codes == [200, 409], [r.text for r in results]
    loser = next(r for r in results if r.status_code == 409)
    assert loser.json()["error"]["code"] == "already_claimed"
    assert timeline_types(system, case_id).count("CaseClaimed") == 1
