"""The handling actions an operator can take on a case, one per core command.

Each action's request body is derived from its command's own fields (minus ``case_id``, ``at``
and ``actor``, which the service fills in), so a command's validation rules are the API's. Adding
a command to the workbench is one line here; the routes, the "allowed now?" probe and the
OpenAPI schema follow.
"""

from __future__ import annotations

import typing
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, create_model
from pydantic.fields import FieldInfo

from shared.case import (
    AnswerSupervisionOrder,
    AssessFee,
    CaseState,
    ClaimCase,
    CloseCase,
    Command,
    CompleteRectification,
    Context,
    DecideCase,
    DecideExtension,
    DeliverResult,
    DomainError,
    EscalateCase,
    EvaluateCase,
    FileComplaint,
    FlagFastTrack,
    HandOverCase,
    IssueResult,
    IssueSupervisionOrder,
    PayFee,
    RecordFollowUp,
    RecordOpinion,
    RequestExtension,
    RequestJointReview,
    ResolveComplaint,
    ResumeCase,
    ReturnCase,
    SuspendCase,
    TransferCase,
    WithdrawCase,
)
from shared.case.kernel import decide
from shared.events import Actor

BASE_FIELDS = {"case_id", "at", "actor"}


@dataclass(frozen=True)
class Action:
    name: str  # the URL segment
    label: str  # the button in Chinese
    command: type[Command]
    generated: dict[str, str] = field(default_factory=dict)  # field -> id prefix, filled by the service
    sample: dict[str, Any] = field(
        default_factory=dict
    )  # values to ask the core "would you accept this now?"

    @property
    def body(self) -> type[BaseModel]:
        return _bodies[self.name]

    def command_for(self, state: CaseState, actor: Actor, at: datetime, fields: dict[str, Any]) -> Command:
        values = dict(fields)
        for name, prefix in self.generated.items():
            values.setdefault(name, f"{prefix}-{uuid.uuid4().hex[:12]}")
        return self.command(case_id=state.case_id, at=at, actor=actor, **values)


ACTIONS: dict[str, Action] = {
    a.name: a
    for a in [
        Action("claim", "认领", ClaimCase),
        Action("hand-over", "移交同事", HandOverCase),
        Action("escalate", "上报", EscalateCase),
        Action("return", "退回", ReturnCase),
        Action("transfer", "转办", TransferCase),
        Action("request-joint-review", "发起联合审查", RequestJointReview),
        Action("opinion", "提出审查意见", RecordOpinion),
        Action("fast-track", "开通快速通道", FlagFastTrack),
        Action("suspend", "启动特别程序", SuspendCase, sample={"procedure": "expert_review"}),
        Action("resume", "恢复办理", ResumeCase),
        Action("request-extension", "申请延期", RequestExtension),
        Action("decide-extension", "审批延期", DecideExtension),
        Action("decide", "作出决定", DecideCase, sample={"approved": True}),
        Action("assess-fee", "核定收费", AssessFee),
        Action("pay-fee", "登记缴费", PayFee),
        Action("issue-result", "办结出件", IssueResult),
        Action("deliver", "送达", DeliverResult),
        Action("close", "归档", CloseCase),
        Action("withdraw", "登记撤回", WithdrawCase),
        Action("evaluate", "录入评价", EvaluateCase, sample={"rating": 5}),
        Action("complete-rectification", "整改完成", CompleteRectification),
        Action("follow-up", "回访", RecordFollowUp),
        Action("complaint", "登记投诉", FileComplaint, generated={"complaint_id": "TS"}),
        Action("resolve-complaint", "投诉办结", ResolveComplaint),
        Action("supervision-order", "督办", IssueSupervisionOrder, generated={"order_id": "DB"}),
        Action("answer-order", "答复督办", AnswerSupervisionOrder),
    ]
}


class _BodyBase(BaseModel):
    model_config = ConfigDict(extra="forbid")
    expected_version: int | None = Field(
        default=None, ge=0, description="the case version the operator saw; a newer case gives 409"
    )


def _body_model(action: Action) -> type[BaseModel]:
    fields: dict[str, Any] = {}
    for name, info in action.command.model_fields.items():
        if name in BASE_FIELDS or name in action.generated:
            continue
        fields[name] = (info.annotation, FieldInfo.merge_field_infos(info))
    model_name = "".join(part.title() for part in action.name.split("-")) + "Body"
    return create_model(model_name, __base__=_BodyBase, **fields)


_bodies: dict[str, type[BaseModel]] = {a.name: _body_model(a) for a in ACTIONS.values()}


def body_is_optional(action: Action) -> bool:
    return all(not f.is_required() for f in action.body.model_fields.values())


def _sample_value(annotation: Any, info: FieldInfo) -> Any:
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) is typing.Literal:
        return args[0]
    if annotation is bool:
        return True
    if annotation is int:
        floor = next((m.ge for m in info.metadata if hasattr(m, "ge")), 1)
        return max(1, floor)
    if annotation is date:
        return date.today() + timedelta(days=30)
    return "-"


def probe(
    action: Action, state: CaseState, actor: Actor, at: datetime, ctx: Context
) -> tuple[bool, str | None]:
    """Would the core take this action now? Asked of the core itself, with placeholder values."""
    sample = dict(action.sample)
    for name, info in action.body.model_fields.items():
        if name != "expected_version" and info.is_required() and name not in sample:
            sample[name] = _sample_value(info.annotation, info)
    try:
        return bool(decide(state, action.command_for(state, actor, at, sample), ctx)), None
    except DomainError as exc:
        return False, exc.message
    except ValueError:
        return False, None
