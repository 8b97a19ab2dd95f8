"""The service catalog (服务事项目录): what a citizen can ask for, who handles it, where,
how fast, with which materials and at what fee.

Items are immutable pydantic models; :class:`Catalog` is a read-only collection of them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

if TYPE_CHECKING:
    from shared.org.model import OrgTree

MaterialKind = Literal["required", "optional", "tolerable"]  # tolerable = 容缺: may be supplied later
Tier = Literal["village", "township", "county"]
ItemKind = Literal["immediate", "promised"]  # 即办件 / 承诺件

ITEM_CODE_PATTERN = r"^[A-Z]{2,4}-\d{3}$"
MATERIAL_CODE_PATTERN = r"^[a-z][a-z0-9_-]{0,15}$"
DEPARTMENT_KEY_PATTERN = r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$"

_ITEM_CODE_RE = re.compile(ITEM_CODE_PATTERN)
_MATERIAL_CODE_RE = re.compile(MATERIAL_CODE_PATTERN)
_DEPARTMENT_KEY_RE = re.compile(DEPARTMENT_KEY_PATTERN)


def _not_blank(value: str, what: str) -> str:
    if not value.strip():
        raise ValueError(f"{what} must not be blank")
    return value


def _department_key(value: str) -> str:
    if not _DEPARTMENT_KEY_RE.match(value):
        raise ValueError(f"{value!r} is not a department key (lower-case words joined by '-')")
    return value


@dataclass(frozen=True)
class CatalogProblem:
    """One thing wrong with the catalog: which item, which field, what."""

    code: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"item {self.code!r} field {self.field!r}: {self.message}"


class CatalogError(ValueError):
    """The catalog data is invalid.  ``problems`` lists everything found."""

    def __init__(self, message: str, problems: Iterable[CatalogProblem] = ()) -> None:
        super().__init__(message)
        self.problems: tuple[CatalogProblem, ...] = tuple(problems)

    @classmethod
    def from_problems(cls, problems: Iterable[CatalogProblem], *, source: str = "catalog") -> CatalogError:
        found = tuple(problems)
        lines = "\n".join(f"  - {p}" for p in found)
        return cls(f"{source}: {len(found)} problem(s):\n{lines}", found)


class UnknownItemError(LookupError):
    """No service item with this code is in the catalog."""

    def __init__(self, code: str) -> None:
        super().__init__(f"unknown service item code {code!r}")
        self.code = code

    def __str__(self) -> str:  # LookupError would otherwise print the repr of args
        return str(self.args[0])


class Material(BaseModel):
    """One material (申请材料) an applicant hands in."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str
    name: str
    kind: MaterialKind
    note: str = ""

    @field_validator("code")
    @classmethod
    def _check_code(cls, value: str) -> str:
        if not _MATERIAL_CODE_RE.match(value):
            raise ValueError(f"{value!r} is not a material code (e.g. 'm1')")
        return value

    @field_validator("name")
    @classmethod
    def _check_name(cls, value: str) -> str:
        return _not_blank(value, "material name")


