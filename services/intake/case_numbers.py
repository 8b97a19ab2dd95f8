"""Case numbers: region code + date + node short code + the node's daily sequence.

``511199-20261127-T01V03-0007`` — unique without central coordination, because each node
numbers only its own cases (a village node can keep numbering while offline). A number taken by
a submission the core then refuses is not reused; gaps are expected and harmless.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Column, Date, Integer, MetaData, String, Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncEngine

metadata = MetaData()

counters = Table(
    "case_number_counters",
    metadata,
    Column("node_code", String(16), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("last", Integer, nullable=False),
)


def format_case_number(region_code: str, day: date, node_code: str, seq: int) -> str:
    return f"{region_code}-{day:%Y%m%d}-{node_code}-{seq:04d}"


async def next_case_number(engine: AsyncEngine, region_code: str, node_code: str, day: date) -> str:
    insert = postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert
    stmt = (
        insert(counters)
        .values(node_code=node_code, day=day, last=1)
        .on_conflict_do_update(index_elements=["node_code", "day"], set_={"last": counters.c.last + 1})
        .returning(counters.c.last)
    )
    async with engine.connect() as conn:
        # one statement, committed on its own: one round trip instead of BEGIN, INSERT, COMMIT
        conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
        seq = (await conn.execute(stmt)).scalar_one()
    return format_case_number(region_code, day, node_code, int(seq))
