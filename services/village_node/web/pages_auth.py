"""Login, logout and the language toggle of the workbench."""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request, Response
from fastapi.responses import RedirectResponse

from services.village_node.login import open_session
from services.village_node.session_api import session_ttl
from services.village_node.web.errors import HtmlRoute
from services.village_node.web.render import LANG_COOKIE, page
from shared.web import auth
from shared.web.actors import Session, current_session
from shared.web.errors import ApiError

router = APIRouter(route_class=HtmlRoute, include_in_schema=False)
LOGIN_CSRF_COOKIE = "liandong_login_csrf"
WHY = {
    "token_expired": "登录已过期，请重新登录",
    "account_disabled": "账号已停用或已变更，请重新登录",
    "invalid_token": "请重新登录",
}


def safe_next(target: str | None) -> str:
    """Only paths of this site: never an open redirect."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def login_page(request: Request, next_: str, status: int = 200, error: str = "", login: str = "") -> Response:
    token = secrets.token_urlsafe(24)
    response = page(
        request,
        "login.html",
        status=status,
        next=safe_next(next_),
        login_csrf=token,
        error=error,
        login=login,
    )
    response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict", path="/login")
    return response


@router.get("/login")
async def login_form(request: Request, next: str = "/", why: str = "") -> Response:
    return login_page(request, next, error=WHY.get(why, ""))


@router.post("/login")
async def login_submit(
    request: Request,
    operator_id: Annotated[str, Form(max_length=64)] = "",
    password: Annotated[str, Form(max_length=128)] = "",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=500)] = "/",
) -> Response:
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not expected or not hmac.compare_digest(expected, csrf_token):
        return login_page(
            request, next, 403, "页面已过期或来源不明（安全校验未通过），请重新输入", operator_id
        )
    k = request.app.state.kernel
    try:
        opened = await open_session(
            k.db.engine,
            k.settings.auth_secret,
            session_ttl(request),
            request.app.state.failed_logins,
            operator_id,
            password,
        )
    except ApiError as exc:
        return login_page(request, next, exc.status, exc.message, operator_id)
    response = RedirectResponse(safe_next(next), status_code=303)
    response.set_cookie(
        auth.COOKIE,
        opened.token,
        max_age=opened.claims.exp - opened.claims.iat,
        httponly=True,
        samesite="strict",
        secure=k.settings.auth_cookie_secure,
        path="/",
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
    return response


@router.post("/logout")
async def logout(_: Annotated[Session, Depends(current_session)]) -> Response:
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(auth.COOKIE, path="/")
    return response


@router.get("/lang/{lang}")
async def set_language(lang: str, next: str = "/") -> Response:
    response = RedirectResponse(safe_next(next), status_code=303)
    response.set_cookie(
        LANG_COOKIE, "en" if lang == "en" else "zh", samesite="strict", path="/", max_age=31536000
    )
    return response
