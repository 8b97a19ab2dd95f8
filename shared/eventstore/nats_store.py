"""JetStream event store over nats-py.

Appends use ``js.publish`` (never ``publish_async``, which swallows rejections) with
``Nats-Msg-Id`` = event id and ``Nats-Expected-Last-Subject-Sequence`` = the stream sequence the
writer last read for the case (0 for a new case). A command that yields several events appends
them as one JetStream atomic batch, so a case never holds half a decision.

On a rejection or a timeout the store first checks whether the write already landed (a retry of
a timed-out publish must not become a conflict or a duplicate), then either reports success,
raises ``ConcurrencyError``, or retries with the same message ids.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Mapping, Sequence

import nats.errors
from nats.aio.client import Client as NATS
from nats.js.api import DiscardPolicy, RetentionPolicy, StorageType, StreamConfig
from nats.js.errors import APIError, NoStreamResponseError, NotFoundError

from shared.events import Envelope
from shared.eventstore.codec import StoredEvent, decode_message
from shared.eventstore.direct_get import RawMessage, read_subject
from shared.eventstore.errors import ConcurrencyError, EventStoreError, StoreUnavailable
from shared.eventstore.subjects import (
    CASES_STREAM,
    CASES_SUBJECTS,
    DEADLETTER_STREAM,
    DEADLETTER_SUBJECTS,
)

log = logging.getLogger("liandong.eventstore")

WRONG_LAST_SEQUENCE = {10071, 10164}
TEMPORARILY_UNAVAILABLE = {10163}


async def ensure_streams(nc: NATS, replicas: int = 1, duplicate_window_s: float = 600.0) -> None:
    """Create or update the ``CASES`` and ``DEADLETTER`` streams (idempotent)."""
    js = nc.jetstream()
    cases = StreamConfig(
        name=CASES_STREAM,
        description="Liandong case events: one subject per case",
        subjects=[CASES_SUBJECTS],
        retention=RetentionPolicy.LIMITS,
        storage=StorageType.FILE,
        discard=DiscardPolicy.NEW,
        num_replicas=replicas,
        duplicate_window=duplicate_window_s,
        allow_direct=True,
        allow_atomic=True,
        deny_delete=True,
        deny_purge=True,
        max_msg_size=1024 * 1024,
    )
    dead = StreamConfig(
        name=DEADLETTER_STREAM,
        description="Events a consumer could not apply, with the reason in headers",
        subjects=[DEADLETTER_SUBJECTS],
        storage=StorageType.FILE,
        num_replicas=replicas,
        allow_direct=True,
    )
    for cfg in (cases, dead):
        try:
            await js.add_stream(cfg)
        except APIError as exc:
            if exc.err_code != 10058:  # stream name already in use with a different configuration
                raise
            await js.update_stream(cfg)


async def wait_for_streams(nc: NATS, poll_s: float = 1.0) -> None:
    """Wait until the provisioner has created the streams (a service whose NATS user may not
    create streams, as in deploy/)."""
    js = nc.jetstream()
    for name in (CASES_STREAM, DEADLETTER_STREAM):
        while True:
            try:
                await js.stream_info(name)
                break
            except (NotFoundError, nats.errors.TimeoutError) as exc:
                log.warning("waiting for stream %s (%s)", name, type(exc).__name__)
                await asyncio.sleep(poll_s)


class JetStreamEventStore:
    def __init__(self, nc: NATS, stream: str = CASES_STREAM, timeout: float = 5.0, retries: int = 5) -> None:
        self._nc = nc
        self._js = nc.jetstream(timeout=timeout)
        self.stream = stream
        self._timeout = timeout
        self._retries = retries

    # -- writing -----------------------------------------------------------------------------

    async def append(
        self,
        subject: str,
        envelopes: Sequence[Envelope],
        expected_last_seq: int,
        headers: Mapping[str, str] | None = None,
    ) -> list[int]:
        """Append events to one case; returns their stream sequences."""
        if not envelopes:
            return []
        delay = 0.05
        for attempt in range(self._retries):
            try:
                return await self._publish(subject, envelopes, expected_last_seq, headers or {})
            except APIError as exc:
                if exc.err_code in WRONG_LAST_SEQUENCE:
                    landed = await self._landed(subject, envelopes, expected_last_seq)
                    if landed:
                        return landed
                    raise ConcurrencyError(subject, expected_last_seq, exc.description or "") from None
                if "duplicate message id" in (exc.description or ""):
                    landed = await self._landed(subject, envelopes, expected_last_seq)
                    if landed:
                        return landed
                    raise EventStoreError(f"append to {subject}: event ids already used elsewhere") from exc
                if exc.err_code not in TEMPORARILY_UNAVAILABLE:
                    raise EventStoreError(f"append to {subject} rejected: {exc.description}") from exc
                log.warning(
                    "append retry", extra={"subject": subject, "attempt": attempt, "err": exc.err_code}
                )
            except (
                TimeoutError,
                nats.errors.TimeoutError,
                NoStreamResponseError,
                nats.errors.NoRespondersError,
            ):
                # no answer, or no stream leader to answer (the cluster electing one): it may
                # still have landed before the answer was lost
                log.warning("append unanswered; checking whether it landed", extra={"subject": subject})
                try:
                    landed = await self._landed(subject, envelopes, expected_last_seq)
                except (TimeoutError, nats.errors.Error):  # the reads have no leader either
                    landed = []
                if landed:
                    return landed
            await asyncio.sleep(delay)
            delay = min(delay * 2, 1.0)
        raise StoreUnavailable(f"append to {subject}: JetStream did not answer in {self._retries} attempts")

    async def _publish(
        self, subject: str, envelopes: Sequence[Envelope], expected: int, extra: Mapping[str, str]
    ) -> list[int]:
        if len(envelopes) == 1:
            env = envelopes[0]
            hdrs = {
                **extra,
                "Nats-Msg-Id": env.event_id,
                "Nats-Expected-Last-Subject-Sequence": str(expected),
                "Nats-Expected-Stream": self.stream,
            }
            ack = await self._js.publish(subject, env.to_bytes(), headers=hdrs, timeout=self._timeout)
            if ack.duplicate:
                landed = await self._landed(subject, envelopes, expected)
                if landed:
                    return landed
                stored = await self._js.get_msg(self.stream, seq=ack.seq, direct=True)
                if stored.data != env.to_bytes():
                    raise ConcurrencyError(
                        subject, expected, "the same event id was stored with other content"
                    )
                return [ack.seq]
            return [ack.seq]
        batch_id = envelopes[0].event_id
        last = len(envelopes) - 1
        for i, env in enumerate(envelopes):
            hdrs = {
                **extra,
                "Nats-Msg-Id": env.event_id,
                "Nats-Batch-Id": batch_id,
                "Nats-Batch-Sequence": str(i + 1),
            }
            if i == 0:
                hdrs["Nats-Expected-Last-Subject-Sequence"] = str(expected)
                hdrs["Nats-Expected-Stream"] = self.stream
            if i < last:
                await self._nc.publish(subject, env.to_bytes(), headers=hdrs)
                continue
            hdrs["Nats-Batch-Commit"] = "1"
            msg = await self._nc.request(subject, env.to_bytes(), headers=hdrs, timeout=self._timeout)
            resp = json.loads(msg.data)
            if "error" in resp:
                raise APIError.from_error(resp["error"])
            end = int(resp["seq"])
            return list(range(end - last, end + 1))
        raise AssertionError("unreachable")

    async def _landed(self, subject: str, envelopes: Sequence[Envelope], expected: int) -> list[int]:
        """Sequences of these envelopes if they are already stored right after ``expected``.

        Matching ids with different content means another writer stored its own rendering of the
        same deterministic event (e.g. another routing instance, with other timestamps): that is a
        concurrent write, not ours — the caller must reload rather than remember our hashes."""
        raws = await read_subject(self._nc, self.stream, subject, expected, limit=len(envelopes))
        if [r.headers.get("Nats-Msg-Id") for r in raws] != [e.event_id for e in envelopes]:
            return []
        if any(r.data != e.to_bytes() for r, e in zip(raws, envelopes, strict=True)):
            raise ConcurrencyError(subject, expected, "the same event ids were stored with other content")
        return [r.seq for r in raws]

    # -- reading -----------------------------------------------------------------------------

    async def read_raw(self, subject: str, after_seq: int = 0) -> list[RawMessage]:
        return await read_subject(self._nc, self.stream, subject, after_seq)

    async def read(self, subject: str, after_seq: int = 0) -> list[StoredEvent]:
        """A case's events after ``after_seq``, decoded and hash-checked."""
        return [
            decode_message(r.seq, r.subject, r.data, r.headers)
            for r in await self.read_raw(subject, after_seq)
        ]

    async def last_seq(self, subject: str) -> int:
        try:
            msg = await self._js.get_last_msg(self.stream, subject, direct=True)
        except NotFoundError:
            return 0
        return int(msg.seq or 0)
