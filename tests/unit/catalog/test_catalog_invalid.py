"""Invalid catalogs are rejected with errors that name the item and the field."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from shared.catalog import Catalog, CatalogError, JointReview, ServiceItem, load_catalog, parse_catalog
from shared.org import OrgNode, OrgTree

BASE: dict[str, Any] = {
    "code": "MZ-001",
    "name": "社团审批",
    "department": "civil-affairs",
    "tier": "county",
    "kind": "promised",
    "promised_days": 20,
    "legal_days": 60,
    "legal_basis": "《社会团体登记管理条例》",
    "materials": [
        {"code": "m1", "name": "登记申请书", "kind": "required"},
        {"code": "m2", "name": "住所证明", "kind": "tolerable", "note": "可后补"},
    ],
}


def item(**changes: Any) -> dict[str, Any]:
    out = copy.deepcopy(BASE)
    for key, value in changes.items():
        if value is None and key in out and key != "legal_days":
            del out[key]
        else:
            out[key] = value
    return out


def doc(*items: dict[str, Any]) -> dict[str, Any]:
    return {"version": 1, "items": list(items)}


def rejected(*items: dict[str, Any]) -> CatalogError:
    with pytest.raises(CatalogError) as info:
        parse_catalog(doc(*items), source="test.yaml")
    return info.value


def test_base_item_is_valid() -> None:
    catalog = parse_catalog(doc(item(), item(code="MZ-002", name="民办非企业单位审批")))
    assert len(catalog) == 2


def test_duplicate_code() -> None:
    err = rejected(item(), item(name="另一个"))
    assert "'MZ-001'" in str(err)
    assert "duplicate item code (entry #2, first at #1)" in str(err)
    assert [(p.code, p.field) for p in err.problems] == [("MZ-001", "code")]


def test_promised_with_zero_days() -> None:
    err = rejected(item(code="MZ-007", promised_days=0, legal_days=None))
    assert [(p.code, p.field) for p in err.problems] == [("MZ-007", "promised_days")]
    assert "promised_days > 0" in str(err)


def test_immediate_with_days() -> None:
    err = rejected(item(code="TJ-003", kind="immediate", promised_days=3))
    assert [(p.code, p.field) for p in err.problems] == [("TJ-003", "promised_days")]
    assert "immediate" in str(err)


def test_legal_days_shorter_than_promised() -> None:
    err = rejected(item(legal_days=10))
    assert [(p.code, p.field) for p in err.problems] == [("MZ-001", "legal_days")]


def test_unknown_material_kind() -> None:
    bad = item(materials=[{"code": "m1", "name": "申请书", "kind": "mandatory"}])
    err = rejected(bad)
    assert err.problems[0].code == "MZ-001"
    assert err.problems[0].field == "materials[0].kind"
    assert "materials[0].kind" in str(err)


def test_no_required_material_and_duplicate_material_codes() -> None:
    err = rejected(item(materials=[{"code": "m1", "name": "照片", "kind": "tolerable"}]))
    assert err.problems[0].field == "materials"
    assert "required" in err.problems[0].message
    err = rejected(
        item(
            materials=[
                {"code": "m1", "name": "申请书", "kind": "required"},
                {"code": "m1", "name": "身份证", "kind": "required"},
            ]
        )
    )
    assert "m1" in err.problems[0].message


def test_fee_without_basis() -> None:
    err = rejected(item(code="CG-002", fee_fen=20000))
    assert [(p.code, p.field) for p in err.problems] == [("CG-002", "fee_basis")]
    assert "fee_basis" in str(err)
    ok = parse_catalog(doc(item(code="CG-002", fee_fen=20000, fee_basis="省物价局核定标准")))
    assert ok.get("CG-002").fee_fen == 20000


def test_negative_fee() -> None:
    err = rejected(item(fee_fen=-1, fee_basis="x"))
    assert err.problems[0].field == "fee_fen"


def test_joint_with_fewer_than_two_departments() -> None:
    joint = {"kind": "parallel_approval", "mode": "all", "departments": ["planning"]}
    err = rejected(item(code="ZJ-001", department="construction", joint=joint))
    assert [(p.code, p.field) for p in err.problems] == [("ZJ-001", "joint.departments")]
    assert "at least 2" in str(err)


def test_joint_including_the_lead_department() -> None:
    joint = {"kind": "parallel_approval", "mode": "all", "departments": ["civil-affairs", "planning"]}
    err = rejected(item(joint=joint))
    assert [(p.code, p.field) for p in err.problems] == [("MZ-001", "joint")]
    assert "lead department" in str(err)


def test_joint_bad_mode_and_repeated_department() -> None:
    with pytest.raises(ValidationError):
        JointReview(kind="parallel_approval", mode="some", departments=("a", "b"))
    with pytest.raises(ValidationError, match="twice"):
        JointReview(kind="parallel_approval", mode="all", departments=("tax", "tax"))


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"code": "mz-001"}, "code"),
        ({"code": "MZ-1"}, "code"),
        ({"name": "  "}, "name"),
        ({"department": "Civil Affairs"}, "department"),
        ({"tier": "province"}, "tier"),
        ({"kind": "later"}, "kind"),
        ({"legal_basis": ""}, "legal_basis"),
        ({"materials": []}, "materials"),
        ({"colour": "red"}, "colour"),
        ({"procedure": ["受理", " "]}, "procedure"),
    ],
)
def test_other_invalid_fields(changes: dict[str, Any], field: str) -> None:
    err = rejected(item(**changes))
    assert any(p.field == field for p in err.problems), err.problems


def test_missing_required_field() -> None:
    err = rejected(item(legal_basis=None))
    assert [(p.code, p.field) for p in err.problems] == [("MZ-001", "legal_basis")]


def test_all_problems_are_reported_at_once() -> None:
    err = rejected(item(code="MZ-001", promised_days=0, legal_days=None), item(code="MZ-002", fee_fen=5))
    assert {(p.code, p.field) for p in err.problems} == {("MZ-001", "promised_days"), ("MZ-002", "fee_basis")}
    assert "2 problem(s)" in str(err)


def test_item_without_code_is_named_by_position() -> None:
    err = rejected(item(), item(code=None))
    assert err.problems[0].code == "#2"


def test_bad_document_shape() -> None:
    bad_documents: list[Any] = [
        None,
        [],
        {"version": 2, "items": [item()]},
        {"version": 1},
        {"version": 1, "items": []},
        {"version": 1, "items": [item()], "extra": 1},
    ]
    for bad in bad_documents:
        with pytest.raises(CatalogError):
            parse_catalog(bad)
    with pytest.raises(CatalogError, match="must be a mapping"):
        parse_catalog(doc(item(), "not an item"))  # type: ignore[arg-type]


def test_yaml_file_errors(tmp_path: Path) -> None:
    missing = tmp_path / "missing.yaml"
    with pytest.raises(CatalogError, match="cannot read"):
        load_catalog(missing)
    broken = tmp_path / "broken.yaml"
    broken.write_text("version: 1\nitems: [\n", encoding="utf-8")
    with pytest.raises(CatalogError, match="not valid YAML"):
        load_catalog(broken)
    dup = tmp_path / "dup.yaml"
    dup.write_text("version: 1\nitems:\n  - code: MZ-001\n    code: MZ-002\n    name: x\n", encoding="utf-8")
    with pytest.raises(CatalogError, match="duplicate key 'code'"):
        load_catalog(dup)


def test_yaml_file_invalid_item_names_file_item_and_field(tmp_path: Path) -> None:
    path = tmp_path / "catalog.yaml"
    path.write_text(
        """
