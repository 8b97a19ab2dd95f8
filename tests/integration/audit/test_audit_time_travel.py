"""Time travel: a node's worklist ``--as-of`` an instant equals what the node's own projection
showed at that instant, for every step of a recorded day."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select

from services.audit.replay import states_as_of
from services.audit.worklist import worklist
from shared.db import kernel_metadata, make_database
from shared.db.snapshot_store import snapshot_from_row
from shared.db.tables import case_snapshots
from shared.eventstore import JetStreamEventStore, ensure_streams
from shared.messaging import connect
from shared.projections import ProjectionRunner
from shared.projections.case_states import CaseStateProjection
from tests.support.audit_streams import subject_of
from tests.support.audit_traffic import CAL, commands, plan_quarter, seal
from tests.support.builders import CTX
from tests.support.nats_server import NatsServer

NODE = "c01.d.civil-affairs"


async def test_worklist_as_of_each_instant_equals_the_recorded_worklist(
    fresh_nats: NatsServer, tmp_path: Path
) -> None:
    from shared.case.kernel import decide, fold

    nc = await connect(fresh_nats.url, "time-travel")
    await ensure_streams(nc)
    store = JetStreamEventStore(nc)
    db = make_database("", "node-tt", tmp_path)
    await db.create_all(kernel_metadata)
    runner = ProjectionRunner(nc, db, CaseStateProjection("tt"), consumer="tt")
    plans = [p for p in plan_quarter(40, date(2026, 3, 2), date(2026, 3, 6), seed=5) if p.handler == NODE][:6]
    assert len(plans) >= 3
    # every command of every case, in time order: the day as it happened
    steps = sorted(
        ((c.at, i, c) for i, p in enumerate(plans) for c in commands(p)), key=lambda t: (t[0], t[1])
    )
    states: dict[int, object] = {}
    last_seq = dict.fromkeys(range(len(plans)), 0)
    history: dict[int, list] = {}  # type: ignore[type-arg]
    recorded: dict[object, list[tuple[str, str, str | None]]] = {}  # instant -> worklist after it
    for at, i, cmd in steps:
        new = decide(states.get(i), cmd, CTX)  # type: ignore[arg-type]
        if not new:
            continue
        history.setdefault(i, []).extend(new)
        fresh = seal(history[i], plans[i].case_id)[-len(new) :]  # sealing needs the whole chain
        last_seq[i] = (await store.append(subject_of(plans[i].case_id), fresh, last_seq[i]))[-1]
        states[i] = fold(states.get(i), new)  # type: ignore[arg-type]
        await runner.catch_up()
        async with db.engine.connect() as conn:
            rows = (await conn.execute(select(case_snapshots).where(case_snapshots.c.holder == NODE))).all()
        shown = sorted(
            (s.case_id, s.status.value, s.owner)
            for s in (snapshot_from_row(r).state for r in rows)
            if s.is_open
        )
        recorded[at] = shown  # several events may share an instant: keep the worklist after all of them
    assert any(recorded.values()) and not all(recorded.values())
    for at, shown in recorded.items():
        past = await states_as_of(nc, at)  # type: ignore[arg-type]
        rows = worklist(past.values(), NODE, at.date(), CAL)  # type: ignore[attr-defined]
        assert sorted((r["case_id"], r["status"], r["owner"]) for r in rows) == shown, at
    await db.dispose()
    await nc.close()
