"""Fetch the next batch while the current one is applied.

A projection batch spends most of its time in the database transaction and in decoding; the
next fetch from JetStream waits on the network meanwhile. Overlapping the two keeps the consumer
busy. Only one fetch is ever outstanding, and batches are handed out in the order fetched; the
runner acks a batch (``AckPolicy.ALL``) only after it committed, and a prefetched batch holds
higher sequences, so the ack never covers it.
"""

from __future__ import annotations

import asyncio
import contextlib

import nats.errors
from nats.aio.msg import Msg
from nats.js import JetStreamContext


class BatchFetcher:
    def __init__(self, sub: JetStreamContext.PullSubscription, batch: int, timeout: float) -> None:
        self.sub = sub
        self.batch = batch
        self.timeout = timeout
        self._ahead: asyncio.Task[list[Msg]] | None = None

    async def _fetch(self) -> list[Msg]:
        try:
            return await self.sub.fetch(self.batch, timeout=self.timeout)
        except (nats.errors.TimeoutError, TimeoutError):
            return []

    async def next(self) -> list[Msg]:
        """The batch fetched ahead if there is one, else a fresh fetch."""
        ahead, self._ahead = self._ahead, None
        return await ahead if ahead is not None else await self._fetch()

    def fetch_ahead(self) -> None:
        if self._ahead is None:
            self._ahead = asyncio.ensure_future(self._fetch())

    def cancel(self) -> None:
        """Forget the batch fetched ahead (its messages are redelivered from the checkpoint)."""
        ahead, self._ahead = self._ahead, None
        if ahead is not None:
            ahead.cancel()
            with contextlib.suppress(BaseException):
                ahead.exception() if ahead.done() and not ahead.cancelled() else None
