"""The fault suite's system: the 3-node cluster from deploy/nats/, PostgreSQL, the four services.

Every service connects as its own NATS user from deploy/nats/accounts.conf, and the streams are
created by the provisioner (``liandong streams`` as ``liandong-admin``) with three replicas, as in
production. ``LIANDONG_FAULTS=long`` (``make faults``) runs longer loads and more rounds; the
default is the short form that ``make test`` runs.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import _run_in_thread, require
from tests.faults.load import Auth, header_auth
from tests.support.nats_cluster import NatsCluster
from tests.support.postgres import PostgresUnavailable, TestDatabase
from tests.support.system import SERVICES, System

LONG = os.environ.get("LIANDONG_FAULTS", "").lower() == "long"
LOAD_SECONDS = 20.0 if LONG else 6.0
ROUNDS = 3 if LONG else 1
CONCURRENCY = 8 if LONG else 4


@dataclass
class ClusterSystem(System):
    """The services as subprocesses, each with its own NATS user."""

    cluster: NatsCluster | None = None
    base_env: dict[str, str] = field(default_factory=dict)

    def start(self, names: tuple[str, ...] = SERVICES) -> ClusterSystem:
        assert self.cluster is not None
        for name in names:
            self.extra_env = {**self.base_env, **self.cluster.service_env(name)}
            super().start((name,))
        self.extra_env = dict(self.base_env)
        return self

    def restart(self, name: str) -> None:
        svc = self.services[name]
        svc.start()
        svc.wait_healthy()


def auth_for(system: System) -> Auth:
    """The authentication tests/support offers: tokens once operator login exists, else headers."""
    token = getattr(system, "token", None)
    if token is None:
        return header_auth

    def bearer(operator: str, node: str, role: str | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {token(operator, node, role)}"}

    return bearer


def provision_streams(cluster: NatsCluster, env: dict[str, str]) -> None:
    cli = str(Path(sys.executable).parent / "liandong")
    run_env = {**env, "LIANDONG_NATS_URL": cluster.url, **cluster.admin_env()}
    done = subprocess.run([cli, "streams"], env=run_env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.fixture(scope="package")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NatsCluster]:
    c = NatsCluster(tmp_path_factory.mktemp("cluster")).start()
    try:
        yield c
    finally:
        c.cleanup()


@pytest.fixture(scope="package")
def fault_db() -> Iterator[TestDatabase]:
    db = TestDatabase()
    try:
        _run_in_thread(db.create())
    except PostgresUnavailable as exc:
        require(False, str(exc))
    yield db
    _run_in_thread(db.drop())


@pytest.fixture(scope="package")
def fault_system(
    cluster: NatsCluster, fault_db: TestDatabase, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ClusterSystem]:
    workdir = tmp_path_factory.mktemp("fault-system")
    system = ClusterSystem(cluster.url, fault_db.raw_url, workdir, cluster=cluster)
    system.base_env = {"LIANDONG_LOG_LEVEL": "INFO"}
    provision_streams(cluster, system.env())
    try:
        system.start()
        yield system
    finally:
        system.stop()
