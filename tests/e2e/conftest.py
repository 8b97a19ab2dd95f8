from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import _run_in_thread, require
from tests.support.nats_server import NatsServer
from tests.support.postgres import PostgresUnavailable, TestDatabase
from tests.support.system import System


@pytest.fixture(scope="session")
def system(tmp_path_factory: pytest.TempPathFactory) -> Iterator[System]:
    """The four services as subprocesses on their own nats-server and their own PostgreSQL database."""
    workdir: Path = tmp_path_factory.mktemp("system")
    db = TestDatabase()
    try:
        _run_in_thread(db.create())
    except PostgresUnavailable as exc:
        require(False, str(exc))
    nats = NatsServer(store_dir=workdir / "nats").start()
    sys_ = System(nats.url, db.raw_url, workdir)
    try:
        sys_.start()
        yield sys_
    finally:
        sys_.stop()
        nats.cleanup()
        _run_in_thread(db.drop())
