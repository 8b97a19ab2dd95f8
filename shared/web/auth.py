"""Signed, expiring session tokens shared by every HTTP service.

A token is ``v1.<claims>.<signature>``: ``claims`` is the base64url of a compact JSON object
(operator id, node id, role, issued-at, expiry, a random id) and ``signature`` the base64url of
HMAC-SHA256 over ``v1.<claims>`` with the deployment's ``LIANDONG_AUTH_SECRET``. Any service with
the secret checks a token without a database; the node service, which keeps the accounts, also
checks that the account is still enabled (see ``services/village_node/accounts.py``).

The CSRF token of a browser session is derived from the session's random id, so it needs no
storage and dies with the session.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from shared.web.errors import ApiError

VERSION = "v1"
MAX_TOKEN_CHARS = 1024
MIN_SECRET_CHARS = 32
COOKIE = "liandong_session"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"


@dataclass(frozen=True)
class Claims:
    op: str  # operator id
    node: str  # node id
    role: str
    iat: int  # issued at, epoch seconds
    exp: int  # expires at, epoch seconds
    jti: str  # random session id


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _sign(secret: str, message: str) -> str:
    return _b64(hmac.new(secret.encode(), message.encode(), hashlib.sha256).digest())


def check_secret(secret: str) -> str:
    if len(secret) < MIN_SECRET_CHARS:
        raise SystemExit(
            f"LIANDONG_AUTH_SECRET must be set to at least {MIN_SECRET_CHARS} random characters "
            "(`liandong run` generates one into <data dir>/auth-secret)"
        )
    return secret


def new_secret() -> str:
    return secrets.token_urlsafe(48)


def issue(operator_id: str, node_id: str, role: str, now: datetime, ttl: timedelta) -> Claims:
    """Claims for a new session (the caller signs them with ``encode``)."""
    start = int(now.timestamp())
    return Claims(operator_id, node_id, role, start, start + int(ttl.total_seconds()), secrets.token_hex(12))


def encode(secret: str, claims: Claims) -> str:
    body = _b64(json.dumps(asdict(claims), separators=(",", ":"), ensure_ascii=False).encode())
    head = f"{VERSION}.{body}"
    return f"{head}.{_sign(secret, head)}"


def _invalid(reason_en: str) -> ApiError:
    return ApiError(401, "invalid_token", "登录凭证无效，请重新登录", f"invalid token: {reason_en}")


def decode(secret: str, token: str, now: datetime) -> Claims:
    """Verify signature and expiry; every failure is a 401 in the standard error shape."""
    if len(token) > MAX_TOKEN_CHARS or token.count(".") != 2:
        raise _invalid("malformed")
    version, body, sig = token.split(".")
    if version != VERSION:
        raise _invalid("unknown version")
    if not hmac.compare_digest(sig, _sign(secret, f"{version}.{body}")):
        raise _invalid("bad signature")
    try:
        doc = json.loads(_unb64(body))
        claims = Claims(**{k: doc[k] for k in ("op", "node", "role", "iat", "exp", "jti")})
    except (ValueError, KeyError, TypeError) as exc:
        raise _invalid("unreadable claims") from exc
    if not all(isinstance(v, str) and v for v in (claims.op, claims.node, claims.role, claims.jti)):
        raise _invalid("empty claim")
    if not isinstance(claims.exp, int) or claims.exp <= int(now.timestamp()):
        raise ApiError(401, "token_expired", "登录已过期，请重新登录", "the session has expired")
    return claims


def csrf_token(secret: str, claims: Claims) -> str:
    return _sign(secret, f"csrf:{claims.jti}")


def check_csrf(secret: str, claims: Claims, presented: str | None) -> None:
    if not presented or not hmac.compare_digest(presented, csrf_token(secret, claims)):
        raise ApiError(
            403,
            "csrf_failed",
            "页面已过期或来源不明（安全校验未通过），请刷新页面后重试",
            "missing or wrong CSRF token: reload the page and try again",
            CSRF_FIELD,
        )
