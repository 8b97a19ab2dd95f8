"""One error shape for every refusal: ``{"error": {code, message, message_en, field}}``.

``message`` is the Chinese sentence an operator sees, ``message_en`` its English rendering and
``code`` a stable identifier for programs. Nothing is appended when any of these is returned.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from shared.case import DomainError
from shared.catalog import UnknownItemError
from shared.eventstore import NATS_UNAVAILABLE, ConcurrencyError
from shared.org import UnknownNodeError

UNAVAILABLE_ZH = "消息服务暂时不可用，本次操作未保存，请稍后重试"
STATUS = {"conflict": 409, "forbidden": 403, "invalid": 422, "not_found": 404}


class ApiError(Exception):
    def __init__(
        self, status: int, code: str, message: str, message_en: str, field: str | None = None
    ) -> None:
        super().__init__(message_en)
        self.status, self.code, self.message, self.message_en, self.field = (
            status,
            code,
            message,
            message_en,
            field,
        )


def body(code: str, message: str, message_en: str, field: str | None = None, **extra: Any) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "message_en": message_en, "field": field, **extra}}


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api(_: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse(body(exc.code, exc.message, exc.message_en, exc.field), status_code=exc.status)

    @app.exception_handler(DomainError)
    async def _domain(_: Request, exc: DomainError) -> JSONResponse:
        return JSONResponse(
            body(exc.code, exc.message, exc.message_en, exc.field), status_code=STATUS[exc.kind]
        )

    @app.exception_handler(ConcurrencyError)
    async def _conflict(_: Request, exc: ConcurrencyError) -> JSONResponse:
        return JSONResponse(
            body("concurrent_update", "办件已被他人更新，请刷新后重试", f"the case changed meanwhile: {exc}"),
            status_code=409,
        )

    async def _unavailable(_: Request, exc: Exception) -> JSONResponse:
        return JSONResponse(
            body(
                "unavailable",
                UNAVAILABLE_ZH,
                f"the event store is unavailable ({type(exc).__name__}); nothing was saved, try again",
            ),
            status_code=503,
            headers={"Retry-After": "2"},
        )

    for unavailable in NATS_UNAVAILABLE:
        app.add_exception_handler(unavailable, _unavailable)

    @app.exception_handler(UnknownItemError)
    async def _item(_: Request, exc: UnknownItemError) -> JSONResponse:
        return JSONResponse(
            body("unknown_item", f"事项编码“{exc.code}”不存在", str(exc), "item_code"), status_code=404
        )

    @app.exception_handler(UnknownNodeError)
    async def _node(_: Request, exc: UnknownNodeError) -> JSONResponse:
        return JSONResponse(
            body("unknown_node", f"节点“{exc.node_id}”不存在", str(exc), "node_id"), status_code=404
        )

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        first = errors[0] if errors else {}
        loc = [str(p) for p in first.get("loc", ()) if p not in ("body", "query", "path", "header")]
        field = ".".join(loc) or None
        if first.get("type") == "json_invalid":
            return JSONResponse(
                body("malformed_json", "请求内容不是有效的JSON", f"malformed JSON: {first.get('msg')}"),
                status_code=400,
            )
        msg = str(first.get("msg", "invalid input"))
        return JSONResponse(
            body(
                "invalid_input",
                f"输入有误：{field or '请求'}（{msg}）",
                f"{field or 'request'}: {msg}",
                field,
                details=[
                    {"field": ".".join(str(p) for p in e.get("loc", ())), "message": e.get("msg")}
                    for e in errors[:20]
                ],
            ),
            status_code=422,
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed", 413: "too_large"}.get(
            exc.status_code, "http_error"
        )
        return JSONResponse(body(code, str(exc.detail), str(exc.detail)), status_code=exc.status_code)
