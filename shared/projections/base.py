from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import MetaData
from sqlalchemy.ext.asyncio import AsyncConnection

from shared.eventstore import StoredEvent


@dataclass(frozen=True)
class Rejected:
    """An event a projection refuses to apply (broken chain, impossible transition…)."""

    stream_seq: int
    reason: str
    code: str


class Projection(Protocol):
    name: str
    metadata: MetaData

    async def apply(self, conn: AsyncConnection, events: Sequence[StoredEvent]) -> Sequence[Rejected]:
        """Apply a batch inside the caller's transaction; return the events it refused."""
        ...

    async def reset(self, conn: AsyncConnection) -> None:
        """Empty the projection's tables (for a rebuild from sequence 1)."""
        ...
