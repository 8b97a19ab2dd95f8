"""Node use cases: worklists, case detail with timeline, and the handling actions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import select

from services.village_node import urgency
from services.village_node.access import require_act, require_node, require_read
from services.village_node.actions import ACTIONS, probe
from shared.bootstrap import Kernel
from shared.case import CaseState, Status
from shared.case.describe import describe, label, status_label
from shared.clock import local_date
from shared.db.snapshot_store import snapshot_from_row
from shared.db.tables import case_snapshots
from shared.events import Actor
from shared.service_layer.case_repository import subject_for
from shared.web.errors import ApiError

OPEN = [s.value for s in Status if s not in (Status.REFUSED, Status.CLOSED, Status.WITHDRAWN)]


def workdays_left(k: Kernel, deadline: date | None, today: date) -> int | None:
    if deadline is None:
        return None
    if deadline >= today:
        return k.ctx.calendar.count_workdays(today, deadline).int_value
    return -k.ctx.calendar.count_workdays(deadline, today).int_value


def row_view(k: Kernel, state: CaseState, today: date) -> dict[str, Any]:
    left = workdays_left(k, state.deadline, today)
    return {
        **urgency.flags(state, left),
        "case_id": state.case_id,
        "case_number": state.case_number,
        "item_code": state.item.code,
        "item_name": state.item.name,
        "status": state.status.value,
        "status_label": status_label(state.status),
        "holder": state.holder,
        "origin_node": state.origin_node,
        "owner": state.owner,
        "channel": state.channel,
        "applicant_name": state.applicant.name,
        "deadline": state.deadline,
        "workdays_left": left,
        "version": state.version,
        "in_transit": state.transit is not None,
    }


async def worklist(k: Kernel, actor: Actor, node_id: str, origin: bool = False) -> list[dict[str, Any]]:
    k.org.get(node_id)
    require_node(actor, node_id)
    col = case_snapshots.c.origin_node if origin else case_snapshots.c.holder
    stmt = select(case_snapshots).where(col == node_id, case_snapshots.c.status.in_(OPEN))
    async with k.db.engine.connect() as conn:
        rows = (await conn.execute(stmt)).all()
    today = local_date(k.clock.now())
    views = [row_view(k, snapshot_from_row(r).state, today) for r in rows]
    views.sort(key=urgency.sort_key)
    return views


async def load_visible(k: Kernel, actor: Actor, case_id: str) -> CaseState:
    try:
        state = (await k.repo.load(case_id)).state
    except ValueError:
        state = None
    if state is None:
        raise ApiError(404, "case_not_found", "办件不存在", f"case {case_id} does not exist", "case_id")
    require_read(actor, state)
    return state


def node_name(k: Kernel) -> Callable[[str], str]:
    def name(node_id: str) -> str:
        return k.org.get(node_id).name if node_id in k.org else node_id

    return name


async def case_detail(k: Kernel, actor: Actor, case_id: str) -> dict[str, Any]:
    state = await load_visible(k, actor, case_id)
    events = await k.store.read(subject_for(case_id))
    name = node_name(k)
    timeline = [
        {
            "seq": e.envelope.seq,
            "event_id": e.envelope.event_id,
            "type": e.envelope.type,
            "label": label(e.envelope.type),
            "description": describe(
                e.envelope.type, e.payload.model_dump(mode="json"), name, state.item.material_names
            ),
            "at": e.envelope.at,
            "operator": e.envelope.actor.operator_id,
            "node_id": e.envelope.actor.node_id,
            "node_name": name(e.envelope.actor.node_id),
        }
        for e in events
    ]
    view = row_view(k, state, local_date(k.clock.now()))
    view.update(
        {
            "item": state.item.model_dump(mode="json"),
            "applicant": {
                "name": state.applicant.name,
                "organization": state.applicant.organization,
                "id_number_tail": (state.applicant.id_number or "")[-4:] or None,
            },
            "outcome": state.outcome,
            "result": state.result,
            "evaluation": state.evaluation,
            "trail": list(state.trail),
            "transit": state.transit.model_dump(mode="json") if state.transit else None,
            "routing_failure": state.routing_failure or None,
            "calendar_warnings": list(state.calendar_warnings),
            "timeline": timeline,
            "actions": allowed_actions(k, actor, state),
        }
    )
    return view


def allowed_actions(k: Kernel, actor: Actor, state: CaseState) -> list[dict[str, Any]]:
    """Each action with whether the core would take it now, and why not (asked of the core itself)."""
    out = []
    for action in ACTIONS.values():
        ok, reason = probe(action, state, actor, k.clock.now(), k.ctx)
        out.append({"action": action.name, "label": action.label, "allowed": ok, "reason": reason})
    return out


async def act(
    k: Kernel, actor: Actor, case_id: str, action: str, fields: dict[str, Any], expected_version: int | None
) -> CaseState:
    state = await load_visible(k, actor, case_id)
    require_act(actor, state, action)
    cmd = ACTIONS[action].command_for(state, actor, k.clock.now(), fields)
    result = await k.commands.execute(
        cmd, writer=k.org.get(actor.node_id).code, expected_version=expected_version
    )
    assert result.state is not None
    return result.state
