"""``liandong accounts``: manage operator accounts in the node service's database."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import typer

accounts_app = typer.Typer(help="Operator accounts of the workbench (stored in the node service's database).")
T = TypeVar("T")


def _with_engine(work: Callable[[Any, Any], Awaitable[T]]) -> T:
    """Run ``work(engine, org)`` against the node database named by the settings."""
    from migrations.runner import upgrade_service
    from shared.db import make_database
    from shared.org import OrgTree
    from shared.settings import Settings

    async def run() -> T:
        s = Settings()
        db = make_database(s.database_url, "node", s.data_dir)
        try:
            await upgrade_service(db, "node")
            return await work(db.engine, OrgTree.load(s.org_path))
        finally:
            await db.dispose()

    return asyncio.run(run())


def _fail(exc: Exception) -> typer.Exit:
    typer.echo(f"error: {exc}", err=True)
    return typer.Exit(1)


@accounts_app.command("add")
def add(
    login: str = typer.Argument(..., help="the login, e.g. wang.t01v01"),
    node: str = typer.Option(..., "--node", help="org node id, e.g. c01.t01.v01"),
    role: str = typer.Option(
        "", "--role", help="village_operator, township_operator, county_staff, supervision, auditor, admin"
    ),
    name: str = typer.Option("", "--name", help="the person's name (default: the login)"),
    password: str = typer.Option(..., "--password", prompt=True, hide_input=True, confirmation_prompt=True),
) -> None:
    """Create an account (the role defaults to the node's operator role)."""
    from services.village_node import accounts
    from shared.web.actors import ROLES_BY_KIND

    async def work(engine: Any, org: Any) -> accounts.Account:
        kind = org.get(node).kind if node in org else "village"
        return await accounts.add(
            engine, org, login, name or login, node, role or ROLES_BY_KIND[kind][0], password
        )

    try:
        a = _with_engine(work)
    except accounts.AccountError as exc:
        raise _fail(exc) from None
    typer.echo(f"created {a.operator_id} ({a.role}) at {a.node_id}")


@accounts_app.command("list")
def list_accounts() -> None:
    """List every account with its node, role and whether it is enabled."""
    from services.village_node import accounts

    async def work(engine: Any, org: Any) -> list[tuple[accounts.Account, str]]:
        return [
            (a, org.get(a.node_id).name if a.node_id in org else "?") for a in await accounts.list_all(engine)
        ]

    for a, node_name in _with_engine(work):
        state = "enabled" if a.enabled else "DISABLED"
        typer.echo(f"{a.operator_id:<16} {a.role:<18} {a.node_id:<24} {node_name}  {a.name}  [{state}]")


@accounts_app.command("disable")
def disable(login: str) -> None:
    """Disable an account: it can no longer log in, and its open sessions end at the node service."""
    from services.village_node import accounts

    try:
        _with_engine(lambda engine, _org: accounts.set_enabled(engine, login, False))
    except accounts.AccountError as exc:
        raise _fail(exc) from None
    typer.echo(f"disabled {login}")


@accounts_app.command("enable")
def enable(login: str) -> None:
    """Enable a disabled account again."""
    from services.village_node import accounts

    try:
        _with_engine(lambda engine, _org: accounts.set_enabled(engine, login, True))
    except accounts.AccountError as exc:
        raise _fail(exc) from None
    typer.echo(f"enabled {login}")


@accounts_app.command("set-password")
def set_password(
    login: str,
    password: str = typer.Option(..., "--password", prompt=True, hide_input=True, confirmation_prompt=True),
) -> None:
    """Set a new password; sessions opened with the old one end."""
    from services.village_node import accounts

    try:
        _with_engine(lambda engine, _org: accounts.set_password(engine, login, password))
    except accounts.AccountError as exc:
        raise _fail(exc) from None
    typer.echo(f"password of {login} changed")
