"""Bad input over real NATS and PostgreSQL, through ``liandong routing`` as a subprocess: poison
events are dead-lettered with the reason, cases routing cannot place get a ``RoutingFailed`` event
that supervision sees on the case, and routing keeps going."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable
from pathlib import Path
from typing import Any

import pytest
from nats.js.errors import NotFoundError

from shared.case import ClaimCase, EscalateCase, JointTerms, RequestJointReview, TransferCase
from shared.eventstore.subjects import DEADLETTER_STREAM
from shared.ids import ulid
from tests.integration.routing.conftest import T0
from tests.integration.routing.harness import Writer, eventually
from tests.integration.routing.processes import routing_process
from tests.support import postgres
from tests.support.builders import actor
from tests.support.nats_server import NatsServer
from tests.support.system import ServiceProcess

STATS = "c01.d.statistics"


@pytest.fixture
async def world(
    fresh_nats: NatsServer, own_pg: postgres.TestDatabase, tmp_path: Path
) -> AsyncIterator[tuple[Writer, ServiceProcess]]:
    writer = await Writer.start(fresh_nats.url, own_pg.url, tmp_path)
    proc = routing_process("routing", fresh_nats.url, own_pg.raw_url, tmp_path, clock=T0)
    proc.start()
    proc.wait_healthy()
    yield writer, proc
    proc.stop()
    await writer.close()


async def last_event(writer: Writer, case_id: str, type_: str) -> dict[str, Any] | None:
    found = [e for e in await writer.events(case_id) if e.envelope.type == type_]
    return found[-1].payload.model_dump() if found else None


async def dead_letters(writer: Writer) -> dict[int, dict[str, str]]:
    """Original stream sequence → the dead letter's headers, for routing's consumer."""
    js = writer.nc.jetstream()
    out: dict[int, dict[str, str]] = {}
    seq = 1
    while True:
        try:
            msg = await js.get_msg(DEADLETTER_STREAM, seq, next=True, subject="deadletter.routing")
        except NotFoundError:
            return out
        headers = dict(msg.headers or {})
        out[int(headers["Liandong-Original-Seq"])] = headers
        seq = int(msg.seq or 0) + 1


async def test_poison_events_and_unplaceable_cases(world: tuple[Writer, ServiceProcess]) -> None:
    writer, _ = world
    js = writer.nc.jetstream()

    # poison: not JSON, and a JSON envelope whose hash does not match → dead letters with the reason
    garbage = await js.publish(f"case.T01V01.{ulid()}", b"\xff not json")
    envelope = json.loads((await writer.events(await writer.submit("RS-001", at=T0)))[0].envelope.to_bytes())
    envelope["payload"]["case_number"] = "forged"
    forged = await js.publish(f"case.T01V02.{ulid()}", json.dumps(envelope).encode())

    # a county-tier item whose department no longer exists; a case from a node missing from the org tree
    no_dept = await writer.submit("TJ-001", at=T0, department="abolished-bureau")
    no_node = await writer.submit("RS-001", node="c01.t09.v09", at=T0)
    # escalation from the top (a county window) and a transfer to an unknown department
    top = await writer.submit("TJ-001", at=T0)
    sideways = await writer.submit("TJ-001", at=T0)
    # a joint review naming a department the org tree lacks
    joint_terms = JointTerms(
        kind="parallel_approval", mode="all", departments=("planning", "abolished-bureau")
    )
    joint = await writer.submit("ZJ-001", at=T0, joint=joint_terms)
    ok = await writer.submit("TJ-002", at=T0)

    for case_id in (top, sideways, joint):
        await eventually(lambda c=case_id: last_event(writer, c, "CaseRouted"))  # type: ignore[misc]
    li = actor("c01.d.statistics", "li")
    for case_id in (top, sideways):
        await writer.do(ClaimCase(case_id=case_id, at=T0, actor=li))
    await writer.do(EscalateCase(case_id=top, at=T0, actor=li, reason="需上级处理"))
    await writer.do(
        TransferCase(case_id=sideways, at=T0, actor=li, to_department="abolished-bureau", reason="不属本部门")
    )
    lead = actor("c01.d.construction", "zhao")
    await writer.do(ClaimCase(case_id=joint, at=T0, actor=lead))
    await writer.do(RequestJointReview(case_id=joint, at=T0, actor=lead))
    later = await writer.submit("TJ-003", at=T0)  # after all of it, routing still places cases

    expected = {
        no_dept: ("no_department", "intake", None),
        no_node: ("unknown_node", "intake", None),
        top: ("top_of_county", "escalation", STATS),
        sideways: ("no_department", "transfer", STATS),
    }
    for case_id, (code, purpose, back_to) in expected.items():
        failed = await eventually(lambda c=case_id: last_event(writer, c, "RoutingFailed"))  # type: ignore[misc]
        assert (failed["code"], failed["purpose"]) == (code, purpose), failed
        assert failed["reason"]  # a reason in Chinese, for the supervision office
        state = (await writer.commands.repo.load(case_id)).state
        assert state is not None and state.routing_failure == failed["reason"]
        assert state.holder == back_to  # a failed hand-over goes back to the node that sent it
    for case_id in (ok, later):
        routed = await eventually(lambda c=case_id: last_event(writer, c, "CaseRouted"))  # type: ignore[misc]
        assert routed["to_node"] == STATS

    letters = await eventually(lambda: _if_count(dead_letters(writer), 3))
    assert letters[garbage.seq]["Liandong-Reason-Code"] == "not_json"
    assert letters[forged.seq]["Liandong-Reason-Code"] == "bad_hash"
    requested = next(e for e in await writer.events(joint) if e.envelope.type == "JointReviewRequested")
    assert letters[requested.stream_seq]["Liandong-Reason-Code"] == "no_department"
    assert "abolished-bureau" in letters[requested.stream_seq]["Liandong-Reason"]
    assert "JointReviewDispatched" not in await writer.types(joint)


async def _if_count(
    pending: Awaitable[dict[int, dict[str, str]]], n: int
) -> dict[int, dict[str, str]] | None:
    found = await pending
    return found if len(found) >= n else None
