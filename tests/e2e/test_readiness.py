"""``/ready`` in every service says what it checked: NATS and the service's database (routing also
its broker), and turns 503 when the database does not answer."""

from __future__ import annotations

import httpx
import pytest

from shared.db import make_database
from shared.web.readiness import readiness_checks
from tests.support.system import SERVICES, System


@pytest.mark.parametrize("name", SERVICES)
def test_every_service_is_ready_with_nats_and_its_database(system: System, name: str) -> None:
    r = httpx.get(f"{system.url(name)}/ready", timeout=10)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["ready"] is True
    assert body["checks"]["nats"] is True and body["checks"]["database"] is True, body
    if name == "routing":
        assert body["checks"]["broker"] is True, body


async def test_a_database_that_does_not_answer_is_not_ready(tmp_path) -> None:  # type: ignore[no-untyped-def]
    class Connected:
        is_connected = True

    away = make_database("postgresql://postgres@127.0.0.1:9/nowhere", "t_away", tmp_path)
    try:
        assert await readiness_checks(Connected(), away, timeout=2.0) == {"nats": True, "database": False}
    finally:
        await away.dispose()
