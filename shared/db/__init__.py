"""Database plumbing shared by the services: engines, kernel tables, upserts."""

from shared.db.engine import Database, make_database
from shared.db.tables import case_snapshots, checkpoints, kernel_metadata, leases

__all__ = ["Database", "case_snapshots", "checkpoints", "kernel_metadata", "leases", "make_database"]
