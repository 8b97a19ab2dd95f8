"""Reading the service catalog from YAML.

Format (see ``docs/catalog-and-org.md``)::

    version: 1
    items:
      - code: MZ-001
        name: 社团审批
        department: civil-affairs
        tier: county
        kind: promised
        promised_days: 20
        legal_basis: 《社会团体登记管理条例》
        materials:
          - {code: m1, name: 登记申请书, kind: required}

Every invalid entry is reported (not just the first) in one :class:`CatalogError`,
each problem naming the item code and the field.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from shared.catalog.model import Catalog, CatalogError, CatalogProblem, ServiceItem
from shared.strict_yaml import read_yaml

DEFAULT_CATALOG_FILE = "demo_catalog.yaml"
SUPPORTED_VERSIONS = (1,)


def _read_yaml(path: Path | None) -> tuple[Any, str]:
    return read_yaml(path, "shared.catalog", DEFAULT_CATALOG_FILE, "catalog", CatalogError)


def _loc(loc: Iterable[int | str]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(item)"  # a model-level check


def _item_problems(label: str, exc: ValidationError) -> list[CatalogProblem]:
    return [
        CatalogProblem(label, _loc(err["loc"]), str(err["msg"]).removeprefix("Value error, "))
        for err in exc.errors()
    ]


def parse_catalog(data: Any, *, source: str = "<catalog data>") -> Catalog:
    """Build a :class:`Catalog` from already-parsed YAML/JSON data."""
    if not isinstance(data, dict):
        raise CatalogError(f"{source}: the catalog must be a mapping with 'version' and 'items'")
    unknown = sorted(str(k) for k in set(data) - {"version", "items"})
    if unknown:
        raise CatalogError(f"{source}: unknown top-level keys {unknown}")
    version = data.get("version")
    if version not in SUPPORTED_VERSIONS:
        raise CatalogError(f"{source}: unsupported catalog format version {version!r} (expected 1)")
    raw_items = data.get("items")
    if not isinstance(raw_items, list) or not raw_items:
        raise CatalogError(f"{source}: 'items' must be a non-empty list")

    items: list[ServiceItem] = []
    problems: list[CatalogProblem] = []
    first_index: dict[str, int] = {}
    for index, raw in enumerate(raw_items, start=1):
        code = raw.get("code") if isinstance(raw, dict) else None
        label = code if isinstance(code, str) and code.strip() else f"#{index}"
        if not isinstance(raw, dict):
            problems.append(CatalogProblem(label, "(item)", "an item must be a mapping"))
            continue
        if isinstance(code, str) and code in first_index:
            problems.append(
                CatalogProblem(
                    label, "code", f"duplicate item code (entry #{index}, first at #{first_index[code]})"
                )
            )
            continue
        if isinstance(code, str):
            first_index[code] = index
        try:
            items.append(ServiceItem.model_validate(raw))
        except ValidationError as exc:
            problems.extend(_item_problems(label, exc))
    if problems:
        raise CatalogError.from_problems(problems, source=source)
    return Catalog(items, version=version)


def load_catalog(path: Path | str | None = None) -> Catalog:
    """Load the catalog from ``path``; without one, the shipped demo catalog."""
    data, source = _read_yaml(None if path is None else Path(path))
    return parse_catalog(data, source=source)