class JointReview(BaseModel):
    """并联审批 / 联合预审: the other departments that review alongside the lead department."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: Literal["parallel_approval", "joint_prereview"]
    mode: Literal["all", "any"]  # 会签: all must approve / 或签: any one suffices
    departments: tuple[str, ...]  # not including the lead department

    @field_validator("departments")
    @classmethod
    def _check_departments(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for key in value:
            _department_key(key)
        if len(set(value)) != len(value):
            raise ValueError(
                f"departments are listed twice: {sorted(k for k in set(value) if value.count(k) > 1)}"
            )
        if len(value) < 2:
            raise ValueError(f"a joint review needs at least 2 other departments, got {len(value)}")
        return value


class ServiceItem(BaseModel):
    """One service item (事项)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str
    name: str
    department: str
    tier: Tier
    kind: ItemKind
    promised_days: int
    legal_days: int | None = None
    legal_basis: str
    conditions: str = ""
    materials: tuple[Material, ...]
    fee_fen: int = 0
    fee_basis: str = Field("", validate_default=True)  # checked against fee_fen
    joint: JointReview | None = None
    proxy_allowed: bool = True
    procedure: tuple[str, ...] = ()
    source: str = ""

    @field_validator("code")
    @classmethod
    def _check_code(cls, value: str) -> str:
        if not _ITEM_CODE_RE.match(value):
            raise ValueError(
                f"{value!r} is not an item code (2-4 upper-case letters, '-', 3 digits, e.g. 'MZ-001')"
            )
        return value

    @field_validator("name")
    @classmethod
    def _check_name(cls, value: str) -> str:
        return _not_blank(value, "name")

    @field_validator("department")
    @classmethod
    def _check_department(cls, value: str) -> str:
        return _department_key(value)

    @field_validator("legal_basis")
    @classmethod
    def _check_legal_basis(cls, value: str) -> str:
        return _not_blank(value, "legal_basis")

    @field_validator("promised_days")
    @classmethod
    def _check_promised_days(cls, value: int, info: ValidationInfo) -> int:
        if value < 0:
            raise ValueError("promised_days must not be negative")
        kind = info.data.get("kind")
        if kind == "immediate" and value != 0:
            raise ValueError(f"an immediate item (即办件) has promised_days 0, not {value}")
        if kind == "promised" and value == 0:
            raise ValueError("a promised item (承诺件) needs promised_days > 0")
        return value

    @field_validator("legal_days")
    @classmethod
    def _check_legal_days(cls, value: int | None, info: ValidationInfo) -> int | None:
        if value is None:
            return value
        if value <= 0:
            raise ValueError("legal_days must be positive when set")
        promised = info.data.get("promised_days")
        if promised is not None and value < promised:
            raise ValueError(f"legal_days ({value}) must not be shorter than promised_days ({promised})")
        return value

    @field_validator("materials")
    @classmethod
    def _check_materials(cls, value: tuple[Material, ...]) -> tuple[Material, ...]:
        codes = [m.code for m in value]
        dupes = sorted({c for c in codes if codes.count(c) > 1})
        if dupes:
            raise ValueError(f"material codes are used twice: {dupes}")
        if not any(m.kind == "required" for m in value):
            raise ValueError("at least one material must be 'required'")
        return value

    @field_validator("fee_fen")
    @classmethod
    def _check_fee(cls, value: int) -> int:
        if value < 0:
            raise ValueError("fee_fen must not be negative")
        return value

    @field_validator("fee_basis")
    @classmethod
    def _check_fee_basis(cls, value: str, info: ValidationInfo) -> str:
        fee = info.data.get("fee_fen")
        if fee and not value.strip():
            raise ValueError(f"an item with a fee (fee_fen={fee}) needs fee_basis (收费依据)")
        return value

    @field_validator("joint")
    @classmethod
    def _check_joint(cls, value: JointReview | None, info: ValidationInfo) -> JointReview | None:
        lead = info.data.get("department")
        if value is not None and lead in value.departments:
            raise ValueError(f"the lead department {lead!r} must not be listed in joint.departments")
        return value

    @field_validator("procedure")
    @classmethod
    def _check_procedure(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for step in value:
            _not_blank(step, "a procedure step")
        return value

    # -- conveniences ----------------------------------------------------------------------

    @property
    def is_free(self) -> bool:
        return self.fee_fen == 0

    @property
    def all_departments(self) -> tuple[str, ...]:
        """The lead department first, then the joint-review departments."""
        return (self.department, *(self.joint.departments if self.joint else ()))

    def materials_of(self, kind: MaterialKind) -> tuple[Material, ...]:
        return tuple(m for m in self.materials if m.kind == kind)

    def material(self, code: str) -> Material:
        for m in self.materials:
            if m.code == code:
                return m
        raise LookupError(f"item {self.code!r} has no material {code!r}")


class Catalog:
    """A read-only collection of service items, in file order."""

    def __init__(self, items: Iterable[ServiceItem], *, version: int = 1) -> None:
        self.version = version
        self._items: dict[str, ServiceItem] = {}
        problems: list[CatalogProblem] = []
        for item in items:
            if item.code in self._items:
                problems.append(CatalogProblem(item.code, "code", "duplicate item code"))
                continue
            self._items[item.code] = item
        if problems:
            raise CatalogError.from_problems(problems)

    @classmethod
    def load(cls, path: Path | str | None = None) -> Catalog:
        """Load a catalog from a YAML file; without a path, the shipped ``demo_catalog.yaml``."""
        from shared.catalog.loader import load_catalog

        return load_catalog(path)

    def get(self, code: str) -> ServiceItem:
        try:
            return self._items[code]
        except (KeyError, TypeError):
            raise UnknownItemError(code) from None

    def by_department(self, key: str) -> tuple[ServiceItem, ...]:
        """Items whose lead department is ``key``."""
        return tuple(i for i in self._items.values() if i.department == key)

    def by_tier(self, tier: Tier) -> tuple[ServiceItem, ...]:
        return tuple(i for i in self._items.values() if i.tier == tier)

    def search(self, text: str) -> tuple[ServiceItem, ...]:
        """Case-insensitive substring search over code and name; an empty query returns all."""
        needle = text.strip().casefold()
        if not needle:
            return tuple(self._items.values())
        return tuple(
            i for i in self._items.values() if needle in i.code.casefold() or needle in i.name.casefold()
        )

    def department_keys(self) -> frozenset[str]:
        """Every department key the catalog refers to (lead and joint)."""
        return frozenset(k for i in self._items.values() for k in i.all_departments)

    def validate_against(self, org: OrgTree, *, raise_errors: bool = False) -> list[CatalogProblem]:
        """Check that every department key used by an item is a department of ``org``.

        Returns the problems found (empty when all is well); with ``raise_errors=True``
        raises :class:`CatalogError` instead of returning a non-empty list.
        """
        problems: list[CatalogProblem] = []
        for item in self._items.values():
            if not org.has_department(item.department):
                problems.append(
                    CatalogProblem(
                        item.code, "department", f"department {item.department!r} is not in the org tree"
                    )
                )
            for key in item.joint.departments if item.joint else ():
                if not org.has_department(key):
                    problems.append(
                        CatalogProblem(
                            item.code, "joint.departments", f"department {key!r} is not in the org tree"
                        )
                    )
        if problems and raise_errors:
            raise CatalogError.from_problems(problems, source="catalog against org tree")
        return problems

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and code in self._items

    def __iter__(self) -> Iterator[ServiceItem]:
        return iter(self._items.values())

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return f"Catalog(version={self.version}, items={len(self._items)})"
