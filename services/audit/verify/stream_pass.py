"""One pass over a stream: per-case chain checks, remembering what each message held.

The fast path parses the JSON with orjson and checks the hash over the stored bytes (the codec's
``stored_bytes_hash_ok``; over the re-serialised document if they are not canonical), no pydantic;
anything it does not accept is re-checked by the full decoder, which names the problem.
"""

from __future__ import annotations

from dataclasses import replace
from typing import NamedTuple

import orjson

from services.audit.chain import Finding, Head, case_of_subject, check
from shared.events import GENESIS_HASH, canonical_json, sha256_hex
from shared.eventstore.codec import stored_bytes_hash_ok


class Seen(NamedTuple):
    """One stored message: its place, its event id and the hash of what it really holds."""

    stream_seq: int
    event_id: str | None
    case_id: str
    content_hash: str


def _content_hash(doc: dict[str, object]) -> str:
    return sha256_hex(canonical_json({k: v for k, v in doc.items() if k != "hash"}))


def _subject_names(subject: str, case_id: str) -> bool:
    """``case_of_subject(subject) == case_id``, inlined: it runs once per event."""
    tokens = subject.split(".")
    return len(tokens) >= 3 and f"{tokens[1]}-{tokens[2]}" == case_id


def check_message(
    heads: dict[str, Head], seq: int, subject: str, data: bytes, headers: dict[str, str] | None
) -> tuple[Seen, Finding | None]:
    try:
        doc = orjson.loads(data)
        case_id, n, claimed = doc["case_id"], doc["seq"], doc["hash"]
        if not isinstance(case_id, str):
            raise TypeError("case_id")  # the full decoder names the problem
        computed = claimed if stored_bytes_hash_ok(data, claimed) else _content_hash(doc)
        event_id = doc["event_id"]
    except (orjson.JSONDecodeError, ValueError, KeyError, TypeError, AttributeError):
        verdict = check(heads, seq, subject, data, headers)
        return Seen(seq, None, case_of_subject(subject), sha256_hex(data)), verdict.finding
    seen = Seen(seq, event_id if isinstance(event_id, str) else str(event_id), case_id, computed)
    head = heads.get(case_id)
    if (
        computed == claimed
        and isinstance(n, int)
        and n == (head.seq if head else 0) + 1
        and doc.get("prev_hash") == (head.hash if head else GENESIS_HASH)
        and _subject_names(subject, case_id)
    ):
        heads[case_id] = Head(n, claimed)
        return seen, None
    finding = check(heads, seq, subject, data, headers).finding
    if finding is not None and finding.event_id is None:  # undecodable, but we could read its id
        finding = replace(finding, event_id=seen.event_id, case_id=seen.case_id)
    return seen, finding
