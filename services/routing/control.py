"""Test controls (``LIANDONG_ROUTING_TEST_CONTROLS=true`` only): read and move routing's clock.

``GET /control/clock`` → ``{"now", "settable", "marks_made"}``; ``POST /control/clock`` with
``{"at": "<ISO 8601 instant with a zone>"}`` moves a frozen clock (``LIANDONG_ROUTING_CLOCK``)
and wakes the deadline clock, so tests reach a deadline without sleeping for days.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from faststream.asgi import AsgiResponse, HttpHandler, Request

from services.routing.runtime import RoutingRuntime
from shared.clock import FixedClock


def _json(body: dict[str, Any], status: int = 200) -> AsgiResponse:
    return AsgiResponse(json.dumps(body).encode(), status, headers={"content-type": "application/json"})


def control_routes(holder: dict[str, Any]) -> list[tuple[str, Any]]:
    async def clock(scope: Any, request: Request) -> AsgiResponse:
        rt: RoutingRuntime | None = holder.get("runtime")
        if rt is None:
            return _json({"error": "starting"}, 503)
        if scope["method"] == "POST":
            if not isinstance(rt.clock, FixedClock):
                return _json(
                    {"error": "the system clock cannot be moved; start with LIANDONG_ROUTING_CLOCK"}, 409
                )
            try:
                at = datetime.fromisoformat(str((await request.json())["at"]))
            except (KeyError, TypeError, ValueError):
                return _json({"error": 'the body must be {"at": "<ISO 8601 instant with a zone>"}'}, 422)
            if at.tzinfo is None:
                return _json({"error": "the instant must carry a time zone"}, 422)
            rt.clock.set(at)
            rt.deadlines.wake.set()
        return _json(
            {
                "now": rt.clock.now().isoformat(),
                "settable": isinstance(rt.clock, FixedClock),
                "marks_made": rt.deadlines.marks_made,
            }
        )

    return [("/control/clock", HttpHandler(clock, methods=("GET", "POST"), include_in_schema=False))]
