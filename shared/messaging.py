"""NATS connections that ride out server restarts."""

from __future__ import annotations

import asyncio
import logging

import nats
import nats.errors
from nats.aio.client import Client as NATS

log = logging.getLogger("liandong.nats")


async def connect(url: str, name: str) -> NATS:
    async def on_disconnect() -> None:
        log.warning("nats disconnected", extra={"client": name})

    async def on_reconnect() -> None:
        log.warning("nats reconnected", extra={"client": name})

    async def on_error(exc: Exception) -> None:
        log.warning("nats error: %s", exc, extra={"client": name})

    delay = 0.2
    for attempt in range(60):
        try:
            return await _connect(url, name, on_disconnect, on_reconnect, on_error)
        except (OSError, nats.errors.NoServersError, TimeoutError) as exc:
            log.warning(
                "nats not reachable yet (%s); retrying", exc.__class__.__name__, extra={"attempt": attempt}
            )
            await asyncio.sleep(delay)
            delay = min(delay * 2, 2.0)
    return await _connect(url, name, on_disconnect, on_reconnect, on_error)


async def _connect(url, name, on_disconnect, on_reconnect, on_error) -> NATS:
    return await nats.connect(
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
