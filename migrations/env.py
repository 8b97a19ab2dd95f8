"""Alembic environment: runs on the connection the service (or a test) hands over.

``alembic_version`` lives in the service's own schema (PostgreSQL) or file (SQLite).
"""

from __future__ import annotations

from alembic import context

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through migrations.runner (they need the service's connection)")

context.configure(
    connection=connection,
    version_table_schema=config.attributes.get("schema"),
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
