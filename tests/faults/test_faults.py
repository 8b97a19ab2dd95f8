"""DESIGN.md §5 under faults, against real processes: the deployed 3-node NATS cluster, PostgreSQL
and the four services, while a load generator submits and handles cases over HTTP.

Each test ends by reading the stream itself: every acknowledged write is there once, and every
projection equals a fresh rebuild from the stream (tests/faults/consistency.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import shutil
import subprocess
import sys
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import nats
import pytest
from nats.aio.client import Client as NATS

from shared.db import Database, make_database
from shared.events.canonical import canonical_json
from shared.events.envelope import hash_of_document
from shared.eventstore.replay import iterate_stream
from shared.service_layer.case_repository import subject_for
from tests.conftest import require
from tests.faults.conftest import CONCURRENCY, LOAD_SECONDS, ROUNDS, ClusterSystem, auth_for
from tests.faults.consistency import check_stream, compare_with_rebuild, read_stream, settle
from tests.faults.load import LoadGenerator, LoadStats
from tests.support.nats_cluster import NatsCluster
from tests.support.postgres import TestDatabase as PgDatabase

pytestmark = pytest.mark.timeout(900)
INJECTED: set[int] = set()


@pytest.fixture
async def admin(cluster: NatsCluster) -> AsyncIterator[NATS]:
    user, pw = cluster.credentials("admin")
    nc = await nats.connect(cluster.url.split(","), user=user, password=pw, max_reconnect_attempts=-1)
    yield nc
    await nc.close()


@pytest.fixture
async def dbs(fault_db: PgDatabase, tmp_path: Path) -> AsyncIterator[dict[str, Database]]:
    out = {s: make_database(fault_db.url, s, tmp_path, pool_size=2) for s in ("node", "audit")}
    yield out
    for db in out.values():
        await db.dispose()


def township_item(system: ClusterSystem) -> tuple[str, list[str]]:
    items = httpx.get(f"{system.url('intake')}/api/catalog", timeout=10).json()
    code = next(i["code"] for i in items if i["tier"] == "township" and not i["fee_fen"])
    guide = httpx.get(f"{system.url('intake')}/api/catalog/{code}", timeout=10).json()
    return code, [m["code"] for m in guide["materials"] if m["kind"] == "required"]


async def under_load(
    system: ClusterSystem, fault: Callable[[], Awaitable[None]], seconds: float = LOAD_SECONDS
) -> tuple[LoadStats, int]:
    """Run the load, apply the fault halfway; returns the stats and how many cases closed after it."""
    code, materials = township_item(system)
    gen = LoadGenerator(
        system.url("intake"), system.url("node"), code, materials, auth_for(system), CONCURRENCY
    )
    stop = asyncio.Event()
    task = asyncio.create_task(gen.run(stop))
    try:
        await asyncio.sleep(seconds / 2)
        await fault()
        closed_before = len(gen.stats.closed)
        await asyncio.sleep(seconds / 2)
        # let the cases in flight finish, so the services are shown to carry on
        for _ in range(60):
            if len(gen.stats.closed) > closed_before:
                break
            await asyncio.sleep(1)
    finally:
        stop.set()
        stats = await task
        await gen.close()
    return stats, len(stats.closed) - closed_before


async def assert_consistent(admin: NATS, dbs: dict[str, Database], stats: LoadStats, tmp: Path) -> None:
    await settle(admin, dbs)
    check_stream(await read_stream(admin), stats, INJECTED)
    sizes = await compare_with_rebuild(admin, dbs, tmp)
    assert sizes["node.case_states"] >= len(stats.cases)
    # a fault is waited out, never a reason to give up on a good event
    letters = await _dead_letters(admin)
    unexpected = {consumer: sorted(seqs - INJECTED) for consumer, seqs in letters.items() if seqs - INJECTED}
    assert not unexpected, f"dead-lettered without being injected: {unexpected}"


def in_thread(fn: Callable[[], None]) -> Callable[[], Awaitable[None]]:
    async def run() -> None:
        await asyncio.to_thread(fn)

    return run


# -- NATS permissions ----------------------------------------------------------------------


async def _user_conn(cluster: NatsCluster, user: str, errors: list[str]) -> NATS:
    login, pw = cluster.credentials(user)

    async def on_error(exc: Exception) -> None:
        errors.append(str(exc))

    return await nats.connect(cluster.url.split(","), user=login, password=pw, error_cb=on_error)


FORBIDDEN = {
    "audit": ["case.T01V01.01FORGEDBYAUDIT0000000000000", "deadletter.node-case-states"],
    "intake": [
        "$JS.API.STREAM.DELETE.CASES",
        "deadletter.audit-ledger",
        "$JS.API.CONSUMER.DELETE.CASES.routing",
    ],
    "node": ["$JS.API.STREAM.PURGE.CASES", "$JS.API.CONSUMER.DELETE.CASES.audit-ledger"],
    "routing": ["$JS.API.STREAM.UPDATE.CASES", "$JS.ACK.CASES.audit-ledger.1.1.1.1.1.1"],
}


async def test_service_credentials_cannot_publish_where_they_have_no_business(
    fault_system: ClusterSystem, cluster: NatsCluster, admin: NATS
) -> None:
    # the services ran (and provisioning, and start-up) without a single permission violation
    for node in cluster.nodes:
        log = (node.workdir / "nats.log").read_text(errors="replace")
        assert "Violation" not in log, log[-2000:]
    before = (await admin.jetstream().stream_info("CASES")).state.last_seq
    for user, subjects in FORBIDDEN.items():
        errors: list[str] = []
        nc = await _user_conn(cluster, user, errors)
        try:
            await nc.jetstream().stream_info("CASES")  # what it may do still works
            for subject in subjects:
                with pytest.raises((nats.errors.TimeoutError, nats.errors.NoRespondersError)):
                    await nc.request(subject, b'{"forged": true}', timeout=1.0)
            await nc.flush()
            await asyncio.sleep(0.2)
        finally:
            await nc.close()
        assert len([e for e in errors if "permissions violation" in e.lower()]) >= len(subjects), errors
    assert (await admin.jetstream().stream_info("CASES")).state.last_seq == before
    assert (await admin.jetstream().stream_info("CASES")).config.num_replicas == 3


# -- kill -9 -----------------------------------------------------------------------------------


async def test_kill_9_each_service_in_turn_under_load(
    fault_system: ClusterSystem, admin: NATS, dbs: dict[str, Database], tmp_path: Path
) -> None:
    def kill_and_restart_each() -> None:
        for _ in range(ROUNDS):
            for name in ("intake", "routing", "node", "audit"):
                fault_system.services[name].kill()
                fault_system.restart(name)

    stats, closed_after = await under_load(fault_system, in_thread(kill_and_restart_each))
    assert stats.closed and closed_after > 0, stats.summary()
    await assert_consistent(admin, dbs, stats, tmp_path)


# -- one NATS node of three ----------------------------------------------------------------


async def test_losing_the_stream_leader_loses_no_acknowledged_event(
    fault_system: ClusterSystem, cluster: NatsCluster, admin: NATS, dbs: dict[str, Database], tmp_path: Path
) -> None:
    leader = (await admin.jetstream().stream_info("CASES")).cluster.leader  # type: ignore[union-attr]
    victim = next(n for n in cluster.nodes if n.name == leader)

    async def kill_leader_and_return() -> None:
        victim.kill()
        await asyncio.sleep(LOAD_SECONDS / 3)
        victim.start()

    stats, closed_after = await under_load(fault_system, kill_leader_and_return, LOAD_SECONDS * 2)
    assert closed_after > 0, stats.summary()
    await assert_consistent(admin, dbs, stats, tmp_path)
    for _ in range(60):  # the returned node caught up: all three replicas current
        info = await admin.jetstream().stream_info("CASES")
        replicas = info.cluster.replicas or []  # type: ignore[union-attr]
        if len(replicas) == 2 and all(r.current for r in replicas):
            break
        await asyncio.sleep(1)
    else:
        raise AssertionError(f"replicas not current after the node returned: {info.cluster}")


# -- PostgreSQL ------------------------------------------------------------------------------


def _pg_cluster() -> str | None:
    if shutil.which("pg_ctlcluster") is None or not Path("/etc/postgresql").exists():
        return None
    versions = sorted(p.name for p in Path("/etc/postgresql").iterdir())
    return versions[-1] if versions else None


@contextlib.contextmanager
def postgres_stopped(version: str) -> Iterator[None]:
    def ctl(action: str) -> None:
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", action],
            check=True,
            capture_output=True,
            timeout=60,
        )

    ctl("stop")
    try:
        yield
    finally:
        ctl("start")  # always bring it back, whatever happened


async def test_postgres_restart_mid_load_services_recover_by_themselves(
    fault_system: ClusterSystem, fault_db: PgDatabase, admin: NATS, dbs: dict[str, Database], tmp_path: Path
) -> None:
    version = _pg_cluster()
    local = "127.0.0.1" in fault_db.admin_url or "localhost" in fault_db.admin_url
    require(version is not None and local, "needs the local PostgreSQL cluster (pg_ctlcluster, root)")
    assert version is not None

    def outage() -> None:
        with postgres_stopped(version):
            import time

            time.sleep(3)

    stats, closed_after = await under_load(fault_system, in_thread(outage), LOAD_SECONDS * 2)
    assert closed_after > 0, stats.summary()
    async with httpx.AsyncClient(timeout=5) as client:
        for name, svc in fault_system.services.items():
            assert svc.proc is not None and svc.proc.poll() is None, f"{name} died with PostgreSQL"
            ready = await client.get(f"{svc.url}/ready")
            assert ready.is_success, (name, ready.text)
    await assert_consistent(admin, dbs, stats, tmp_path)


# -- bad events on the stream ------------------------------------------------------------------


def _forgeries(doc: dict[str, Any]) -> tuple[bytes, bytes]:
    """A stored event with its content changed but the old hash kept, and a self-consistent
    event (hash recomputed) that does not continue its case's chain."""
    tampered = dict(doc, payload={**doc["payload"], "forged": "改过的内容"})
    again = {k: v for k, v in doc.items() if k != "hash"}
    again.update(event_id=doc["event_id"] + "X", seq=doc["seq"] + 5, prev_hash="f" * 64)
    rehashed = dict(again, hash=hash_of_document(again))
    return canonical_json(tampered), canonical_json(rehashed)


