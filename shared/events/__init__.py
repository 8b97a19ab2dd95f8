"""Event envelope, canonical JSON, hash chain, type registry and upcasting."""

from shared.events.canonical import canonical_json, sha256_hex
from shared.events.envelope import GENESIS_HASH, Actor, Envelope, seal
from shared.events.registry import (
    REGISTRY,
    EventPayload,
    EventRegistry,
    UnknownEventType,
    UnsupportedSchemaVersion,
    event,
    upcaster,
)

__all__ = [
    "GENESIS_HASH",
    "REGISTRY",
    "Actor",
    "Envelope",
    "EventPayload",
    "EventRegistry",
    "UnknownEventType",
    "UnsupportedSchemaVersion",
    "canonical_json",
    "event",
    "seal",
    "sha256_hex",
    "upcaster",
]
