"""The projection runner: fetch a batch, apply it and the checkpoint in ONE transaction, then ack.

- Redelivery never applies an event twice: events at or below the stored checkpoint are skipped,
  and the checkpoint row is locked for the transaction, so even two appliers at once (one that
  stalled past its lease and the one that took over) take turns instead of both applying a batch.
- A batch is applied in stream order, whatever order it arrived in (``in_stream_order``), and the
  checkpoint and the ack are its highest sequence.
- Undecodable events and events the projection refuses go to ``deadletter.<consumer>`` with the
  reason in headers (de-duplicated by ``Nats-Msg-Id``) and never stop the runner.
- Database or NATS outages are waited out: nothing is acked until the transaction commits.
- If the database is behind the consumer (restored, or dropped for a rebuild), the consumer is
  recreated from the checkpoint, so the database is always the source of truth for position.
- A batch that failed after it was fetched is never skipped: its messages stay pending on the
  server until ``ack_wait``, and acking a LATER batch (``AckPolicy.ALL``) would acknowledge them
  unapplied. So after a failed batch, and whenever a batch does not continue the checkpoint
  without a gap, the consumer is recreated from the checkpoint before anything else is fetched.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from collections.abc import Sequence

import nats.errors
from nats.aio.client import Client as NATS
from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from nats.js.errors import NotFoundError
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from shared.db import Database
from shared.db.checkpoint_store import ensure_checkpoint, get_checkpoint, reset_checkpoint, set_checkpoint
from shared.db.lease import acquire_lease, release_lease
from shared.eventstore import DecodeError, StoredEvent, decode_message
from shared.eventstore.ack_subject import stream_seq
from shared.eventstore.deadletter import dead_letter
from shared.eventstore.subjects import CASES_STREAM, CASES_SUBJECTS
from shared.projections.base import Projection, Rejected
from shared.projections.fetcher import BatchFetcher
from shared.telemetry import consumer_span

log = logging.getLogger("liandong.projections")

TRANSIENT = (OperationalError, InterfaceError, OSError, asyncio.TimeoutError, ConnectionError)


class ProjectionRunner:
    def __init__(
        self,
        nc: NATS,
        db: Database,
        projection: Projection,
        *,
        consumer: str,
        stream: str = CASES_STREAM,
        filter_subject: str = CASES_SUBJECTS,
        batch: int = 1024,
        fetch_timeout: float = 0.5,
        lease_ttl: float = 15.0,
    ) -> None:
        self.nc = nc
        self.js = nc.jetstream()
        self.db = db
        self.projection = projection
        self.consumer = consumer
        self.stream = stream
        self.filter_subject = filter_subject
        self.batch = batch
        self.fetch_timeout = fetch_timeout
        self.lease_ttl = lease_ttl
        self.holder = f"{socket.gethostname()}:{os.getpid()}:{id(self)}"
        self._sub: JetStreamContext.PullSubscription | None = None
        self._fetcher: BatchFetcher | None = None
        self._rebind_needed = False
        self._first_seq = 1  # the stream's first sequence, where a consumer from 1 starts
        self.applied = 0
        self.dead_lettered = 0

    @property
    def name(self) -> str:
        return self.projection.name

    # -- lifecycle ---------------------------------------------------------------------------

    async def checkpoint(self) -> int:
        async with self.db.engine.connect() as conn:
            return await get_checkpoint(conn, self.name)

    async def _bind(self) -> None:
        self._stop_fetching()
        cp = await ensure_checkpoint(self.db.engine, self.name)
        try:
            info = await self.js.consumer_info(self.stream, self.consumer)
        except NotFoundError:
            info = None
        if info is not None and (info.ack_floor.stream_seq or 0) > cp:
            log.warning(
                "database behind consumer; recreating it", extra={"consumer": self.consumer, "checkpoint": cp}
            )
            await self.js.delete_consumer(self.stream, self.consumer)
            info = None
        if info is None:
            cfg = ConsumerConfig(
                durable_name=self.consumer,
                ack_policy=AckPolicy.ALL,
                deliver_policy=DeliverPolicy.BY_START_SEQUENCE if cp else DeliverPolicy.ALL,
                opt_start_seq=cp + 1 if cp else None,
                filter_subject=self.filter_subject,
                max_ack_pending=self.batch * 4,
                ack_wait=60,
            )
            await self.js.add_consumer(self.stream, cfg)
        self._first_seq = (await self.js.stream_info(self.stream)).state.first_seq or 1
        self._sub = await self.js.pull_subscribe_bind(self.consumer, self.stream)
        self._fetcher = BatchFetcher(self._sub, self.batch, self.fetch_timeout)

    async def _rebind(self) -> None:
        """Recreate the consumer from the checkpoint: nothing fetched but unapplied is left behind."""
        log.warning("recreating the consumer from the checkpoint", extra={"consumer": self.consumer})
        await self.close()
        try:
            await self.js.delete_consumer(self.stream, self.consumer)
        except NotFoundError:
            pass
        await self._bind()
        self._rebind_needed = False

    async def run(self, stop: asyncio.Event) -> None:
        """Run until ``stop`` is set, riding out NATS and database outages."""
        have_lease = False
        backoff = 0.2
        while not stop.is_set():
            try:
                if not have_lease:
                    have_lease = await acquire_lease(self.db.engine, self.name, self.holder, self.lease_ttl)
                    if not have_lease:
                        await _wait(stop, self.lease_ttl / 3)
                        continue
                    await self._bind()
                deadline = asyncio.get_running_loop().time() + self.lease_ttl / 3
                while not stop.is_set() and asyncio.get_running_loop().time() < deadline:
                    await self.run_once()
                have_lease = await acquire_lease(self.db.engine, self.name, self.holder, self.lease_ttl)
                if not have_lease:
                    log.warning("lease lost; standing by", extra={"projection": self.name})
                    await self.close()
                backoff = 0.2
            except (*TRANSIENT, nats.errors.Error, DBAPIError) as exc:
                log.warning("projection paused: %s", exc.__class__.__name__, extra={"projection": self.name})
                # the lease may have lapsed while we were away: take it again (and rebind) first
                have_lease = False
                await self.close()
                await _wait(stop, backoff)
                backoff = min(backoff * 2, 5.0)
        await self.close()
        if have_lease:
            try:
                await release_lease(self.db.engine, self.name, self.holder)
            except Exception:  # shutting down; the lease expires on its own
                log.debug("lease release failed", exc_info=True)

    async def run_once(self) -> int:
        """One fetch-apply-ack cycle; returns how many messages it consumed."""
        if self._rebind_needed:
            await self._rebind()
        if self._fetcher is None:
            await self._bind()
        assert self._fetcher is not None
        got = await self._fetcher.next()
        if not got:
            return 0
        msgs = in_stream_order(got)
        if len(msgs) != len(got) or any(a is not b for a, b in zip(msgs, got, strict=False)):
            log.warning(
                "batch arrived out of stream order; applying it in order",
                extra={"projection": self.name, "arrived": [stream_seq(m) for m in got][:64]},
            )
        self._fetcher.fetch_ahead()
        try:
            await self._process(msgs)
        except _Gap as gap:
            log.error("delivery gap: %s", gap, extra={"projection": self.name})
            self._rebind_needed = True
            return 0
        except BaseException:
            self._rebind_needed = True
            raise
        await msgs[-1].ack()  # AckPolicy.ALL: acknowledges up to the highest sequence (not the batch ahead)
        return len(msgs)

    def _stop_fetching(self) -> None:
        if self._fetcher is not None:
            self._fetcher.cancel()
            self._fetcher = None

    async def close(self) -> None:
        """Stop fetching and unbind the pull subscription (a bound one makes nats-py's drain wait
        its full timeout on shutdown)."""
        self._stop_fetching()
        if self._sub is not None:
            sub, self._sub = self._sub, None
            try:
                await sub.unsubscribe()
            except Exception:
                log.debug("unsubscribe failed", exc_info=True)

    async def catch_up(self, timeout: float = 30.0) -> None:
        """Apply until the consumer has nothing pending (for tests and the rebuild command)."""
        loop = asyncio.get_running_loop()
        end = loop.time() + timeout
        if self._fetcher is None:
            await self._bind()
        while loop.time() < end:
            await self.run_once()
            info = await self.js.consumer_info(self.stream, self.consumer)
            if info.num_pending == 0 and info.num_ack_pending == 0:
                if self._fetcher is not None:
                    self._fetcher.cancel()  # nothing came; do not leave a fetch behind
                return
        raise TimeoutError(f"{self.name} did not catch up within {timeout}s")

    async def rebuild(self) -> None:
        """Drop the projection and replay the stream from sequence 1."""
        async with self.db.engine.begin() as conn:
            await self.projection.reset(conn)
            await reset_checkpoint(conn, self.name)
        try:
            await self.js.delete_consumer(self.stream, self.consumer)
        except NotFoundError:
            pass
        await self.close()
        await self.catch_up(timeout=3600)

    # -- one batch ---------------------------------------------------------------------------

    async def _process(self, msgs: Sequence[Msg]) -> None:
        good: list[StoredEvent] = []
        dead: list[tuple[Msg, str, str]] = []
        for m in msgs:
            seq = stream_seq(m)
            try:
                good.append(decode_message(seq, m.subject, m.data, m.headers))
            except DecodeError as exc:
                dead.append((m, exc.reason, exc.code))
        last = stream_seq(msgs[-1])
        with consumer_span(f"{self.name} apply", [m.headers or {} for m in msgs]) as span:
            span.set_attribute("messaging.batch.message_count", len(msgs))
            try:
                rejected = await self._apply(good, last, dead)
            except (*TRANSIENT, _Gap):
                raise
            except DBAPIError as exc:
                if exc.connection_invalidated:
                    raise
                rejected = await self._apply_one_by_one(good, last, dead)
            except Exception:
                log.exception("batch failed; applying one by one", extra={"projection": self.name})
                rejected = await self._apply_one_by_one(good, last, dead)
        self.applied += len(good) - len(rejected)
        self.dead_lettered += len(dead) + len(rejected)

    async def _apply(
        self, good: list[StoredEvent], last: int, dead: list[tuple[Msg, str, str]]
    ) -> list[Rejected]:
        async with self.db.engine.begin() as conn:
            cp = await get_checkpoint(conn, self.name, lock=True)
            self._require_contiguous(good, dead, cp)
            fresh = [e for e in good if e.stream_seq > cp]
            rejected = list(await self.projection.apply(conn, fresh)) if fresh else []
            await self._dead_letter_all(dead, rejected, good, cp)
            await set_checkpoint(conn, self.name, max(cp, last))
        return rejected

    async def _apply_one_by_one(
        self, good: list[StoredEvent], last: int, dead: list[tuple[Msg, str, str]]
    ) -> list[Rejected]:
        rejected: list[Rejected] = []
        async with self.db.engine.begin() as conn:
            cp = await get_checkpoint(conn, self.name, lock=True)
            self._require_contiguous(good, dead, cp)
            for ev in (e for e in good if e.stream_seq > cp):
                try:
                    async with conn.begin_nested():
                        rejected.extend(await self.projection.apply(conn, [ev]))
                except TRANSIENT:
                    raise
                except Exception as exc:  # a poison event for this projection
                    rejected.append(Rejected(ev.stream_seq, f"{type(exc).__name__}: {exc}", "apply_failed"))
            await self._dead_letter_all(dead, rejected, good, cp)
            await set_checkpoint(conn, self.name, max(cp, last))
        return rejected

    def _require_contiguous(self, good: list[StoredEvent], dead: list[tuple[Msg, str, str]], cp: int) -> None:
        """The batch must continue the checkpoint without a hole (the consumer sees every subject of
        the stream, so its stream sequences are consecutive)."""
        if self.filter_subject != CASES_SUBJECTS:
            return
        seqs = sorted({e.stream_seq for e in good} | {stream_seq(m) for m, _r, _c in dead})
        fresh = [s for s in seqs if s > cp]
        start = max(cp + 1, self._first_seq)
        if fresh and fresh != list(range(start, start + len(fresh))):
            raise _Gap(f"checkpoint {cp}, batch starts at {fresh[0]} ({len(fresh)} new)")

    async def _dead_letter_all(
        self, dead: list[tuple[Msg, str, str]], rejected: list[Rejected], good: list[StoredEvent], cp: int
    ) -> None:
        for m, reason, code in dead:
            if stream_seq(m) > cp:
                await self._dead_letter(m.subject, stream_seq(m), m.data, reason, code)
        by_seq = {e.stream_seq: e for e in good}
        for r in rejected:
            ev = by_seq[r.stream_seq]
            await self._dead_letter(ev.subject, ev.stream_seq, ev.envelope.to_bytes(), r.reason, r.code)

    async def _dead_letter(self, subject: str, seq: int, data: bytes, reason: str, code: str) -> None:
        await dead_letter(self.js, self.consumer, subject, seq, data, reason, code)


def in_stream_order(msgs: Sequence[Msg]) -> list[Msg]:
    """The batch sorted by stream sequence, each sequence once. A pull consumer's delivery is in
    order except when it is not: a redelivery (ack wait expired for messages a killed instance had
    fetched) can arrive in the middle of new messages, and one inbox serves every fetch, so a late
    reply to an earlier pull lands in the next. Applying in arrival order would put a ledger leaf
    in the wrong place, and checkpointing the last message instead of the highest would apply the
    rest again."""
    by_seq = {stream_seq(m): m for m in msgs}
    return [by_seq[s] for s in sorted(by_seq)]


class _Gap(Exception):
    """A fetched batch does not continue the checkpoint: something delivered was never applied."""


async def _wait(stop: asyncio.Event, seconds: float) -> None:
    try:
        await asyncio.wait_for(stop.wait(), seconds)
    except TimeoutError:
        pass
