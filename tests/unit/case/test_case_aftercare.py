"""After archiving: a bad rating (好差评 ≤ 2) needs a written reason and opens a rectification (整改)
owed by the node that decided the case within 15 working days; a follow-up (回访) records whether
the citizen is now satisfied."""

from __future__ import annotations

from datetime import date

import pytest

from shared.case import (
    CaseEvaluated,
    CompleteRectification,
    FollowUpRecorded,
    RecordFollowUp,
    RectificationCompleted,
    RectificationOpened,
)
from shared.case.kernel import Command
from shared.events import Actor
from tests.support.builders import CASE_ID, DEPT, TOWNSHIP, VILLAGE, actor, item
from tests.support.gwt import given
from tests.unit.case.lifecycle import (
    AGENT,
    AUDITOR,
    SUPERVISOR,
    china,
    close,
    closed,
    decide,
    deliver,
    evaluate,
    issue,
    village_tier_at_village,
)

COMPLAINT = "窗口人员态度生硬，让我跑了三趟"
MEASURES = "约谈窗口负责人，全科室学习服务规范，向申请人致歉"
# Rated on Monday 21 September 2026: 15 working days are 22–24 Sep (3), 中秋 25 Sep off, 28–30 Sep
# (6), 国庆 1–7 Oct off, 8, 9, Sat 10 Oct (调休) (9), 12–16 Oct (14), Monday 19 October (15).
RATED = china(9, 21)
RECTIFY_BY = date(2026, 10, 19)


def rectify(node: str = DEPT, measures: str = MEASURES) -> CompleteRectification:
    return CompleteRectification(
        case_id=CASE_ID, at=china(10, 9), actor=actor(node, "zheng"), measures=measures
    )


def follow_up(
    satisfied: bool = True, by: Actor | None = None, note: str = "电话回访，群众表示满意"
) -> RecordFollowUp:
    return RecordFollowUp(
        case_id=CASE_ID, at=china(10, 12), actor=by or actor(VILLAGE, AGENT), satisfied=satisfied, note=note
    )


def rated_badly() -> list[Command]:
    return [*closed(), evaluate(2, COMPLAINT, at=RATED)]


# -- EvaluateCase with a bad rating -------------------------------------------------------------------


@pytest.mark.parametrize("rating", [1, 2])
def test_a_bad_rating_opens_a_rectification_owed_by_the_deciding_node_within_15_working_days(
    rating: int,
) -> None:
    state = (
        given(*closed())
        .when(evaluate(rating, f" {COMPLAINT} ", at=RATED))
        .then(
            CaseEvaluated(rating=rating, comment=COMPLAINT),
            RectificationOpened(node_id=DEPT, due=RECTIFY_BY, reason=COMPLAINT),
        )
    )
    assert state.evaluation == rating
    assert state.rectification is not None and not state.rectification.completed
    assert state.rectification.node_id == DEPT
    assert state.holder == VILLAGE  # the case stays archived at the origin


@pytest.mark.parametrize("comment", ["", "   "])
def test_a_bad_rating_needs_a_written_reason(comment: str) -> None:
    err = given(*closed()).when(evaluate(2, comment)).then_refused("reason_required", kind="invalid")
    assert err.field == "comment"
    assert "差评" in err.message


def test_a_rating_of_three_needs_no_reason_and_opens_nothing() -> None:
    state = given(*closed()).when(evaluate(3)).then(CaseEvaluated(rating=3))
    assert state.rectification is None


def test_a_village_tier_case_is_rectified_by_the_village_that_decided_it() -> None:
    history = [
        *village_tier_at_village(item(tier="village")),
        decide(node=VILLAGE, operator=AGENT),
        issue(VILLAGE, AGENT),
        deliver(),
        close(),
    ]
    state = (
        given(*history)
        .when(evaluate(1, COMPLAINT, at=RATED))
        .then_types("CaseEvaluated", "RectificationOpened")
    )
    assert state.rectification is not None and state.rectification.node_id == VILLAGE


def test_a_second_rating_is_refused_even_after_a_bad_one() -> None:
    given(*rated_badly()).when(evaluate(5)).then_refused("already_evaluated", kind="conflict")


# -- CompleteRectification ------------------------------------------------------------------------------


def test_the_deciding_node_reports_its_rectification() -> None:
    state = (
        given(*rated_badly())
        .when(rectify(measures=f" {MEASURES} "))
        .then(RectificationCompleted(measures=MEASURES))
    )
    assert state.rectification is not None and state.rectification.completed
    assert state.rectification.measures == MEASURES


def test_another_node_cannot_report_the_rectification() -> None:
    err = given(*rated_badly()).when(rectify(VILLAGE)).then_refused("not_rectifying_node", kind="forbidden")
    assert "整改" in err.message


def test_a_rectification_needs_its_measures() -> None:
    err = given(*rated_badly()).when(rectify(measures="")).then_refused("reason_required", kind="invalid")
    assert err.field == "measures"


def test_nothing_to_rectify_after_a_good_rating() -> None:
    given(*closed(), evaluate(5)).when(rectify()).then_refused("no_open_rectification", kind="conflict")


def test_a_rectification_is_reported_once() -> None:
    given(*rated_badly(), rectify()).when(rectify()).then_refused("no_open_rectification", kind="conflict")


def test_an_auditor_does_not_report_rectifications() -> None:
    cmd = rectify().model_copy(update={"actor": AUDITOR.model_copy(update={"node_id": DEPT})})
    given(*rated_badly()).when(cmd).then_refused("role_not_allowed", kind="forbidden")


# -- RecordFollowUp ------------------------------------------------------------------------------------


def test_the_origin_follows_up_and_records_the_citizens_verdict() -> None:
    state = (
        given(*rated_badly(), rectify())
        .when(follow_up(note=" 电话回访，群众表示满意 "))
        .then(FollowUpRecorded(satisfied=True, note="电话回访，群众表示满意"))
    )
    assert state.rectification is not None and state.rectification.satisfied is True


def test_the_supervision_office_may_follow_up_and_find_the_citizen_still_unhappy() -> None:
    state = (
        given(*rated_badly(), rectify())
        .when(follow_up(False, SUPERVISOR, "仍不满意"))
        .then(FollowUpRecorded(satisfied=False, note="仍不满意"))
    )
    assert state.rectification is not None and state.rectification.satisfied is False


def test_no_follow_up_before_the_rectification_is_done() -> None:
    given(*rated_badly()).when(follow_up()).then_refused("rectification_not_done", kind="conflict")


def test_no_follow_up_without_a_rectification() -> None:
    given(*closed(), evaluate(4)).when(follow_up()).then_refused("rectification_not_done", kind="conflict")


def test_one_follow_up() -> None:
    given(*rated_badly(), rectify(), follow_up()).when(follow_up(False)).then_refused(
        "followed_up", kind="conflict"
    )


@pytest.mark.parametrize("node", [DEPT, TOWNSHIP])
def test_the_rectifying_node_does_not_follow_itself_up(node: str) -> None:
    given(*rated_badly(), rectify()).when(follow_up(by=actor(node, "x"))).then_refused(
        "not_origin_node", kind="forbidden"
    )


def test_an_auditor_does_not_follow_up() -> None:
    given(*rated_badly(), rectify()).when(follow_up(by=AUDITOR)).then_refused(
        "role_not_allowed", kind="forbidden"
    )
