"""OpenTelemetry set-up and W3C trace-context propagation over NATS headers.

Every process calls ``setup_tracing(service, exporter)`` once at start-up. Appends inject
``traceparent`` into the message headers (see ``CaseCommandHandler``); consumers that read raw
nats-py messages continue the trace with ``consumer_span``. FastAPI requests are traced by the
FastAPI instrumentor, so a trace runs from an operator's HTTP request through every service
that reacts to the events it caused.

Exporters: ``none`` (default), ``console``, ``otlp`` (OTLP/HTTP to a collector at
``OTEL_EXPORTER_OTLP_ENDPOINT``), or ``file:<path>`` (one JSON span per line, used by
the end-to-end tests and handy on a machine without a collector).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator, Mapping, MutableMapping, Sequence
from contextlib import contextmanager
from pathlib import Path

from opentelemetry import propagate, trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import (
    BatchSpanProcessor,
    ConsoleSpanExporter,
    SimpleSpanProcessor,
    SpanExporter,
    SpanExportResult,
)
from opentelemetry.trace import Link, SpanKind

_provider: TracerProvider | None = None


class JsonLinesSpanExporter(SpanExporter):
    def __init__(self, path: Path) -> None:
        self._path = path
        self._lock = threading.Lock()
        path.parent.mkdir(parents=True, exist_ok=True)

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        lines = []
        for s in spans:
            ctx = s.get_span_context()
            parent = s.parent
            lines.append(
                json.dumps(
                    {
                        "service": s.resource.attributes.get("service.name"),
                        "name": s.name,
                        "kind": s.kind.name,
                        "trace_id": format(ctx.trace_id, "032x") if ctx else None,
                        "span_id": format(ctx.span_id, "016x") if ctx else None,
                        "parent_id": format(parent.span_id, "016x") if parent else None,
                        "start": s.start_time,
                        "end": s.end_time,
                        "attributes": {k: str(v) for k, v in (s.attributes or {}).items()},
                    },
                    ensure_ascii=False,
                )
            )
        with self._lock, self._path.open("a", encoding="utf-8") as fh:
            fh.write("".join(line + "\n" for line in lines))
        return SpanExportResult.SUCCESS


def setup_tracing(service: str, exporter: str = "none") -> TracerProvider:
    """Install the global tracer provider for this process (once)."""
    global _provider
    if _provider is not None:
        return _provider
    provider = TracerProvider(resource=Resource.create({"service.name": service}))
    if exporter == "console":
        provider.add_span_processor(BatchSpanProcessor(ConsoleSpanExporter()))
    elif exporter.startswith("file:"):
        provider.add_span_processor(SimpleSpanProcessor(JsonLinesSpanExporter(Path(exporter[5:]))))
    elif exporter == "otlp":  # to a collector; OTEL_EXPORTER_OTLP_ENDPOINT says where (deploy/)
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    elif exporter not in ("", "none"):
        raise ValueError(f"unknown trace exporter {exporter!r} (none, console, otlp, file:<path>)")
    trace.set_tracer_provider(provider)
    _provider = provider
    return provider


def shutdown_tracing() -> None:
    if _provider is not None:
        _provider.shutdown()


def inject_trace_headers(headers: MutableMapping[str, str]) -> MutableMapping[str, str]:
    propagate.inject(headers)
    return headers


@contextmanager
def consumer_span(name: str, headers: Sequence[Mapping[str, str]]) -> Iterator[trace.Span]:
    """A CONSUMER span for a batch, continuing the first message's trace.

    Messages of a batch may belong to different traces (different operators' requests). The batch
    span is a child of the first one; for every other trace a short child span is recorded too,
    linked to the batch span, so each request's trace shows where its events were applied.
    """
    tracer = trace.get_tracer("liandong.consumer")
    contexts = []
    seen: set[int] = set()
    for h in headers:
        if not h or "traceparent" not in h:
            continue
        ctx = propagate.extract(dict(h))
        trace_id = trace.get_current_span(ctx).get_span_context().trace_id
        if trace_id not in seen:
            seen.add(trace_id)
            contexts.append(ctx)
    parent = contexts[0] if contexts else None
    with tracer.start_as_current_span(name, context=parent, kind=SpanKind.CONSUMER) as span:
        yield span
        batch_link = [Link(span.get_span_context())]
        for ctx in contexts[1:]:
            tracer.start_span(name, context=ctx, kind=SpanKind.CONSUMER, links=batch_link).end()
