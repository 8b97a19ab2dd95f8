"""Outcome deciders: DecideCase, IssueResult, DeliverResult, CloseCase, EvaluateCase (given / when / then)."""

from __future__ import annotations

import pytest

from shared.case import (
    CaseClosed,
    CaseDecided,
    CaseEvaluated,
    CaseRouted,
    ClaimCase,
    CloseCase,
    DecideCase,
    DeliverResult,
    EvaluateCase,
    IssueResult,
    ResultDelivered,
    ResultIssued,
    RouteCase,
    Status,
    SubmitCase,
    Transit,
)
from shared.case.kernel import Command, DomainEvent
from shared.case.outcome import DeliveryMethod
from shared.case.state import ItemTerms, ProxyMandate
from tests.support.builders import (
    CASE_ID,
    DEPT,
    MONDAY,
    ROUTING,
    TOWNSHIP,
    VILLAGE,
    actor,
    applicant,
    item,
)
from tests.support.gwt import given

ALICE = "alice"
BOB = "bob"
AGENT = "agent-wang"  # the village's 代办员
RESULT = "准予登记，发给《社会团体法人登记证书》"


def submit(terms: ItemTerms | None = None, proxy: ProxyMandate | None = None) -> SubmitCase:
    return SubmitCase(
        case_id=CASE_ID,
        at=MONDAY,
        actor=actor(VILLAGE, AGENT),
        case_number="511199-20260302-T01V01-0001",
        item=terms or item(),
        applicant=applicant(),
        channel="village_room",
        provided=frozenset({"m1", "m2", "m3"}),
        proxy=proxy,
    )


def route(to: str, cause: str) -> RouteCase:
    return RouteCase(case_id=CASE_ID, at=MONDAY, actor=ROUTING, to_node=to, cause_event_id=cause)


def claim(node: str, operator: str = ALICE) -> ClaimCase:
    return ClaimCase(case_id=CASE_ID, at=MONDAY, actor=actor(node, operator))


def decide(node: str = DEPT, approved: bool = True, reason: str = "", operator: str = ALICE) -> DecideCase:
    return DecideCase(
        case_id=CASE_ID, at=MONDAY, actor=actor(node, operator), approved=approved, reason=reason
    )


def issue(node: str = DEPT, result: str = RESULT, operator: str = ALICE) -> IssueResult:
    return IssueResult(case_id=CASE_ID, at=MONDAY, actor=actor(node, operator), result=result)


def deliver(node: str = VILLAGE, method: DeliveryMethod = "in_person", recipient: str = "") -> DeliverResult:
    return DeliverResult(
        case_id=CASE_ID, at=MONDAY, actor=actor(node, AGENT), method=method, recipient=recipient
    )


def close(node: str = VILLAGE) -> CloseCase:
    return CloseCase(case_id=CASE_ID, at=MONDAY, actor=actor(node, AGENT))


def evaluate(rating: int, node: str = VILLAGE, comment: str = "") -> EvaluateCase:
    return EvaluateCase(case_id=CASE_ID, at=MONDAY, actor=actor(node, AGENT), rating=rating, comment=comment)


def handling_at_dept(terms: ItemTerms | None = None) -> list[Command]:
    """A county-tier case accepted at the village, routed to the department and claimed by alice."""
    return [submit(terms), route(DEPT, "ev-accepted"), claim(DEPT)]


def decided_at_dept(terms: ItemTerms | None = None) -> list[Command]:
    return [*handling_at_dept(terms), decide()]


def back_at_village(terms: ItemTerms | None = None) -> list[Command]:
    """The result issued at the department and routed back to the accepting village for delivery."""
    return [*decided_at_dept(terms), issue(), route(VILLAGE, "ev-issued")]


def village_tier_decided() -> list[Command]:
    """A village-tier case handled where it was accepted."""
    return [
        submit(item(tier="village")),
        route(VILLAGE, "ev-accepted"),
        claim(VILLAGE, AGENT),
        decide(VILLAGE, operator=AGENT),
    ]


def delivered() -> list[Command]:
    return [*back_at_village(), deliver()]


def closed() -> list[Command]:
    return [*delivered(), close()]


# -- DecideCase -------------------------------------------------------------------------------


