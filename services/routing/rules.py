"""Where a case goes next: pure rules over the case, its item's terms and the org tree.

- after acceptance: village-tier items stay where they were accepted; township-tier items go to
  the accepting village's township; county-tier items go to the window of the owning department;
- escalation: one tier up inside the case's own township and county (village → township →
  the owning department's window); nothing is above a county window;
- return: back to the node that sent it (or the origin); transfer: to the named department;
- delivery: back to the node where the case was submitted;
- joint review: each department named by the item, at its window.
"""

from __future__ import annotations

from dataclasses import dataclass

from shared.case import CaseState
from shared.org import OrgTree


@dataclass(frozen=True)
class Route:
    to_node: str


@dataclass(frozen=True)
class Failure:
    code: str
    reason: str


Decision = Route | Failure


def target_for(state: CaseState, org: OrgTree) -> Decision:
    transit = state.transit
    if transit is None:
        return Failure("not_in_transit", "办件不在流转中")
    if state.origin_node not in org:
        return Failure("unknown_node", f"受理节点{state.origin_node}不在组织机构中")
    if transit.kind == "intake":
        return _handling_node(state, org)
    if transit.kind == "escalation":
        return _one_up(transit.from_node, state, org)
    if transit.kind == "transfer":
        return _department_node(transit.department or "", org, what="转办目标部门")
    target = transit.target or state.origin_node
    if target not in org:
        return Failure("unknown_node", f"目标节点{target}不在组织机构中")
    return Route(target)


def _handling_node(state: CaseState, org: OrgTree) -> Decision:
    origin = org.get(state.origin_node)
    tier = state.item.tier
    if tier == "village" or (tier == "township" and origin.kind == "township"):
        return Route(origin.id)
    if tier == "township":
        township = org.township_of(origin.id)
        if township is None:
            return Failure(
                "no_township", f"乡镇级事项“{state.item.name}”须在村或乡镇受理，{origin.name}不属于任何乡镇"
            )
        return Route(township.id)
    return _owning_department(state, org)


def _owning_department(state: CaseState, org: OrgTree) -> Decision:
    if not state.item.department:
        return Failure("no_department", f"事项“{state.item.name}”没有办理部门")
    return _department_node(state.item.department, org, what=f"事项“{state.item.name}”的办理部门")


def _department_node(key: str, org: OrgTree, what: str) -> Decision:
    if not key or not org.has_department(key):
        return Failure("no_department", f"{what}“{key or '未指定'}”不在组织机构中")
    return Route(org.department(key).id)


def _one_up(from_node: str | None, state: CaseState, org: OrgTree) -> Decision:
    if from_node is None or from_node not in org:
        return Failure("unknown_node", f"上报节点{from_node}不在组织机构中")
    node = org.get(from_node)
    if node.kind == "village":
        township = org.township_of(node.id)
        if township is None:
            return Failure("no_township", f"{node.name}不属于任何乡镇")
        return Route(township.id)
    if node.kind == "township":
        return _owning_department(state, org)
    return Failure("top_of_county", f"{node.name}已是县级窗口，无法再上报")


def reviewers_for(departments: tuple[str, ...], org: OrgTree) -> dict[str, str] | Failure:
    """Joint review fan-out: each named department's window, or a failure naming the missing ones."""
    missing = [d for d in departments if not org.has_department(d)]
    if missing:
        return Failure("no_department", f"联合审查部门“{'、'.join(missing)}”不在组织机构中")
    return {d: org.department(d).id for d in departments}
