"""routing: the due-time table of the deadline clock

Revision ID: r0001
Revises:
Create Date: 2026-11-27
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "r0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("routing",)
depends_on: str | Sequence[str] | None = "k0001"


def upgrade() -> None:
    op.create_table(
        "deadline_timers",
        sa.Column("case_id", sa.String(64), primary_key=True),
        sa.Column("kind", sa.String(8), primary_key=True),
        sa.Column("target", sa.String(16), primary_key=True),
        sa.Column("ref", sa.String(64), primary_key=True),
        sa.Column("due", sa.Date, primary_key=True),
        sa.Column("fire_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_index("ix_deadline_timers_fire_at", "deadline_timers", ["fire_at"])


def downgrade() -> None:
    op.drop_index("ix_deadline_timers_fire_at", "deadline_timers")
    op.drop_table("deadline_timers")
