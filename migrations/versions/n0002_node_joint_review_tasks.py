"""node: joint-review tasks of each reviewing department's window

Revision ID: n0002
Revises: n0001
Create Date: 2026-11-27
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "n0002"
down_revision: str | Sequence[str] | None = "n0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "joint_review_tasks",
        sa.Column("case_id", sa.String(64), primary_key=True),
        sa.Column("department", sa.String(40), primary_key=True),
        sa.Column("node_id", sa.String(64)),
        sa.Column("lead_node", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("mode", sa.String(3), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered", sa.Boolean, nullable=False),
        sa.Column("approve", sa.Boolean),
        sa.Column("late", sa.Boolean),
        sa.Column("result", sa.String(10)),
        sa.Column("case_open", sa.Boolean, nullable=False),
    )
    op.create_index("ix_joint_review_tasks_node_id", "joint_review_tasks", ["node_id"])


def downgrade() -> None:
    op.drop_index("ix_joint_review_tasks_node_id", "joint_review_tasks")
    op.drop_table("joint_review_tasks")
