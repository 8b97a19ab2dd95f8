"""The shipped demo org tree and the OrgTree queries."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from shared.org import OrgTree, UnknownNodeError, load_org

CATALOG_DEPARTMENTS = {
    "civil-affairs": "民政局",
    "statistics": "统计局",
    "construction": "住房和城乡建设局",
    "planning": "自然资源和规划局",
    "transport": "交通运输局",
    "health": "卫生健康委员会",
    "city-management": "城市管理局",
    "culture": "文化体育和旅游局",
    "housing-fund": "住房公积金管理中心",
    "market-regulation": "市场监督管理局",
}


@pytest.fixture(scope="module")
def org() -> OrgTree:
    return OrgTree.load()


def test_counts(org: OrgTree) -> None:
    assert org.county.id == "c01"
    assert org.county.code == "C01"
    assert org.county.name == "示范县"
    assert org.county.region_code == "511199"
    assert [t.name for t in org.townships()] == ["柳新镇", "张集镇", "利国镇"]
    assert [t.id for t in org.townships()] == ["c01.t01", "c01.t02", "c01.t03"]
    assert [t.code for t in org.townships()] == ["T01", "T02", "T03"]
    assert len(org.villages()) == 15
    for township in org.townships():
        assert len(org.villages(township.id)) == 5
    assert len(org.departments()) >= 10
    assert len(org) == 1 + 3 + 15 + len(org.departments())
    assert sum(1 for n in org if n.kind == "county") == 1


def test_ids_and_codes(org: OrgTree) -> None:
    codes = [n.code for n in org]
    assert len(set(codes)) == len(codes)
    assert all(re.fullmatch(r"[A-Z0-9]{2,8}", c) for c in codes)
    assert all(re.fullmatch(r"[a-z0-9.-]+", n.id) for n in org)
    for village in org.villages():
        assert village.name.endswith("村")
        assert re.fullmatch(r"c01\.t0[1-3]\.v0[1-5]", village.id)
        township = org.township_of(village.id)
        assert township is not None
        assert village.code.startswith(township.code + "V")
    for dept in org.departments():
        assert dept.key is not None
        assert dept.id == f"c01.d.{dept.key}"
        assert dept.code.startswith("D")


def test_catalog_departments_exist(org: OrgTree) -> None:
    for key, name in CATALOG_DEPARTMENTS.items():
        assert org.department(key).name == name
    assert org.department("civil-affairs").code == "DMZ"
    assert org.department("statistics").code == "DTJ"


def test_navigation(org: OrgTree) -> None:
    village = org.get("c01.t02.v03")
    assert village.kind == "village"
    parent = org.parent("c01.t02.v03")
    assert parent is not None and parent.id == "c01.t02"
    county_parent = org.parent("c01.t02")
    assert county_parent is not None and county_parent.id == "c01"
    assert org.parent("c01") is None
    assert org.parent("c01.d.tax") == org.county
    assert [c.id for c in org.children("c01.t03")] == [f"c01.t03.v0{i}" for i in range(1, 6)]
    assert org.children("c01.t03.v01") == ()
    county_children = {c.kind for c in org.children("c01")}
    assert county_children == {"township", "department"}


def test_township_of(org: OrgTree) -> None:
    t = org.township_of("c01.t01.v04")
    assert t is not None and t.name == "柳新镇"
    t = org.township_of("c01.t03")
    assert t is not None and t.id == "c01.t03"
    assert org.township_of("c01") is None
    assert org.township_of("c01.d.civil-affairs") is None


def test_tier_of(org: OrgTree) -> None:
    assert org.tier_of("c01.t01.v01") == "village"
    assert org.tier_of("c01.t02") == "township"
    assert org.tier_of("c01") == "county"
    assert org.tier_of("c01.d.health") == "county"


def test_by_code_and_contains(org: OrgTree) -> None:
    assert org.by_code("T03V05").id == "c01.t03.v05"
    assert org.by_code("DMZ").key == "civil-affairs"
    assert "c01.t01.v01" in org
    assert "c01.t09" not in org
    assert 5 not in org


def test_unknown_nodes(org: OrgTree) -> None:
    with pytest.raises(UnknownNodeError) as info:
        org.get("c01.t09")
    assert isinstance(info.value, LookupError)
    assert info.value.node_id == "c01.t09"
    assert str(info.value) == "unknown org node 'c01.t09'"
    with pytest.raises(UnknownNodeError, match="unknown org node code 'ZZZ'"):
        org.by_code("ZZZ")
    with pytest.raises(UnknownNodeError, match="unknown department key 'police'") as info:
        org.department("police")
    assert info.value.node_id == "police"
    for method in (org.parent, org.children, org.township_of, org.tier_of):
        with pytest.raises(UnknownNodeError):
            method("nowhere")
    with pytest.raises(UnknownNodeError):
        org.villages("c01.t09")
    with pytest.raises(ValueError, match="not a township"):
        org.villages("c01.t01.v01")


def test_load_explicit_path(tmp_path: Path) -> None:
    shipped = Path(__file__).resolve().parents[3] / "shared" / "org" / "demo_org.yaml"
    copy = tmp_path / "org.yaml"
    copy.write_text(shipped.read_text(encoding="utf-8"), encoding="utf-8")
    assert [n.id for n in load_org(copy)] == [n.id for n in OrgTree.load()]
    assert len(OrgTree.load(str(copy))) == len(OrgTree.load())


def test_nodes_are_frozen(org: OrgTree) -> None:
    with pytest.raises(Exception):  # noqa: B017 - pydantic frozen models raise ValidationError
        org.county.name = "别的县"  # type: ignore[misc]
