"""The audit database: the ledger, its head (global chain + Merkle frontier) and signed checkpoints."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

# One row per event, in ledger order (``position``, the Merkle leaf index, 1-based).
ledger = Table(
    "ledger",
    metadata,
    Column("stream_seq", BigInteger, primary_key=True),
    Column("position", BigInteger, nullable=False, unique=True),
    Column("event_id", String(80), nullable=False),
    Column("case_id", String(64), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("type", String(60), nullable=False),
    Column("schema_version", Integer, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("operator_id", String(64), nullable=False),
    Column("node_id", String(64), nullable=False),
    Column("role", String(32), nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    Column("ledger_hash", String(64), nullable=False),
    Column("leaf_hash", String(64), nullable=False),
    Column("body", Text, nullable=False),
    Column("chain_ok", Boolean, nullable=False),
    Column("problem", Text),
    Index("ix_ledger_case", "case_id", "seq"),
    Index("ix_ledger_node_at", "node_id", "at"),
    Index("ix_ledger_operator", "operator_id"),
)

case_heads = Table(
    "ledger_case_heads",
    metadata,
    Column("case_id", String(64), primary_key=True),
    Column("seq", Integer, nullable=False),
    Column("hash", String(64), nullable=False),
)

# A single row (id = 1): where the global chain and the Merkle tree stand.
ledger_head = Table(
    "ledger_head",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("size", BigInteger, nullable=False),
    Column("stream_seq", BigInteger, nullable=False),
    Column("ledger_hash", String(64), nullable=False),
    Column("frontier", Text, nullable=False),
)

checkpoints = Table(
    "ledger_checkpoints",
    metadata,
    Column("size", BigInteger, primary_key=True),
    Column("stream_seq", BigInteger, nullable=False),
    Column("ledger_hash", String(64), nullable=False),
    Column("root", String(64), nullable=False),
    Column("signed_at", DateTime(timezone=True), nullable=False),
    Column("key_id", String(32), nullable=False),
    Column("signature", Text, nullable=False),
)
