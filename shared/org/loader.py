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

from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from shared.org.model import OrgError, OrgNode, OrgTree

DEFAULT_ORG_FILE = "demo_org.yaml"
SUPPORTED_VERSIONS = (1,)


class _StrictLoader(yaml.SafeLoader):
    """A safe loader that refuses duplicate mapping keys (PyYAML silently keeps the last)."""


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _read_yaml(path: Path | None) -> tuple[Any, str]:
    if path is None:
        resource = resources.files("shared.org").joinpath(DEFAULT_ORG_FILE)
        text, source = resource.read_text(encoding="utf-8"), DEFAULT_ORG_FILE
    else:
        try:
            text, source = path.read_text(encoding="utf-8"), str(path)
        except OSError as exc:
            raise OrgError(f"cannot read org file {path}: {exc}") from exc
    try:
        return yaml.load(text, Loader=_StrictLoader), source
    except yaml.YAMLError as exc:
        raise OrgError(f"{source}: not valid YAML: {exc}") from exc


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
