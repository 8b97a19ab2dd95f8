"""Steps shared by the lifecycle end-to-end tests (``test_lifecycle_*.py``); no tests here.

Every call goes over HTTP to the real services of the session ``system``; callers authenticate
with ``who`` from the core-path test (a real signed token of a seeded account)."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

import httpx

from shared.calendar import WorkCalendar
from shared.clock import local_date
from tests.e2e.test_core_path import on_worklist, wait_for, who
from tests.support.system import System

VILLAGE = "c01.t01.v01"
OTHER_VILLAGE = "c01.t01.v02"
TOWNSHIP = "c01.t01"
SUPERVISION = ("du", "c01", "supervision")
CALENDAR = WorkCalendar.load(Path("config/holidays"))  # what the services load (the default)
CJK = re.compile(r"[\u4e00-\u9fff]")
APPLICANT = {"name": "李四", "phone": "13900000000", "id_number": "11010519491231002X"}

__all__ = ["on_worklist", "wait_for", "who"]


def call(
    system: System,
    method: str,
    service: str,
    path: str,
    actor: tuple[str, ...],
    body: dict[str, Any] | None = None,
    **kwargs: Any,
) -> httpx.Response:
    headers = who(system, *actor)
    return httpx.request(method, f"{system.url(service)}{path}", headers=headers, json=body, **kwargs)


def ok(r: httpx.Response, status: int = 200) -> Any:
    assert r.status_code == status, f"{r.request.method} {r.request.url.path}: {r.status_code} {r.text}"
    return r.json()


def catalog_materials(system: System, code: str, *kinds: str) -> list[str]:
    item = ok(httpx.get(f"{system.url('intake')}/api/catalog/{code}"))
    return [m["code"] for m in item["materials"] if m["kind"] in (kinds or ("required",))]


def submit(
    system: System, code: str, materials: list[str], node: str = VILLAGE, **extra: Any
) -> dict[str, Any]:
    body = {"item_code": code, "applicant": APPLICANT, "materials": materials, **extra}
    return ok(call(system, "POST", "intake", "/api/cases", ("wang", node), body), 201)


def summary(system: System, case_id: str, actor: tuple[str, ...] = ("wang", VILLAGE)) -> dict[str, Any]:
    """The case as intake loads it from the stream (its version counts every appended event)."""
    return ok(call(system, "GET", "intake", f"/api/cases/{case_id}", actor))


def detail(system: System, case_id: str, actor: tuple[str, ...] = ("wang", VILLAGE)) -> dict[str, Any]:
    return ok(call(system, "GET", "node", f"/api/cases/{case_id}", actor))


def act(
    system: System, actor: tuple[str, ...], case_id: str, action: str, body: dict[str, Any] | None = None
) -> dict[str, Any]:
    return ok(call(system, "POST", "node", f"/api/cases/{case_id}/{action}", actor, body or {}))


def try_act(
    system: System, actor: tuple[str, ...], case_id: str, action: str, body: dict[str, Any] | None = None
) -> httpx.Response:
    return call(system, "POST", "node", f"/api/cases/{case_id}/{action}", actor, body or {})


def refused(system: System, r: httpx.Response, status: int, code: str, case_id: str, version: int) -> str:
    """A refusal: the status, the English code, a Chinese message for operators — and nothing appended."""
    assert r.status_code == status, f"expected {status} {code}, got {r.status_code} {r.text}"
    error = r.json()["error"]
    assert error["code"] == code, error
    assert CJK.search(error["message"]), error
    assert error["message_en"] and not CJK.search(error["message_en"]), error
    assert summary(system, case_id)["version"] == version, f"{code}: something was appended"
    return str(error["message"])


def held_by(system: System, node: str, case_id: str) -> dict[str, Any]:
    return wait_for(lambda: on_worklist(system, node, case_id))


def event_at(case_detail: dict[str, Any], event_type: str, last: bool = True) -> datetime:
    found = [t for t in case_detail["timeline"] if t["type"] == event_type]
    assert found, f"no {event_type} in the timeline"
    at = found[-1 if last else 0]["at"]
    return at if isinstance(at, datetime) else datetime.fromisoformat(at)


def event_day(case_detail: dict[str, Any], event_type: str) -> date:
    return local_date(event_at(case_detail, event_type))


def date_zh(d: date | str) -> str:
    d = date.fromisoformat(d) if isinstance(d, str) else d
    return f"{d.year}年{d.month}月{d.day}日"


def documents(
    system: System, case_id: str, actor: tuple[str, ...] = ("wang", VILLAGE)
) -> list[dict[str, Any]]:
    return ok(call(system, "GET", "intake", f"/api/cases/{case_id}/documents", actor))


def document(
    system: System,
    case_id: str,
    kind: str,
    actor: tuple[str, ...] = ("wang", VILLAGE),
    seq: int | None = None,
) -> str:
    """The printable page, checked to be a self-contained HTML document for this very case."""
    params = {"seq": seq} if seq else None
    r = call(system, "GET", "intake", f"/cases/{case_id}/documents/{kind}", actor, params=params)
    assert r.status_code == 200, f"{kind}: {r.status_code} {r.text}"
    assert r.headers["content-type"].startswith("text/html")
    assert "default-src 'none'" in r.headers["content-security-policy"]
    assert r.headers["cache-control"] == "no-store"
    html = r.text
    assert html.startswith("<!DOCTYPE html>") and "@page { size: A4" in html
    return html
