"""Read a stream from a sequence to its current end, in order, as fast as the server sends it.

Uses an ordered push consumer (flow-controlled, recreated by the client on gaps) and deletes it
afterwards: nats-py's ``unsubscribe()`` leaves ordered consumers on the server. Messages are
handed from the subscription callback to the reader through a plain deque (an ``asyncio.Queue``
per message cost two thirds of the throughput); a high-water mark holds the callback back when
the reader falls behind, so memory stays bounded however long the stream.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable

from nats.aio.client import Client as NATS
from nats.aio.msg import Msg
from nats.js.api import ConsumerConfig, DeliverPolicy

from shared.eventstore.ack_subject import stream_seq
from shared.eventstore.direct_get import RawMessage
from shared.eventstore.subjects import CASES_STREAM, CASES_SUBJECTS

HIGH_WATER = 20_000


@contextlib.asynccontextmanager
async def _ordered_consumer(
    nc: NATS, stream: str, subject: str, start_seq: int, on_msg: Callable[[Msg], Awaitable[None]]
) -> AsyncIterator[None]:
    """An ordered push consumer from ``start_seq`` feeding ``on_msg``, deleted on the way out."""
    js = nc.jetstream()
    config = (
        ConsumerConfig(deliver_policy=DeliverPolicy.BY_START_SEQUENCE, opt_start_seq=start_seq)
        if start_seq > 1
        else None
    )
    sub = await js.subscribe(subject, stream=stream, ordered_consumer=True, cb=on_msg, config=config)
    try:
        yield
    finally:
        consumer = getattr(sub, "_consumer", None)
        await sub.unsubscribe()
        if consumer:
            with contextlib.suppress(Exception):
                await js.delete_consumer(stream, consumer)


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
    end = await stream_end(nc, stream) if end_seq is None else end_seq
    if end < start_seq:
        return
    buffer: collections.deque[RawMessage] = collections.deque()
    arrived = asyncio.Event()
    drained = asyncio.Event()

    async def on_msg(msg: Msg) -> None:
        buffer.append(RawMessage(stream_seq(msg), msg.subject, msg.data, msg.headers or {}))
        arrived.set()
        if len(buffer) >= HIGH_WATER:
            drained.clear()
            await drained.wait()

    async with _ordered_consumer(nc, stream, subject, start_seq, on_msg):
        try:
            while True:
                while buffer:
                    msg = buffer.popleft()
                    if msg.seq > end:
                        return
                    yield msg
                    if msg.seq >= end:
                        return
                drained.set()
                arrived.clear()
                await asyncio.wait_for(arrived.wait(), idle_timeout)
        finally:
            drained.set()  # release a callback held at the high-water mark before unsubscribing


async def scan_stream(
    nc: NATS,
    visit: Callable[[int, str, bytes, dict[str, str] | None], None],
    stream: str = CASES_STREAM,
    subject: str = CASES_SUBJECTS,
    start_seq: int = 1,
    end_seq: int | None = None,
    idle_timeout: float = 5.0,
) -> int:
    """Call ``visit(seq, subject, data, headers)`` for each message from ``start_seq`` to the
    stream's current end, in order, inside the subscription's callback: no hand-off, no buffer (the
    server waits for flow control while ``visit`` runs), for passes whose work per message is
    synchronous and small, like verify's. Returns how many messages were visited; raises
    ``TimeoutError`` when nothing arrives for ``idle_timeout`` seconds before the end."""
    end = await stream_end(nc, stream) if end_seq is None else end_seq
    if end < start_seq:
        return 0
    done = asyncio.get_running_loop().create_future()
    visited = 0
    last_seq = start_seq - 1

    async def on_msg(msg: Msg) -> None:
        nonlocal visited, last_seq
        if done.done():
            return
        seq = stream_seq(msg)
        if seq <= last_seq:  # delivered again after the ordered consumer was reset: seen already
            return
        if seq > end:
            done.set_result(None)
            return
        try:
            visit(seq, msg.subject, msg.data, msg.headers)
        except BaseException as exc:
            done.set_exception(exc)
            return
        visited += 1
        last_seq = seq
        if seq >= end:
            done.set_result(None)

    async with _ordered_consumer(nc, stream, subject, start_seq, on_msg):
        last = -1
        while not done.done():
            if visited == last:
                raise TimeoutError(f"no message from {stream} for {idle_timeout}s (visited {visited})")
            last = visited
            await asyncio.wait([done], timeout=idle_timeout)
        done.result()
        return visited
