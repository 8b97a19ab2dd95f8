"""The catalog item's terms as frozen into a case at submission."""

from __future__ import annotations

from shared.case import ItemTerms, JointTerms
from shared.catalog import ServiceItem


def item_terms(item: ServiceItem) -> ItemTerms:
    by_kind: dict[str, list[str]] = {"required": [], "tolerable": [], "optional": []}
    for m in item.materials:
        by_kind[m.kind].append(m.code)
    joint = (
        JointTerms(kind=item.joint.kind, mode=item.joint.mode, departments=tuple(item.joint.departments))
        if item.joint
        else None
    )
    return ItemTerms(
        code=item.code,
        name=item.name,
        department=item.department,
        tier=item.tier,
        kind=item.kind,
        promised_days=item.promised_days,
        fee_fen=item.fee_fen,
        required=tuple(by_kind["required"]),
        tolerable=tuple(by_kind["tolerable"]),
        optional=tuple(by_kind["optional"]),
        material_names={m.code: m.name for m in item.materials},
        joint=joint,
        proxy_allowed=item.proxy_allowed,
        legal_basis=item.legal_basis,
        fee_basis=item.fee_basis,
    )
