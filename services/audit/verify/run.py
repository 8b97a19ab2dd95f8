"""Verify orchestration: read the stream (or a copy of it) and the ledger, check both, compare.

Exit codes (``liandong audit verify``): 0 everything intact; 1 a changed, dropped, reordered or
injected event (or a broken ledger) was found, the first one named; 2 the stream or the ledger
could not be read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from nats.aio.client import Client as NATS
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from services.audit.chain import Finding, Head
from services.audit.tables import ledger
from services.audit.verify.compare import compare
from services.audit.verify.ledger_pass import check_ledger
from services.audit.verify.stream_pass import Seen, check_message
from shared.eventstore.replay import scan_stream, stream_end
from shared.eventstore.subjects import CASES_STREAM

Progress = Callable[[int, int], None]  # (done, total)


@dataclass
class VerifyReport:
    checked: int = 0
    cases: int = 0
    ledger_entries: int = 0
    checkpoints_ok: int = 0
    pending: int = 0
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings

    @property
    def first(self) -> Finding | None:
        return self.findings[0] if self.findings else None


async def stream_subject(nc: NATS, stream: str) -> str:
    info = await nc.jetstream().stream_info(stream)
    subjects = info.config.subjects or []
    return subjects[0] if len(subjects) == 1 else ">"


async def _heads_before(engine: AsyncEngine, from_seq: int) -> dict[str, Head]:
    heads: dict[str, Head] = {}
    async with engine.connect() as conn:
        rows = await conn.stream(
            select(ledger.c.case_id, ledger.c.seq, ledger.c.hash)
            .where(ledger.c.stream_seq < from_seq, ledger.c.chain_ok.is_(True))
            .order_by(ledger.c.stream_seq)
        )
        async for case_id, seq, h in rows:
            heads[case_id] = Head(seq, h)
    return heads


async def read_stream(
    nc: NATS,
    stream: str,
    from_seq: int,
    heads: dict[str, Head],
    report: VerifyReport,
    progress: Progress | None = None,
    lenient_first: bool = False,
) -> list[Seen]:
    seen: list[Seen] = []
    findings = report.findings
    end = await stream_end(nc, stream)
    subject = await stream_subject(nc, stream)
    total = end - from_seq + 1

    def visit(seq: int, subj: str, data: bytes, headers: dict[str, str] | None) -> None:
        if lenient_first:
            _trust_first(heads, data)
        s, finding = check_message(heads, seq, subj, data, headers)
        seen.append(s)
        if finding:
            findings.append(finding)
        if progress and len(seen) % 1000 == 0:
            progress(len(seen), total)

    # checked in the subscription's callback: no hand-off per message (verify's pass is CPU-bound)
    await scan_stream(nc, visit, stream, subject, start_seq=from_seq, end_seq=end)
    report.checked += len(seen)
    return seen


def _trust_first(heads: dict[str, Head], data: bytes) -> None:
    """Without a ledger, ``--from`` cannot know a case's earlier events: trust each case's first one."""
    import json

    try:
        doc = json.loads(data)
        if doc["case_id"] not in heads:
            heads[doc["case_id"]] = Head(int(doc["seq"]) - 1, str(doc["prev_hash"]))
    except (ValueError, KeyError, TypeError):
        return


async def verify(
    nc: NATS,
    engine: AsyncEngine | None = None,
    *,
    stream: str = CASES_STREAM,
    from_seq: int = 1,
    public_pem: str | None = None,
    progress: Progress | None = None,
) -> VerifyReport:
    report = VerifyReport()
    heads = await _heads_before(engine, from_seq) if engine is not None and from_seq > 1 else {}
    lenient = engine is None and from_seq > 1
    seen = await read_stream(nc, stream, from_seq, heads, report, progress, lenient)
    report.cases = len(heads)
    if engine is not None:
        async with engine.connect() as conn:
            lp = await check_ledger(conn, from_seq, public_pem)
        report.ledger_entries = len(lp.entries)
        report.checkpoints_ok = lp.checkpoints_ok
        report.findings.extend(lp.findings)
        diffs, report.pending = compare(seen, lp.entries, lp.last_stream_seq)
        report.findings.extend(diffs)
    order = {"dropped": 0, "changed": 1, "injected": 1, "reordered": 2}
    report.findings.sort(key=lambda f: (f.stream_seq, order.get(f.code, 1)))
    return report
