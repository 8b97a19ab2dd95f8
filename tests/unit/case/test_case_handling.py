"""Handling deciders: RouteCase, FailRouting, ClaimCase, EscalateCase, ReturnCase (given / when / then)."""

from __future__ import annotations

import pytest

from shared.case import (
    CaseClaimed,
    CaseEscalated,
    CaseReturned,
    CaseRouted,
    ClaimCase,
    EscalateCase,
    FailRouting,
    ReturnCase,
    RouteCase,
    RoutingFailed,
    Status,
    SubmitCase,
    Transit,
)
from shared.case.kernel import Command
from shared.events import Actor
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

OTHER_VILLAGE = "c01.t01.v02"
ALICE = "alice"
BOB = "bob"


def submit() -> SubmitCase:
    return SubmitCase(
        case_id=CASE_ID,
        at=MONDAY,
        actor=actor(),
        case_number="511199-20260302-T01V01-0001",
        item=item(),
        applicant=applicant(),
        channel="village_room",
        provided=frozenset({"m1", "m2", "m3"}),
    )


def route(to: str, cause: str = "ev-accepted", by: Actor = ROUTING) -> RouteCase:
    return RouteCase(case_id=CASE_ID, at=MONDAY, actor=by, to_node=to, cause_event_id=cause)


def fail(reason: str = "组织架构中没有可办理的节点", cause: str = "ev-accepted") -> FailRouting:
    return FailRouting(case_id=CASE_ID, at=MONDAY, actor=ROUTING, reason=reason, cause_event_id=cause)


def claim(node: str, operator: str = ALICE) -> ClaimCase:
    return ClaimCase(case_id=CASE_ID, at=MONDAY, actor=actor(node, operator))


def escalate(node: str, operator: str = ALICE, reason: str = "超出本级权限") -> EscalateCase:
    return EscalateCase(case_id=CASE_ID, at=MONDAY, actor=actor(node, operator), reason=reason)


def return_(node: str, operator: str = ALICE, reason: str = "材料需村里核实") -> ReturnCase:
    return ReturnCase(case_id=CASE_ID, at=MONDAY, actor=actor(node, operator), reason=reason)


def at_township() -> list[Command]:
    """Accepted at the village, routed to the township, claimed there by alice."""
    return [submit(), route(TOWNSHIP), claim(TOWNSHIP)]


def at_department() -> list[Command]:
    """... then escalated by the township and routed to the county department, claimed by alice there."""
    return [*at_township(), escalate(TOWNSHIP), route(DEPT, "ev-escalated"), claim(DEPT)]


# -- RouteCase --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who",
    [
        actor(VILLAGE),
        actor(TOWNSHIP),
        actor(DEPT),
        actor("c01", role="admin"),
        actor("c01", role="supervision"),
    ],
    ids=lambda a: a.role,
)
def test_only_the_routing_service_may_route(who: Actor) -> None:
    given(submit()).when(route(TOWNSHIP, by=who)).then_refused("system_only", kind="forbidden")


def test_routing_places_the_accepted_case_at_its_handling_node() -> None:
    state = (
        given(submit())
        .when(route(TOWNSHIP))
        .then(CaseRouted(to_node=TOWNSHIP, from_node=VILLAGE, purpose="intake", cause_event_id="ev-accepted"))
    )
    assert state.status == Status.HANDLING
    assert state.holder == TOWNSHIP
    assert state.owner is None
    assert state.transit is None
    assert state.trail == (VILLAGE, TOWNSHIP)
    assert state.handled_causes == {"ev-accepted"}


def test_a_village_tier_case_routed_to_its_own_village_does_not_repeat_the_trail() -> None:
    state = given(submit()).when(route(VILLAGE)).then_types("CaseRouted")
    assert state.status == Status.HANDLING
    assert state.holder == VILLAGE
    assert state.trail == (VILLAGE,)


def test_the_same_cause_delivered_twice_is_routed_once() -> None:
    given(submit(), route(TOWNSHIP)).when(route(TOWNSHIP)).then_nothing()


def test_a_redelivered_cause_is_ignored_even_when_a_newer_transit_is_waiting() -> None:
    given(*at_township(), escalate(TOWNSHIP)).when(route(TOWNSHIP)).then_nothing()


def test_routing_a_case_that_is_not_in_transit_is_refused() -> None:
    given(submit(), route(TOWNSHIP)).when(route(DEPT, "ev-other")).then_refused(
        "not_in_transit", kind="conflict"
    )


def test_routing_a_case_still_waiting_for_materials_is_refused() -> None:
    pending = submit().model_copy(update={"provided": frozenset({"m1"})})
    given(pending).when(route(TOWNSHIP)).then_refused("not_in_transit")


