"""Event type registry: stable type names, schema versions, and upcasters.

Every payload class declares ``TYPE`` (a stable name such as ``"CaseSubmitted"``, never a module
path) and ``VERSION``. Stored events are never rewritten: an event stored at an older version is
upcast on read by a chain of pure ``dict -> dict`` functions, one per version step.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, TypeVar

from pydantic import BaseModel, ConfigDict

Upcaster = Callable[[dict[str, Any]], dict[str, Any]]
P = TypeVar("P", bound="EventPayload")


class EventPayload(BaseModel):
    """Business facts of one event. Subclasses set ``TYPE`` and ``VERSION``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    TYPE: ClassVar[str]
    VERSION: ClassVar[int] = 1
    OPENS_TRANSIT: ClassVar[bool] = False  # the case may now wait for routing to place it


class UnknownEventType(LookupError):
    def __init__(self, type_name: str) -> None:
        super().__init__(f"unknown event type {type_name!r}")
        self.type_name = type_name


class UnsupportedSchemaVersion(ValueError):
    def __init__(self, type_name: str, version: int, current: int) -> None:
        super().__init__(
            f"{type_name} schema_version {version} is not supported (this reader knows 1..{current})"
        )
        self.type_name = type_name
        self.version = version


class EventRegistry:
    def __init__(self) -> None:
        self._types: dict[str, type[EventPayload]] = {}
        self._upcasters: dict[tuple[str, int], Upcaster] = {}

    def register(self, cls: type[P]) -> type[P]:
        name = cls.TYPE
        if name in self._types and self._types[name] is not cls:
            raise ValueError(f"event type {name!r} registered twice")
        self._types[name] = cls
        return cls

    def add_upcaster(self, type_name: str, from_version: int, fn: Upcaster) -> None:
        key = (type_name, from_version)
        if key in self._upcasters:
            raise ValueError(f"upcaster {type_name} v{from_version} registered twice")
        self._upcasters[key] = fn

    def payload_class(self, type_name: str) -> type[EventPayload]:
        try:
            return self._types[type_name]
        except KeyError:
            raise UnknownEventType(type_name) from None

    def known(self, type_name: str) -> bool:
        return type_name in self._types

    def types(self) -> dict[str, type[EventPayload]]:
        return dict(self._types)

    def upcast(self, type_name: str, version: int, payload: dict[str, Any]) -> dict[str, Any]:
        cls = self.payload_class(type_name)
        if version < 1 or version > cls.VERSION:
            raise UnsupportedSchemaVersion(type_name, version, cls.VERSION)
        data = payload
        for v in range(version, cls.VERSION):
            step = self._upcasters.get((type_name, v))
            if step is None:
                raise UnsupportedSchemaVersion(type_name, version, cls.VERSION)
            data = step(dict(data))
        return data

    def load(self, type_name: str, version: int, payload: dict[str, Any]) -> EventPayload:
        """Upcast a stored payload to the current version and validate it."""
        cls = self.payload_class(type_name)
        return cls.model_validate(self.upcast(type_name, version, payload))


REGISTRY = EventRegistry()


def event(cls: type[P]) -> type[P]:
    """Class decorator registering a payload class in the global registry."""
    return REGISTRY.register(cls)


def upcaster(type_name: str, from_version: int) -> Callable[[Upcaster], Upcaster]:
    def wrap(fn: Upcaster) -> Upcaster:
        REGISTRY.add_upcaster(type_name, from_version, fn)
        return fn

    return wrap
