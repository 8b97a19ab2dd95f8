"""Between domain events, sealed envelopes and stored messages.

Decoding checks, in order: JSON, envelope schema, the envelope's own hash (over the stored
document, before any upcasting), then upcasts and validates the payload. Any failure is a
``DecodeError`` with a reason a dead-letter record can carry.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from shared.case.kernel import DomainEvent
from shared.events import GENESIS_HASH, REGISTRY, Envelope, EventPayload, seal
from shared.events.envelope import hash_of_document
from shared.events.registry import UnknownEventType, UnsupportedSchemaVersion


class DecodeError(ValueError):
    def __init__(self, reason: str, code: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.code = code


@dataclass(frozen=True)
class StoredEvent:
    stream_seq: int
    subject: str
    envelope: Envelope
    payload: EventPayload
    headers: dict[str, str]

    def domain(self) -> DomainEvent:
        return DomainEvent(self.envelope.case_id, self.payload, self.envelope.at, self.envelope.actor)


def to_envelope(
    event: DomainEvent,
    *,
    event_id: str,
    seq: int,
    prev_hash: str,
    recorded_at: datetime,
    correlation_id: str,
    causation_id: str | None,
) -> Envelope:
    return seal(
        Envelope(
            event_id=event_id,
            type=event.payload.TYPE,
            schema_version=event.payload.VERSION,
            case_id=event.case_id,
            seq=seq,
            at=event.at,
            recorded_at=recorded_at,
            actor=event.actor,
            correlation_id=correlation_id,
            causation_id=causation_id,
            prev_hash=prev_hash,
            payload=event.payload.model_dump(mode="json"),
        )
    )


def seal_chain(
    events: Iterable[DomainEvent],
    *,
    event_id: Callable[[int], str],
    first_seq: int = 1,
    prev_hash: str = GENESIS_HASH,
    recorded_at: datetime | None = None,
    correlation_id: str | None = None,
    causation_id: str | None = None,
) -> Iterator[Envelope]:
    """Seal events as the next links of one case's chain: numbered from ``first_seq``, each holding
    the hash of the one before (the first, ``prev_hash``). ``event_id(i)`` names the i-th (from 0);
    ``recorded_at`` defaults to each event's business time and ``correlation_id`` to each event's
    own id. A generator, so a writer appending one at a time seals as it goes."""
    prev = prev_hash
    for i, ev in enumerate(events):
        eid = event_id(i)
        env = to_envelope(
            ev,
            event_id=eid,
            seq=first_seq + i,
            prev_hash=prev,
            recorded_at=ev.at if recorded_at is None else recorded_at,
            correlation_id=correlation_id or eid,
            causation_id=causation_id,
        )
        yield env
        prev = env.hash


def to_domain(envelope: Envelope) -> DomainEvent:
    payload = REGISTRY.load(envelope.type, envelope.schema_version, envelope.payload)
    return DomainEvent(envelope.case_id, payload, envelope.at, envelope.actor)


# the top-level hash member in canonical bytes: keys are sorted, so it follows "event_id" and
# comes before "payload" (a string value cannot hold it unescaped; anything else only fails the check)
_HASH_MEMBER = b',"hash":"'


def stored_bytes_hash_ok(data: bytes, claimed: object) -> bool:
    """Fast path of the hash check for bytes stored as canonical JSON (every sealed event): hash
    the stored bytes with the hash member cut out, instead of re-serialising the parsed document.
    A match means the bytes are exactly what was sealed (SHA-256); anything else, including a
    document that is valid but not canonical, takes the full check."""
    if not isinstance(claimed, str) or len(claimed) != 64:
        return False
    at = data.find(_HASH_MEMBER)
    stop = at + len(_HASH_MEMBER) + 64
    if at <= 0 or data[stop : stop + 1] != b'"' or data[stop - 64 : stop] != claimed.encode():
        return False
    view = memoryview(data)
    digest = hashlib.sha256(view[:at])
    digest.update(view[stop + 1 :])
    return digest.hexdigest() == claimed


def _no_constants(name: str) -> Any:
    # NaN and Infinity are not JSON; Python would accept them, then fail to hash the document
    raise ValueError(f"{name} is not JSON")


def parse_document(data: bytes) -> dict[str, Any]:
    try:
        doc = json.loads(data, parse_constant=_no_constants)
    except (UnicodeDecodeError, ValueError) as exc:  # JSONDecodeError is a ValueError
        raise DecodeError(f"not JSON: {exc}", "not_json") from None
    if not isinstance(doc, dict):
        raise DecodeError("not a JSON object", "not_json")
    return doc


def parse_envelope(data: bytes) -> tuple[Envelope, dict[str, Any] | None]:
    """The envelope, straight from the bytes (pydantic's JSON parser: five times faster than
    ``json.loads`` + ``model_validate``); on any doubt the strict path classifies the problem."""
    if b"NaN" not in data and b"Infinity" not in data:
        try:
            return Envelope.model_validate_json(data), None
        except ValidationError:
            pass
    doc = parse_document(data)
    try:
        return Envelope.model_validate(doc), doc
    except ValidationError as exc:
        raise DecodeError(f"invalid envelope: {_first_error(exc)}", "bad_envelope") from None


def decode_message(stream_seq: int, subject: str, data: bytes, headers: dict[str, str] | None) -> StoredEvent:
    envelope, doc = parse_envelope(data)
    if not stored_bytes_hash_ok(data, envelope.hash):
        if hash_of_document(doc if doc is not None else parse_document(data)) != envelope.hash:
            raise DecodeError(f"hash mismatch on event {envelope.event_id}", "bad_hash")
    try:
        payload = REGISTRY.load(envelope.type, envelope.schema_version, envelope.payload)
    except UnknownEventType as exc:
        raise DecodeError(str(exc), "unknown_type") from None
    except UnsupportedSchemaVersion as exc:
        raise DecodeError(str(exc), "unsupported_version") from None
    except (ValidationError, KeyError, TypeError, ValueError) as exc:
        detail = _first_error(exc) if isinstance(exc, ValidationError) else repr(exc)
        raise DecodeError(f"invalid {envelope.type} payload: {detail}", "bad_payload") from None
    return StoredEvent(stream_seq, subject, envelope, payload, dict(headers or {}))


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err.get("loc", ()))
    return f"{where}: {err.get('msg')}" if where else str(err.get("msg"))
