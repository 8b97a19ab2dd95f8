"""Placement rules, for every tier/department combination in the demo county.

States are built by the core itself (submit, route, claim, escalate, return, transfer, issue the
result), so each rule is checked against the transit the core really leaves behind; every route
the rules give is then fed back to the core, which must accept it.
"""

from __future__ import annotations

import itertools

import pytest

from services.routing.rules import Failure, Route, reviewers_for, target_for
from shared.case import (
    CaseState,
    ClaimCase,
    Command,
    DecideCase,
    EscalateCase,
    FailRouting,
    IssueResult,
    ItemTerms,
    ReturnCase,
    RouteCase,
    SubmitCase,
    TransferCase,
)
from shared.case.kernel import decide, fold
from shared.catalog import Catalog
from shared.org import OrgTree
from shared.service_layer.terms import item_terms
from tests.support.builders import CTX, MONDAY, ROUTING, actor, applicant

ORG = OrgTree.load(None)
CATALOG = Catalog.load(None)
VILLAGES = ORG.villages()
TOWNSHIPS = ORG.townships()
DEPARTMENTS = ORG.departments()
_ids = itertools.count()


def run(state: CaseState | None, *commands: Command) -> CaseState:
    for cmd in commands:
        state = fold(state, decide(state, cmd, CTX))
    assert state is not None
    return state


def accepted(item: ItemTerms, node: str) -> CaseState:
    case_id = f"C-{next(_ids)}"
    return run(
        None,
        SubmitCase(
            case_id=case_id,
            at=MONDAY,
            actor=actor(node),
            case_number="N-1",
            item=item,
            applicant=applicant(),
            channel="village_room",
            provided=frozenset((*item.required, *item.tolerable)),
        ),
    )


def place(state: CaseState) -> CaseState:
    """Ask the rules, then make the core place the case there (it must agree)."""
    decision = target_for(state, ORG)
    assert isinstance(decision, Route), decision
    return run(
        state,
        RouteCase(
            case_id=state.case_id,
            at=MONDAY,
            actor=ROUTING,
            to_node=decision.to_node,
            cause_event_id=f"ev-{next(_ids)}",
        ),
    )


def claimed(state: CaseState, operator: str = "op") -> CaseState:
    assert state.holder is not None
    return run(state, ClaimCase(case_id=state.case_id, at=MONDAY, actor=actor(state.holder, operator)))


def by_holder(state: CaseState, make: type[Command], **fields: object) -> CaseState:
    assert state.holder is not None
    return run(state, make(case_id=state.case_id, at=MONDAY, actor=actor(state.holder, "op"), **fields))


def failure(state: CaseState) -> Failure:
    decision = target_for(state, ORG)
    assert isinstance(decision, Failure), decision
    # the core takes the failure as a RoutingFailed event
    run(
        state,
        FailRouting(
            case_id=state.case_id,
            at=MONDAY,
            actor=ROUTING,
            reason=decision.reason,
            code=decision.code,
            cause_event_id="ev-x",
        ),
    )
    return decision


def window(key: str) -> str:
    return ORG.department(key).id


# -- after acceptance --------------------------------------------------------------------------


def test_the_demo_county_has_15_villages_3_townships_and_a_window_for_every_catalog_department() -> None:
    assert (len(VILLAGES), len(TOWNSHIPS)) == (15, 3)
    assert {i.department for i in CATALOG} <= {d.key for d in DEPARTMENTS}
    assert {i.tier for i in CATALOG} == {"village", "township", "county"}


@pytest.mark.parametrize("village", [v.id for v in VILLAGES])
def test_every_item_accepted_at_every_village_goes_to_its_tier(village: str) -> None:
    township = ORG.township_of(village)
    assert township is not None
    for item in CATALOG:
        expected = {"village": village, "township": township.id, "county": window(item.department)}[item.tier]
        state = place(accepted(item_terms(item), village))
        assert (state.holder, state.status.value) == (expected, "handling"), item.code


@pytest.mark.parametrize("township", [t.id for t in TOWNSHIPS])
def test_every_item_accepted_at_a_township_center_stays_there_unless_county_tier(township: str) -> None:
    for item in CATALOG:
        expected = window(item.department) if item.tier == "county" else township
        assert place(accepted(item_terms(item), township)).holder == expected, item.code


@pytest.mark.parametrize("dept", [d.id for d in DEPARTMENTS])
def test_county_items_accepted_at_any_window_go_to_the_owning_departments_window(dept: str) -> None:
    for item in CATALOG.by_tier("county"):
        assert place(accepted(item_terms(item), dept)).holder == window(item.department), item.code
    for item in CATALOG.by_tier("village"):
        assert place(accepted(item_terms(item), dept)).holder == dept
    for item in CATALOG.by_tier("township"):  # a county window belongs to no township
        assert failure(accepted(item_terms(item), dept)).code == "no_township"


def test_a_county_item_without_a_known_department_fails() -> None:
    for department in ("", "abolished-bureau"):
        terms = item_terms(CATALOG.get("TJ-001")).model_copy(update={"department": department})
        found = failure(accepted(terms, VILLAGES[0].id))
        assert found.code == "no_department" and "统计调查登记证" in found.reason


