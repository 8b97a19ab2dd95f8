"""Checks shared by the deciders, each raising a DomainError an operator can read."""

from __future__ import annotations

from shared.case.errors import conflict, forbidden, invalid
from shared.case.state import CaseState, Status
from shared.events import Actor

OPERATOR_ROLES = frozenset({"village_operator", "township_operator", "county_staff", "admin"})
SYSTEM_ROLE = "system"
SUPERVISION_ROLE = "supervision"

STATUS_ZH = {
    Status.SUBMITTED: "已收件待受理",
    Status.PENDING_SUPPLEMENT: "待补正",
    Status.ACCEPTED: "已受理待分派",
    Status.REFUSED: "不予受理",
    Status.HANDLING: "办理中",
    Status.DECIDED: "已作出决定",
    Status.RESULT_ISSUED: "已办结待送达",
    Status.DELIVERED: "已送达",
    Status.CLOSED: "已归档",
    Status.WITHDRAWN: "已撤回",
}


def require_operator(actor: Actor) -> None:
    if actor.role not in OPERATOR_ROLES:
        raise forbidden(
            "role_not_allowed",
            f"角色“{actor.role}”不能办理办件",
            f"role {actor.role!r} may not handle cases",
        )


def require_system(actor: Actor) -> None:
    if actor.role != SYSTEM_ROLE:
        raise forbidden("system_only", "此操作只能由分派服务执行", "only the routing service may do this")


def require_status(state: CaseState, *allowed: Status, action: str, action_en: str) -> None:
    if state.status not in allowed:
        raise conflict(
            "invalid_state",
            f"办件当前状态为“{STATUS_ZH[state.status]}”，不能{action}",
            f"cannot {action_en} a case that is {state.status.value}",
        )


def require_holder(state: CaseState, actor: Actor) -> None:
    require_operator(actor)
    if state.transit is not None or state.holder is None:
        raise conflict(
            "case_in_transit",
            "办件正在流转中，请待分派完成后再办理",
            "the case is being handed over; act after routing has placed it",
        )
    if state.holder != actor.node_id:
        raise forbidden(
            "case_not_held",
            "办件不在本节点，不能办理",
            f"node {actor.node_id} does not hold case {state.case_id}",
        )


def require_owner(state: CaseState, actor: Actor) -> None:
    require_holder(state, actor)
    if state.owner is None:
        raise conflict("case_not_claimed", "请先认领办件", "claim the case first")
    if state.owner != actor.operator_id:
        raise forbidden(
            "not_case_owner",
            f"办件已由{state.owner}认领（首问负责），不能代为办理",
            f"case is owned by {state.owner} (first-asked responsibility)",
        )


def require_text(value: str, field: str, zh: str) -> str:
    text = value.strip()
    if not text:
        raise invalid("reason_required", f"请填写{zh}", f"{field} is required", field=field)
    return text


def require_active(state: CaseState) -> None:
    """Handling steps wait while a special procedure (特别程序) has the case suspended."""
    if state.suspension is not None:
        raise conflict(
            "case_suspended",
            "办件处于特别程序中止期间，请先恢复办理",
            "the case is suspended for a special procedure; resume it first",
        )


def require_supervision(actor: Actor) -> None:
    if actor.role not in (SUPERVISION_ROLE, "admin"):
        raise forbidden("supervision_only", "此操作由督查科办理", "only the supervision office may do this")
