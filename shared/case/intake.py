"""Intake: submit (收件), one-time notice (一次性告知), supplement (补正), accept (受理), refuse.

The one-time notice lists every missing and defective material at once; a later notice may
repeat what the first one listed (a supplement that is still defective) but never add to it. The
clock starts on the day the case is complete. Materials the catalog marks tolerable may be
missing at acceptance (容缺受理): the case then owes them by a due date and cannot be archived
until they are in.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import Field

from shared.case.errors import conflict, invalid
from shared.case.guards import require_holder, require_operator, require_status, require_text
from shared.case.kernel import Command, Context, DomainEvent, decider, evolver
from shared.case.state import Applicant, CaseState, Channel, ItemTerms, ProxyMandate, Status, Transit
from shared.clock import local_date
from shared.events import EventPayload, event, upcaster

TOLERATED_DUE_WORKDAYS = 5  # a tolerated gap must be filled within 5 working days of acceptance

# -- commands -------------------------------------------------------------------------------


class SubmitCase(Command):
    CREATES = True
    ATOMIC = False  # received (收件), then notice or acceptance: "received" alone is a valid state
    case_number: str = Field(min_length=1, max_length=40)
    item: ItemTerms
    applicant: Applicant
    channel: Channel
    provided: frozenset[str] = frozenset()
    defective: dict[str, str] = Field(default_factory=dict, description="provided but defective: code -> why")
    auto_accept: bool = True
    fast_track: bool = False
    proxy: ProxyMandate | None = None


class IssueNotice(Command):
    missing: tuple[str, ...] = ()
    defective: dict[str, str] = Field(default_factory=dict)


class SupplementMaterials(Command):
    ATOMIC = False  # supplemented, then accepted: complete-but-not-yet-accepted is a valid state
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
    fast_track: bool = False
    proxy: ProxyMandate | None = None


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
    defective: dict[str, str] = Field(default_factory=dict)


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
    tolerated_due: date | None = None
    calendar_warnings: tuple[str, ...] = ()
    internal_deadline: date | None = None


@event
class CaseRefused(EventPayload):
    TYPE = "CaseRefused"
    reason: str
    legal_basis: str = ""


# -- rules ----------------------------------------------------------------------------------


def _check_known(item: ItemTerms, codes: set[str] | frozenset[str], field: str) -> None:
    known = set(item.required) | set(item.tolerable) | set(item.optional)
    unknown = sorted(set(codes) - known)
    if unknown:
        raise invalid(
            "unknown_material",
            f"事项“{item.name}”没有材料：{'、'.join(unknown)}",
            f"item {item.code} has no material {', '.join(unknown)}",
            field=field,
        )


def _in_catalog_order(item: ItemTerms, codes: set[str] | frozenset[str]) -> tuple[str, ...]:
    return tuple(m for m in (*item.required, *item.tolerable, *item.optional) if m in codes)


def deadline_for(item: ItemTerms, accepted_on: date, ctx: Context) -> tuple[date, tuple[str, ...]]:
    """Immediate cases are due the same working day; promised ones N working days after acceptance."""
    if item.kind == "immediate":
        result = ctx.calendar.first_workday_on_or_after(accepted_on)
    else:
        result = ctx.calendar.add_workdays(accepted_on, item.promised_days)
    return result.date_value, tuple(w.message_zh for w in result.warnings)


def fast_track_deadline(item: ItemTerms, accepted_on: date, ctx: Context) -> date:
    """快速通道: an internal limit of half the promised working days (at least one)."""
    if item.kind == "immediate":
        return ctx.calendar.first_workday_on_or_after(accepted_on).date_value
    return ctx.calendar.add_workdays(accepted_on, max(1, item.promised_days // 2)).date_value


def _accepted(
    item: ItemTerms, provided: frozenset[str], fast: bool, cmd: Command, ctx: Context
) -> CaseAccepted:
    day = local_date(cmd.at)
    deadline, warnings = deadline_for(item, day, ctx)
    tolerated = tuple(m for m in item.tolerable if m not in provided)
    due = ctx.calendar.add_workdays(day, TOLERATED_DUE_WORKDAYS).date_value if tolerated else None
    return CaseAccepted(
        deadline=deadline,
        tolerated_missing=tolerated,
        tolerated_due=due,
        calendar_warnings=warnings,
        internal_deadline=fast_track_deadline(item, day, ctx) if fast else None,
    )


def _notice(item: ItemTerms, missing: tuple[str, ...], defective: dict[str, str]) -> OneTimeNoticeIssued:
    return OneTimeNoticeIssued(
        missing=missing, defective={m: defective[m] for m in _in_catalog_order(item, set(defective))}
    )


@decider(SubmitCase)
def submit(_: None, cmd: SubmitCase, ctx: Context) -> list[EventPayload]:
    require_operator(cmd.actor)
    _check_known(cmd.item, cmd.provided, "provided")
    _check_known(cmd.item, set(cmd.defective), "defective")
    if not set(cmd.defective) <= cmd.provided:
        raise invalid(
            "defective_not_provided",
            "只能对已提交的材料标注存在问题",
            "defective materials must be provided",
            "defective",
        )
    if cmd.proxy is not None and not cmd.item.proxy_allowed:
        raise conflict("proxy_not_allowed", "该事项不允许代办", "this item may not be carried by an agent")
    events: list[EventPayload] = [
        CaseSubmitted(
            case_number=cmd.case_number,
            item=cmd.item,
            applicant=cmd.applicant,
            channel=cmd.channel,
            node_id=cmd.actor.node_id,
            provided=_in_catalog_order(cmd.item, cmd.provided - set(cmd.defective)),
            fast_track=cmd.fast_track,
            proxy=cmd.proxy,
        )
    ]
    missing = tuple(m for m in cmd.item.required if m not in cmd.provided)
    if missing or cmd.defective:
        events.append(_notice(cmd.item, missing, dict(cmd.defective)))
    elif cmd.auto_accept:
        events.append(_accepted(cmd.item, cmd.provided, cmd.fast_track, cmd, ctx))
    return events


@decider(IssueNotice)
def issue_notice(state: CaseState, cmd: IssueNotice, ctx: Context) -> list[EventPayload]:
    require_status(
        state, Status.SUBMITTED, Status.PENDING_SUPPLEMENT, action="出具告知书", action_en="issue a notice"
    )
    require_holder(state, cmd.actor)
    listed = set(cmd.missing) | set(cmd.defective)
    if not listed:
        raise invalid("empty_notice", "告知书须列明需补正的材料", "a notice must list materials", "missing")
    _check_known(state.item, listed, "missing")
    if state.first_notice and not listed <= set(state.first_notice):
        added = "、".join(
            state.item.material_name(m)
            for m in _in_catalog_order(state.item, listed - set(state.first_notice))
        )
        raise conflict(
            "one_time_notice_violation",
            f"一次性告知制：首次告知书未列出的材料（{added}）不能再次要求补正",
            "a later notice may not ask for materials the first one-time notice did not list",
        )
    in_order = set(cmd.missing) & state.provided - set(state.defective)
    if in_order:
        names = "、".join(state.item.material_name(m) for m in _in_catalog_order(state.item, in_order))
        raise invalid(
            "already_provided",
            f"材料已齐备（{names}），如有问题请列为存在问题的材料并写明原因",
            "a material provided in good order cannot be listed as missing; list it as defective with a reason",
            "missing",
        )
    missing = _in_catalog_order(state.item, set(cmd.missing))
    return [_notice(state.item, missing, dict(cmd.defective))]


@decider(SupplementMaterials)
def supplement(state: CaseState, cmd: SupplementMaterials, ctx: Context) -> list[EventPayload]:
    if state.status in (Status.SUBMITTED, Status.PENDING_SUPPLEMENT):
        require_holder(state, cmd.actor)
    else:
        _require_tolerated_supplement(state, cmd)
    _check_known(state.item, cmd.provided, "provided")
    new = _in_catalog_order(
        state.item, {m for m in cmd.provided if m not in state.provided or m in state.defective}
    )
    if not new:
        raise invalid("nothing_supplemented", "没有新补正的材料", "no new material supplied", "provided")
    events: list[EventPayload] = [MaterialsSupplemented(materials=new)]
    if state.status == Status.PENDING_SUPPLEMENT:
        now_provided = state.provided | set(new)
        still_defective = set(state.defective) - set(new)
        if all(m in now_provided and m not in still_defective for m in state.item.required):
            events.append(_accepted(state.item, frozenset(now_provided), state.fast_track, cmd, ctx))
    return events


def _require_tolerated_supplement(state: CaseState, cmd: SupplementMaterials) -> None:
    """After acceptance only tolerated-gap materials are still owed; the origin or the holder takes them."""
    require_operator(cmd.actor)
    if not state.is_open or not state.outstanding_tolerated:
        require_status(
            state, Status.SUBMITTED, Status.PENDING_SUPPLEMENT, action="补正材料", action_en="supplement"
        )
    if cmd.actor.node_id not in (state.origin_node, state.holder):
        require_holder(state, cmd.actor)
    extra = set(cmd.provided) - set(state.outstanding_tolerated)
    if extra:
        raise invalid(
            "not_owed",
            "受理后只需补交容缺材料："
            + "、".join(state.item.material_name(m) for m in state.outstanding_tolerated),
            f"after acceptance only the tolerated materials are owed: {', '.join(state.outstanding_tolerated)}",
            "provided",
        )


@decider(AcceptCase)
def accept(state: CaseState, cmd: AcceptCase, ctx: Context) -> list[EventPayload]:
    require_operator(cmd.actor)
    require_status(state, Status.SUBMITTED, Status.PENDING_SUPPLEMENT, action="受理", action_en="accept")
    require_holder(state, cmd.actor)
    if state.incomplete:
        names = "、".join(state.item.material_name(m) for m in state.incomplete)
        raise conflict(
            "materials_missing",
            f"材料不齐（缺：{names}），请出具一次性告知书",
            f"required materials missing or defective: {', '.join(state.incomplete)}",
        )
    return [_accepted(state.item, state.provided, state.fast_track, cmd, ctx)]


@decider(RefuseCase)
def refuse(state: CaseState, cmd: RefuseCase, ctx: Context) -> list[EventPayload]:
    require_operator(cmd.actor)
    require_status(state, Status.SUBMITTED, Status.PENDING_SUPPLEMENT, action="不予受理", action_en="refuse")
    require_holder(state, cmd.actor)
    reason = require_text(cmd.reason, "reason", "不予受理的理由")
    basis = require_text(cmd.legal_basis, "legal_basis", "不予受理的法律依据")
    return [CaseRefused(reason=reason, legal_basis=basis)]


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
        fast_track=e.fast_track,
        proxy=e.proxy,
    )


@evolver(OneTimeNoticeIssued)
def notice_issued(s: CaseState, e: OneTimeNoticeIssued, m: DomainEvent) -> CaseState:
    listed = (*e.missing, *e.defective)
    return s.model_copy(
        update={
            "status": Status.PENDING_SUPPLEMENT,
            "notice_missing": tuple(dict.fromkeys(listed)),
            "defective": dict(e.defective),
            "first_notice": s.first_notice or tuple(dict.fromkeys(listed)),
            "provided": s.provided - set(e.defective),
        }
    )


@evolver(MaterialsSupplemented)
def supplemented(s: CaseState, e: MaterialsSupplemented, m: DomainEvent) -> CaseState:
    defective = {k: v for k, v in s.defective.items() if k not in e.materials}
    return s.model_copy(update={"provided": s.provided | set(e.materials), "defective": defective})


@evolver(CaseAccepted)
def accepted(s: CaseState, e: CaseAccepted, m: DomainEvent) -> CaseState:
    return s.model_copy(
        update={
            "status": Status.ACCEPTED,
            "accepted_at": m.at,
            "deadline": e.deadline,
            "tolerated_missing": e.tolerated_missing,
            "tolerated_due": e.tolerated_due,
            "internal_deadline": e.internal_deadline,
            "calendar_warnings": e.calendar_warnings,
            "holder": None,
            "owner": None,
            "transit": Transit(kind="intake", from_node=s.holder),
        }
    )


@evolver(CaseRefused)
def refused(s: CaseState, e: CaseRefused, m: DomainEvent) -> CaseState:
    return s.model_copy(update={"status": Status.REFUSED, "refusal_reason": e.reason, "holder": s.holder})
