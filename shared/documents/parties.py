"""Who appears on a document: the issuing body (named as a citizen would know it), the applicant
(personal numbers masked), the agent of a proxy case."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from shared.case import CaseState, ItemTerms
from shared.catalog import ServiceItem
from shared.documents.formatting import mask
from shared.org import OrgTree

CHANNEL_ZH = {
    "village_room": "村便民服务室",
    "township_center": "乡镇便民服务中心",
    "county_window": "县政务服务中心窗口",
    "online": "网上申办",
    "hotline": "热线",
}


@dataclass(frozen=True)
class Reference:
    """Reference data a document needs besides the events: the org tree (names of the issuing
    bodies) and the item's catalog entry (legal basis, fee basis), when the catalog still has it."""

    org: OrgTree
    item: ServiceItem | None = None

    @property
    def county(self) -> str:
        return self.org.county.name

    def issuer(self, node_id: str | None) -> str:
        """柳新镇柳新村便民服务室, 柳新镇便民服务中心, 示范县民政局, 示范县政务服务中心."""
        if node_id is None or node_id not in self.org:
            return node_id or f"{self.county}政务服务中心"
        node = self.org.get(node_id)
        if node.kind == "village":
            township = self.org.township_of(node_id)
            return f"{township.name if township else ''}{node.name}便民服务室"
        if node.kind == "township":
            return f"{node.name}便民服务中心"
        if node.kind == "department":
            return f"{self.county}{node.name}"
        return f"{self.county}政务服务中心"

    def department(self, key: str) -> str:
        return f"{self.county}{self.org.department(key).name}" if self.org.has_department(key) else key

    @property
    def supervision_office(self) -> str:
        return f"{self.county}政务服务中心督查科"

    @property
    def review_body(self) -> str:
        return f"{self.county}人民政府"

    def legal_basis(self, terms: ItemTerms) -> str:
        """The basis frozen into the case at submission; the catalog's for cases older than that."""
        return terms.legal_basis or (self.item.legal_basis if self.item else "")

    def fee_basis(self, terms: ItemTerms) -> str:
        return terms.fee_basis or (self.item.fee_basis if self.item else "")


def applicant_view(state: CaseState) -> dict[str, Any]:
    a = state.applicant
    return {
        "name": a.name,
        "organization": a.organization or "",
        "id_number": mask(a.id_number, 6, 4),
        "phone": mask(a.phone, 3, 4),
    }


def case_view(state: CaseState, ref: Reference) -> dict[str, Any]:
    item = state.item
    return {
        "case_number": state.case_number,
        "item_name": item.name,
        "item_code": item.code,
        "department": ref.department(item.department),
        "channel": CHANNEL_ZH.get(state.channel, state.channel),
        "origin": ref.issuer(state.origin_node),
        "applicant": applicant_view(state),
        "proxy": (
            {"agent_id": state.proxy.agent_id, "mandate_ref": state.proxy.mandate_ref}
            if state.proxy
            else None
        ),
        "fast_track": state.fast_track,
        "legal_basis": ref.legal_basis(item),
    }


def names(state: CaseState, codes: tuple[str, ...] | list[str]) -> list[str]:
    return [state.item.material_name(c) for c in codes]


def in_catalog_order(state: CaseState, codes: set[str] | frozenset[str]) -> tuple[str, ...]:
    item = state.item
    return tuple(m for m in (*item.required, *item.tolerable, *item.optional) if m in codes)
