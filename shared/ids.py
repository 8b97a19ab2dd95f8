"""Identifiers: time-ordered event ids, case ids, and ids derived deterministically from a cause.

Ids are 26-character ULIDs (48-bit millisecond time + 80 bits) in Crockford base32, so they sort
by creation time and need no central coordination. Event ids written by a node are suffixed with
the node's short code (``01J...-T01V03``) so that ids stay globally unique across offline village
nodes and tell at a glance which node wrote them.

The domain never calls these: ids are made at the edge and carried in by commands.
"""

from __future__ import annotations

import hashlib
import os
import time
from datetime import datetime

_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def _encode(value: int, length: int) -> str:
    chars = []
    for _ in range(length):
        value, rem = divmod(value, 32)
        chars.append(_ALPHABET[rem])
    return "".join(reversed(chars))


def ulid(at_ms: int | None = None, entropy: bytes | None = None) -> str:
    ms = int(time.time() * 1000) if at_ms is None else at_ms
    rand = entropy if entropy is not None else os.urandom(10)
    return _encode(ms, 10) + _encode(int.from_bytes(rand[:10], "big"), 16)


def ulid_time_ms(value: str) -> int:
    ms = 0
    for ch in value[:10]:
        ms = ms * 32 + _ALPHABET.index(ch)
    return ms


def new_case_id() -> str:
    return ulid()


def new_event_id(node_code: str) -> str:
    return f"{ulid()}-{node_code}"


def derived_event_id(cause_id: str, tag: str, node_code: str = "RT") -> str:
    """A deterministic id for an event caused by another one.

    Two routing instances reacting to the same cause with the same tag compute the same id, so
    JetStream's de-duplication and the store's idempotency check collapse them into one event.
    The time part is the cause's time so derived ids still sort after their cause's siblings.
    """
    cause_ulid = cause_id.split("-", 1)[0]
    digest = hashlib.sha256(f"{cause_id}|{tag}".encode()).digest()
    return f"{ulid(ulid_time_ms(cause_ulid), digest)}-{node_code}"


def ms_of(dt: datetime) -> int:
    return int(dt.timestamp() * 1000)
