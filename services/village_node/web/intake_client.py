"""The workbench reaches intake over HTTP with the operator's own token: intake stays the one door
(一门受理) for submissions and supplements, and judges them with the operator's identity."""

from __future__ import annotations

from typing import Any

import httpx

from shared.web.errors import ApiError


class IntakeClient:
    def __init__(self, base_url: str, timeout: float = 15.0) -> None:
        self.base_url = base_url
        self._http = httpx.AsyncClient(base_url=base_url, timeout=timeout)

    async def close(self) -> None:
        await self._http.aclose()

    async def _call(self, method: str, path: str, token: str, **kwargs: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {token}", **kwargs.pop("headers", {})}
        try:
            return await self._http.request(method, path, headers=headers, **kwargs)
        except httpx.HTTPError as exc:
            raise ApiError(
                502,
                "intake_unreachable",
                "受理服务暂时无法连接，请稍后再试",
                f"intake at {self.base_url} unreachable: {type(exc).__name__}",
            ) from exc

    @staticmethod
    def _json(r: httpx.Response) -> dict[str, Any]:
        try:
            doc = r.json()
        except ValueError:
            doc = {}
        if r.status_code >= 400:
            err = doc.get("error") if isinstance(doc, dict) else None
            if isinstance(err, dict):
                raise ApiError(
                    r.status_code,
                    err.get("code", "intake_error"),
                    err.get("message", ""),
                    err.get("message_en", ""),
                    err.get("field"),
                )
            raise ApiError(r.status_code, "intake_error", "受理服务出错", f"intake answered {r.status_code}")
        return doc if isinstance(doc, dict) else {}

    async def submit(self, token: str, body: dict[str, Any], idempotency_key: str) -> dict[str, Any]:
        r = await self._call(
            "POST", "/api/cases", token, json=body, headers={"Idempotency-Key": idempotency_key}
        )
        return self._json(r)

    async def supplement(self, token: str, case_id: str, materials: list[str]) -> dict[str, Any]:
        r = await self._call("POST", f"/api/cases/{case_id}/supplement", token, json={"materials": materials})
        return self._json(r)

    async def documents(self, token: str, case_id: str) -> list[dict[str, Any]] | None:
        """The documents intake lists for the case (kind, seq, title, number …), None if it cannot."""
        try:
            r = await self._call("GET", f"/api/cases/{case_id}/documents", token)
        except ApiError:
            return None
        doc = r.json() if r.status_code == 200 else None
        return doc if isinstance(doc, list) else None

    async def document(self, token: str, case_id: str, kind: str, seq: int | None = None) -> str | None:
        """A printable document rendered by intake, or None when intake has none of this kind."""
        params = {"seq": seq} if seq else None
        r = await self._call("GET", f"/cases/{case_id}/documents/{kind}", token, params=params)
        if r.status_code == 404:
            return None
        if r.status_code >= 400 or not r.headers.get("content-type", "").startswith("text/html"):
            self._json(r)
            return None
        return r.text
