"""Tampering with a copy of the stream and with the ledger: each detected, the first bad event named."""

from __future__ import annotations

import json

from sqlalchemy import select, update

from services.audit.tables import ledger
from services.audit.verify import VerifyReport, verify
from shared.events.envelope import hash_of_document
from shared.eventstore.direct_get import RawMessage
from tests.integration.audit.conftest import AuditWorld
from tests.support.audit_streams import copy_stream, edit_payload, read_all


def _event(m: RawMessage) -> tuple[str, str]:
    doc = json.loads(m.data)
    return doc["event_id"], doc["case_id"]


async def _run(w: AuditWorld, stream: str = "CASES") -> VerifyReport:
    return await verify(w.nc, w.db.engine, stream=stream, public_pem=w.signer.public_pem())


def _first(report: VerifyReport) -> tuple[str, str | None, str]:
    assert not report.ok
    f = report.findings[0]
    return f.code, f.event_id, f.case_id


async def test_untouched_stream_and_ledger_verify(audit_world: AuditWorld) -> None:
    report = await _run(audit_world)
    assert report.ok, [f.line() for f in report.findings]
    assert report.checked == report.ledger_entries == audit_world.events and report.checkpoints_ok >= 2
    copy = await copy_stream(audit_world.nc, "PLAINCOPY")
    assert (await _run(audit_world, copy)).ok


async def test_stream_copy_tampering_is_detected_and_named(audit_world: AuditWorld) -> None:
    w = audit_world
    msgs = await read_all(w.nc)
    k = 40  # index into the stream (0-based); stream seq k + 1
    victim_id, victim_case = _event(msgs[k])

    def edit(ms: list[RawMessage]) -> list[RawMessage]:
        ms[k] = edit_payload(ms[k], lambda p: p.update({"forged": 1}))
        return ms

    code, eid, case = _first(await _run(w, await copy_stream(w.nc, "EDITED", edit)))
    assert (eid, case) == (victim_id, victim_case) and code in ("bad_hash", "changed")

    def forge(ms: list[RawMessage]) -> list[RawMessage]:
        ms[k] = edit_payload(ms[k], lambda p: p.update({"forged": 1}), reseal=True)
        return ms

    report = await _run(w, await copy_stream(w.nc, "FORGED", forge))
    assert _first(report) == ("changed", victim_id, victim_case)
    assert any(f.code == "bad_prev_hash" and f.case_id == victim_case for f in report.findings)

    def drop(ms: list[RawMessage]) -> list[RawMessage]:
        return ms[:k] + ms[k + 1 :]

    report = await _run(w, await copy_stream(w.nc, "DROPPED", drop))
    assert _first(report) == ("dropped", victim_id, victim_case)
    assert report.findings[0].stream_seq == k + 1

    j = next(i for i in range(k + 1, len(msgs)) if _event(msgs[i])[1] != victim_case)
    other_id, other_case = _event(msgs[j])

    def swap(ms: list[RawMessage]) -> list[RawMessage]:
        ms[k], ms[j] = ms[j], ms[k]
        return ms

    report = await _run(w, await copy_stream(w.nc, "SWAPPED", swap))
    assert _first(report)[0] == "reordered" and report.findings[0].stream_seq == k + 1
    named = {(f.event_id, f.case_id) for f in report.findings if f.code == "reordered"}
    assert (other_id, other_case) in named

    def inject(ms: list[RawMessage]) -> list[RawMessage]:
        doc = json.loads(ms[k].data)
        doc.update(event_id="01FAKE000000000000000000000-T01V01", seq=doc["seq"] + 1, prev_hash=doc["hash"])
        doc["hash"] = hash_of_document(doc)
        from shared.events import canonical_json

        return [*ms[: k + 1], RawMessage(0, ms[k].subject, canonical_json(doc), {}), *ms[k + 1 :]]

    report = await _run(w, await copy_stream(w.nc, "INJECTED", inject))
    code, eid, case = _first(report)
    assert (code, eid, case) == ("injected", "01FAKE000000000000000000000-T01V01", victim_case)
    assert report.findings[0].stream_seq == k + 2


