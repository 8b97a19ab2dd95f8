"""audit: global chain, Merkle leaves, ledger head and signed checkpoints

The ledger is a projection: rather than back-filling positions and chain hashes in SQL, its
tables are recreated and its checkpoint reset, so the audit service rebuilds it from stream
sequence 1 on its next start (every entry then gets its link and leaf the normal way).

Revision ID: a0002
Revises: a0001
Create Date: 2026-11-27
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a0002"
down_revision: str | Sequence[str] | None = "a0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _ledger() -> None:
    op.create_table(
        "ledger",
        sa.Column("stream_seq", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("position", sa.BigInteger, nullable=False, unique=True),
        sa.Column("event_id", sa.String(80), nullable=False),
        sa.Column("case_id", sa.String(64), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("type", sa.String(60), nullable=False),
        sa.Column("schema_version", sa.Integer, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("operator_id", sa.String(64), nullable=False),
        sa.Column("node_id", sa.String(64), nullable=False),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.Column("ledger_hash", sa.String(64), nullable=False),
        sa.Column("leaf_hash", sa.String(64), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("chain_ok", sa.Boolean, nullable=False),
        sa.Column("problem", sa.Text),
    )
    op.create_index("ix_ledger_case", "ledger", ["case_id", "seq"])
    op.create_index("ix_ledger_node_at", "ledger", ["node_id", "at"])
    op.create_index("ix_ledger_operator", "ledger", ["operator_id"])


def upgrade() -> None:
    op.drop_index("ix_ledger_node_at", "ledger")
    op.drop_index("ix_ledger_case", "ledger")
    op.drop_table("ledger")
    op.execute(sa.text("DELETE FROM ledger_case_heads"))
    op.execute(sa.text("DELETE FROM checkpoints WHERE name = 'audit.ledger'"))
    _ledger()
    op.create_table(
        "ledger_head",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("stream_seq", sa.BigInteger, nullable=False),
        sa.Column("ledger_hash", sa.String(64), nullable=False),
        sa.Column("frontier", sa.Text, nullable=False),
    )
    op.create_table(
        "ledger_checkpoints",
        sa.Column("size", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("stream_seq", sa.BigInteger, nullable=False),
        sa.Column("ledger_hash", sa.String(64), nullable=False),
        sa.Column("root", sa.String(64), nullable=False),
        sa.Column("signed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("key_id", sa.String(32), nullable=False),
        sa.Column("signature", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("ledger_checkpoints")
    op.drop_table("ledger_head")
    op.drop_index("ix_ledger_operator", "ledger")
    op.drop_index("ix_ledger_node_at", "ledger")
    op.drop_index("ix_ledger_case", "ledger")
    op.drop_table("ledger")
