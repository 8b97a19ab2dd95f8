"""Intake: submit (收件), one-time notice (一次性告知), supplement (补正), accept (受理), refuse."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import Field

from shared.case.errors import conflict, invalid
from shared.case.guards import require_holder, require_operator, require_status, require_text
from shared.case.kernel import Command, Context, DomainEvent, decider, evolver
from shared.case.state import Applicant, CaseState, Channel, ItemTerms, Status, Transit
from shared.clock import local_date
from shared.events import EventPayload, event, upcaster

# -- commands -------------------------------------------------------------------------------


class SubmitCase(Command):
    CREATES = True
    case_number: str = Field(min_length=1, max_length=40)
    item: ItemTerms
    applicant: Applicant
    channel: Channel
    provided: frozenset[str] = frozenset()
    auto_accept: bool = True


class SupplementMaterials(Command):
    provided: frozenset[str]


class AcceptCase(Command):
    pass


class RefuseCase(Command):
    reason: str = Field(max_length=500)
    legal_basis: str = Field(default="", max_length=300)


# -- events ---------------------------------------------------------------------------------


@event
class CaseSubmitted(EventPayload):
    TYPE = "CaseSubmitted"
    VERSION = 2
    case_number: str
    item: ItemTerms
    applicant: Applicant
    channel: Channel
    node_id: str
    provided: tuple[str, ...]


@upcaster("CaseSubmitted", 1)
def _submitted_v1_to_v2(d: dict[str, Any]) -> dict[str, Any]:
    """v1 stored the applicant as two flat fields and had no channel (all came via village rooms)."""
    name = d.pop("applicant_name")
    id_number = d.pop("applicant_id_number", None)
    d["applicant"] = {"name": name, "id_number": id_number}
    d.setdefault("channel", "village_room")
    return d


@event
class OneTimeNoticeIssued(EventPayload):
    TYPE = "OneTimeNoticeIssued"
    missing: tuple[str, ...]


@event
class MaterialsSupplemented(EventPayload):
    TYPE = "MaterialsSupplemented"
    materials: tuple[str, ...]


@event
class CaseAccepted(EventPayload):
    TYPE = "CaseAccepted"
    OPENS_TRANSIT = True
    deadline: date
    tolerated_missing: tuple[str, ...] = ()
    calendar_warnings: tuple[str, ...] = ()


@event
class CaseRefused(EventPayload):
    TYPE = "CaseRefused"
    reason: str
    legal_basis: str = ""


# -- rules ----------------------------------------------------------------------------------


def _check_known(item: ItemTerms, codes: frozenset[str], field: str) -> None:
    known = set(item.required) | set(item.tolerable) | set(item.optional)
    unknown = sorted(codes - known)
    if unknown:
        raise invalid(
            "unknown_material",
            f"事项“{item.name}”没有材料：{'、'.join(unknown)}",
            f"item {item.code} has no material {', '.join(unknown)}",
            field=field,
        )


def deadline_for(item: ItemTerms, accepted_on: date, ctx: Context) -> tuple[date, tuple[str, ...]]:
    """Immediate cases are due the same working day; promised ones N working days after acceptance."""
    if item.kind == "immediate":
        result = ctx.calendar.first_workday_on_or_after(accepted_on)
    else:
        result = ctx.calendar.add_workdays(accepted_on, item.promised_days)
    assert isinstance(result.value, date)
    return result.value, tuple(w.message_zh for w in result.warnings)


def _accepted(item: ItemTerms, provided: frozenset[str], cmd: Command, ctx: Context) -> CaseAccepted:
    deadline, warnings = deadline_for(item, local_date(cmd.at), ctx)
    tolerated = tuple(m for m in item.tolerable if m not in provided)
    return CaseAccepted(deadline=deadline, tolerated_missing=tolerated, calendar_warnings=warnings)


@decider(SubmitCase)
def submit(_: None, cmd: SubmitCase, ctx: Context) -> list[EventPayload]:
    require_operator(cmd.actor)
    _check_known(cmd.item, cmd.provided, "provided")
    ordered = tuple(
        m for m in (*cmd.item.required, *cmd.item.tolerable, *cmd.item.optional) if m in cmd.provided
    )
    events: list[EventPayload] = [
        CaseSubmitted(
            case_number=cmd.case_number,
            item=cmd.item,
            applicant=cmd.applicant,
            channel=cmd.channel,
            node_id=cmd.actor.node_id,
            provided=ordered,
        )
    ]
    missing = tuple(m for m in cmd.item.required if m not in cmd.provided)
    if missing:
        events.append(OneTimeNoticeIssued(missing=missing))
    elif cmd.auto_accept:
        events.append(_accepted(cmd.item, cmd.provided, cmd, ctx))
    return events


@decider(SupplementMaterials)
def supplement(state: CaseState, cmd: SupplementMaterials, ctx: Context) -> list[EventPayload]:
    # Status before holder: after acceptance the case is in transit, and "wait for routing"
    # would be the wrong answer to an intake command that can never succeed again.
    require_operator(cmd.actor)
    require_status(state, Status.PENDING_SUPPLEMENT, action="补正材料", action_en="supplement")
    require_holder(state, cmd.actor)
    _check_known(state.item, cmd.provided, "provided")
    new = tuple(
        m
        for m in (*state.item.required, *state.item.tolerable, *state.item.optional)
        if m in cmd.provided and m not in state.provided
    )
    if not new:
        raise invalid("nothing_supplemented", "没有新补正的材料", "no new material supplied", "provided")
    events: list[EventPayload] = [MaterialsSupplemented(materials=new)]
    now_provided = state.provided | set(new)
    if all(m in now_provided for m in state.item.required):
        events.append(_accepted(state.item, frozenset(now_provided), cmd, ctx))
    return events


@decider(AcceptCase)
def accept(state: CaseState, cmd: AcceptCase, ctx: Context) -> list[EventPayload]:
    require_operator(cmd.actor)
    require_status(state, Status.SUBMITTED, Status.PENDING_SUPPLEMENT, action="受理", action_en="accept")
    require_holder(state, cmd.actor)
    if state.missing_required:
        names = "、".join(state.item.material_name(m) for m in state.missing_required)
        raise conflict(
            "materials_missing",
            f"材料不齐（缺：{names}），请出具一次性告知书",
            f"required materials missing: {', '.join(state.missing_required)}",
        )
    return [_accepted(state.item, state.provided, cmd, ctx)]


@decider(RefuseCase)
def refuse(state: CaseState, cmd: RefuseCase, ctx: Context) -> list[EventPayload]:
    require_operator(cmd.actor)
    require_status(state, Status.SUBMITTED, Status.PENDING_SUPPLEMENT, action="不予受理", action_en="refuse")
    require_holder(state, cmd.actor)
    reason = require_text(cmd.reason, "reason", "不予受理的理由")
    return [CaseRefused(reason=reason, legal_basis=cmd.legal_basis.strip())]


# -- evolution ------------------------------------------------------------------------------


@evolver(CaseSubmitted)
def submitted(_: None, e: CaseSubmitted, m: DomainEvent) -> CaseState:
    return CaseState(
        case_id=m.case_id,
        case_number=e.case_number,
        item=e.item,
        applicant=e.applicant,
        channel=e.channel,
        origin_node=e.node_id,
        status=Status.SUBMITTED,
        submitted_at=m.at,
        updated_at=m.at,
        provided=frozenset(e.provided),
        holder=e.node_id,
        trail=(e.node_id,),
    )


@evolver(OneTimeNoticeIssued)
def notice_issued(s: CaseState, e: OneTimeNoticeIssued, m: DomainEvent) -> CaseState:
    return s.model_copy(update={"status": Status.PENDING_SUPPLEMENT, "notice_missing": e.missing})


@evolver(MaterialsSupplemented)
def supplemented(s: CaseState, e: MaterialsSupplemented, m: DomainEvent) -> CaseState:
    return s.model_copy(update={"provided": s.provided | set(e.materials)})


@evolver(CaseAccepted)
def accepted(s: CaseState, e: CaseAccepted, m: DomainEvent) -> CaseState:
    return s.model_copy(
        update={
            "status": Status.ACCEPTED,
            "accepted_at": m.at,
            "deadline": e.deadline,
            "tolerated_missing": e.tolerated_missing,
            "calendar_warnings": e.calendar_warnings,
            "holder": None,
            "owner": None,
            "transit": Transit(kind="intake", from_node=s.holder),
        }
    )


@evolver(CaseRefused)
def refused(s: CaseState, e: CaseRefused, m: DomainEvent) -> CaseState:
    return s.model_copy(update={"status": Status.REFUSED, "refusal_reason": e.reason})
