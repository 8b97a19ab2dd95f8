"""Plain-Chinese labels and one-line descriptions of case events, for timelines and replays."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from shared.case.evaluation import RATING_ZH
from shared.case.guards import STATUS_ZH
from shared.case.state import Status

EVENT_LABELS: dict[str, str] = {
    "CaseSubmitted": "收件",
    "OneTimeNoticeIssued": "一次性告知",
    "MaterialsSupplemented": "补正材料",
    "CaseAccepted": "受理",
    "CaseRefused": "不予受理",
    "CaseRouted": "分派",
    "RoutingFailed": "分派失败",
    "CaseClaimed": "认领",
    "CaseEscalated": "上报",
    "CaseReturned": "退回",
    "CaseDecided": "作出决定",
    "ResultIssued": "出件",
    "ResultDelivered": "送达",
    "CaseClosed": "办结归档",
    "CaseEvaluated": "评价",
}

PURPOSE_ZH = {
    "intake": "受理后分派",
    "escalation": "上报",
    "return": "退回",
    "transfer": "转办",
    "delivery": "结果回传",
}
DELIVERY_ZH = {"in_person": "本人领取", "proxy": "代办员代领", "mail": "邮寄", "online": "网上送达"}

NodeName = Callable[[str], str]
Describer = Callable[[dict[str, Any], NodeName], str]


def _materials(p: dict[str, Any], key: str) -> str:
    return "、".join(p.get(key) or ()) or "无"


DESCRIBERS: dict[str, Describer] = {
    "CaseSubmitted": lambda p, n: f"{n(p['node_id'])}收件：{p['item']['name']}（{p['case_number']}）",
    "OneTimeNoticeIssued": lambda p, n: f"一次性告知需补正材料：{_materials(p, 'missing')}",
    "MaterialsSupplemented": lambda p, n: f"补正材料：{_materials(p, 'materials')}",
    "CaseAccepted": lambda p, n: (
        f"受理，办理时限至{p['deadline']}"
        + (f"（容缺材料：{_materials(p, 'tolerated_missing')}）" if p.get("tolerated_missing") else "")
    ),
    "CaseRefused": lambda p, n: (
        f"不予受理：{p['reason']}" + (f"（依据：{p['legal_basis']}）" if p.get("legal_basis") else "")
    ),
    "CaseRouted": lambda p, n: f"{PURPOSE_ZH.get(p['purpose'], p['purpose'])}至{n(p['to_node'])}",
    "RoutingFailed": lambda p, n: f"分派失败：{p['reason']}",
    "CaseClaimed": lambda p, n: f"{p['operator_id']}认领办件（首问负责）",
    "CaseEscalated": lambda p, n: f"{n(p['from_node'])}上报：{p['reason']}",
    "CaseReturned": lambda p, n: f"{n(p['from_node'])}退回至{n(p['to_node'])}：{p['reason']}",
    "CaseDecided": lambda p, n: (
        ("准予批准" if p["outcome"] == "approved" else "不予批准")
        + (f"：{p['reason']}" if p.get("reason") else "")
    ),
    "ResultIssued": lambda p, n: f"出件：{p['result']}，送{n(p['deliver_at'])}",
    "ResultDelivered": lambda p, n: (
        f"送达（{DELIVERY_ZH.get(p['method'], p['method'])}）"
        + (f"，签收人{p['recipient']}" if p.get("recipient") else "")
    ),
    "CaseClosed": lambda p, n: "办结归档",
    "CaseEvaluated": lambda p, n: (
        f"评价：{RATING_ZH.get(p['rating'], p['rating'])}"
        + (f"（{p['comment']}）" if p.get("comment") else "")
    ),
}


def label(event_type: str) -> str:
    return EVENT_LABELS.get(event_type, event_type)


def describe(event_type: str, payload: dict[str, Any], node_name: NodeName) -> str:
    fn = DESCRIBERS.get(event_type)
    if fn is None:
        return label(event_type)
    try:
        return fn(payload, node_name)
    except (KeyError, TypeError):
        return label(event_type)


def status_label(status: Status | str) -> str:
    return STATUS_ZH.get(Status(status), str(status))