async def _tamper_ledger(w: AuditWorld, at: int, **values: object) -> None:
    async with w.db.engine.begin() as conn:
        await conn.execute(update(ledger).where(ledger.c.position == at).values(**values))


async def _row(w: AuditWorld, position: int):  # type: ignore[no-untyped-def]
    async with w.db.engine.connect() as conn:
        return (await conn.execute(select(ledger).where(ledger.c.position == position))).one()


async def test_ledger_edit_is_detected_and_named(audit_world: AuditWorld) -> None:
    w = audit_world
    row = await _row(w, 33)
    doc = json.loads(row.body)
    doc["payload"]["forged"] = True
    await _tamper_ledger(w, 33, body=json.dumps(doc, ensure_ascii=False))
    report = await _run(w)
    assert _first(report) == ("ledger_changed", row.event_id, row.case_id)


async def test_ledger_forged_hash_is_detected_and_named(audit_world: AuditWorld) -> None:
    w = audit_world
    row = await _row(w, 33)
    doc = json.loads(row.body)
    doc["payload"]["forged"] = True
    doc["hash"] = hash_of_document(doc)
    await _tamper_ledger(w, 33, body=json.dumps(doc, ensure_ascii=False), hash=doc["hash"])
    report = await _run(w)
    codes = {f.code for f in report.findings if f.event_id == row.event_id}
    assert report.findings[0].event_id == row.event_id and {"ledger_chain_broken", "changed"} <= codes
    assert any(f.code == "checkpoint_mismatch" for f in report.findings)


async def test_ledger_drop_is_detected_and_named(audit_world: AuditWorld) -> None:
    w = audit_world
    dropped = await _row(w, 20)
    async with w.db.engine.begin() as conn:
        await conn.execute(ledger.delete().where(ledger.c.position == 20))
    report = await _run(w)
    assert report.findings[0].event_id == dropped.event_id and report.findings[0].code == "injected"
    assert any(f.code == "ledger_gap" for f in report.findings)


async def test_ledger_swap_is_detected_and_named(audit_world: AuditWorld) -> None:
    w = audit_world
    a, b = await _row(w, 60), await _row(w, 61)
    await _tamper_ledger(w, 60, position=-1)
    await _tamper_ledger(w, 61, position=60)
    await _tamper_ledger(w, -1, position=61)
    report = await _run(w)
    first = report.findings[0]
    assert first.code == "ledger_chain_broken" and first.event_id in {a.event_id, b.event_id}
    assert {a.event_id, b.event_id} & {f.event_id for f in report.findings if f.code == "reordered"}


async def test_verify_from_a_sequence_checks_the_rest_and_finds_tampering_there(
    audit_world: AuditWorld,
) -> None:
    """``liandong audit verify --from SEQ``: the events before SEQ are taken from the ledger as
    trusted, the rest is read from the stream and checked; tampering after SEQ is still named."""
    w = audit_world
    start = w.events // 2
    report = await verify(w.nc, w.db.engine, from_seq=start, public_pem=w.signer.public_pem())
    assert report.ok, [f.line() for f in report.findings]
    assert report.checked == w.events - start + 1

    msgs = await read_all(w.nc)
    k = start + 5  # index of stream seq start + 6
    victim_id, victim_case = _event(msgs[k])

    def forge(ms: list[RawMessage]) -> list[RawMessage]:
        ms[k] = edit_payload(ms[k], lambda p: p.update({"forged": 1}), reseal=True)
        return ms

    copy = await copy_stream(w.nc, "FORGEDLATE", forge)
    later = await verify(w.nc, w.db.engine, stream=copy, from_seq=start, public_pem=w.signer.public_pem())
    assert _first(later) == ("changed", victim_id, victim_case)
    assert later.checked == w.events - start + 1
    # without a ledger, each case's first event after SEQ is trusted as its start (stream only)
    untouched = await verify(w.nc, None, from_seq=start)
    assert untouched.ok and untouched.checked == w.events - start + 1
