"""The shipped demo catalog: content taken from the seed reports, consistent with the org tree."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from shared.catalog import Catalog, ServiceItem
from shared.org import OrgTree

# The 32 items of the first seed report, as named there; only 〈〉 is written as 《》.
FIRST_REPORT_ITEMS: dict[str, list[str]] = {
    "civil-affairs": ["社团审批", "民办非企业单位审批", "福利机构审批"],
    "statistics": [
        "《统计调查登记证》办理",
        "《统计调查登记证》变更",
        "《统计调查登记证》年审",
        "《统计调查登记证》的缴销",
        "统计违法案件的处理",
    ],
    "construction": ["《施工许可证》的初审", "城市树木变动及占用绿地审批"],
    "planning": [
        "申请《村镇建设项目选址意见书》的受理",
        "申办《村镇建设用地规划许可证》的受理",
        "申办《建设工程规划许可证》的受理",
        "申办《房屋翻修许可证》的受理",
        "申办《店名牌匾、临时性广告规划许可证》的受理",
        "申请《建设工程规划验收》的受理",
    ],
    "transport": ["《道路运输证》开、停业受理", "汽车维修企业的开、停业受理"],
    "health": [
        "为流动人口办理《流动人口婚育证明》",
        "为流动人口中的已婚育龄妇女审验孕检证明",
        "为流动人口中的个体营业户审验《流动人口婚育证明》",
    ],
    "city-management": [
        "垃圾准运证",
        "市容临时占道、施工占道审批",
        "非固定大型户外广告、标语、条幅及设点宣传展销审批",
        "搭建非永久性建筑物构筑物和其它立面装修审核、会签",
        "夜景灯饰<审核>",
        "饲养家禽、家畜<会签>",
    ],
    "culture": ["图书、报刊出租、零售", "打字、复印、名片制作", "印刷", "棋牌初审", "音像制品初审"],
}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog.load()


@pytest.fixture(scope="module")
def org() -> OrgTree:
    return OrgTree.load()


def _by_name(catalog: Catalog, name: str) -> ServiceItem:
    found = [i for i in catalog if i.name == name]
    assert len(found) == 1, f"expected exactly one item named {name!r}, found {len(found)}"
    return found[0]


def test_seed_list_is_the_32_items() -> None:
    assert sum(len(v) for v in FIRST_REPORT_ITEMS.values()) == 32
    assert {k: len(v) for k, v in FIRST_REPORT_ITEMS.items()} == {
        "civil-affairs": 3,
        "statistics": 5,
        "construction": 2,
        "planning": 6,
        "transport": 2,
        "health": 3,
        "city-management": 6,
        "culture": 5,
    }


def test_shipped_catalog_loads_with_enough_items(catalog: Catalog) -> None:
    assert catalog.version == 1
    assert len(catalog) >= 34
    assert len({i.code for i in catalog}) == len(catalog)


@pytest.mark.parametrize(
    ("department", "name"), [(d, n) for d, names in FIRST_REPORT_ITEMS.items() for n in names]
)
def test_every_first_report_item_is_present(catalog: Catalog, department: str, name: str) -> None:
    item = _by_name(catalog, name)
    assert item.department == department
    assert item.source.startswith("第一篇")


def test_named_promised_days_from_the_brief(catalog: Catalog) -> None:
    assert _by_name(catalog, "社团审批").kind == "promised"
    assert _by_name(catalog, "社团审批").promised_days == 20
    assert _by_name(catalog, "《统计调查登记证》办理").promised_days == 5
    assert _by_name(catalog, "垃圾准运证").promised_days == 5
    marriage = _by_name(catalog, "为流动人口办理《流动人口婚育证明》")
    assert (marriage.kind, marriage.tier, marriage.promised_days) == ("immediate", "township", 0)
    assert _by_name(catalog, "印刷").fee_fen == 0


def test_housing_fund_withdrawal_follows_the_leshan_guide(catalog: Catalog) -> None:
    item = _by_name(catalog, "职工提取住房公积金偿还住房贷款")
    assert item.department == "housing-fund"
    assert item.kind == "immediate"
    assert item.promised_days == 0
    assert item.fee_fen == 0
    assert "《住房公积金管理条例》" in item.legal_basis
    assert "《乐山市住房公积金提取管理实施细则》" in item.legal_basis
    required = [m.name for m in item.materials_of("required")]
    assert any("支取使用审批表" in n for n in required)
    assert any("身份证原件和复印件" in n for n in required)
    names = " ".join(m.name for m in item.materials)
    for needed in ("购房合同", "借款合同", "还款", "委托书", "结婚证"):
        assert needed in names
    assert len(item.procedure) == 3
    assert item.source.startswith("第四篇")


def test_three_in_one_registration_is_a_parallel_approval(catalog: Catalog) -> None:
    item = _by_name(catalog, "企业“三证合一”登记")
    assert item.department == "market-regulation"
    assert item.kind == "immediate"
    assert item.joint is not None
    assert item.joint.kind == "parallel_approval"
    assert item.joint.mode == "all"
    assert set(item.joint.departments) == {"quality-supervision", "tax"}
    assert item.source.startswith("第二篇")


def test_every_tier_and_kind_is_represented(catalog: Catalog) -> None:
    tiers = Counter(i.tier for i in catalog)
    assert set(tiers) == {"village", "township", "county"}
    assert set(Counter(i.kind for i in catalog)) == {"immediate", "promised"}
    # roughly a third handled below the county
    assert 0.25 <= (tiers["village"] + tiers["township"]) / len(catalog) <= 0.45


def test_joint_reviews_fees_and_tolerable_materials(catalog: Catalog) -> None:
    joint = [i for i in catalog if i.joint is not None]
    assert len(joint) >= 4
    assert any(i.joint is not None and i.joint.mode == "any" for i in joint)
    for name in (
        "《施工许可证》的初审",
        "搭建非永久性建筑物构筑物和其它立面装修审核、会签",
        "饲养家禽、家畜<会签>",
    ):
        j = _by_name(catalog, name).joint
        assert j is not None and j.mode == "all"
    paid = [i for i in catalog if i.fee_fen > 0]
    assert len(paid) >= 3
    assert all(i.fee_basis.strip() for i in paid)
    assert sum(1 for i in catalog if i.materials_of("tolerable")) >= 5
    assert sum(1 for i in catalog if i.proxy_allowed) > len(catalog) / 2


def test_time_limits_are_consistent(catalog: Catalog) -> None:
    for item in catalog:
        if item.kind == "immediate":
            assert item.promised_days == 0, item.code
        else:
            assert item.promised_days > 0, item.code
        if item.legal_days is not None:
            assert item.legal_days >= item.promised_days, item.code
        assert re.search(r"《[^》]+》", item.legal_basis), item.code


def test_every_department_exists_in_the_shipped_org_tree(catalog: Catalog, org: OrgTree) -> None:
    assert catalog.validate_against(org) == []
    assert catalog.validate_against(org, raise_errors=True) == []
    for key in catalog.department_keys():
        assert org.department(key).kind == "department"


def test_item_code_prefix_matches_the_department_code(catalog: Catalog, org: OrgTree) -> None:
    for item in catalog:
        prefix = item.code.split("-")[0]
        assert org.department(item.department).code == "D" + prefix, item.code
