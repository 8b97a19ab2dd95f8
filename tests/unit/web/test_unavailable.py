"""JetStream away (no stream leader, connection lost): a request gets 503 with Retry-After and a
message that says nothing was saved — not a 500."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI
from nats.js.errors import NoStreamResponseError

from shared.eventstore import StoreUnavailable
from shared.web.errors import install_error_handlers


@pytest.mark.parametrize("exc", [StoreUnavailable("append: no answer"), NoStreamResponseError()])
async def test_an_unavailable_event_store_is_a_503_saying_nothing_was_saved(exc: Exception) -> None:
    app = FastAPI()
    install_error_handlers(app)

    @app.post("/act")
    async def act() -> None:
        raise exc

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://node") as client:
        r = await client.post("/act")
    assert r.status_code == 503
    assert r.headers["retry-after"] == "2"
    error = r.json()["error"]
    assert error["code"] == "unavailable" and "未保存" in error["message"]
