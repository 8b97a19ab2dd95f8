"""node: operator accounts of the workbench

Revision ID: n0001
Revises:
Create Date: 2026-11-27
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "n0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("node",)
depends_on: str | Sequence[str] | None = "k0001"


def upgrade() -> None:
    op.create_table(
        "operators",
        sa.Column("operator_id", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(60), nullable=False),
        sa.Column("node_id", sa.String(64), nullable=False),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("password_hash", sa.String(256), nullable=False),
        sa.Column("enabled", sa.Boolean, nullable=False),
        sa.Column("password_changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_operators_node", "operators", ["node_id"])


def downgrade() -> None:
    op.drop_index("ix_operators_node", table_name="operators")
    op.drop_table("operators")
