"""Engine factory: PostgreSQL (asyncpg) for county deployments, SQLite (aiosqlite) embedded.

Each service owns its tables: on PostgreSQL in its own schema (``search_path``), on SQLite in
its own file. No engine is built at import time; services build one in their bootstrap.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import MetaData, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine


@dataclass
class Database:
    engine: AsyncEngine
    dialect: str  # "postgresql" or "sqlite"
    schema: str | None

    async def create_all(self, *metadatas: MetaData) -> None:
        async with self.engine.begin() as conn:
            if self.dialect == "postgresql" and self.schema:
                await conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{self.schema}"'))
            for md in metadatas:
                await conn.run_sync(md.create_all)

    async def dispose(self) -> None:
        await self.engine.dispose()


def service_url(base_url: str, service: str, data_dir: Path) -> tuple[str, str | None]:
    """Resolve the URL a service connects to: PostgreSQL URLs get a per-service schema; an empty
    URL means the embedded default, one SQLite file per service under ``data_dir``."""
    if not base_url:
        data_dir.mkdir(parents=True, exist_ok=True)
        return f"sqlite+aiosqlite:///{data_dir / f'{service}.db'}", None
    url = make_url(base_url)
    if url.get_backend_name() == "postgresql":
        return str(url.set(drivername="postgresql+asyncpg")), service
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            stem = Path(url.database)
            path = stem.with_name(f"{stem.stem}-{service}{stem.suffix or '.db'}")
            return str(url.set(drivername="sqlite+aiosqlite", database=str(path))), None
        return str(url.set(drivername="sqlite+aiosqlite")), None
    raise ValueError(f"unsupported DATABASE_URL backend {url.get_backend_name()!r}")


def make_database(base_url: str, service: str, data_dir: Path, pool_size: int = 10) -> Database:
    url, schema = service_url(base_url, service, data_dir)
    if url.startswith("postgresql"):
        engine = create_async_engine(
            url,
            pool_size=pool_size,
            max_overflow=pool_size,
            pool_pre_ping=True,
            connect_args={"server_settings": {"search_path": f"{schema},public"}},
        )
        return Database(engine, "postgresql", schema)
    engine = create_async_engine(url, connect_args={"timeout": 30})
    event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    return Database(engine, "sqlite", None)


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()
