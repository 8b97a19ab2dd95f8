"""The whole core path, step by step: village → township → county department → back to the village.

After every step the status, holder, owner and trail are checked; at the end the events are folded
from nothing again (replay equality) and also sealed, stored as bytes, decoded and chain-checked.
"""

from __future__ import annotations

from datetime import date, datetime

from shared.case import (
    CaseState,
    ClaimCase,
    CloseCase,
    DecideCase,
    DeliverResult,
    DomainEvent,
    EscalateCase,
    EvaluateCase,
    IssueResult,
    RouteCase,
    Status,
    SubmitCase,
    SupplementMaterials,
    Transit,
)
from shared.case.chain import apply_stored
from shared.case.kernel import Command, decide, fold
from shared.clock import LOCAL_TZ
from shared.events import GENESIS_HASH
from shared.eventstore import case_subject, decode_message
from tests.support.builders import (
    CASE_ID,
    CTX,
    DEPT,
    ROUTING,
    TOWNSHIP,
    VILLAGE,
    actor,
    applicant,
    item,
    seal_all,
)

AGENT = "agent-wang"  # 代办员 at the village service room
TOWN_OP = "li-township"
COUNTY_OP = "zhao-county"


def china(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=LOCAL_TZ)


class Walk:
    """Decides one command at a time against the current state and keeps every event."""

    def __init__(self) -> None:
        self.state: CaseState | None = None
        self.events: list[DomainEvent] = []

    def step(self, cmd: Command, *types: str) -> CaseState:
        new = decide(self.state, cmd, CTX)
        assert [e.type for e in new] == list(types)
        self.state = fold(self.state, new)
        self.events.extend(new)
        assert self.state is not None
        assert self.state.version == len(self.events)
        return self.state

    def cause(self) -> str:
        """What routing would use as cause_event_id: the position of the last event."""
        return f"ev-{len(self.events)}"


