from __future__ import annotations

import nats.errors
import nats.js.errors


class EventStoreError(Exception):
    pass


class ConcurrencyError(EventStoreError):
    """Someone appended to the case after the writer read it: reload and decide again."""

    def __init__(self, subject: str, expected: int, detail: str = "") -> None:
        super().__init__(f"{subject}: expected last sequence {expected}; {detail}".strip())
        self.subject = subject
        self.expected = expected


class StoreUnavailable(EventStoreError):
    """JetStream did not answer (no stream leader while the cluster elects one, the connection
    lost): nothing was stored. Try again later; an HTTP request gets a 503."""


# JetStream or the connection away for a while: nothing was decided, try again later
NATS_UNAVAILABLE: tuple[type[Exception], ...] = (
    StoreUnavailable,
    nats.js.errors.NoStreamResponseError,
    nats.js.errors.ServiceUnavailableError,
    nats.errors.NoRespondersError,
    nats.errors.TimeoutError,
    nats.errors.ConnectionClosedError,
    nats.errors.ConnectionReconnectingError,
    nats.errors.StaleConnectionError,
)
