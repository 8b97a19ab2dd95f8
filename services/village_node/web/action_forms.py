"""Forms for the case page's action buttons, derived from each action's request body (itself derived
from the core command), so a new action gets its form without touching the workbench."""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from shared.case.describe import DELIVERY_ZH
from shared.case.evaluation import RATING_ZH
from shared.org import OrgTree

LABELS = {
    "reason": "理由",
    "approved": "决定",
    "approve": "是否同意",
    "result": "办理结果（证照或文书名称、编号）",
    "method": "送达方式",
    "recipient": "签收人",
    "rating": "满意度",
    "comment": "评价意见",
    "opinion": "审查意见",
    "to_department": "转办至部门",
    "to_operator": "移交给（同事账号）",
    "procedure": "特别程序",
    "expected_days": "预计工作日",
    "days": "延长工作日",
    "note": "说明",
    "basis": "收费依据",
    "receipt_no": "缴费票据号",
    "measures": "整改措施",
    "satisfied": "回访是否满意",
    "content": "投诉内容",
    "against_node": "被投诉节点",
    "against_operator": "被投诉人员",
    "complaint_id": "投诉编号",
    "substantiated": "是否属实",
    "finding": "处理结论",
    "due": "期限",
    "instruction": "督办要求",
    "order_id": "督办编号",
    "response": "答复",
}
CHOICES: dict[str, dict[str, str]] = {
    "method": DELIVERY_ZH,
    "procedure": {
        "expert_review": "专家评审",
        "field_survey": "现场勘查",
        "hearing": "听证",
        "public_notice": "公示",
    },
    "approved": {"true": "准予批准", "false": "不予批准"},
    "rating": {str(k): v for k, v in sorted(RATING_ZH.items(), reverse=True)},
}
YES_NO = {"true": "是", "false": "否"}
LONG_TEXT = 100


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    widget: str  # text | textarea | number | date | select
    required: bool
    max_length: int | None = None
    options: list[tuple[str, str]] = field(default_factory=list)
    default: str = ""


def _max_length(info: FieldInfo) -> int | None:
    return next((m.max_length for m in info.metadata if getattr(m, "max_length", None)), None)


def _plain(annotation: Any) -> tuple[Any, bool]:
    """The annotation without ``| None``, and whether None was allowed."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return (args[0] if len(args) == 1 else annotation), True
    return annotation, False


def spec_for(name: str, info: FieldInfo, org: OrgTree) -> FieldSpec | None:
    kind, optional = _plain(info.annotation)
    label = LABELS.get(name, name)
    required = info.is_required() and not optional
    default = (
        ""
        if info.is_required() or info.default is None
        else str(info.default).lower()
        if isinstance(info.default, bool)
        else str(info.default)
    )
    if name in CHOICES:
        return FieldSpec(
            name, label, "select", required, options=list(CHOICES[name].items()), default=default
        )
    if name == "to_department":
        return FieldSpec(
            name, label, "select", required, options=[(d.key or "", d.name) for d in org.departments()]
        )
    if typing.get_origin(kind) is typing.Literal:
        opts = [(str(a), str(a)) for a in typing.get_args(kind)]
        return FieldSpec(name, label, "select", required, options=opts, default=default)
    if kind is bool:
        return FieldSpec(name, label, "select", required, options=list(YES_NO.items()), default=default)
    if kind is int:
        return FieldSpec(name, label, "number", required, default=default)
    if kind is date:
        return FieldSpec(name, label, "date", required, default=default)
    if kind is str:
        limit = _max_length(info)
        widget = "textarea" if limit is None or limit > LONG_TEXT else "text"
        return FieldSpec(name, label, widget, required, limit, default=default)
    return None  # a field the workbench cannot render: the action is offered through the API only


def form_for(body: type[BaseModel], org: OrgTree) -> list[FieldSpec] | None:
    specs = []
    for name, info in body.model_fields.items():
        if name == "expected_version":
            continue
        spec = spec_for(name, info, org)
        if spec is None:
            return None
        specs.append(spec)
    return specs


def values_from(specs: list[FieldSpec], form: typing.Mapping[str, Any]) -> dict[str, Any]:
    """Form strings to field values; pydantic (the action's body model) validates them next."""
    out: dict[str, Any] = {}
    for spec in specs:
        raw = form.get(spec.name)
        if not isinstance(raw, str) or (raw == "" and not spec.required):
            continue
        out[spec.name] = raw
    return out
