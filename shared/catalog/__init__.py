"""The service catalog (服务事项目录)."""

from shared.catalog.loader import DEFAULT_CATALOG_FILE, load_catalog, parse_catalog
from shared.catalog.model import (
    Catalog,
    CatalogError,
    CatalogProblem,
    ItemKind,
    JointReview,
    Material,
    MaterialKind,
    ServiceItem,
    Tier,
    UnknownItemError,
)

__all__ = [
    "DEFAULT_CATALOG_FILE",
    "Catalog",
    "CatalogError",
    "CatalogProblem",
    "ItemKind",
    "JointReview",
    "Material",
    "MaterialKind",
    "ServiceItem",
    "Tier",
    "UnknownItemError",
    "load_catalog",
    "parse_catalog",
]
