"""Alembic migrations for every service's tables: one script directory, one branch per owner.

``kernel`` holds the tables every service has (case snapshots, checkpoints, leases); each service
with tables of its own has a branch named after it. A service upgrades the branches it owns, in
its own schema (PostgreSQL) or file (SQLite), so each keeps its own ``alembic_version`` table.
"""

from __future__ import annotations

SERVICE_BRANCHES: dict[str, tuple[str, ...]] = {
    "intake": ("kernel", "intake"),
    "node": ("kernel", "node"),
    "routing": ("kernel", "routing"),
    "audit": ("kernel", "audit"),
}


def branches_of(service: str) -> tuple[str, ...]:
    """Branches a service upgrades; a service not listed (a test's own) gets the kernel tables."""
    return SERVICE_BRANCHES.get(service, ("kernel",))


# The first revision of each branch recorded what ``create_all`` made before migrations existed:
# a database from that time (the branch's table there, no ``alembic_version``) is stamped at it
# and upgraded from there.
BEFORE_ALEMBIC: dict[str, tuple[str, str]] = {
    "kernel": ("k0001", "case_snapshots"),
    "intake": ("i0001", "case_number_counters"),
    "node": ("n0001", "operators"),
    "audit": ("a0001", "ledger"),
    "routing": ("r0001", "deadline_timers"),
}
