"""kernel tables: case snapshots, projection checkpoints, leases

Revision ID: k0001
Revises:
Create Date: 2026-11-27
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "k0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("kernel",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "case_snapshots",
        sa.Column("case_id", sa.String(64), primary_key=True),
        sa.Column("subject", sa.String(160), nullable=False),
        sa.Column("case_number", sa.String(40), nullable=False),
        sa.Column("status", sa.String(24), nullable=False),
        sa.Column("holder", sa.String(64)),
        sa.Column("origin_node", sa.String(64), nullable=False),
        sa.Column("owner", sa.String(64)),
        sa.Column("item_code", sa.String(16), nullable=False),
        sa.Column("deadline", sa.Date),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("stream_seq", sa.BigInteger, nullable=False),
        sa.Column("last_hash", sa.String(64), nullable=False),
        sa.Column("state", sa.Text, nullable=False),
    )
    op.create_index("ix_case_snapshots_holder", "case_snapshots", ["holder", "status"])
    op.create_index("ix_case_snapshots_origin", "case_snapshots", ["origin_node"])
    op.create_index("ix_case_snapshots_number", "case_snapshots", ["case_number"])
    op.create_table(
        "checkpoints",
        sa.Column("name", sa.String(80), primary_key=True),
        sa.Column("last_seq", sa.BigInteger, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "leases",
        sa.Column("name", sa.String(80), primary_key=True),
        sa.Column("holder", sa.String(120), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("leases")
    op.drop_table("checkpoints")
    op.drop_table("case_snapshots")
