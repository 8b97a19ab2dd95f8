"""Reading the org tree from YAML.

Format (see ``docs/catalog-and-org.md``)::

    version: 1
    nodes:
      - {id: c01, code: C01, name: 示范县, kind: county, parent: null, region_code: "511199"}
      - {id: c01.t01, code: T01, name: 柳新镇, kind: township, parent: c01}
      - {id: c01.t01.v01, code: T01V01, name: 柳新村, kind: village, parent: c01.t01}
      - {id: c01.d.civil-affairs, code: DMZ, name: 民政局, kind: department, parent: c01, key: civil-affairs}
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from shared.org.model import OrgError, OrgNode, OrgTree
from shared.strict_yaml import read_yaml

DEFAULT_ORG_FILE = "demo_org.yaml"
SUPPORTED_VERSIONS = (1,)


def _read_yaml(path: Path | None) -> tuple[Any, str]:
    return read_yaml(path, "shared.org", DEFAULT_ORG_FILE, "org", OrgError)


def _describe(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"])
        msg = str(err["msg"]).removeprefix("Value error, ")
        parts.append(f"field {loc!r}: {msg}" if loc else msg)
    return "; ".join(parts)


def parse_org(data: Any, *, source: str = "<org data>") -> OrgTree:
    """Build an :class:`OrgTree` from already-parsed YAML/JSON data."""
    if not isinstance(data, dict):
        raise OrgError(f"{source}: the org file must be a mapping with 'version' and 'nodes'")
    unknown = sorted(set(data) - {"version", "nodes"})
    if unknown:
        raise OrgError(f"{source}: unknown top-level keys {unknown}")
    version = data.get("version")
    if version not in SUPPORTED_VERSIONS:
        raise OrgError(f"{source}: unsupported org format version {version!r} (expected 1)")
    raw_nodes = data.get("nodes")
    if not isinstance(raw_nodes, list) or not raw_nodes:
        raise OrgError(f"{source}: 'nodes' must be a non-empty list")
    nodes: list[OrgNode] = []
    for index, raw in enumerate(raw_nodes):
        label = raw.get("id") if isinstance(raw, dict) else None
        label = repr(label) if isinstance(label, str) and label else f"#{index + 1}"
        if not isinstance(raw, dict):
            raise OrgError(f"{source}: org node {label} must be a mapping")
        try:
            nodes.append(OrgNode.model_validate(raw))
        except ValidationError as exc:
            node_id = raw.get("id") if isinstance(raw.get("id"), str) else None
            raise OrgError(f"{source}: org node {label}: {_describe(exc)}", node_id=node_id) from None
    try:
        return OrgTree(nodes)
    except OrgError as exc:
        raise OrgError(f"{source}: {exc}", node_id=exc.node_id) from None


def load_org(path: Path | str | None = None) -> OrgTree:
    """Load an org tree from ``path``; without one, the shipped demo tree."""
    data, source = _read_yaml(None if path is None else Path(path))
    return parse_org(data, source=source)
