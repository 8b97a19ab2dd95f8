"""Batched direct get: read a subject's messages after a sequence in one round trip.

nats-py's ``get_msg`` fetches one message per request; the server's direct-get API also takes a
``batch`` size and streams that many messages back, ending with a ``204`` end-of-batch status.
"""

from __future__ import annotations

import asyncio
import json
from typing import NamedTuple

from nats.aio.client import Client as NATS

BATCH = 256


class RawMessage(NamedTuple):  # one per message replayed: cheaper to build than a dataclass
    seq: int
    subject: str
    data: bytes
    headers: dict[str, str]


async def read_subject(
    nc: NATS, stream: str, subject: str, after_seq: int = 0, limit: int | None = None, timeout: float = 5.0
) -> list[RawMessage]:
    out: list[RawMessage] = []
    start = after_seq + 1
    while limit is None or len(out) < limit:
        want = BATCH if limit is None else min(BATCH, limit - len(out))
        chunk = await _batch(nc, stream, subject, start, want, timeout)
        out.extend(chunk)
        if len(chunk) < want:
            break
        start = chunk[-1].seq + 1
    return out


async def _batch(
    nc: NATS, stream: str, subject: str, start: int, batch: int, timeout: float
) -> list[RawMessage]:
    inbox = nc.new_inbox()
    queue: asyncio.Queue = asyncio.Queue()

    async def on_msg(msg) -> None:
        await queue.put(msg)

    sub = await nc.subscribe(inbox, cb=on_msg)
    try:
        req = {"seq": start, "next_by_subj": subject, "batch": batch}
        await nc.publish(f"$JS.API.DIRECT.GET.{stream}", json.dumps(req).encode(), reply=inbox)
        out: list[RawMessage] = []
        while True:
            msg = await asyncio.wait_for(queue.get(), timeout)
            hdrs = dict(msg.headers or {})
            status = hdrs.get("Status")
            if status and not msg.data:
                if status in ("404", "204"):
                    return out
                raise RuntimeError(f"direct get failed: {status} {hdrs.get('Description', '')}")
            out.append(RawMessage(int(hdrs["Nats-Sequence"]), hdrs["Nats-Subject"], msg.data, hdrs))
            if len(out) >= batch:
                # the server still sends the end-of-batch marker; do not wait for it
                return out
    finally:
        await sub.unsubscribe()
