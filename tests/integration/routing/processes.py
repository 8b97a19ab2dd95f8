"""``liandong routing`` as a real subprocess, on the test's NATS and PostgreSQL database."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import httpx

from tests.support.nats_server import free_port
from tests.support.system import ServiceProcess


def routing_process(
    name: str, nats_url: str, database_url: str, workdir: Path, clock: datetime | None = None
) -> ServiceProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LIANDONG_")}
    port = free_port()
    env.update(
        {
            "LIANDONG_NATS_URL": nats_url,
            "DATABASE_URL": database_url,
            "LIANDONG_DATA_DIR": str(workdir / "data"),
            "LIANDONG_ROUTING_PORT": str(port),
            "LIANDONG_LOG_LEVEL": "INFO",
            "LIANDONG_ROUTING_TEST_CONTROLS": "true",
            "LIANDONG_ROUTING_TIMER_POLL_SECONDS": "0.5",
            "LIANDONG_ROUTING_LEASE_SECONDS": "3",
            "PYTHONUNBUFFERED": "1",
        }
    )
    if clock is not None:
        env["LIANDONG_ROUTING_CLOCK"] = clock.isoformat()
    return ServiceProcess("routing", port, env, workdir / f"{name}.log")


def set_clock(proc: ServiceProcess, at: datetime) -> dict[str, object]:
    r = httpx.post(f"{proc.url}/control/clock", json={"at": at.isoformat()}, timeout=5)
    assert r.status_code == 200, r.text
    body: dict[str, object] = r.json()
    return body


def restart(proc: ServiceProcess, clock: datetime | None = None) -> None:
    if clock is not None:
        proc.env["LIANDONG_ROUTING_CLOCK"] = clock.isoformat()
    proc.start()
    proc.wait_healthy()
