"""Login set-up for `liandong run`: one random token secret kept in ``<data dir>/auth-secret`` and
handed to every service, and the demo accounts on a fresh node database."""

from __future__ import annotations

import asyncio
import os
import unicodedata
from pathlib import Path

from shared.settings import Settings
from shared.web.auth import MIN_SECRET_CHARS, new_secret


def auth_secret(data_dir: Path, configured: str = "") -> str:
    """The secret from the environment if set, else the one in the data dir (made once)."""
    if len(configured) >= MIN_SECRET_CHARS:
        return configured
    path = data_dir / "auth-secret"
    if path.exists():
        found = path.read_text(encoding="ascii").strip()
        if len(found) >= MIN_SECRET_CHARS:
            return found
    data_dir.mkdir(parents=True, exist_ok=True)
    secret = new_secret()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(secret + "\n")
    return secret


def demo_accounts(settings: Settings, data_dir: Path) -> list[tuple[str, str, str]]:
    """Seed the demo set into an empty accounts table; return (login, node name, role) of the demo
    accounts that exist and are enabled, for the banner."""
    from migrations.runner import upgrade_service
    from services.village_node import accounts
    from services.village_node.demo_accounts import demo_set, seed_if_empty
    from shared.bootstrap import load_reference_data
    from shared.db import make_database

    async def run() -> list[tuple[str, str, str]]:
        catalog, org, _ = load_reference_data(settings)
        db = make_database(settings.database_url, "node", data_dir)
        try:
            await upgrade_service(db, "node")
            await seed_if_empty(db.engine, org, catalog)
            present = {a.operator_id: a for a in await accounts.list_all(db.engine) if a.enabled}
        finally:
            await db.dispose()
        return [
            (d.operator_id, org.get(d.node_id).name, d.role)
            for d in demo_set(org, catalog)
            if d.operator_id in present and present[d.operator_id].node_id == d.node_id
        ]

    return asyncio.run(run())


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def demo_table(rows: list[tuple[str, str, str]], password: str, columns: int = 3) -> str:
    if not rows:
        return "  (no demo accounts: manage accounts with `liandong accounts add|list|disable|set-password`)"
    cells = [f"{login:<11}{node}" for login, node, _ in rows]
    width = max(_width(c) for c in cells) + 3
    lines = [
        "".join(c + " " * (width - _width(c)) for c in cells[i : i + columns]).rstrip()
        for i in range(0, len(cells), columns)
    ]
    return (
        f"  Demo accounts (login  node) — password for all: {password}\n"
        "  (for trying the system only: disable them with `liandong accounts disable <login>` before real use)\n"
        + "\n".join(f"    {line}" for line in lines)
    )
