"""Operator accounts: one per person, each at one node in one role, password hashed with argon2.

The table lives in the node service's database. Tokens are checked against it on every node
request (``account_check``): a disabled account, a changed password, or an account moved to
another node or role ends the sessions it had.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Boolean, Column, DateTime, Index, MetaData, String, Table, func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.org import OrgTree
from shared.web.actors import ROLES_BY_KIND, AccountCheck
from shared.web.auth import Claims
from shared.web.errors import ApiError

metadata = MetaData()

operators = Table(
    "operators",
    metadata,
    Column("operator_id", String(64), primary_key=True),
    Column("name", String(60), nullable=False),
    Column("node_id", String(64), nullable=False),
    Column("role", String(32), nullable=False),
    Column("password_hash", String(256), nullable=False),
    Column("enabled", Boolean, nullable=False),
    Column("password_changed_at", DateTime(timezone=True), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("ix_operators_node", "node_id"),
)

OPERATOR_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}\Z")
MIN_PASSWORD = 8
MAX_PASSWORD = 128
_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("not-a-password")


class AccountError(ValueError):
    """A refused account change, with a message for the person at the command line."""


@dataclass(frozen=True)
class Account:
    operator_id: str
    name: str
    node_id: str
    role: str
    enabled: bool
    password_changed_at: datetime


def _account(row: object) -> Account:
    m = row._mapping  # type: ignore[attr-defined]
    changed = m["password_changed_at"]
    if changed.tzinfo is None:  # SQLite returns naive datetimes
        changed = changed.replace(tzinfo=UTC)
    return Account(m["operator_id"], m["name"], m["node_id"], m["role"], bool(m["enabled"]), changed)


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return "\x00" not in text


def check_password(password: str) -> str:
    if not _encodable(password):
        raise AccountError("password contains characters that cannot be stored")
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise AccountError(f"password must have {MIN_PASSWORD}–{MAX_PASSWORD} characters")
    return password


def check_new(org: OrgTree, operator_id: str, name: str, node_id: str, role: str) -> None:
    if not OPERATOR_ID.match(operator_id):
        raise AccountError("login must be 1–64 letters, digits or . _ @ - (starting with a letter or digit)")
    if not 1 <= len(name.strip()) <= 60:
        raise AccountError("name must have 1–60 characters")
    if node_id not in org:
        raise AccountError(f"node {node_id!r} is not in the org tree")
    allowed = ROLES_BY_KIND[org.get(node_id).kind]
    if role not in allowed:
        raise AccountError(f"role {role!r} does not fit node {node_id}; allowed: {', '.join(allowed)}")


async def add(
    engine: AsyncEngine, org: OrgTree, operator_id: str, name: str, node_id: str, role: str, password: str
) -> Account:
    check_new(org, operator_id, name, node_id, role)
    digest = await asyncio.to_thread(_hasher.hash, check_password(password))
    now = datetime.now(UTC)
    async with engine.begin() as conn:
        if (
            await conn.execute(select(operators.c.operator_id).where(operators.c.operator_id == operator_id))
        ).first():
            raise AccountError(f"account {operator_id!r} exists already")
        await conn.execute(
            operators.insert().values(
                operator_id=operator_id,
                name=name.strip(),
                node_id=node_id,
                role=role,
                password_hash=digest,
                enabled=True,
                password_changed_at=now,
                created_at=now,
            )
        )
    return Account(operator_id, name.strip(), node_id, role, True, now)


async def get(engine: AsyncEngine, operator_id: str) -> Account | None:
    async with engine.connect() as conn:
        row = (await conn.execute(select(operators).where(operators.c.operator_id == operator_id))).first()
    return _account(row) if row else None


async def list_all(engine: AsyncEngine) -> list[Account]:
    async with engine.connect() as conn:
        rows = (
            await conn.execute(select(operators).order_by(operators.c.node_id, operators.c.operator_id))
        ).all()
    return [_account(r) for r in rows]


async def count(engine: AsyncEngine) -> int:
    async with engine.connect() as conn:
        return int((await conn.execute(select(func.count()).select_from(operators))).scalar_one())


async def _update(engine: AsyncEngine, operator_id: str, **values: object) -> None:
    async with engine.begin() as conn:
        result = await conn.execute(
            update(operators).where(operators.c.operator_id == operator_id).values(**values)
        )
    if result.rowcount != 1:
        raise AccountError(f"no account {operator_id!r}")


async def set_enabled(engine: AsyncEngine, operator_id: str, enabled: bool) -> None:
    await _update(engine, operator_id, enabled=enabled)


async def set_password(engine: AsyncEngine, operator_id: str, password: str) -> None:
    digest = await asyncio.to_thread(_hasher.hash, check_password(password))
    # whole seconds: tokens carry their issue time in seconds, and older sessions must end
    now = datetime.now(UTC).replace(microsecond=0)
    await _update(engine, operator_id, password_hash=digest, password_changed_at=now)


async def verify_login(engine: AsyncEngine, operator_id: str, password: str) -> Account | None:
    """The enabled account whose password this is, else None (same work either way)."""
    if not OPERATOR_ID.match(operator_id) or not _encodable(password) or len(password) > MAX_PASSWORD:
        return None  # no such login can exist; and NUL or lone surrogates must not reach the database
    async with engine.connect() as conn:
        row = (await conn.execute(select(operators).where(operators.c.operator_id == operator_id))).first()
    digest = row.password_hash if row else _DUMMY_HASH
    try:
        ok: bool = await asyncio.to_thread(_hasher.verify, digest, password)
    except (VerificationError, InvalidHashError):
        ok = False
    if not ok or row is None:
        return None
    account = _account(row)
    return account if account.enabled else None


def account_check(engine: AsyncEngine) -> AccountCheck:
    """Refuse a token whose account is gone, disabled, moved, or whose password changed since."""

    async def check(claims: Claims) -> None:
        account = await get(engine, claims.op)
        if (
            account is None
            or not account.enabled
            or (account.node_id, account.role) != (claims.node, claims.role)
            or claims.iat < int(account.password_changed_at.timestamp())
        ):
            raise ApiError(
                401,
                "account_disabled",
                "账号已停用或已变更，请重新登录",
                "the account is disabled, changed or unknown: log in again",
            )

    return check
