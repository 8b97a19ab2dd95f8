"""Org tree of one county: county → townships → villages, plus county departments.

Every node has a stable hierarchical id (``c01``, ``c01.t03``, ``c01.t03.v07``,
``c01.d.civil-affairs``) and a short upper-case code used in NATS subjects and case
numbers (``C01``, ``T03``, ``T03V07``, ``DMZ``).  The tree is read-only once built.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

NodeKind = Literal["county", "township", "village", "department"]
Tier = Literal["village", "township", "county"]

ID_PATTERN = r"^[a-z0-9.-]+$"
CODE_PATTERN = r"^[A-Z0-9]{2,8}$"
KEY_PATTERN = r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$"
REGION_CODE_PATTERN = r"^\d{6}$"

_ID_RE = re.compile(ID_PATTERN)
_CODE_RE = re.compile(CODE_PATTERN)
_KEY_RE = re.compile(KEY_PATTERN)
_REGION_RE = re.compile(REGION_CODE_PATTERN)


class OrgError(ValueError):
    """The org data is invalid.  ``node_id`` names the offending node when known."""

    def __init__(self, message: str, *, node_id: str | None = None) -> None:
        super().__init__(message)
        self.node_id = node_id


class UnknownNodeError(LookupError):
    """No node with this id (or code, or department key) exists in the tree."""

    def __init__(self, node_id: str, *, by: Literal["id", "code", "key"] = "id") -> None:
        what = {"id": "org node", "code": "org node code", "key": "department key"}[by]
        super().__init__(f"unknown {what} {node_id!r}")
        self.node_id = node_id
        self.by = by

    def __str__(self) -> str:  # LookupError would otherwise print the repr of args
        return str(self.args[0])


def _node_id(value: str) -> str:
    if not _ID_RE.match(value) or value.startswith(".") or value.endswith(".") or ".." in value:
        raise ValueError(f"{value!r} is not a node id (dot-separated segments of [a-z0-9-])")
    return value


class OrgNode(BaseModel):
    """One node of the org tree.  Checks that need only the node itself live here;
    checks that need the other nodes (parents exist, kinds fit) live in :class:`OrgTree`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    code: str
    name: str
    kind: NodeKind
    parent: str | None
    key: str | None = Field(None, validate_default=True)  # departments only
    region_code: str | None = None  # county only

    @field_validator("id")
    @classmethod
    def _check_id(cls, value: str) -> str:
        return _node_id(value)

    @field_validator("code")
    @classmethod
    def _check_code(cls, value: str) -> str:
        if not _CODE_RE.match(value):
            raise ValueError(f"{value!r} is not a node code (2-8 characters of A-Z, 0-9)")
        return value

    @field_validator("name")
    @classmethod
    def _check_name(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("name must not be blank")
        return value

    @field_validator("parent")
    @classmethod
    def _check_parent(cls, value: str | None, info: ValidationInfo) -> str | None:
        kind = info.data.get("kind")
        if kind == "county" and value is not None:
            raise ValueError("a county has no parent")
        if kind is not None and kind != "county" and value is None:
            raise ValueError(f"a {kind} needs a parent")
        return value if value is None else _node_id(value)

    @field_validator("key")
    @classmethod
    def _check_key(cls, value: str | None, info: ValidationInfo) -> str | None:
        kind = info.data.get("kind")
        if kind == "department" and value is None:
            raise ValueError("a department needs its catalog key")
        if kind is not None and kind != "department" and value is not None:
            raise ValueError(f"only departments have a key, not a {kind}")
        if value is not None and not _KEY_RE.match(value):
            raise ValueError(f"{value!r} is not a department key (lower-case words joined by '-')")
        return value

    @field_validator("region_code")
    @classmethod
    def _check_region_code(cls, value: str | None, info: ValidationInfo) -> str | None:
        kind = info.data.get("kind")
        if value is not None and kind is not None and kind != "county":
            raise ValueError(f"only the county has a region_code, not a {kind}")
        if value is not None and not _REGION_RE.match(value):
            raise ValueError(f"{value!r} is not a 6-digit administrative division code")
        return value

    @model_validator(mode="after")
    def _check_id_shape(self) -> OrgNode:
        """The id is the parent's id plus one segment (departments: plus ``d.<key>``)."""
        if self.kind == "county":
            if "." in self.id:
                raise ValueError(f"county id {self.id!r} must be a single segment")
        elif self.kind == "department":
            expected = f"{self.parent}.d.{self.key}"
            if self.id != expected:
                raise ValueError(f"department id {self.id!r} must be {expected!r} (parent id + '.d.' + key)")
        else:
            prefix = f"{self.parent}."
            rest = self.id[len(prefix) :] if self.id.startswith(prefix) else ""
            if not rest or "." in rest:
                raise ValueError(
                    f"{self.kind} id {self.id!r} must be the parent id {self.parent!r} + '.<segment>'"
                )
            if rest == "d":
                raise ValueError(f"{self.kind} id {self.id!r}: segment 'd' is reserved for departments")
        return self


_PARENT_KIND: dict[str, str] = {"township": "county", "department": "county", "village": "township"}


class OrgTree:
    """An immutable, validated org tree.

    Listing methods return tuples in the order the nodes were given.
    """

    def __init__(self, nodes: Iterable[OrgNode]) -> None:
        self._nodes: dict[str, OrgNode] = {}
        self._by_code: dict[str, OrgNode] = {}
        self._by_key: dict[str, OrgNode] = {}
        self._children: dict[str, list[OrgNode]] = {}
        counties: list[OrgNode] = []
        for node in nodes:
            if node.id in self._nodes:
                raise OrgError(f"org node {node.id!r}: duplicate id", node_id=node.id)
            other = self._by_code.get(node.code)
            if other is not None:
                raise OrgError(
                    f"org node {node.id!r}: code {node.code!r} is already used by {other.id!r}",
                    node_id=node.id,
                )
            if node.key is not None:
                other = self._by_key.get(node.key)
                if other is not None:
                    raise OrgError(
                        f"org node {node.id!r}: department key {node.key!r} is already used by {other.id!r}",
                        node_id=node.id,
                    )
                self._by_key[node.key] = node
            self._nodes[node.id] = node
            self._by_code[node.code] = node
            self._children[node.id] = []
            if node.kind == "county":
                counties.append(node)
        if len(counties) != 1:
            ids = ", ".join(repr(c.id) for c in counties) or "none"
            raise OrgError(f"an org tree needs exactly one county, found {len(counties)} ({ids})")
        self._county = counties[0]
        for node in self._nodes.values():
            if node.parent is None:
                continue
            parent = self._nodes.get(node.parent)
            if parent is None:
                raise OrgError(
                    f"org node {node.id!r}: parent {node.parent!r} does not exist", node_id=node.id
                )
            wanted = _PARENT_KIND[node.kind]
            if parent.kind != wanted:
                raise OrgError(
                    f"org node {node.id!r}: a {node.kind} must be under a {wanted}, "
                    f"but its parent {parent.id!r} is a {parent.kind}",
                    node_id=node.id,
                )
            self._children[parent.id].append(node)

    # -- loading ---------------------------------------------------------------------------

    @classmethod
    def load(cls, path: Path | str | None = None) -> OrgTree:
        """Load a tree from a YAML file; without a path, the shipped ``demo_org.yaml``."""
        from shared.org.loader import load_org

        return load_org(path)

    # -- lookups ---------------------------------------------------------------------------

    @property
    def county(self) -> OrgNode:
        return self._county

    def get(self, node_id: str) -> OrgNode:
        try:
            return self._nodes[node_id]
        except (KeyError, TypeError):
            raise UnknownNodeError(node_id) from None

    def by_code(self, code: str) -> OrgNode:
        try:
            return self._by_code[code]
        except (KeyError, TypeError):
            raise UnknownNodeError(code, by="code") from None

    def department(self, key: str) -> OrgNode:
        """The department node with this catalog key (e.g. ``"civil-affairs"``)."""
        try:
            return self._by_key[key]
        except (KeyError, TypeError):
            raise UnknownNodeError(key, by="key") from None

    def has_department(self, key: str) -> bool:
        return key in self._by_key

    def townships(self) -> tuple[OrgNode, ...]:
        return tuple(n for n in self._children[self._county.id] if n.kind == "township")

    def departments(self) -> tuple[OrgNode, ...]:
        return tuple(n for n in self._children[self._county.id] if n.kind == "department")

    def villages(self, township_id: str | None = None) -> tuple[OrgNode, ...]:
        """All villages, or those of one township."""
        if township_id is None:
            return tuple(v for t in self.townships() for v in self._children[t.id])
        township = self.get(township_id)
        if township.kind != "township":
            raise ValueError(f"org node {township_id!r} is a {township.kind}, not a township")
        return tuple(self._children[township.id])

    def parent(self, node_id: str) -> OrgNode | None:
        node = self.get(node_id)
        return None if node.parent is None else self._nodes[node.parent]

    def children(self, node_id: str) -> tuple[OrgNode, ...]:
        self.get(node_id)
        return tuple(self._children[node_id])

    def township_of(self, node_id: str) -> OrgNode | None:
        """A village's township, a township itself; ``None`` for the county and departments."""
        node = self.get(node_id)
        if node.kind == "township":
            return node
        if node.kind == "village":
            return self._nodes[node.parent] if node.parent is not None else None
        return None

    def tier_of(self, node_id: str) -> Tier:
        """The service tier a node works at; departments and the county are ``"county"``."""
        kind = self.get(node_id).kind
        if kind == "village":
            return "village"
        if kind == "township":
            return "township"
        return "county"

    # -- container protocol ----------------------------------------------------------------

    def __contains__(self, node_id: object) -> bool:
        return isinstance(node_id, str) and node_id in self._nodes

    def __iter__(self) -> Iterator[OrgNode]:
        return iter(self._nodes.values())

    def __len__(self) -> int:
        return len(self._nodes)

    def __repr__(self) -> str:
        return (
            f"OrgTree(county={self._county.id!r}, townships={len(self.townships())}, "
            f"villages={len(self.villages())}, departments={len(self.departments())})"
        )
