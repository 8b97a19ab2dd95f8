"""The routing service: a FastStream app whose pull subscriber feeds the routing reactor.

``create_app(settings)`` returns an ASGI app (``AsgiFastStream``) with ``/health`` and ``/ready``
(and, with ``LIANDONG_ROUTING_TEST_CONTROLS``, ``/control/clock``). The broker's durable pull
consumer ``routing`` is shared by every routing instance, so several instances split the work
and the reactor keeps the result the same as with one. Each instance also runs the deadline
clock; the clock projection (consumer ``routing-clock``) runs in one instance at a time.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from faststream import AckPolicy
from faststream.asgi import AsgiFastStream, AsgiResponse, get
from faststream.nats import JStream, NatsBroker, NatsMessage, PullSub
from faststream.nats.opentelemetry import NatsTelemetryMiddleware
from nats.js.api import ConsumerConfig
from opentelemetry import trace
from sqlalchemy.exc import DBAPIError, OperationalError

from services.routing.control import control_routes
from services.routing.reactor import RoutingReactor, Unroutable
from services.routing.runtime import RoutingRuntime, start_routing
from services.routing.settings import RoutingSettings
from shared.clock import Clock
from shared.eventstore import NATS_UNAVAILABLE, DecodeError
from shared.eventstore.deadletter import dead_letter
from shared.eventstore.subjects import CASES_STREAM, CASES_SUBJECTS
from shared.messaging import broker_security
from shared.settings import Settings
from shared.web.readiness import readiness_checks

log = logging.getLogger("liandong.routing")
CONSUMER = "routing"
MAX_DELIVERIES = 5  # an event whose handling keeps failing for another reason is dead-lettered
# the database or JetStream away for a while: retried after a pause, never dead-lettered
TRANSIENT: tuple[type[Exception], ...] = (
    OperationalError,
    DBAPIError,
    OSError,
    TimeoutError,
    *NATS_UNAVAILABLE,
)


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
        rt: RoutingRuntime = holder["runtime"]
        raw = msg.raw_message
        seq = raw.metadata.sequence.stream
        js = rt.kernel.nc.jetstream()
        try:
            await rt.reactor.handle(rt.reactor.decode(seq, raw.subject, raw.data, raw.headers))
        except (DecodeError, Unroutable) as exc:
            await dead_letter(js, CONSUMER, raw.subject, seq, raw.data, exc.reason, exc.code)
        except TRANSIENT as exc:
            log.warning("routing paused: %s", type(exc).__name__, extra={"seq": seq})
            await msg.nack(delay=2)
            return
        except Exception as exc:
            if raw.metadata.num_delivered < MAX_DELIVERIES:
                log.exception("routing failed; will retry", extra={"seq": seq})
                await msg.nack(delay=1)
                return
            reason = f"{type(exc).__name__}: {exc}"
            await dead_letter(js, CONSUMER, raw.subject, seq, raw.data, reason, "handler_failed")
        await msg.ack()

    return broker


def create_app(settings: Settings, clock: Clock | None = None) -> AsgiFastStream:
    rs = RoutingSettings()
    holder: dict[str, Any] = {}
    broker = build_broker(settings, holder)

    async def start() -> None:
        rt = await start_routing(settings, rs, clock)
        holder["runtime"] = rt
        rt.start_background()

    async def stop() -> None:
        rt: RoutingRuntime | None = holder.get("runtime")
        if rt is not None:
            await rt.close()

    @get
    async def health(scope: Any) -> AsgiResponse:
        return AsgiResponse(b'{"status":"ok"}', 200, headers={"content-type": "application/json"})

    @get
    async def ready(scope: Any) -> AsgiResponse:
        """Ready when the broker answers a ping and the kernel's NATS connection and database do."""
        rt: RoutingRuntime | None = holder.get("runtime")
        checks = {"broker": await broker.ping(2.0)}
        if rt is None:
            checks["started"] = False
        else:
            checks.update(await readiness_checks(rt.kernel.nc, rt.kernel.db))
        ok = all(checks.values())
        body = json.dumps({"ready": ok, "checks": checks}).encode()
        return AsgiResponse(body, 200 if ok else 503, headers={"content-type": "application/json"})

    routes: list[tuple[str, Any]] = [("/health", health), ("/ready", ready)]
    if rs.test_controls:
        log.warning("routing test controls are ON: /control/clock moves routing's clock")
        routes += control_routes(holder)
    return AsgiFastStream(broker, asgi_routes=routes, on_startup=[start], after_shutdown=[stop], logger=log)


__all__ = ["RoutingReactor", "create_app"]