def test_village_to_county_and_back_delivered_closed_evaluated_and_replayed() -> None:
    walk = Walk()
    village = actor(VILLAGE, AGENT)
    township = actor(TOWNSHIP, TOWN_OP)
    county = actor(DEPT, COUNTY_OP)

    # 1. Monday: the village room receives the matter, one required material is missing.
    s = walk.step(
        SubmitCase(
            case_id=CASE_ID,
            at=china(2, 9),
            actor=village,
            case_number="511199-20260302-T01V01-0001",
            item=item(),
            applicant=applicant(),
            channel="village_room",
            provided=frozenset({"m1", "m4"}),
        ),
        "CaseSubmitted",
        "OneTimeNoticeIssued",
    )
    assert (s.status, s.holder, s.trail) == (Status.PENDING_SUPPLEMENT, VILLAGE, (VILLAGE,))
    assert s.notice_missing == ("m2",)

    # 2. Tuesday: the citizen brings the missing material; the case is accepted with m3 tolerated.
    s = walk.step(
        SupplementMaterials(case_id=CASE_ID, at=china(3, 10), actor=village, provided=frozenset({"m2"})),
        "MaterialsSupplemented",
        "CaseAccepted",
    )
    assert (s.status, s.holder, s.trail) == (Status.ACCEPTED, None, (VILLAGE,))
    assert s.transit == Transit(kind="intake", from_node=VILLAGE)
    assert s.deadline == date(2026, 3, 31)  # 20 working days after Tuesday 3 March
    assert s.tolerated_missing == ("m3",)

    # 3. Routing places it at the township service center.
    to_township = RouteCase(
        case_id=CASE_ID, at=china(3, 10, 1), actor=ROUTING, to_node=TOWNSHIP, cause_event_id=walk.cause()
    )
    s = walk.step(to_township, "CaseRouted")
    assert (s.status, s.holder, s.owner, s.trail) == (Status.HANDLING, TOWNSHIP, None, (VILLAGE, TOWNSHIP))
    assert s.transit is None
    s = walk.step(to_township)  # the routing service's redelivered message: nothing happens
    assert s.version == 5

    # 4. A township operator claims it (首问负责) ...
    s = walk.step(ClaimCase(case_id=CASE_ID, at=china(3, 14), actor=township), "CaseClaimed")
    assert (s.holder, s.owner) == (TOWNSHIP, TOWN_OP)

    # 5. ... and escalates it: 社团审批 is a county matter.
    s = walk.step(
        EscalateCase(case_id=CASE_ID, at=china(4, 9), actor=township, reason="须由县民政局审批"),
        "CaseEscalated",
    )
    assert (s.status, s.holder, s.owner, s.trail) == (Status.HANDLING, None, None, (VILLAGE, TOWNSHIP))
    assert s.transit == Transit(kind="escalation", from_node=TOWNSHIP, reason="须由县民政局审批")

    # 6. Routing places it at the county civil-affairs window.
    s = walk.step(
        RouteCase(
            case_id=CASE_ID, at=china(4, 9, 1), actor=ROUTING, to_node=DEPT, cause_event_id=walk.cause()
        ),
        "CaseRouted",
    )
    assert (s.status, s.holder, s.owner, s.trail) == (Status.HANDLING, DEPT, None, (VILLAGE, TOWNSHIP, DEPT))

    # 7–9. County staff claim, approve and issue the result.
    s = walk.step(ClaimCase(case_id=CASE_ID, at=china(4, 11), actor=county), "CaseClaimed")
    assert (s.holder, s.owner) == (DEPT, COUNTY_OP)
    s = walk.step(
        DecideCase(case_id=CASE_ID, at=china(10, 15), actor=county, approved=True, reason="符合登记条件"),
        "CaseDecided",
    )
    assert (s.status, s.holder, s.outcome) == (Status.DECIDED, DEPT, "approved")
    s = walk.step(
        IssueResult(case_id=CASE_ID, at=china(11, 9), actor=county, result="社会团体法人登记证书"),
        "ResultIssued",
    )
    assert (s.status, s.holder, s.owner) == (Status.RESULT_ISSUED, None, None)
    assert s.transit == Transit(kind="delivery", from_node=DEPT, target=VILLAGE)

    # 10. Routing carries the result back down to the village for delivery.
    s = walk.step(
        RouteCase(
            case_id=CASE_ID, at=china(11, 9, 1), actor=ROUTING, to_node=VILLAGE, cause_event_id=walk.cause()
        ),
        "CaseRouted",
    )
    assert (s.status, s.holder, s.transit) == (Status.RESULT_ISSUED, VILLAGE, None)
    assert s.trail == (VILLAGE, TOWNSHIP, DEPT)  # delivery is not a handling hop

    # 11–13. The village agent hands it over, archives the case and records the rating.
    s = walk.step(
        DeliverResult(case_id=CASE_ID, at=china(12, 16), actor=village, method="in_person", recipient="张三"),
        "ResultDelivered",
    )
    assert (s.status, s.holder) == (Status.DELIVERED, VILLAGE)
    # the tolerated-gap material (容缺) must be in before the case can be archived
    s = walk.step(
        SupplementMaterials(case_id=CASE_ID, at=china(12, 16, 2), actor=village, provided=frozenset({"m3"})),
        "MaterialsSupplemented",
    )
    assert s.outstanding_tolerated == ()
    s = walk.step(CloseCase(case_id=CASE_ID, at=china(12, 16, 5), actor=village), "CaseClosed")
    assert (s.status, s.holder, s.closed_at) == (Status.CLOSED, VILLAGE, china(12, 16, 5))
    s = walk.step(
        EvaluateCase(case_id=CASE_ID, at=china(12, 16, 10), actor=village, rating=5, comment="不用跑县城"),
        "CaseEvaluated",
    )
    assert (s.status, s.evaluation, s.holder) == (Status.CLOSED, 5, VILLAGE)
    assert s.trail == (VILLAGE, TOWNSHIP, DEPT)
    assert s.version == 16
    assert s.updated_at == china(12, 16, 10)

    # Replay equality: folding every event from nothing rebuilds exactly the final state.
    assert fold(None, walk.events) == walk.state

    # And through storage: sealed envelopes, stored as bytes, decoded with their hash checked,
    # applied only where they continue the chain.
    replayed: CaseState | None = None
    last_hash = GENESIS_HASH
    subject = case_subject("T01V01", CASE_ID)
    for n, envelope in enumerate(seal_all(walk.events), start=1):
        stored = decode_message(n, subject, envelope.to_bytes(), {})
        folded = apply_stored(replayed, last_hash, stored.envelope, stored.domain())
        replayed, last_hash = folded.state, folded.last_hash
    assert replayed == walk.state
