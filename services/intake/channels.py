"""Which intake channels each kind of node may record."""

from __future__ import annotations

from shared.case.state import Channel

CHANNELS_BY_KIND: dict[str, tuple[Channel, ...]] = {
    "village": ("village_room",),
    "township": ("township_center", "online", "hotline"),
    "department": ("county_window", "online", "hotline"),
    "county": ("county_window", "online", "hotline"),
}
