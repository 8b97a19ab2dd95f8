"""Routing's own settings (``LIANDONG_ROUTING_*``), read at start-up."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from shared.clock import Clock, FixedClock, SystemClock


class RoutingSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="LIANDONG_ROUTING_", extra="ignore")

    # An instant (ISO 8601 with a zone) freezes routing's clock there, for drills and tests: the
    # deadline clock then judges marks as of that instant until it is moved (test controls).
    clock: datetime | None = None
    # POST /control/clock moves the clock. Never in production: the routes have no login.
    test_controls: bool = False
    timer_poll_seconds: float = Field(default=30.0, gt=0)  # longest sleep between two clock ticks
    lease_seconds: float = Field(default=15.0, gt=0)  # the clock projection's lease (one runner)

    def make_clock(self) -> Clock:
        if self.clock is None:
            return SystemClock()
        if self.clock.tzinfo is None:
            raise ValueError("LIANDONG_ROUTING_CLOCK must carry a time zone, e.g. 2026-10-09T00:00:00+08:00")
        return FixedClock(self.clock)
