"""NATS connections that ride out server restarts."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

import nats
import nats.errors
from faststream.nats.security import NatsUserPassword
from nats.aio.client import Client as NATS

if TYPE_CHECKING:
    from shared.settings import Settings

log = logging.getLogger("liandong.nats")


def nats_auth(settings: Settings) -> dict[str, Any]:
    """nats-py connection options naming the service's NATS user (deploy/nats/users.conf);
    nothing for the embedded server, which has no users."""
    if settings.nats_user:
        return {"user": settings.nats_user, "password": settings.nats_password}
    return {}


def broker_security(settings: Settings) -> NatsUserPassword | None:
    """The same user for a FastStream ``NatsBroker``."""
    if settings.nats_user:
        return NatsUserPassword(settings.nats_user, settings.nats_password)
    return None


async def connect(url: str, name: str, **auth: Any) -> NATS:
    async def on_disconnect() -> None:
        log.warning("nats disconnected", extra={"client": name})

    async def on_reconnect() -> None:
        log.warning("nats reconnected", extra={"client": name})

    async def on_error(exc: Exception) -> None:
        log.warning("nats error: %s", exc, extra={"client": name})

    delay = 0.2
    for attempt in range(60):
        try:
            return await _connect(url, name, on_disconnect, on_reconnect, on_error, auth)
        except (OSError, nats.errors.NoServersError, TimeoutError) as exc:
            log.warning(
                "nats not reachable yet (%s); retrying", exc.__class__.__name__, extra={"attempt": attempt}
            )
            await asyncio.sleep(delay)
            delay = min(delay * 2, 2.0)
    return await _connect(url, name, on_disconnect, on_reconnect, on_error, auth)


async def _connect(url, name, on_disconnect, on_reconnect, on_error, auth) -> NATS:
    return await nats.connect(
        **auth,
        servers=url.split(","),
        name=name,
        max_reconnect_attempts=-1,
        reconnect_time_wait=0.5,
        connect_timeout=5,
        allow_reconnect=True,
        disconnected_cb=on_disconnect,
        reconnected_cb=on_reconnect,
        error_cb=on_error,
    )


async def connect_for_command(settings: Settings, attempts: int = 3) -> NATS:
    """A connection for a one-shot command (audit, provisioning): a few quick tries, then a clear
    error; no reconnecting afterwards, since the command ends anyway."""
    last: Exception | None = None
    for _ in range(attempts):
        try:
            return await nats.connect(
                settings.nats_url.split(","),
                connect_timeout=2,
                max_reconnect_attempts=0,
                **nats_auth(settings),
            )
        except Exception as exc:
            last = exc
            await asyncio.sleep(0.5)
    raise RuntimeError(f"cannot reach NATS at {settings.nats_url}: {last}")
