"""``scan_stream``: every message from a sequence to the stream's end, once, in order, checked inside
the subscription callback; a failing check stops the scan with its own error."""

from __future__ import annotations

import pytest

from shared.eventstore import JetStreamEventStore
from shared.eventstore.replay import iterate_stream, scan_stream, stream_end
from tests.integration.test_projection_runner import write_case


async def test_scan_visits_each_message_once_in_stream_order_from_a_sequence(
    nc, store: JetStreamEventStore
) -> None:  # type: ignore[no-untyped-def]
    for _ in range(5):
        await write_case(store, "T01V02")
    end = await stream_end(nc)
    start = max(1, end - 12)
    visited: list[tuple[int, str, bytes]] = []
    n = await scan_stream(nc, lambda seq, subj, data, _h: visited.append((seq, subj, data)), start_seq=start)
    expected = [(m.seq, m.subject, m.data) async for m in iterate_stream(nc, start_seq=start, end_seq=end)]
    assert n == len(visited) == end - start + 1
    assert visited == expected


async def test_a_failing_visit_stops_the_scan_with_its_error(nc, store: JetStreamEventStore) -> None:  # type: ignore[no-untyped-def]
    await write_case(store, "T01V02")

    def visit(seq: int, _s: str, _d: bytes, _h: object) -> None:
        raise ValueError(f"bad message {seq}")

    with pytest.raises(ValueError, match="bad message"):
        await scan_stream(nc, visit)
