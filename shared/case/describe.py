"""Plain-Chinese labels and one-line descriptions of case events, for timelines and replays."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from contextvars import ContextVar
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
    "CaseClosed": "归档",
    "CaseEvaluated": "评价",
    "CaseTransferred": "转办",
    "CaseHandedOver": "移交",
    "CaseWithdrawn": "撤回",
    "JointReviewRequested": "发起联合审查",
    "JointReviewDispatched": "联合审查分发",
    "JointOpinionRecorded": "部门审查意见",
    "JointReviewConcluded": "联合审查结论",
    "FastTrackFlagged": "快速通道",
    "CaseSuspended": "特别程序（中止）",
    "CaseResumed": "恢复办理",
    "ExtensionRequested": "申请延期",
    "ExtensionGranted": "准予延期",
    "ExtensionDenied": "不予延期",
    "DeadlineWarned": "预警（黄牌）",
    "DeadlineMissed": "超期（红牌）",
    "FeeAssessed": "核定收费",
    "FeePaid": "缴费",
    "RectificationOpened": "整改",
    "RectificationCompleted": "整改完成",
    "FollowUpRecorded": "回访",
    "ComplaintFiled": "投诉",
    "ComplaintResolved": "投诉办结",
    "SupervisionOrdered": "督办",
    "SupervisionAnswered": "督办答复",
}

PROCEDURE_ZH = {
    "expert_review": "专家评审",
    "field_survey": "现场勘查",
    "hearing": "听证",
    "public_notice": "公示",
}
TARGET_ZH = {"case": "办件", "rectification": "整改", "supervision": "督办"}

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
_material_names: ContextVar[Mapping[str, str] | None] = ContextVar("material_names", default=None)


def _name(code: str) -> str:
    return (_material_names.get() or {}).get(code, code)


def _materials(p: dict[str, Any], key: str) -> str:
    return "、".join(_name(code) for code in p.get(key) or ()) or "无"


DESCRIBERS: dict[str, Describer] = {
    "CaseSubmitted": lambda p, n: f"{n(p['node_id'])}收件：{p['item']['name']}（{p['case_number']}）",
    "OneTimeNoticeIssued": lambda p, n: (
        f"一次性告知需补正材料：{_materials(p, 'missing')}"
        + "".join(f"；{_name(code)}：{why}" for code, why in (p.get("defective") or {}).items())
    ),
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
    "ResultIssued": lambda p, n: f"办结出件：{p['result']}，送{n(p['deliver_at'])}",
    "ResultDelivered": lambda p, n: (
        f"送达（{DELIVERY_ZH.get(p['method'], p['method'])}）"
        + (f"，签收人{p['recipient']}" if p.get("recipient") else "")
    ),
    "CaseClosed": lambda p, n: "归档",
    "CaseTransferred": lambda p, n: f"{n(p['from_node'])}转办至{p['to_department']}：{p['reason']}",
    "CaseHandedOver": lambda p, n: (
        f"{p['from_operator']}移交{p['to_operator']}" + (f"：{p['reason']}" if p.get("reason") else "")
    ),
    "CaseWithdrawn": lambda p, n: f"申请人撤回：{p['reason']}",
    "JointReviewRequested": lambda p, n: (
        f"发起{'会签' if p['mode'] == 'all' else '或签'}：" + "、".join(p["departments"])
    ),
    "JointReviewDispatched": lambda p, n: "分发至" + "、".join(n(v) for v in p["reviewers"].values()),
    "JointOpinionRecorded": lambda p, n: (
        f"{n(p['node_id'])}{'同意' if p['approve'] else '不同意'}"
        + (f"：{p['opinion']}" if p.get("opinion") else "")
        + ("（逾期意见，不影响结论）" if p.get("late") else "")
    ),
    "JointReviewConcluded": lambda p, n: "联合审查" + ("通过" if p["result"] == "approved" else "未通过"),
    "FastTrackFlagged": lambda p, n: f"开通快速通道：{p['reason']}",
    "CaseSuspended": lambda p, n: (
        f"启动特别程序（{PROCEDURE_ZH.get(p['procedure'], p['procedure'])}），时限中止：{p['reason']}"
    ),
    "CaseResumed": lambda p, n: f"恢复办理，中止{p['paused_workdays']}个工作日，时限至{p['deadline']}",
    "ExtensionRequested": lambda p, n: f"申请延期{p['days']}个工作日：{p['reason']}",
    "ExtensionGranted": lambda p, n: f"准予延期{p['days']}个工作日，时限至{p['deadline']}",
    "ExtensionDenied": lambda p, n: "不予延期" + (f"：{p['note']}" if p.get("note") else ""),
    "DeadlineWarned": lambda p, n: (
        f"{TARGET_ZH.get(p['target'], p['target'])}即将到期（{p['due']}），黄牌预警"
    ),
    "DeadlineMissed": lambda p, n: f"{TARGET_ZH.get(p['target'], p['target'])}已超期（{p['due']}），红牌",
    "FeeAssessed": lambda p, n: f"核定收费{p['amount_fen'] / 100:.2f}元（{p['basis']}）",
    "FeePaid": lambda p, n: f"缴费{p['amount_fen'] / 100:.2f}元，收据号{p['receipt_no']}",
    "RectificationOpened": lambda p, n: f"差评整改：{n(p['node_id'])}须于{p['due']}前整改（{p['reason']}）",
    "RectificationCompleted": lambda p, n: f"整改完成：{p['measures']}",
    "FollowUpRecorded": lambda p, n: (
        "回访："
        + ("群众满意" if p["satisfied"] else "群众仍不满意")
        + (f"（{p['note']}）" if p.get("note") else "")
    ),
    "ComplaintFiled": lambda p, n: (
        f"投诉{n(p['against_node'])}"
        + (f"（{p['against_operator']}）" if p.get("against_operator") else "")
        + f"：{p['content']}"
    ),
    "ComplaintResolved": lambda p, n: ("投诉属实：" if p["substantiated"] else "投诉不属实：") + p["finding"],
    "SupervisionOrdered": lambda p, n: f"督办{n(p['node_id'])}：{p['instruction']}（{p['due']}前）",
    "SupervisionAnswered": lambda p, n: f"督办答复：{p['response']}",
    "CaseEvaluated": lambda p, n: (
        f"评价：{RATING_ZH.get(p['rating'], p['rating'])}"
        + (f"（{p['comment']}）" if p.get("comment") else "")
    ),
}


def label(event_type: str) -> str:
    return EVENT_LABELS.get(event_type, event_type)


def describe(
    event_type: str,
    payload: dict[str, Any],
    node_name: NodeName,
    material_names: Mapping[str, str] | None = None,
) -> str:
    """One line in plain Chinese; materials are named when ``material_names`` (code → name, from
    the case's item terms) is given."""
    fn = DESCRIBERS.get(event_type)
    if fn is None:
        return label(event_type)
    token = _material_names.set(material_names or {})
    try:
        return fn(payload, node_name)
    except (KeyError, TypeError):
        return label(event_type)
    finally:
        _material_names.reset(token)


def material_names_of(payloads: Iterable[tuple[str, dict[str, Any]]]) -> dict[str, str]:
    """The material names a case was submitted under, from its (type, payload) history."""
    for event_type, payload in payloads:
        if event_type == "CaseSubmitted":
            return dict(payload.get("item", {}).get("material_names") or {})
    return {}


def status_label(status: Status | str) -> str:
    return STATUS_ZH.get(Status(status), str(status))
