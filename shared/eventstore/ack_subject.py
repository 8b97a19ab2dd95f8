"""The stream sequence of a delivered JetStream message, read from its ack subject."""

from __future__ import annotations

from nats.aio.msg import Msg


def stream_seq(msg: Msg) -> int:
    """The message's stream sequence, read from its ack subject without building nats-py's whole
    ``Metadata`` (``$JS.ACK.<stream>.<consumer>.<delivered>.<stream seq>.…``, or with a domain and
    account hash in front)."""
    tokens = (msg.reply or "").split(".")
    if len(tokens) == 9:
        return int(tokens[5])
    if len(tokens) >= 11:
        return int(tokens[7])
    return int(msg.metadata.sequence.stream)