def test_the_owner_approves() -> None:
    state = (
        given(*handling_at_dept())
        .when(decide(reason="  符合条件 "))
        .then(CaseDecided(outcome="approved", reason="符合条件"))
    )
    assert state.status == Status.DECIDED
    assert state.outcome == "approved"
    assert state.outcome_reason == "符合条件"
    assert state.holder == DEPT and state.owner == ALICE


def test_the_owner_denies_with_a_reason() -> None:
    state = (
        given(*handling_at_dept())
        .when(decide(approved=False, reason="不符合登记条件"))
        .then(CaseDecided(outcome="denied", reason="不符合登记条件"))
    )
    assert state.outcome == "denied"
    assert state.status == Status.DECIDED


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_denial_needs_a_reason(reason: str) -> None:
    err = (
        given(*handling_at_dept())
        .when(decide(approved=False, reason=reason))
        .then_refused("reason_required", kind="invalid")
    )
    assert err.field == "reason"


def test_an_unclaimed_case_cannot_be_decided() -> None:
    given(submit(), route(DEPT, "ev-accepted")).when(decide()).then_refused(
        "case_not_claimed", kind="conflict"
    )


def test_a_colleague_cannot_decide_the_owners_case() -> None:
    given(*handling_at_dept()).when(decide(operator=BOB)).then_refused("not_case_owner", kind="forbidden")


def test_a_case_cannot_be_decided_twice() -> None:
    given(*decided_at_dept()).when(decide(approved=False, reason="改判")).then_refused("invalid_state")


def test_a_case_in_transit_cannot_be_decided() -> None:
    given(submit()).when(decide(VILLAGE)).then_refused("case_in_transit")


# -- IssueResult ------------------------------------------------------------------------------


def test_a_result_issued_away_from_the_origin_goes_into_delivery_transit() -> None:
    state = given(*decided_at_dept()).when(issue()).then(ResultIssued(result=RESULT, deliver_at=VILLAGE))
    assert state.status == Status.RESULT_ISSUED
    assert state.result == RESULT
    assert state.result_issued_at == MONDAY
    assert state.holder is None
    assert state.owner is None
    assert state.transit == Transit(kind="delivery", from_node=DEPT, target=VILLAGE)


def test_routing_the_delivery_brings_the_case_home_without_touching_the_trail() -> None:
    state = given(*decided_at_dept(), issue()).when(route(VILLAGE, "ev-issued")).then_types("CaseRouted")
    assert state.holder == VILLAGE
    assert state.transit is None
    assert state.status == Status.RESULT_ISSUED
    assert state.trail == (VILLAGE, DEPT)


def test_a_result_issued_by_the_origin_itself_stays_there() -> None:
    state = (
        given(*village_tier_decided())
        .when(issue(VILLAGE, operator=AGENT))
        .then(ResultIssued(result=RESULT, deliver_at=VILLAGE))
    )
    assert state.status == Status.RESULT_ISSUED
    assert state.holder == VILLAGE
    assert state.owner == AGENT
    assert state.transit is None


def test_a_result_needs_a_decision_first() -> None:
    given(*handling_at_dept()).when(issue()).then_refused("invalid_state", kind="conflict")


def test_a_result_needs_text() -> None:
    err = given(*decided_at_dept()).when(issue(result=" ")).then_refused("reason_required", kind="invalid")
    assert err.field == "result"


def test_only_the_owner_issues_the_result() -> None:
    given(*decided_at_dept()).when(issue(operator=BOB)).then_refused("not_case_owner")


# -- DeliverResult ----------------------------------------------------------------------------


def test_the_origin_village_delivers_the_result() -> None:
    state = (
        given(*back_at_village())
        .when(deliver(recipient=" 张三 "))
        .then(ResultDelivered(method="in_person", recipient="张三"))
    )
    assert state.status == Status.DELIVERED
    assert state.delivered_at == MONDAY
    assert state.holder == VILLAGE


def test_the_village_agent_may_deliver_by_proxy_when_the_item_allows_it() -> None:
    mandate = ProxyMandate(agent_id=AGENT, mandate_ref="委托书 2026-001")
    history = [submit(proxy=mandate), *back_at_village()[1:]]
    given(*history).when(deliver(method="proxy")).then(ResultDelivered(method="proxy"))


def test_proxy_delivery_needs_a_recorded_mandate() -> None:
    given(*back_at_village()).when(deliver(method="proxy")).then_refused("no_proxy_mandate", kind="conflict")