# -- FailRouting ------------------------------------------------------------------------------


def test_a_failed_intake_routing_records_the_reason_and_keeps_the_case_waiting() -> None:
    state = (
        given(submit())
        .when(fail())
        .then(
            RoutingFailed(
                reason="组织架构中没有可办理的节点",
                purpose="intake",
                from_node=VILLAGE,
                cause_event_id="ev-accepted",
            )
        )
    )
    assert state.routing_failure == "组织架构中没有可办理的节点"
    assert state.status == Status.ACCEPTED
    assert state.holder is None
    assert state.transit == Transit(kind="intake", from_node=VILLAGE)


def test_a_retry_after_a_failure_routes_and_clears_the_failure() -> None:
    state = given(submit(), fail()).when(route(TOWNSHIP, "ev-retry")).then_types("CaseRouted")
    assert state.routing_failure == ""
    assert state.holder == TOWNSHIP


def test_a_failed_escalation_puts_the_case_back_at_the_node_that_escalated() -> None:
    state = (
        given(*at_township(), escalate(TOWNSHIP))
        .when(fail("县级部门未配置", "ev-escalated"))
        .then(
            RoutingFailed(
                reason="县级部门未配置",
                purpose="escalation",
                from_node=TOWNSHIP,
                cause_event_id="ev-escalated",
            )
        )
    )
    assert state.holder == TOWNSHIP
    assert state.transit is None
    assert state.owner is None
    assert state.status == Status.HANDLING
    assert state.routing_failure == "县级部门未配置"
    assert state.trail == (VILLAGE, TOWNSHIP)


def test_a_failure_delivered_twice_is_recorded_once() -> None:
    given(submit(), fail()).when(fail()).then_nothing()


def test_only_the_routing_service_may_report_a_failure() -> None:
    cmd = FailRouting(
        case_id=CASE_ID, at=MONDAY, actor=actor(TOWNSHIP), reason="x", cause_event_id="ev-accepted"
    )
    given(submit()).when(cmd).then_refused("system_only", kind="forbidden")


def test_a_routing_failure_needs_a_reason() -> None:
    err = given(submit()).when(fail("  ")).then_refused("reason_required", kind="invalid")
    assert err.field == "reason"


def test_a_failure_for_a_case_not_in_transit_is_refused() -> None:
    given(submit(), route(TOWNSHIP)).when(fail(cause="ev-other")).then_refused("not_in_transit")


# -- ClaimCase --------------------------------------------------------------------------------


def test_an_operator_at_the_holding_node_claims_the_case() -> None:
    state = (
        given(submit(), route(TOWNSHIP))
        .when(claim(TOWNSHIP))
        .then(CaseClaimed(operator_id=ALICE, node_id=TOWNSHIP))
    )
    assert state.owner == ALICE
    assert state.holder == TOWNSHIP


def test_claiming_again_by_the_same_operator_changes_nothing() -> None:
    given(*at_township()).when(claim(TOWNSHIP)).then_nothing()


def test_a_colleague_cannot_claim_a_claimed_case() -> None:
    err = given(*at_township()).when(claim(TOWNSHIP, BOB)).then_refused("already_claimed", kind="conflict")
    assert ALICE in err.message


def test_another_node_cannot_claim() -> None:
    given(submit(), route(TOWNSHIP)).when(claim("c01.t02")).then_refused("case_not_held", kind="forbidden")


def test_a_case_in_transit_cannot_be_claimed() -> None:
    given(submit()).when(claim(VILLAGE)).then_refused("case_in_transit", kind="conflict")


def test_an_escalated_case_cannot_be_claimed_before_it_is_routed() -> None:
    given(*at_township(), escalate(TOWNSHIP)).when(claim(TOWNSHIP, BOB)).then_refused("case_in_transit")


def test_an_auditor_cannot_claim() -> None:
    cmd = ClaimCase(case_id=CASE_ID, at=MONDAY, actor=actor(TOWNSHIP, "auditor1", role="auditor"))
    given(submit(), route(TOWNSHIP)).when(cmd).then_refused("role_not_allowed", kind="forbidden")


# -- EscalateCase -----------------------------------------------------------------------------


def test_the_owner_escalates_and_the_case_waits_for_routing() -> None:
    state = (
        given(*at_township())
        .when(escalate(TOWNSHIP))
        .then(CaseEscalated(from_node=TOWNSHIP, reason="超出本级权限"))
    )
    assert state.holder is None
    assert state.owner is None
    assert state.transit == Transit(kind="escalation", from_node=TOWNSHIP, reason="超出本级权限")
    assert state.status == Status.HANDLING
    assert state.trail == (VILLAGE, TOWNSHIP)


