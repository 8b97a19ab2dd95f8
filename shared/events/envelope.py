"""The event envelope: metadata apart from the business payload, sealed by a per-case hash chain.

``hash`` is SHA-256 over the canonical JSON of the whole envelope except ``hash`` itself, and
``prev_hash`` is the previous event's ``hash`` in the same case (``GENESIS_HASH`` for the first).
Changing, dropping or reordering a stored event therefore breaks the chain at that event.
The hash covers the envelope exactly as stored: upcasting happens after verification, on read.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from shared.events.canonical import canonical_json, sha256_hex

GENESIS_HASH = "0" * 64


class Actor(BaseModel):
    """Who did it: an operator at a node in a role (or a service acting as ``system:<name>``)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    operator_id: str = Field(min_length=1, max_length=64)
    node_id: str = Field(min_length=1, max_length=64)
    role: str = Field(min_length=1, max_length=32)


class Envelope(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    event_id: str
    type: str
    schema_version: int = Field(ge=1)
    case_id: str
    seq: int = Field(ge=1, description="the case's event number, 1-based")
    at: datetime = Field(description="when it happened (business time, from the command)")
    recorded_at: datetime = Field(description="when the writer recorded it")
    actor: Actor
    correlation_id: str
    causation_id: str | None = None
    prev_hash: str
    hash: str = ""
    payload: dict[str, Any]

    def body(self) -> dict[str, Any]:
        """The JSON document that is hashed: everything but ``hash``."""
        doc = self.model_dump(mode="json")
        doc.pop("hash")
        return doc

    def compute_hash(self) -> str:
        return hash_of_document(self.body())

    def to_bytes(self) -> bytes:
        return canonical_json(self.model_dump(mode="json"))

    @classmethod
    def from_bytes(cls, data: bytes) -> Envelope:
        return cls.model_validate_json(data)


def hash_of_document(doc: dict[str, Any]) -> str:
    body = {k: v for k, v in doc.items() if k != "hash"}
    return sha256_hex(canonical_json(body))


def seal(envelope: Envelope) -> Envelope:
    """Return the envelope with its ``hash`` filled in."""
    return envelope.model_copy(update={"hash": envelope.compute_hash()})