def as_audit(system: ClusterSystem, *args: str) -> subprocess.CompletedProcess[str]:
    """The supervision office's CLI, with the audit service's NATS user."""
    assert system.cluster is not None
    env = {**system.env(), **system.cluster.service_env("audit")}
    cli = str(Path(sys.executable).parent / "liandong")
    return subprocess.run([cli, *args], env=env, capture_output=True, text=True, timeout=120)


async def _dead_letters(admin: NATS) -> dict[str, set[int]]:
    out: dict[str, set[int]] = {}
    async for m in iterate_stream(admin, stream="DEADLETTER", subject="deadletter.>", idle_timeout=2.0):
        out.setdefault(m.headers["Liandong-Consumer"], set()).add(int(m.headers["Liandong-Original-Seq"]))
    return out


async def test_malformed_and_forged_events_are_dead_lettered_flagged_and_passed_by(
    fault_system: ClusterSystem, admin: NATS, dbs: dict[str, Database], tmp_path: Path
) -> None:
    js = admin.jetstream()
    injected: dict[str, int] = {}

    async def inject() -> None:
        docs = [doc for _s, _subj, doc in await read_stream(admin) if doc]
        target = next((d for d in reversed(docs) if d["type"] == "CaseClosed"), docs[-1])
        subject = subject_for(target["case_id"])
        tampered, rechained = _forgeries(target)
        injected["malformed"] = (await js.publish(subject, b'{"event_id": "not an event', timeout=10)).seq
        injected["bad_hash"] = (await js.publish(subject, tampered, timeout=10)).seq
        injected["bad_chain"] = (await js.publish(subject, rechained, timeout=10)).seq
        INJECTED.update(injected.values())

    stats, closed_after = await under_load(fault_system, inject)
    assert closed_after > 0, stats.summary()  # the consumers kept going
    await assert_consistent(admin, dbs, stats, tmp_path)

    letters = await _dead_letters(admin)
    assert set(injected.values()) <= letters.get("node-case-states", set()), letters
    assert {injected["malformed"], injected["bad_hash"]} <= letters.get("audit-ledger", set()), letters
    assert {injected["malformed"], injected["bad_hash"]} <= letters.get("routing", set()), letters

    auditor = auth_for(fault_system)("auditor1", "c01", "auditor")
    async with httpx.AsyncClient(timeout=10) as client:
        found = (await client.get(f"{fault_system.url('audit')}/api/audit/findings", headers=auditor)).json()
    assert injected["bad_chain"] in {f["stream_seq"] for f in found}, found

    verify = await asyncio.to_thread(as_audit, fault_system, "audit", "verify", "--json")
    assert verify.returncode == 1, verify.stdout + verify.stderr
    flagged = {json.loads(line)["stream_seq"] for line in verify.stdout.splitlines() if line.startswith("{")}
    assert set(injected.values()) <= flagged, verify.stdout[:3000]
