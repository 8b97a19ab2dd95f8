"""The stream and the ledger compared event by event (by event id, so one dropped or injected
message is reported once instead of shifting everything after it)."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence

from services.audit.chain import Finding
from services.audit.verify.ledger_pass import Entry
from services.audit.verify.stream_pass import Seen


def _in_order(positions: Sequence[int]) -> set[int]:
    """Indexes of a longest increasing subsequence: the events that kept their relative order."""
    tails: list[int] = []
    tail_idx: list[int] = []
    parent = [-1] * len(positions)
    for i, p in enumerate(positions):
        k = bisect_left(tails, p)
        if k == len(tails):
            tails.append(p)
            tail_idx.append(i)
        else:
            tails[k] = p
            tail_idx[k] = i
        parent[i] = tail_idx[k - 1] if k else -1
    keep: set[int] = set()
    i = tail_idx[-1] if tail_idx else -1
    while i >= 0:
        keep.add(i)
        i = parent[i]
    return keep


def compare(stream: Sequence[Seen], entries: Sequence[Entry], ledger_end: int) -> tuple[list[Finding], int]:
    """Findings where they disagree, and how many stream events the ledger has not reached yet."""
    out: list[Finding] = []
    by_id = {e.event_id: e for e in entries}
    in_stream: set[str] = set()
    matched: list[tuple[Seen, Entry]] = []
    pending = 0
    for s in stream:
        e = by_id.get(s.event_id) if s.event_id else None
        if e is None:
            if s.stream_seq <= ledger_end:
                out.append(
                    Finding(
                        s.stream_seq,
                        "",
                        s.case_id,
                        s.event_id,
                        "injected",
                        "in the stream but never recorded in the ledger",
                        "stream",
                    )
                )
            else:
                pending += 1
            continue
        in_stream.add(e.event_id)
        matched.append((s, e))
        if s.content_hash != e.hash:
            out.append(
                Finding(
                    s.stream_seq,
                    "",
                    s.case_id,
                    s.event_id,
                    "changed",
                    f"content differs from the ledger's record (ledger seq {e.stream_seq})",
                    "both",
                )
            )
    for e in entries:
        if e.event_id not in in_stream:
            out.append(
                Finding(
                    e.stream_seq,
                    "",
                    e.case_id,
                    e.event_id,
                    "dropped",
                    "recorded in the ledger but missing from the stream",
                    "stream",
                )
            )
    positions = [e.position for _, e in matched]
    keep = _in_order(positions)
    first_moved = next((i for i, p in enumerate(sorted(positions)) if positions[i] != p), None)
    for i, (s, e) in enumerate(matched):
        if i not in keep or i == first_moved:
            out.append(
                Finding(
                    s.stream_seq,
                    "",
                    s.case_id,
                    s.event_id,
                    "reordered",
                    f"out of order: the ledger has it at position {e.position} (seq {e.stream_seq})",
                    "both",
                )
            )
    return out, pending