def test_proxy_delivery_of_an_item_that_forbids_it_is_refused() -> None:
    given(*back_at_village(item(proxy_allowed=False))).when(deliver(method="proxy")).then_refused(
        "proxy_not_allowed", kind="conflict"
    )


def test_an_item_that_forbids_proxy_is_still_delivered_in_person() -> None:
    given(*back_at_village(item(proxy_allowed=False))).when(deliver()).then_types("ResultDelivered")


def test_routing_refuses_to_place_a_delivery_anywhere_but_the_origin() -> None:
    history = [*decided_at_dept(), issue()]
    given(*history).when(route(TOWNSHIP, "ev-issued")).then_refused("route_target_mismatch", kind="conflict")


def test_a_node_other_than_the_origin_cannot_deliver() -> None:
    # A stored history in which a delivery reached the township (e.g. written by an older routing
    # version): the township still may not hand the result over.
    misrouted = DomainEvent(
        CASE_ID,
        CaseRouted(to_node=TOWNSHIP, from_node=DEPT, purpose="delivery", cause_event_id="ev-issued"),
        MONDAY,
        ROUTING,
    )
    history = [*decided_at_dept(), issue(), misrouted]
    given(*history).when(deliver(TOWNSHIP)).then_refused("not_origin_node", kind="forbidden")


def test_a_result_on_its_way_cannot_be_delivered() -> None:
    given(*decided_at_dept(), issue()).when(deliver()).then_refused("case_in_transit")


def test_a_result_cannot_be_delivered_before_it_is_issued() -> None:
    given(*village_tier_decided()).when(deliver()).then_refused("invalid_state")


def test_a_result_cannot_be_delivered_twice() -> None:
    given(*delivered()).when(deliver()).then_refused("invalid_state")


def test_a_village_tier_result_is_delivered_where_it_was_issued() -> None:
    state = (
        given(*village_tier_decided(), issue(VILLAGE, operator=AGENT))
        .when(deliver())
        .then_types("ResultDelivered")
    )
    assert state.status == Status.DELIVERED


# -- CloseCase --------------------------------------------------------------------------------


def test_a_delivered_case_is_closed() -> None:
    state = given(*delivered()).when(close()).then(CaseClosed())
    assert state.status == Status.CLOSED
    assert state.closed_at == MONDAY
    assert not state.is_open


def test_a_case_cannot_be_closed_before_delivery() -> None:
    given(*back_at_village()).when(close()).then_refused("invalid_state", kind="conflict")


def test_a_case_still_handling_cannot_be_closed() -> None:
    given(*handling_at_dept()).when(close(DEPT)).then_refused("invalid_state")


def test_only_the_holder_closes() -> None:
    given(*delivered()).when(close(DEPT)).then_refused("case_not_held", kind="forbidden")


def test_a_closed_case_cannot_be_closed_again() -> None:
    given(*closed()).when(close()).then_refused("invalid_state")


# -- EvaluateCase -----------------------------------------------------------------------------


@pytest.mark.parametrize("rating", [3, 4, 5])
def test_every_level_from_3_to_5_is_recorded(rating: int) -> None:
    state = (
        given(*closed())
        .when(evaluate(rating, comment=" 办事快 "))
        .then(CaseEvaluated(rating=rating, comment="办事快"))
    )
    assert state.evaluation == rating
    assert state.status == Status.CLOSED


@pytest.mark.parametrize("rating", [0, 6, -1, 100])
def test_a_rating_out_of_range_is_refused(rating: int) -> None:
    err = given(*closed()).when(evaluate(rating)).then_refused("rating_out_of_range", kind="invalid")
    assert err.field == "rating"


def test_a_case_is_evaluated_only_once() -> None:
    given(*closed(), evaluate(5)).when(evaluate(1)).then_refused("already_evaluated", kind="conflict")


def test_a_case_cannot_be_evaluated_before_it_is_closed() -> None:
    given(*delivered()).when(evaluate(5)).then_refused("invalid_state", kind="conflict")


def test_the_rating_is_recorded_where_the_case_was_submitted() -> None:
    given(*closed()).when(evaluate(5, node=DEPT)).then_refused("not_origin_node", kind="forbidden")


def test_an_auditor_cannot_record_a_rating() -> None:
    cmd = EvaluateCase(case_id=CASE_ID, at=MONDAY, actor=actor(VILLAGE, "aud", role="auditor"), rating=5)
    given(*closed()).when(cmd).then_refused("role_not_allowed", kind="forbidden")