version: 1
items:
  - code: WJ-001
    name: 为流动人口办理《流动人口婚育证明》
    department: health
    tier: township
    kind: immediate
    promised_days: 2
    legal_basis: 《流动人口计划生育工作条例》
    materials: [{code: m1, name: 居民身份证, kind: required}]
""",
        encoding="utf-8",
    )
    with pytest.raises(CatalogError) as info:
        load_catalog(path)
    message = str(info.value)
    assert str(path) in message
    assert "'WJ-001'" in message
    assert "'promised_days'" in message


def _org(*department_keys: str) -> OrgTree:
    nodes = [OrgNode(id="c01", code="C01", name="示范县", kind="county", parent=None)]
    for n, key in enumerate(department_keys):
        nodes.append(
            OrgNode(id=f"c01.d.{key}", code=f"D{n:02d}", name=key, kind="department", parent="c01", key=key)
        )
    return OrgTree(nodes)


def test_validate_against_reports_unknown_departments() -> None:
    joint = {"kind": "parallel_approval", "mode": "all", "departments": ["planning", "environment"]}
    catalog = Catalog(
        [
            ServiceItem.model_validate(item()),
            ServiceItem.model_validate(item(code="ZJ-001", department="construction", joint=joint)),
        ]
    )
    org = _org("civil-affairs", "planning")
    problems = catalog.validate_against(org)
    assert [(p.code, p.field) for p in problems] == [
        ("ZJ-001", "department"),
        ("ZJ-001", "joint.departments"),
    ]
    assert "'construction'" in str(problems[0])
    assert "'environment'" in str(problems[1])
    with pytest.raises(CatalogError) as info:
        catalog.validate_against(org, raise_errors=True)
    assert "ZJ-001" in str(info.value)
    assert len(info.value.problems) == 2
    assert catalog.validate_against(_org("civil-affairs", "planning", "construction", "environment")) == []


def test_validate_against_ignores_non_department_nodes_with_same_name() -> None:
    # A township id is not a department key.
    org = OrgTree(
        [
            OrgNode(id="c01", code="C01", name="示范县", kind="county", parent=None),
            OrgNode(id="c01.t01", code="T01", name="柳新镇", kind="township", parent="c01"),
        ]
    )
    catalog = Catalog([ServiceItem.model_validate(item(department="t01"))])
    assert [p.field for p in catalog.validate_against(org)] == ["department"]
