"""Read a stream from a sequence to its current end, in order, as fast as the server sends it.

Uses an ordered push consumer (flow-controlled, recreated by the client on gaps) and deletes it
afterwards: nats-py's ``unsubscribe()`` leaves ordered consumers on the server.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from nats.aio.client import Client as NATS
from nats.js.api import DeliverPolicy

from shared.eventstore.direct_get import RawMessage
from shared.eventstore.subjects import CASES_STREAM, CASES_SUBJECTS


async def stream_end(nc: NATS, stream: str = CASES_STREAM) -> int:
    info = await nc.jetstream().stream_info(stream)
    return int(info.state.last_seq)


async def iterate_stream(
    nc: NATS,
    stream: str = CASES_STREAM,
    subject: str = CASES_SUBJECTS,
    start_seq: int = 1,
    end_seq: int | None = None,
    idle_timeout: float = 5.0,
) -> AsyncIterator[RawMessage]:
    js = nc.jetstream()
    end = await stream_end(nc, stream) if end_seq is None else end_seq
    if end < start_seq:
        return
    queue: asyncio.Queue[RawMessage] = asyncio.Queue(maxsize=10_000)

    async def on_msg(msg) -> None:
        md = msg.metadata
        await queue.put(RawMessage(md.sequence.stream, msg.subject, msg.data, dict(msg.headers or {})))

    kwargs = (
        {"deliver_policy": DeliverPolicy.BY_START_SEQUENCE, "opt_start_seq": start_seq}
        if start_seq > 1
        else {}
    )
    sub = await js.subscribe(subject, stream=stream, ordered_consumer=True, cb=on_msg, **kwargs)  # type: ignore[arg-type]
    try:
        while True:
            msg = await asyncio.wait_for(queue.get(), idle_timeout)
            if msg.seq > end:
                return
            yield msg
            if msg.seq >= end:
                return
    finally:
        consumer = getattr(sub, "_consumer", None)
        await sub.unsubscribe()
        if consumer:
            with contextlib.suppress(Exception):
                await js.delete_consumer(stream, consumer)
