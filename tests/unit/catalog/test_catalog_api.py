"""Catalog lookups: get, search, by_department, iteration."""

from __future__ import annotations

from pathlib import Path

import pytest

from shared.catalog import Catalog, CatalogError, ServiceItem, UnknownItemError, load_catalog


def _item(code: str, name: str, department: str = "civil-affairs") -> ServiceItem:
    return ServiceItem(
        code=code,
        name=name,
        department=department,
        tier="county",
        kind="immediate",
        promised_days=0,
        legal_basis="《某条例》",
        materials=({"code": "m1", "name": "申请书", "kind": "required"},),
    )


@pytest.fixture
def small() -> Catalog:
    return Catalog(
        [
            _item("MZ-001", "社团审批"),
            _item("TJ-001", "《统计调查登记证》办理", "statistics"),
            _item("TJ-002", "《统计调查登记证》变更", "statistics"),
        ]
    )


def test_get_and_unknown_item(small: Catalog) -> None:
    assert small.get("TJ-002").name == "《统计调查登记证》变更"
    with pytest.raises(UnknownItemError) as info:
        small.get("XX-999")
    assert isinstance(info.value, LookupError)
    assert info.value.code == "XX-999"
    assert str(info.value) == "unknown service item code 'XX-999'"


def test_iteration_len_contains(small: Catalog) -> None:
    assert len(small) == 3
    assert [i.code for i in small] == ["MZ-001", "TJ-001", "TJ-002"]
    assert "MZ-001" in small
    assert "MZ-002" not in small
    assert 1 not in small


def test_by_department(small: Catalog) -> None:
    assert [i.code for i in small.by_department("statistics")] == ["TJ-001", "TJ-002"]
    assert small.by_department("nobody") == ()


def test_search(small: Catalog) -> None:
    assert [i.code for i in small.search("统计调查")] == ["TJ-001", "TJ-002"]
    assert [i.code for i in small.search("tj-001")] == ["TJ-001"]
    assert [i.code for i in small.search("  mz ")] == ["MZ-001"]
    assert len(small.search("")) == 3
    assert len(small.search("   ")) == 3
    assert small.search("不存在") == ()


def test_search_shipped_catalog() -> None:
    catalog = Catalog.load()
    names = {i.name for i in catalog.search("统计调查登记证")}
    assert len(names) == 4
    assert catalog.get("GJJ-001").name == "职工提取住房公积金偿还住房贷款"


def test_duplicate_codes_in_constructor() -> None:
    with pytest.raises(CatalogError) as info:
        Catalog([_item("MZ-001", "甲"), _item("MZ-001", "乙")])
    assert "MZ-001" in str(info.value)
    assert info.value.problems[0].field == "code"


def test_load_from_explicit_path_matches_default(tmp_path: Path) -> None:
    shipped = Path(__file__).resolve().parents[3] / "shared" / "catalog" / "demo_catalog.yaml"
    copy = tmp_path / "c.yaml"
    copy.write_text(shipped.read_text(encoding="utf-8"), encoding="utf-8")
    assert [i.code for i in load_catalog(copy)] == [i.code for i in Catalog.load()]
    assert [i.code for i in Catalog.load(str(copy))] == [i.code for i in Catalog.load()]


def test_item_conveniences() -> None:
    item = Catalog.load().get("SJ-001")
    assert item.all_departments == ("market-regulation", "quality-supervision", "tax")
    assert item.material("m1").kind == "required"
    with pytest.raises(LookupError):
        item.material("m99")
    assert item.is_free
    with pytest.raises(Exception):  # noqa: B017 - pydantic frozen models raise ValidationError
        item.name = "改名"  # type: ignore[misc]
