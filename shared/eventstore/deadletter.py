"""Dead letters: events a consumer could not use, kept with the reason, never silently dropped.

Published to ``deadletter.<consumer>`` (stream ``DEADLETTER``) with the original subject and
sequence in headers; ``Nats-Msg-Id`` makes a retried dead-lettering land once.
"""

from __future__ import annotations

import logging

from nats.js import JetStreamContext

from shared.eventstore.subjects import deadletter_subject

log = logging.getLogger("liandong.deadletter")


def ascii_header(text: str) -> str:
    """NATS headers are ASCII; keep non-ASCII reasons readable as escapes."""
    return text.encode("ascii", "backslashreplace").decode("ascii").replace("\r", " ").replace("\n", " ")


async def dead_letter(
    js: JetStreamContext, consumer: str, subject: str, seq: int, data: bytes, reason: str, code: str
) -> None:
    log.error("dead-lettered", extra={"consumer": consumer, "seq": seq, "code": code, "reason": reason})
    headers = {
        "Nats-Msg-Id": f"dl-{consumer}-{seq}",
        "Liandong-Reason": ascii_header(reason[:500]),
        "Liandong-Reason-Code": code,
        "Liandong-Original-Subject": subject,
        "Liandong-Original-Seq": str(seq),
        "Liandong-Consumer": consumer,
    }
    await js.publish(deadletter_subject(consumer), data, headers=headers)
