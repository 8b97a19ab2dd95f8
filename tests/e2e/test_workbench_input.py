"""Bad input at the workbench and its tokens: oversized fields, HTML in names and reasons (escaped on
every page), missing or wrong CSRF tokens, expired, forged and disabled sessions — each refused
with a clear message, nothing appended."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from tests.e2e.test_core_path import on_worklist, required_materials, wait_for
from tests.support.auth import TEST_PASSWORD, bearer, mint
from tests.support.system import System

VILLAGE = "c01.t01.v03"  # 东王庄村
TOWNSHIP = "c01.t01"
ITEM = "RS-001"  # village tier: stays at the village that accepts it
SCRIPT = "<script>alert('x')</script>"
IMG = '<img src=x onerror="alert(1)">'


def browser_session(system: System, operator: str, node: str) -> httpx.Client:
    """An httpx client that logs in through the login form, as a browser does."""
    system.token(operator, node)  # seeds the account
    client = httpx.Client(base_url=system.url("node"), follow_redirects=False, timeout=20)
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token, page.text
    r = client.post(
        "/login", data={"operator_id": operator, "password": TEST_PASSWORD, "csrf_token": token.group(1)}
    )
    assert r.status_code == 303, r.text
    return client


def csrf_of(client: httpx.Client, path: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text)
    assert found
    return found.group(1)


@pytest.fixture(scope="module")
def village(system: System) -> httpx.Client:
    return browser_session(system, "inp.village", VILLAGE)


@pytest.fixture(scope="module")
def hostile_case(system: System, village: httpx.Client) -> str:
    """A case whose applicant name and organisation are HTML, submitted through the workbench."""
    form = {
        "csrf_token": csrf_of(village, f"/new/{ITEM}"),
        "name": SCRIPT[:60],
        "organization": IMG,
        "materials": required_materials(system, ITEM),
        "submission_key": "hostile-1",
    }
    r = village.post(f"/new/{ITEM}", data=form)
    assert r.status_code == 303, r.text
    case_id = r.headers["location"].split("/cases/")[1].split("?")[0]
    wait_for(lambda: on_worklist(system, VILLAGE, case_id))  # routed: the village holds it
    return case_id


def operator_rows(html: str) -> int:
    """Timeline rows written by people (the routing clock may add its marks at any moment)."""
    return sum(1 for row in html.split("<tr>")[1:] if "system:routing" not in row)


def test_html_in_names_and_reasons_is_escaped_on_every_page(
    system: System, village: httpx.Client, hostile_case: str
) -> None:
    csrf = csrf_of(village, f"/cases/{hostile_case}")
    r = village.post(f"/cases/{hostile_case}/act/claim", data={"csrf_token": csrf})
    assert r.status_code == 303, r.text
    r = village.post(
        f"/cases/{hostile_case}/act/escalate", data={"csrf_token": csrf, "reason": f"请上级审核 {IMG}"}
    )
    assert r.status_code == 303, r.text
    township = browser_session(system, "inp.township", TOWNSHIP)
    wait_for(lambda: hostile_case in township.get("/worklist").text)
    pages = [
        village.get(f"/cases/{hostile_case}"),
        village.get("/worklist?view=submitted"),
        village.get(f"/worklist?view=submitted&partial=1&q={SCRIPT[:20]}"),
        village.get(f"/cases/{hostile_case}/documents/receipt"),
        township.get("/worklist"),
        township.get(f"/cases/{hostile_case}"),
    ]
    for page in pages:
        assert page.status_code == 200, page.text
        html = page.text
        assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(" in pages[0].text  # shown, as text
    assert "&lt;img src=x onerror=" in pages[5].text  # the escalation reason in the timeline
    for page in pages:  # and no inline script could run anyway
        csp = page.headers.get("content-security-policy", "")
        assert "script-src 'self'" in csp or ("default-src 'none'" in csp and "script-src" not in csp)


def test_oversized_fields_are_refused_with_a_clear_message(
    system: System, village: httpx.Client, hostile_case: str
) -> None:
    csrf = csrf_of(village, f"/new/{ITEM}")
    r = village.post(f"/new/{ITEM}", data={"csrf_token": csrf, "name": "张" * 61, "submission_key": "big-1"})
    assert r.status_code == 422 and "过长" in r.text
    before = operator_rows(village.get(f"/cases/{hostile_case}").text)
    r = httpx.post(
        f"{system.url('node')}/api/cases/{hostile_case}/escalate",
        headers=system.who("inp.village", VILLAGE),
        json={"reason": "理" * 600},
    )
    assert r.status_code == 422 and r.json()["error"]["field"] == "reason"
    r = village.post(f"/cases/{hostile_case}/act/return", data={"csrf_token": csrf, "reason": "x" * 70_000})
    assert r.status_code == 413 and "过大" in r.json()["error"]["message"]
    r = httpx.post(
        f"{system.url('node')}/api/login", json={"operator_id": "x" * 65, "password": "y"}
    )  # oversized login
    assert r.status_code == 422
    assert operator_rows(village.get(f"/cases/{hostile_case}").text) == before


def test_wrong_or_missing_csrf_token_is_rejected(
    system: System, village: httpx.Client, hostile_case: str
) -> None:
    for data in ({}, {"csrf_token": "forged"}, {"csrf_token": csrf_of(village, "/worklist") + "x"}):
        r = village.post(f"/new/{ITEM}", data={**data, "name": "张三", "submission_key": "csrf-1"})
        assert r.status_code == 403 and "安全校验未通过" in r.text, r.text
        r = village.post(f"/cases/{hostile_case}/act/claim", data=data)
        assert r.status_code == 403 and "安全校验未通过" in r.text
    # the JSON API with the session cookie needs the token in a header
    r = village.post(f"/api/cases/{hostile_case}/claim", json={})
    assert r.status_code == 403 and r.json()["error"]["code"] == "csrf_failed"
    r = village.post("/logout")
    assert r.status_code == 403
    # the login form has its own token
    fresh = httpx.Client(base_url=system.url("node"))
    fresh.get("/login")
    r = fresh.post(
        "/login", data={"operator_id": "inp.village", "password": TEST_PASSWORD, "csrf_token": "x"}
    )
    assert r.status_code == 403 and "安全校验未通过" in r.text


def test_expired_forged_and_tampered_tokens_are_401(system: System) -> None:
    system.token("inp.tok", VILLAGE)
    past = datetime.now(UTC) - timedelta(hours=3)
    expired = mint(system.auth_secret, "inp.tok", VILLAGE, now=past, ttl=timedelta(hours=1))
    forged = mint("another-secret-" + "x" * 40, "inp.tok", VILLAGE)
    good = mint(system.auth_secret, "inp.tok", VILLAGE)
    head, body, sig = good.split(".")
    tampered = f"{head}.{body[:-2]}AA.{sig}"
    for service, path in (("node", "/api/me"), ("intake", "/api/cases/x"), ("audit", "/api/audit/findings")):
        for token, code in (
            (expired, "token_expired"),
            (forged, "invalid_token"),
            (tampered, "invalid_token"),
        ):
            r = httpx.get(f"{system.url(service)}{path}", headers=bearer(token))
            assert r.status_code == 401 and r.json()["error"]["code"] == code, (service, r.text)
        r = httpx.get(f"{system.url(service)}{path}", headers={"Authorization": "Basic abc"})
        assert r.status_code == 401 and r.json()["error"]["code"] == "unauthenticated"
    # a browser without a session is sent to the login page
    r = httpx.get(f"{system.url('node')}/worklist")
    assert r.status_code == 303 and r.headers["location"].startswith("/login")


def test_login_api_and_disabled_accounts(system: System) -> None:
    system.token("inp.dis", VILLAGE)
    r = httpx.post(
        f"{system.url('node')}/api/login", json={"operator_id": "inp.dis", "password": TEST_PASSWORD}
    )
    assert r.status_code == 200, r.text
    doc = r.json()
    assert doc["operator"]["node_id"] == VILLAGE and doc["operator"]["role"] == "village_operator"
    token = doc["token"]
    assert httpx.get(f"{system.url('node')}/api/me", headers=bearer(token)).status_code == 200
    wrong = httpx.post(
        f"{system.url('node')}/api/login", json={"operator_id": "inp.dis", "password": "nope-nope"}
    )
    assert wrong.status_code == 401 and wrong.json()["error"]["code"] == "login_failed"
    unknown = httpx.post(
        f"{system.url('node')}/api/login", json={"operator_id": "nobody", "password": "nope-nope"}
    )
    assert (
        unknown.status_code == 401 and unknown.json()["error"]["message"] == wrong.json()["error"]["message"]
    )
    for odd in ("in\u0000p.dis", "\ud800x", "<b>x</b>"):  # NUL, a lone surrogate, markup: refused, no 500
        body = json.dumps({"operator_id": odd, "password": "x\u0000y"})  # ASCII escapes, as a fuzzer sends
        r = httpx.post(
            f"{system.url('node')}/api/login", content=body, headers={"content-type": "application/json"}
        )
        assert r.status_code in (401, 422) and r.json()["error"]["message"], r.text
    out = system.cli("accounts", "disable", "inp.dis")
    assert out.returncode == 0, out.stderr
    r = httpx.get(f"{system.url('node')}/api/me", headers=bearer(token))
    assert r.status_code == 401 and r.json()["error"]["code"] == "account_disabled"
    r = httpx.post(
        f"{system.url('node')}/api/login", json={"operator_id": "inp.dis", "password": TEST_PASSWORD}
    )
    assert r.status_code == 401
