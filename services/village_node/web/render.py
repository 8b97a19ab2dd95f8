"""Rendering workbench pages: one autoescaping Jinja2 environment, the operator and CSRF token in
every page, and security headers on every answer."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from services.village_node.web.i18n import CHANNEL_ZH, KIND_ZH, LANGS, ROLE_ZH, TIER_ZH, translator
from shared.clock import LOCAL_TZ
from shared.web import auth
from shared.web.actors import Session

LANG_COOKIE = "liandong_lang"
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}


def _local(value: datetime | str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M")


def _fen(value: int) -> str:
    return f"{value / 100:.2f} 元"


env = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=True,  # every value is HTML-escaped unless a template says otherwise (none does)
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
env.filters.update(local=_local, fen=_fen)
env.globals.update(ROLE_ZH=ROLE_ZH, TIER_ZH=TIER_ZH, CHANNEL_ZH=CHANNEL_ZH, KIND_ZH=KIND_ZH)


def lang_of(request: Request) -> str:
    lang = request.cookies.get(LANG_COOKIE, "zh")
    return lang if lang in LANGS else "zh"


def page(
    request: Request, template: str, session: Session | None = None, status: int = 200, **ctx: Any
) -> HTMLResponse:
    lang = lang_of(request)
    me = None
    csrf = ""
    if session is not None:
        node = request.app.state.org.get(session.actor.node_id)
        me = {
            "actor": session.actor,
            "node_name": node.name,
            "role_label": ROLE_ZH.get(session.actor.role, ""),
        }
        csrf = auth.csrf_token(request.app.state.kernel.settings.auth_secret, session.claims)
    html = env.get_template(template).render(
        request_path=request.url.path, lang=lang, t=translator(lang), me=me, csrf=csrf, **ctx
    )
    return HTMLResponse(html, status_code=status, headers=SECURITY_HEADERS)
