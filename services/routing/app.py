"""The routing service: a FastStream app whose pull subscriber feeds the routing reactor.

``create_app(settings)`` returns an ASGI app (``AsgiFastStream``) with ``/health`` and ``/ready``;
the broker's durable pull consumer ``routing`` is shared by every routing instance, so several
instances split the work and the reactor keeps the result the same as with one.
"""

from __future__ import annotations

import logging
from typing import Any

from faststream import AckPolicy
from faststream.asgi import AsgiFastStream, AsgiResponse, get
from faststream.asgi.factories import make_ping_asgi
from faststream.nats import JStream, NatsBroker, NatsMessage, PullSub
from faststream.nats.opentelemetry import NatsTelemetryMiddleware
from nats.js.api import ConsumerConfig
from opentelemetry import trace
from sqlalchemy.exc import DBAPIError, OperationalError

from services.routing.reactor import RoutingReactor
from shared.bootstrap import Kernel, start_kernel
from shared.clock import Clock
from shared.eventstore import DecodeError
from shared.eventstore.deadletter import dead_letter
from shared.eventstore.subjects import CASES_STREAM, CASES_SUBJECTS
from shared.messaging import broker_security
from shared.settings import Settings

log = logging.getLogger("liandong.routing")
CONSUMER = "routing"


def build_broker(settings: Settings, holder: dict[str, Any]) -> NatsBroker:
    broker = NatsBroker(
        settings.nats_url.split(","),
        middlewares=[NatsTelemetryMiddleware(tracer_provider=trace.get_tracer_provider())],
        logger=None,
        max_reconnect_attempts=-1,
        security=broker_security(settings),
    )

    @broker.subscriber(
        CASES_SUBJECTS,
        stream=JStream(CASES_STREAM, declare=False),
        durable=CONSUMER,
        pull_sub=PullSub(batch_size=64, timeout=0.5),
        config=ConsumerConfig(ack_wait=30, max_ack_pending=1000),
        ack_policy=AckPolicy.MANUAL,
    )
    async def on_case_event(msg: NatsMessage) -> None:
        reactor: RoutingReactor = holder["reactor"]
        raw = msg.raw_message
        seq = raw.metadata.sequence.stream
        try:
            ev = reactor.decode(seq, raw.subject, raw.data, raw.headers)
        except DecodeError as exc:
            await dead_letter(
                reactor.k.nc.jetstream(), CONSUMER, raw.subject, seq, raw.data, exc.reason, exc.code
            )
            await msg.ack()
            return
        try:
            await reactor.handle(ev)
        except (OperationalError, DBAPIError, OSError, TimeoutError) as exc:
            log.warning("routing paused: %s", type(exc).__name__, extra={"seq": seq})
            await msg.nack(delay=2)
            return
        await msg.ack()

    return broker


def create_app(settings: Settings, clock: Clock | None = None) -> AsgiFastStream:
    holder: dict[str, Any] = {}
    broker = build_broker(settings, holder)

    async def start() -> None:
        k: Kernel = await start_kernel(settings, "routing", writer_code="RT", clock=clock)
        holder["kernel"] = k
        holder["reactor"] = RoutingReactor(k)

    async def stop() -> None:
        k: Kernel | None = holder.get("kernel")
        if k is not None:
            await k.close()

    @get
    async def health(scope: Any) -> AsgiResponse:
        return AsgiResponse(b'{"status":"ok"}', 200, headers={"content-type": "application/json"})

    return AsgiFastStream(
        broker,
        asgi_routes=[("/health", health), ("/ready", make_ping_asgi(broker, timeout=2.0))],
        on_startup=[start],
        after_shutdown=[stop],
        logger=log,
    )
