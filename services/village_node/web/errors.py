"""Refusals on workbench pages: a page in the operator's words instead of JSON, and a way back to
the login page when the session is missing or over."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any
from urllib.parse import quote

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse
from fastapi.routing import APIRoute
from pydantic import ValidationError

from services.village_node.web.render import page
from shared.case import DomainError
from shared.catalog import UnknownItemError
from shared.eventstore import NATS_UNAVAILABLE, ConcurrencyError
from shared.org import UnknownNodeError
from shared.web import auth
from shared.web.errors import STATUS, UNAVAILABLE_ZH, ApiError

FIELD_ZH = {
    "operator_id": "账号",
    "password": "密码",
    "name": "姓名",
    "id_number": "身份证号",
    "phone": "联系电话",
}


def _field_message(errors: list[Any]) -> tuple[str, str]:
    first = errors[0] if errors else {}
    loc = [str(p) for p in first.get("loc", ()) if p not in ("body", "query", "path", "form")]
    field = ".".join(loc) or "输入"
    msg = str(first.get("msg", "invalid"))
    label = FIELD_ZH.get(loc[-1], loc[-1]) if loc else "输入"
    if first.get("type") in ("string_too_long", "too_long"):
        return f"“{label}”内容过长（{msg}），请删减后再提交", f"{field}: {msg}"
    return f"“{label}”填写有误：{msg}", f"{field}: {msg}"


def explain(exc: Exception) -> tuple[int, str, str, str]:
    """status, code, Chinese message, English message."""
    if isinstance(exc, ApiError):
        return exc.status, exc.code, exc.message, exc.message_en
    if isinstance(exc, DomainError):
        return STATUS[exc.kind], exc.code, exc.message, exc.message_en
    if isinstance(exc, ConcurrencyError):
        return 409, "concurrent_update", "办件已被他人更新，请刷新后重试", str(exc)
    if isinstance(exc, NATS_UNAVAILABLE):
        return 503, "unavailable", UNAVAILABLE_ZH, f"the event store is unavailable ({type(exc).__name__})"
    if isinstance(exc, UnknownItemError):
        return 404, "unknown_item", f"事项编码“{exc.code}”不存在", str(exc)
    if isinstance(exc, UnknownNodeError):
        return 404, "unknown_node", f"节点“{exc.node_id}”不存在", str(exc)
    if isinstance(exc, RequestValidationError | ValidationError):
        zh, en = _field_message(list(exc.errors()))
        return 422, "invalid_input", zh, en
    raise exc


EXPLAINED: tuple[type[Exception], ...] = (
    ApiError,
    DomainError,
    ConcurrencyError,
    *NATS_UNAVAILABLE,
    UnknownItemError,
    UnknownNodeError,
    RequestValidationError,
    ValidationError,
)


class HtmlRoute(APIRoute):
    """Render refusals as a page; send a visitor without a valid session to the login page."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            try:
                return await handler(request)
            except EXPLAINED as exc:
                status, code, zh, en = explain(exc)
                if status == 401:
                    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
                    response = RedirectResponse(f"/login?next={quote(target)}&why={code}", status_code=303)
                    response.delete_cookie(auth.COOKIE, path="/")
                    return response
                session = getattr(request.state, "session", None)
                return page(
                    request, "error.html", session, status=status, code=code, message=zh, message_en=en
                )

        return route
