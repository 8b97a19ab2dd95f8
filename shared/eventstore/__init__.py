"""The event store: JetStream stream ``CASES``, one subject per case, optimistic concurrency."""

from shared.eventstore.codec import (
    DecodeError,
    StoredEvent,
    decode_message,
    seal_chain,
    to_domain,
    to_envelope,
)
from shared.eventstore.errors import NATS_UNAVAILABLE, ConcurrencyError, EventStoreError, StoreUnavailable
from shared.eventstore.nats_store import JetStreamEventStore, ensure_streams, wait_for_streams
from shared.eventstore.subjects import case_subject, node_code_of_subject

__all__ = [
    "NATS_UNAVAILABLE",
    "ConcurrencyError",
    "DecodeError",
    "EventStoreError",
    "JetStreamEventStore",
    "StoreUnavailable",
    "StoredEvent",
    "case_subject",
    "decode_message",
    "ensure_streams",
    "node_code_of_subject",
    "seal_chain",
    "to_domain",
    "to_envelope",
    "wait_for_streams",
]
