"""The operator workbench: server-rendered pages (Jinja2, autoescaped) with a little own JS and CSS,
served by the node service itself — no CDN, so village rooms work offline."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

STATIC = Path(__file__).parent / "static"


def install(app: FastAPI) -> None:
    from services.village_node.web import pages_auth, pages_case, pages_new, pages_worklist

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for module in (pages_auth, pages_worklist, pages_new, pages_case):
        app.include_router(module.router)
