"""Joint review fan-out and fan-in by the reactor, with racing and repeated deliveries, against real
NATS and PostgreSQL: one dispatch per request and one conclusion per review, whatever the order."""

from __future__ import annotations

import asyncio

from shared.case import ClaimCase, JointTerms, RecordOpinion, RequestJointReview
from shared.eventstore import StoredEvent
from tests.integration.routing.conftest import T0
from tests.integration.routing.harness import Harness
from tests.support.builders import actor

LEAD = "c01.d.construction"
WINDOWS = {
    "planning": "c01.d.planning",
    "environment": "c01.d.environment",
    "fire-rescue": "c01.d.fire-rescue",
}


async def requested(h: Harness, mode: str) -> str:
    terms = JointTerms(kind="parallel_approval", mode=mode, departments=tuple(WINDOWS))  # type: ignore[arg-type]
    case_id = await h.submit("ZJ-001", joint=terms)
    await h.react(case_id)
    lead = actor(LEAD, "zhao")
    await h.do(ClaimCase(case_id=case_id, at=T0, actor=lead))
    await h.do(RequestJointReview(case_id=case_id, at=T0, actor=lead))
    return case_id


async def of_type(h: Harness, case_id: str, type_: str) -> list[StoredEvent]:
    return [e for e in await h.events(case_id) if e.envelope.type == type_]


async def test_a_request_delivered_to_racing_reactors_is_dispatched_once_to_each_window(h: Harness) -> None:
    case_id = await requested(h, "all")
    (request,) = await of_type(h, case_id, "JointReviewRequested")
    outcomes = await asyncio.gather(*(h.rt.reactor.handle(request) for _ in range(4)))
    assert "dispatched" in outcomes  # a loser of the race may also see its (identical) event stored
    (dispatched,) = await of_type(h, case_id, "JointReviewDispatched")
    assert dispatched.payload.reviewers == WINDOWS  # type: ignore[attr-defined]
    assert dispatched.envelope.causation_id == request.envelope.event_id


async def test_any_of_three_concludes_once_on_racing_opinions_and_late_ones_change_nothing(
    h: Harness,
) -> None:
    case_id = await requested(h, "any")
    await h.react(case_id)
    for key in ("planning", "environment"):  # two approvals arrive before routing sees either
        await h.do(RecordOpinion(case_id=case_id, at=T0, actor=actor(WINDOWS[key], "rev"), approve=True))
    opinions = await of_type(h, case_id, "JointOpinionRecorded")
    outcomes = await asyncio.gather(*(h.rt.reactor.handle(e) for e in [*opinions, *opinions]))
    assert "concluded" in outcomes
    (conclusion,) = await of_type(h, case_id, "JointReviewConcluded")
    assert conclusion.payload.result == "approved"  # type: ignore[attr-defined]

    await h.do(
        RecordOpinion(
            case_id=case_id,
            at=T0,
            actor=actor(WINDOWS["fire-rescue"], "rev"),
            approve=False,
            opinion="不同意",
        )
    )
    await h.react(case_id)
    late = (await of_type(h, case_id, "JointOpinionRecorded"))[-1]
    assert late.payload.late  # type: ignore[attr-defined]
    assert len(await of_type(h, case_id, "JointReviewConcluded")) == 1
    assert (await h.state(case_id)).joint.result == "approved"  # type: ignore[union-attr]


async def test_countersign_waits_for_all_then_concludes_and_rejects_on_a_refusal(h: Harness) -> None:
    approved = await requested(h, "all")
    rejected = await requested(h, "all")
    for case_id in (approved, rejected):
        await h.react(case_id)
    for i, key in enumerate(WINDOWS):
        await h.do(RecordOpinion(case_id=approved, at=T0, actor=actor(WINDOWS[key], "rev"), approve=True))
        await h.react(approved)
        assert len(await of_type(h, approved, "JointReviewConcluded")) == (1 if i == 2 else 0)
    await h.do(
        RecordOpinion(
            case_id=rejected,
            at=T0,
            actor=actor(WINDOWS["environment"], "rev"),
            approve=False,
            opinion="环评未通过",
        )
    )
    await h.react(rejected)
    assert [(await h.state(c)).joint.result for c in (approved, rejected)] == ["approved", "rejected"]  # type: ignore[union-attr]