def test_routing_an_escalation_extends_the_trail() -> None:
    state = (
        given(*at_township(), escalate(TOWNSHIP))
        .when(route(DEPT, "ev-escalated"))
        .then(
            CaseRouted(to_node=DEPT, from_node=TOWNSHIP, purpose="escalation", cause_event_id="ev-escalated")
        )
    )
    assert state.holder == DEPT
    assert state.owner is None
    assert state.trail == (VILLAGE, TOWNSHIP, DEPT)


def test_a_colleague_at_the_same_node_cannot_escalate_the_owners_case() -> None:
    err = given(*at_township()).when(escalate(TOWNSHIP, BOB)).then_refused("not_case_owner", kind="forbidden")
    assert ALICE in err.message


def test_an_unclaimed_case_cannot_be_escalated() -> None:
    given(submit(), route(TOWNSHIP)).when(escalate(TOWNSHIP)).then_refused(
        "case_not_claimed", kind="conflict"
    )


@pytest.mark.parametrize("reason", ["", " \n "])
def test_escalation_needs_a_reason(reason: str) -> None:
    err = (
        given(*at_township())
        .when(escalate(TOWNSHIP, reason=reason))
        .then_refused("reason_required", kind="invalid")
    )
    assert err.field == "reason"


def test_another_node_cannot_escalate() -> None:
    given(*at_township()).when(escalate(VILLAGE)).then_refused("case_not_held")


# -- ReturnCase -------------------------------------------------------------------------------


def test_the_owner_returns_the_case_to_the_previous_node_in_the_trail() -> None:
    state = (
        given(*at_department())
        .when(return_(DEPT))
        .then(CaseReturned(from_node=DEPT, reason="材料需村里核实", to_node=TOWNSHIP))
    )
    assert state.holder is None
    assert state.owner is None
    assert state.transit == Transit(kind="return", from_node=DEPT, reason="材料需村里核实", target=TOWNSHIP)
    assert state.trail == (VILLAGE, TOWNSHIP, DEPT)


def test_routing_a_return_pops_the_trail() -> None:
    state = (
        given(*at_department(), return_(DEPT))
        .when(route(TOWNSHIP, "ev-returned"))
        .then(CaseRouted(to_node=TOWNSHIP, from_node=DEPT, purpose="return", cause_event_id="ev-returned"))
    )
    assert state.holder == TOWNSHIP
    assert state.owner is None
    assert state.trail == (VILLAGE, TOWNSHIP)
    assert state.status == Status.HANDLING


def test_a_returned_case_can_be_returned_again_down_to_the_accepting_village() -> None:
    history = [*at_department(), return_(DEPT), route(TOWNSHIP, "ev-returned"), claim(TOWNSHIP, BOB)]
    state = (
        given(*history)
        .when(return_(TOWNSHIP, BOB))
        .then(CaseReturned(from_node=TOWNSHIP, reason="材料需村里核实", to_node=VILLAGE))
    )
    assert state.transit is not None and state.transit.target == VILLAGE


def test_a_failed_return_puts_the_case_back_at_the_returning_node() -> None:
    state = (
        given(*at_department(), return_(DEPT))
        .when(fail("乡镇节点停用", "ev-returned"))
        .then_types("RoutingFailed")
    )
    assert state.holder == DEPT
    assert state.transit is None
    assert state.trail == (VILLAGE, TOWNSHIP, DEPT)


def test_the_first_handling_node_has_nowhere_to_return_to() -> None:
    # A village-tier case handled where it was accepted: the trail holds one node only.
    given(submit(), route(VILLAGE), claim(VILLAGE)).when(return_(VILLAGE)).then_refused(
        "nowhere_to_return", kind="conflict"
    )


def test_a_return_needs_a_reason() -> None:
    err = (
        given(*at_department()).when(return_(DEPT, reason="")).then_refused("reason_required", kind="invalid")
    )
    assert err.field == "reason"


def test_only_the_owner_may_return() -> None:
    given(*at_department()).when(return_(DEPT, BOB)).then_refused("not_case_owner", kind="forbidden")


def test_a_case_being_handed_over_cannot_be_returned() -> None:
    given(*at_department(), return_(DEPT)).when(return_(DEPT)).then_refused("case_in_transit")


def test_other_villages_cannot_touch_the_case() -> None:
    given(*at_township()).when(claim(OTHER_VILLAGE, BOB)).then_refused("case_not_held")
