"""Session tokens: round trip, expiry, forgery, tampering, CSRF tokens bound to the session."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from shared.web import auth
from shared.web.errors import ApiError

SECRET = "s" * 40
NOW = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)


def token() -> tuple[str, auth.Claims]:
    claims = auth.issue("wang", "c01.t01.v01", "village_operator", NOW, timedelta(hours=1))
    return auth.encode(SECRET, claims), claims


def refused(tok: str, code: str, now: datetime = NOW, secret: str = SECRET) -> None:
    with pytest.raises(ApiError) as info:
        auth.decode(secret, tok, now)
    assert info.value.status == 401 and info.value.code == code


def test_a_token_round_trips_until_it_expires() -> None:
    tok, claims = token()
    assert auth.decode(SECRET, tok, NOW + timedelta(minutes=59)) == claims
    refused(tok, "token_expired", NOW + timedelta(hours=1))


def test_forged_tampered_and_malformed_tokens_are_refused() -> None:
    tok, _ = token()
    refused(tok, "invalid_token", secret="x" * 40)
    head, body, sig = tok.split(".")
    other = auth.encode("x" * 40, auth.issue("wang", "c01", "auditor", NOW, timedelta(hours=1)))
    refused(f"{head}.{other.split('.')[1]}.{sig}", "invalid_token")  # claims swapped
    for bad in ("", "v1.abc", "v2." + body + "." + sig, tok + ".x", "a" * 2000):
        refused(bad, "invalid_token")


def test_csrf_token_belongs_to_its_session() -> None:
    _, claims = token()
    _, other = token()
    good = auth.csrf_token(SECRET, claims)
    auth.check_csrf(SECRET, claims, good)
    for wrong in (None, "", good + "x", auth.csrf_token(SECRET, other)):
        with pytest.raises(ApiError) as info:
            auth.check_csrf(SECRET, claims, wrong)
        assert info.value.status == 403 and info.value.code == "csrf_failed"


def test_short_secrets_are_refused_at_start() -> None:
    with pytest.raises(SystemExit):
        auth.check_secret("short")
    assert auth.check_secret(auth.new_secret())
