"""Invalid org trees are rejected with errors naming the node."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from shared.org import OrgError, OrgNode, OrgTree, load_org, parse_org

NODES: list[dict[str, Any]] = [
    {"id": "c01", "code": "C01", "name": "示范县", "kind": "county", "parent": None, "region_code": "511199"},
    {"id": "c01.t01", "code": "T01", "name": "柳新镇", "kind": "township", "parent": "c01"},
    {"id": "c01.t01.v01", "code": "T01V01", "name": "柳新村", "kind": "village", "parent": "c01.t01"},
    {
        "id": "c01.d.civil-affairs",
        "code": "DMZ",
        "name": "民政局",
        "kind": "department",
        "parent": "c01",
        "key": "civil-affairs",
    },
]


def nodes(*extra: dict[str, Any], drop: str | None = None) -> list[dict[str, Any]]:
    out = [copy.deepcopy(n) for n in NODES if n["id"] != drop]
    out.extend(extra)
    return out


def rejected(node_list: list[dict[str, Any]]) -> OrgError:
    with pytest.raises(OrgError) as info:
        parse_org({"version": 1, "nodes": node_list}, source="org.yaml")
    return info.value


def test_base_tree_is_valid() -> None:
    tree = parse_org({"version": 1, "nodes": nodes()})
    assert len(tree) == 4


def test_duplicate_code() -> None:
    err = rejected(
        nodes({"id": "c01.t02", "code": "T01", "name": "张集镇", "kind": "township", "parent": "c01"})
    )
    assert err.node_id == "c01.t02"
    assert "'c01.t02'" in str(err) and "'T01'" in str(err) and "'c01.t01'" in str(err)


def test_duplicate_id() -> None:
    err = rejected(
        nodes({"id": "c01.t01", "code": "T09", "name": "重复镇", "kind": "township", "parent": "c01"})
    )
    assert err.node_id == "c01.t01"
    assert "duplicate id" in str(err)


def test_duplicate_department_key() -> None:
    err = rejected(
        nodes(
            {
                "id": "c01.d.civil-affairs",
                "code": "DMZ2",
                "name": "民政局二",
                "kind": "department",
                "parent": "c01",
                "key": "civil-affairs",
            }
        )
    )
    assert err.node_id == "c01.d.civil-affairs"


def test_village_under_county() -> None:
    err = rejected(
        nodes({"id": "c01.v09", "code": "V09", "name": "孤村", "kind": "village", "parent": "c01"})
    )
    assert err.node_id == "c01.v09"
    assert "village must be under a township" in str(err)


def test_township_under_township() -> None:
    err = rejected(
        nodes({"id": "c01.t01.t02", "code": "T02", "name": "张集镇", "kind": "township", "parent": "c01.t01"})
    )
    assert err.node_id == "c01.t01.t02"
    assert "township must be under a county" in str(err)


def test_missing_parent() -> None:
    err = rejected(nodes(drop="c01.t01"))
    assert err.node_id == "c01.t01.v01"
    assert "parent 'c01.t01' does not exist" in str(err)


def test_id_prefix_must_match_parent() -> None:
    err = rejected(
        nodes(
            {"id": "c01.t02.v01", "code": "T02V01", "name": "张集村", "kind": "village", "parent": "c01.t01"}
        )
    )
    assert err.node_id == "c01.t02.v01"
    assert "'c01.t02.v01'" in str(err) and "parent id" in str(err)
    err = rejected(
        nodes(
            {"id": "c01.t01.x.v01", "code": "T01V09", "name": "深村", "kind": "village", "parent": "c01.t01"}
        )
    )
    assert err.node_id == "c01.t01.x.v01"
    err = rejected(nodes({"id": "c01.d", "code": "T09", "name": "怪镇", "kind": "township", "parent": "c01"}))
    assert "reserved for departments" in str(err)
    err = rejected(
        nodes(
            {
                "id": "c01.d.tax",
                "code": "DSW",
                "name": "税务局",
                "kind": "department",
                "parent": "c01",
                "key": "taxes",
            }
        )
    )
    assert err.node_id == "c01.d.tax"


def test_exactly_one_county() -> None:
    err = rejected(nodes({"id": "c02", "code": "C02", "name": "邻县", "kind": "county", "parent": None}))
    assert "exactly one county" in str(err)
    assert "'c02'" in str(err)
    err = rejected([n for n in nodes() if n["kind"] != "county"])
    assert "exactly one county, found 0" in str(err)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"code": "t01"}, "code"),
        ({"code": "TOOLONGCODE"}, "code"),
        ({"id": "C01.T01"}, "id"),
        ({"id": "c01..t01"}, "id"),
        ({"name": " "}, "name"),
        ({"kind": "province"}, "kind"),
        ({"key": "civil-affairs"}, "key"),
        ({"region_code": "511199"}, "region_code"),
        ({"parent": None}, "parent"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_invalid_node_fields(changes: dict[str, Any], field: str) -> None:
    bad = copy.deepcopy(NODES[1])
    bad.update(changes)
    err = rejected([NODES[0], bad])
    assert err.node_id == bad["id"]
    assert f"org node {bad['id']!r}" in str(err)
    assert f"field {field!r}" in str(err)


def test_county_checks() -> None:
    with pytest.raises(ValidationError, match="6-digit"):
        OrgNode(id="c01", code="C01", name="县", kind="county", parent=None, region_code="5111")
    with pytest.raises(ValidationError, match="no parent"):
        OrgNode(id="c01", code="C01", name="县", kind="county", parent="x")
    with pytest.raises(ValidationError, match="single segment"):
        OrgNode(id="c01.x", code="C01", name="县", kind="county", parent=None)
    with pytest.raises(ValidationError, match="needs its catalog key"):
        OrgNode(id="c01.d.tax", code="DSW", name="税务局", kind="department", parent="c01")


def test_tree_constructor_directly() -> None:
    county = OrgNode(id="c01", code="C01", name="示范县", kind="county", parent=None)
    village = OrgNode(id="c01.t01.v01", code="T01V01", name="柳新村", kind="village", parent="c01.t01")
    with pytest.raises(OrgError, match="does not exist"):
        OrgTree([county, village])


def test_bad_documents(tmp_path: Path) -> None:
    bad_documents: list[Any] = [
        None,
        [],
        {"version": 2, "nodes": NODES},
        {"version": 1},
        {"version": 1, "nodes": []},
        {"version": 1, "nodes": NODES, "extra": True},
    ]
    for bad in bad_documents:
        with pytest.raises(OrgError):
            parse_org(bad)
    with pytest.raises(OrgError, match="must be a mapping"):
        parse_org({"version": 1, "nodes": [*NODES, "x"]})
    with pytest.raises(OrgError, match="cannot read"):
        load_org(tmp_path / "nope.yaml")
    dup = tmp_path / "dup.yaml"
    dup.write_text("version: 1\nversion: 1\nnodes: []\n", encoding="utf-8")
    with pytest.raises(OrgError, match="duplicate key 'version'"):
        load_org(dup)
    unquoted = tmp_path / "unquoted.yaml"
    unquoted.write_text(
        "version: 1\nnodes:\n  - {id: c01, code: C01, name: 示范县, kind: county, parent: null, region_code: 511199}\n",
        encoding="utf-8",
    )
    with pytest.raises(OrgError) as info:
        load_org(unquoted)
    assert "'c01'" in str(info.value) and "region_code" in str(info.value)
