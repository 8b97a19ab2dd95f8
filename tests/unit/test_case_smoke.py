from shared.case import CaseAccepted, OneTimeNoticeIssued, Status, SubmitCase, SupplementMaterials
from tests.support.builders import CASE_ID, MONDAY, actor, applicant, item
from tests.support.gwt import given


def submit(provided: set[str]) -> SubmitCase:
    return SubmitCase(
        case_id=CASE_ID,
        at=MONDAY,
        actor=actor(),
        case_number="511199-20260302-T01V01-0001",
        item=item(),
        applicant=applicant(),
        channel="village_room",
        provided=frozenset(provided),
    )


def test_missing_required_material_gets_a_one_time_notice_listing_all_of_them() -> None:
    state = given().when(submit({"m4"})).then_types("CaseSubmitted", "OneTimeNoticeIssued")
    assert state.status == Status.PENDING_SUPPLEMENT
    assert state.notice_missing == ("m1", "m2")


def test_supplementing_the_last_missing_material_accepts_the_case() -> None:
    cmd = SupplementMaterials(case_id=CASE_ID, at=MONDAY, actor=actor(), provided=frozenset({"m1", "m2"}))
    state = given(submit(set())).when(cmd).then_types("MaterialsSupplemented", "CaseAccepted")
    assert state.status == Status.ACCEPTED
    assert state.tolerated_missing == ("m3",)


def test_notice_payload() -> None:
    state = given().when(submit({"m1"})).then_types("CaseSubmitted", "OneTimeNoticeIssued")
    assert state.notice_missing == ("m2",)
    assert OneTimeNoticeIssued(missing=("m2",)).TYPE == "OneTimeNoticeIssued"
    assert CaseAccepted.TYPE == "CaseAccepted"
