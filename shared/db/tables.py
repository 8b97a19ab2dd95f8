"""Kernel tables every service with state has: case snapshots, projection checkpoints, leases."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Date, DateTime, Index, Integer, MetaData, String, Table, Text

kernel_metadata = MetaData()

case_snapshots = Table(
    "case_snapshots",
    kernel_metadata,
    Column("case_id", String(64), primary_key=True),
    Column("subject", String(160), nullable=False),
    Column("case_number", String(40), nullable=False),
    Column("status", String(24), nullable=False),
    Column("holder", String(64)),
    Column("origin_node", String(64), nullable=False),
    Column("owner", String(64)),
    Column("item_code", String(16), nullable=False),
    Column("deadline", Date),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("version", Integer, nullable=False),
    Column("stream_seq", BigInteger, nullable=False),
    Column("last_hash", String(64), nullable=False),
    Column("state", Text, nullable=False),
    Index("ix_case_snapshots_holder", "holder", "status"),
    Index("ix_case_snapshots_origin", "origin_node"),
    Index("ix_case_snapshots_number", "case_number"),
)

checkpoints = Table(
    "checkpoints",
    kernel_metadata,
    Column("name", String(80), primary_key=True),
    Column("last_seq", BigInteger, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

leases = Table(
    "leases",
    kernel_metadata,
    Column("name", String(80), primary_key=True),
    Column("holder", String(120), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
)
