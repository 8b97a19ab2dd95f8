"""The one typed error the domain raises when a command is refused.

``code`` is a stable English identifier for programs, ``message`` the Chinese sentence an
operator sees, ``message_en`` its English rendering, ``kind`` what kind of refusal it is (the
HTTP layer maps it to a status code) and ``field`` the input field at fault, when there is one.
"""

from __future__ import annotations

from typing import Literal

RefusalKind = Literal["conflict", "forbidden", "invalid", "not_found"]


class DomainError(Exception):
    def __init__(
        self,
        code: str,
        message: str,
        message_en: str,
        *,
        kind: RefusalKind = "conflict",
        field: str | None = None,
    ) -> None:
        super().__init__(f"{code}: {message_en}")
        self.code = code
        self.message = message
        self.message_en = message_en
        self.kind = kind
        self.field = field

    def as_dict(self) -> dict[str, str | None]:
        return {
            "code": self.code,
            "message": self.message,
            "message_en": self.message_en,
            "field": self.field,
        }


def conflict(code: str, zh: str, en: str) -> DomainError:
    return DomainError(code, zh, en, kind="conflict")


def forbidden(code: str, zh: str, en: str) -> DomainError:
    return DomainError(code, zh, en, kind="forbidden")


def invalid(code: str, zh: str, en: str, field: str | None = None) -> DomainError:
    return DomainError(code, zh, en, kind="invalid", field=field)
