"""A load generator that submits cases at a village and handles them to the end, through HTTP.

Each worker drives one case at a time: submit (with an idempotency key, so a retried submission
never makes a second case) → wait until routing places it at the township → claim → decide →
issue the result → wait until it is back at the village → deliver → close. After any failure
(5xx, refused connection, timeout) it reads the case again and carries on from the state that
actually won, so a fault only slows it down. Every 2xx answer is recorded as an acknowledgement:
the fault suite later checks that each one is in the stream exactly once.
"""

from __future__ import annotations

import asyncio
import itertools
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

Auth = Callable[[str, str, str | None], dict[str, str]]
VILLAGE = "c01.t01.v01"
TOWNSHIP = "c01.t01"

# the next action at the node holding the case, by status; None: wait (in transit or done)
BODIES: dict[str, dict[str, Any]] = {
    "claim": {},
    "decide": {"approved": True, "reason": "符合条件，予以办理"},
    "issue-result": {"result": "准予办理决定书"},
    "deliver": {"method": "in_person", "recipient": "张三"},
    "close": {},
}


def header_auth(operator: str, node: str, role: str | None = None) -> dict[str, str]:
    h = {"X-Operator-Id": operator, "X-Node-Id": node}
    if role:
        h["X-Role"] = role
    return h


@dataclass(frozen=True)
class Ack:
    case_id: str
    action: str
    version: int


@dataclass
class LoadStats:
    acks: list[Ack] = field(default_factory=list)
    closed: set[str] = field(default_factory=set)
    cases: set[str] = field(default_factory=set)
    errors: Counter[str] = field(default_factory=Counter)

    def summary(self) -> str:
        return (
            f"{len(self.cases)} cases, {len(self.closed)} closed, {len(self.acks)} acknowledged writes, "
            f"errors {dict(self.errors)}"
        )


def next_action(case: dict[str, Any]) -> str | None:
    if case.get("in_transit") or not case.get("holder"):
        return None
    status = case["status"]
    if status == "handling":
        return "decide" if case.get("owner") else "claim"
    return {"decided": "issue-result", "result_issued": "deliver", "delivered": "close"}.get(status)


class LoadGenerator:
    def __init__(
        self,
        intake_url: str,
        node_url: str,
        item_code: str,
        materials: list[str],
        auth: Auth = header_auth,
        concurrency: int = 8,
        timeout: float = 10.0,
    ) -> None:
        self.intake_url = intake_url
        self.node_url = node_url
        self.item_code = item_code
        self.materials = materials
        self.auth = auth
        self.concurrency = concurrency
        self.client = httpx.AsyncClient(timeout=timeout, limits=httpx.Limits(max_connections=concurrency * 2))
        self.stats = LoadStats()
        self._n = itertools.count()

    async def close(self) -> None:
        await self.client.aclose()

    async def run(self, stop: asyncio.Event, max_cases: int | None = None) -> LoadStats:
        budget = itertools.count() if max_cases is None else iter(range(max_cases))

        async def worker() -> None:
            for _ in budget:
                if stop.is_set():
                    return
                await self.drive(stop)

        await asyncio.gather(*(worker() for _ in range(self.concurrency)))
        return self.stats

    async def _call(self, method: str, url: str, headers: dict[str, str], **kw: Any) -> httpx.Response | None:
        try:
            r = await self.client.request(method, url, headers=headers, **kw)
        except httpx.HTTPError as exc:
            self.stats.errors[type(exc).__name__] += 1
            return None
        if r.status_code >= 400:
            self.stats.errors[str(r.status_code)] += 1
        return r

    async def submit(self, stop: asyncio.Event) -> str | None:
        key = uuid.uuid4().hex
        headers = {**self.auth(f"v{next(self._n) % 5}", VILLAGE, None), "Idempotency-Key": key}
        body = {"item_code": self.item_code, "applicant": {"name": "张三"}, "materials": self.materials}
        delay = 0.1
        while not stop.is_set():
            r = await self._call("POST", f"{self.intake_url}/api/cases", headers, json=body)
            if r is not None and r.status_code in (200, 201):
                case = r.json()
                self.stats.cases.add(case["case_id"])
                if r.status_code == 201:
                    self.stats.acks.append(Ack(case["case_id"], "submit", case["version"]))
                return str(case["case_id"])
            await asyncio.sleep(delay)
            delay = min(delay * 2, 2.0)
        return None

    async def read(self, case_id: str) -> dict[str, Any] | None:
        r = await self._call(
            "GET", f"{self.node_url}/api/cases/{case_id}", self.auth("reader", VILLAGE, None)
        )
        return r.json() if r is not None and r.status_code == 200 else None

    async def drive(self, stop: asyncio.Event, deadline_s: float = 120.0) -> None:
        case_id = await self.submit(stop)
        if case_id is None:
            return
        end = time.monotonic() + deadline_s
        while not stop.is_set() and time.monotonic() < end:
            case = await self.read(case_id)
            if case is None:
                await asyncio.sleep(0.2)
                continue
            if case["status"] == "closed":
                self.stats.closed.add(case_id)
                return
            action = next_action(case)
            if action is None:
                await asyncio.sleep(0.05)
                continue
            node = case["holder"]
            url = f"{self.node_url}/api/cases/{case_id}/{action}"
            r = await self._call("POST", url, self.auth(f"op-{node}", node, None), json=BODIES[action])
            if r is not None and r.status_code == 200:
                self.stats.acks.append(Ack(case_id, action, int(r.json()["version"])))
            elif r is None or r.status_code >= 500:
                await asyncio.sleep(0.2)
