"""Node-scoped access: every role against every case endpoint of node, intake and audit, for a case
of another node — 403 or 404, nothing appended; supervision and auditors read, auditors never write.

The endpoints are read from each service's OpenAPI document, so an endpoint added later is tried
too; request bodies are valid samples built from the same document, so the refusal cannot be a
mere validation error.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from services.village_node.actions import ACTIONS
from shared.web.access import SUPERVISION_ACTIONS
from tests.e2e.test_core_path import required_materials, submit, wait_for, who
from tests.support.system import System

OTHER_VILLAGE = "c01.t02.v01"  # 张集村: the case's origin
OTHER_TOWNSHIP = "c01.t02"  # 张集镇: the case's holder
ITEM = "GH-001"  # township tier: held by 张集镇 after routing
OUTSIDERS = [  # (operator, node, role): none of them holds, submitted, or takes part in the case
    ("acc.v", "c01.t01.v01", "village_operator"),
    ("acc.t", "c01.t01", "township_operator"),
    ("acc.d", "c01.d.statistics", "county_staff"),
    ("acc.staff", "c01", "county_staff"),
]
READERS = [("acc.sup", "c01", "supervision"), ("acc.aud", "c01", "auditor"), ("acc.admin", "c01", "admin")]
# supervision's own instruments (the core's rules decide them; admin may act for supervision)
OWN = {f"POST /api/cases/{{case_id}}/{a}" for a in SUPERVISION_ACTIONS if a in ACTIONS}


def _schema_sample(schema: dict[str, Any], components: dict[str, Any]) -> Any:
    if "$ref" in schema:
        return _schema_sample(components[schema["$ref"].rsplit("/", 1)[-1]], components)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [s for s in schema[key] if s.get("type") != "null"]
            return _schema_sample(options[0], components)
    if "enum" in schema:
        return schema["enum"][0]
    if "const" in schema:
        return schema["const"]
    kind = schema.get("type")
    if kind == "object":
        props = schema.get("properties", {})
        return {k: _schema_sample(props[k], components) for k in schema.get("required", []) if k in props}
    if kind == "array":
        return [_schema_sample(schema.get("items", {"type": "string"}), components)]
    if kind == "boolean":
        return True
    if kind == "integer":
        return max(int(schema.get("minimum", 1)), 1)
    if schema.get("format") == "date":
        return "2027-06-30"
    return "m1" if kind == "string" else {}


def case_endpoints(base: str) -> list[tuple[str, str, Any]]:
    """(method, path template, sample JSON body or None) of every route about one case."""
    doc = httpx.get(f"{base}/openapi.json").json()
    components = doc.get("components", {}).get("schemas", {})
    out = []
    for path, methods in doc["paths"].items():
        if "{case_id}" not in path:
            continue
        for method, op in methods.items():
            body = None
            schema = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            if schema is not None:
                body = _schema_sample(schema, components)
            out.append((method.upper(), path, body))
    return out


def _url(base: str, path: str, case_id: str) -> str:
    filled = path.replace("{case_id}", case_id)
    while "{" in filled:  # any other path parameter
        start = filled.index("{")
        filled = filled[:start] + "receipt" + filled[filled.index("}") + 1 :]
    return base + filled


def _history(system: System, case_id: str) -> tuple[int, int]:
    r = httpx.get(f"{system.url('node')}/api/cases/{case_id}", headers=who(system, *READERS[0]))
    assert r.status_code == 200, r.text
    detail = r.json()
    return detail["version"], len(detail["timeline"])


@pytest.fixture(scope="module")
def foreign_case(system: System) -> str:
    r = submit(system, ITEM, required_materials(system, ITEM), node=OTHER_VILLAGE)
    assert r.status_code == 201, r.text
    case_id = r.json()["case_id"]
    wait_for(
        lambda: (
            httpx.get(f"{system.url('node')}/api/cases/{case_id}", headers=who(system, *READERS[0])).json()[
                "holder"
            ]
            == OTHER_TOWNSHIP
        )
    )
    return case_id


def _try_all(
    system: System, case_id: str, headers: dict[str, str], skip: frozenset[str] = frozenset()
) -> list[tuple[str, str, int, str]]:
    results = []
    for service in ("node", "intake", "audit"):
        base = system.url(service)
        for method, path, body in case_endpoints(base):
            if f"{method} {path}" in skip:
                continue
            r = httpx.request(method, _url(base, path, case_id), headers=headers, json=body)
            code = ""
            if r.headers.get("content-type", "").startswith("application/json") and r.status_code >= 400:
                err = r.json()["error"]
                assert err["message"] and err["message_en"], r.text
                code = err["code"]
            results.append((service, f"{method} {path}", r.status_code, code))
    return results


@pytest.mark.parametrize("operator,node,role", OUTSIDERS)
def test_outsiders_neither_read_nor_act(
    system: System, foreign_case: str, operator: str, node: str, role: str
) -> None:
    before = _history(system, foreign_case)
    results = _try_all(system, foreign_case, who(system, operator, node, role))
    assert len(results) > 10
    wrong = [r for r in results if r[2] not in (403, 404)]
    assert not wrong, f"{role} at {node}: {wrong}"
    # the workbench's own pages and forms too (a bearer token needs no CSRF token)
    base = f"{system.url('node')}/cases/{foreign_case}"
    headers = who(system, operator, node, role)
    assert httpx.get(base, headers=headers).status_code == 403
    assert httpx.get(f"{base}/documents/receipt", headers=headers).status_code == 403
    assert httpx.post(f"{base}/act/claim", headers=headers, data={"version": "1"}).status_code == 403
    assert httpx.post(f"{base}/supplement", headers=headers, data={"materials": "m1"}).status_code == 403
    assert _history(system, foreign_case) == before


@pytest.mark.parametrize("operator,node,role", READERS)
def test_supervision_auditors_and_admin_read_but_do_not_handle(
    system: System, foreign_case: str, operator: str, node: str, role: str
) -> None:
    before = _history(system, foreign_case)
    headers = who(system, operator, node, role)
    for service, path in (("node", "/api/cases/"), ("intake", "/api/cases/"), ("audit", "/api/audit/cases/")):
        r = httpx.get(f"{system.url(service)}{path}{foreign_case}", headers=headers)
        assert r.status_code == 200, f"{service}: {r.text}"
    assert httpx.get(f"{system.url('node')}/cases/{foreign_case}", headers=headers).status_code == 200
    skip = frozenset(OWN) if role in ("supervision", "admin") else frozenset()
    writes = [r for r in _try_all(system, foreign_case, headers, skip) if not r[1].startswith("GET")]
    assert writes
    for service, route, status, code in writes:
        assert status in (403, 404), f"{role} {service} {route}: {status} {code}"
        if role == "auditor":
            assert status == 403 and code == "read_only_role", (service, route, status, code)
    assert _history(system, foreign_case) == before


def test_auditor_write_attempt_is_403(system: System, foreign_case: str) -> None:
    r = httpx.post(
        f"{system.url('node')}/api/cases/{foreign_case}/claim", headers=who(system, *READERS[1]), json={}
    )
    assert r.status_code == 403 and r.json()["error"]["code"] == "read_only_role"
    r = httpx.post(
        f"{system.url('intake')}/api/cases",
        headers=who(system, *READERS[1]),
        json={"item_code": ITEM, "applicant": {"name": "张三"}, "materials": []},
    )
    assert r.status_code == 403


def test_origin_village_reads_but_cannot_handle(system: System, foreign_case: str) -> None:
    headers = who(system, "acc.origin", OTHER_VILLAGE)
    before = _history(system, foreign_case)
    assert httpx.get(f"{system.url('node')}/api/cases/{foreign_case}", headers=headers).status_code == 200
    r = httpx.post(f"{system.url('node')}/api/cases/{foreign_case}/claim", headers=headers, json={})
    assert r.status_code == 403 and r.json()["error"]["code"] == "case_not_held"
    assert _history(system, foreign_case) == before