def test_a_case_from_a_node_missing_from_the_org_tree_fails() -> None:
    found = failure(accepted(item_terms(CATALOG.get("RS-001")), "c01.t09.v09"))
    assert found.code == "unknown_node" and "c01.t09.v09" in found.reason


# -- escalation --------------------------------------------------------------------------------


@pytest.mark.parametrize("village", [v.id for v in VILLAGES])
def test_escalation_climbs_village_township_window_then_fails_at_the_top(village: str) -> None:
    township = ORG.township_of(village)
    assert township is not None
    for item in [*CATALOG.by_tier("village"), *CATALOG.by_tier("township")]:
        state = place(accepted(item_terms(item), village))
        if item.tier == "village":
            assert state.holder == village
            state = place(by_holder(claimed(state), EscalateCase, reason="超出村级权限"))
        assert state.holder == township.id, item.code
        state = place(by_holder(claimed(state), EscalateCase, reason="超出乡镇权限"))
        assert state.holder == window(item.department), item.code
        state = by_holder(claimed(state), EscalateCase, reason="需上级处理")
        found = failure(state)
        assert found.code == "top_of_county", item.code


@pytest.mark.parametrize("dept", [d.id for d in DEPARTMENTS])
def test_no_county_window_can_escalate(dept: str) -> None:
    state = place(accepted(item_terms(CATALOG.get("RS-001")), dept))  # a matter taken at the window
    assert state.holder == dept
    assert failure(by_holder(claimed(state), EscalateCase, reason="需上级处理")).code == "top_of_county"


# -- return, transfer, delivery -----------------------------------------------------------------


@pytest.mark.parametrize("village", [v.id for v in VILLAGES])
def test_a_return_goes_back_to_the_node_that_sent_the_case(village: str) -> None:
    item = item_terms(CATALOG.get("GH-004"))  # township tier, planning
    township = ORG.township_of(village)
    assert township is not None
    at_township = place(accepted(item, village))
    at_window = place(by_holder(claimed(at_township), EscalateCase, reason="需县级审批"))
    assert at_window.holder == window("planning")
    back = place(by_holder(claimed(at_window), ReturnCase, reason="请乡镇补充意见"))
    assert back.holder == township.id
    again = place(by_holder(claimed(back), ReturnCase, reason="请村里核实"))
    assert again.holder == village


def test_a_return_without_a_named_target_goes_to_the_origin() -> None:
    state = place(accepted(item_terms(CATALOG.get("GH-004")), VILLAGES[0].id))
    state = by_holder(claimed(state), ReturnCase, reason="请村里核实")
    assert state.transit is not None
    state = state.model_copy(update={"transit": state.transit.model_copy(update={"target": None})})
    assert target_for(state, ORG) == Route(VILLAGES[0].id)


@pytest.mark.parametrize("key", [d.key for d in DEPARTMENTS])
def test_a_transfer_goes_to_the_named_departments_window(key: str) -> None:
    state = place(accepted(item_terms(CATALOG.get("TJ-001")), VILLAGES[0].id))
    moved = place(by_holder(claimed(state), TransferCase, to_department=key, reason="不属本部门职责"))
    assert moved.holder == window(key)


@pytest.mark.parametrize("key", ["abolished-bureau", "C01.D.TAX"])
def test_a_transfer_to_an_unknown_department_fails_and_the_case_goes_back(key: str) -> None:
    state = place(accepted(item_terms(CATALOG.get("TJ-001")), VILLAGES[0].id))
    state = by_holder(claimed(state), TransferCase, to_department=key, reason="不属本部门职责")
    assert failure(state).code == "no_department"


@pytest.mark.parametrize("village", [v.id for v in VILLAGES])
def test_the_result_is_delivered_where_the_case_was_submitted(village: str) -> None:
    for code in ("TJ-001", "GH-004"):  # decided at a county window, at a township
        state = claimed(place(accepted(item_terms(CATALOG.get(code)), village)))
        state = by_holder(state, DecideCase, approved=True)
        state = by_holder(state, IssueResult, result="证书")
        assert state.transit is not None and state.transit.kind == "delivery"
        assert place(state).holder == village


def test_nothing_to_place_when_not_in_transit() -> None:
    state = place(accepted(item_terms(CATALOG.get("TJ-001")), VILLAGES[0].id))
    assert target_for(state, ORG) == Failure("not_in_transit", "办件不在流转中")


# -- joint review fan-out ---------------------------------------------------------------------


def test_every_joint_item_fans_out_to_each_departments_window() -> None:
    joint_items = [i for i in CATALOG if i.joint]
    assert joint_items
    for item in joint_items:
        assert item.joint is not None
        assert reviewers_for(item.joint.departments, ORG) == {d: window(d) for d in item.joint.departments}


def test_a_joint_review_naming_an_unknown_department_fails() -> None:
    found = reviewers_for(("planning", "abolished-bureau"), ORG)
    assert isinstance(found, Failure) and found.code == "no_department" and "abolished-bureau" in found.reason
