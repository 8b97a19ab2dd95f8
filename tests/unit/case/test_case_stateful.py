"""Random command sequences from every actor through decide/evolve, with the case's invariants checked
after every step (hypothesis RuleBasedStateMachine).

Each rule builds one command — from the village, the township, the lead window, three joint-review
departments, an uninvolved village, routing ("system"), the supervision office or an auditor — and
runs it: a DomainError is a refusal and changes nothing; otherwise only the events ``decide``
returned are folded in. An ``advance`` rule plays the obvious next step so that runs reach the late
stages (fees, delivery, archiving, rectification) often enough.

Invariants (issue #3, "Proof"): one holder unless in transit; no clock marks while suspended or
before acceptance, no deadline before acceptance, marks only when due and only for the current
deadline; nothing but evaluation, rectification, follow-up and complaints after archiving (and
nothing but complaints after a refusal or a withdrawal) — besides the answer to, and the clock of, a
supervision order issued while the case was open; an approved fee-bearing case never issues its
result unpaid; one opinion per joint-review department; replaying the events rebuilds the state;
version == number of events.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from shared.case import (
    AcceptCase,
    AnswerSupervisionOrder,
    AssessFee,
    CaseState,
    ClaimCase,
    CloseCase,
    CompleteRectification,
    ConcludeJointReview,
    DeadlineMissed,
    DeadlineWarned,
    DecideCase,
    DecideExtension,
    DeliverResult,
    DispatchJointReview,
    DomainError,
    DomainEvent,
    EscalateCase,
    EvaluateCase,
    FailRouting,
    FileComplaint,
    FlagFastTrack,
    HandOverCase,
    IssueNotice,
    IssueResult,
    IssueSupervisionOrder,
    ItemTerms,
    JointTerms,
    MarkDeadline,
    PayFee,
    RecordFollowUp,
    RecordOpinion,
    RefuseCase,
    RequestExtension,
    RequestJointReview,
    ResolveComplaint,
    ResumeCase,
    ReturnCase,
    RouteCase,
    Status,
    SubmitCase,
    SupplementMaterials,
    SuspendCase,
    TransferCase,
    WithdrawCase,
)
from shared.case.kernel import Command, decide, fold
from shared.clock import LOCAL_TZ, local_date
from shared.events import Actor
from tests.support.builders import CASE_ID, CTX, DEPT, MONDAY, ROUTING, TOWNSHIP, VILLAGE, applicant
from tests.unit.case.lifecycle import (
    AUDITOR,
    ENVIRONMENT,
    FIRE,
    MANDATE,
    OTHER_VILLAGE,
    PLANNING,
    REVIEWERS,
    SUPERVISOR,
)

OPERATORS: dict[str, tuple[str, ...]] = {
    VILLAGE: ("agent-wang", "v-li"),
    OTHER_VILLAGE: ("v2-sun",),
    TOWNSHIP: ("t-li", "t-wu"),
    DEPT: ("alice", "bob"),
    PLANNING: ("p-gao",),
    FIRE: ("f-ma",),
    ENVIRONMENT: ("e-he",),
}
NODES = tuple(OPERATORS)
# the owner and the holder are asked more often than anyone else: their commands are the ones that can work
WHO = st.sampled_from(
    (
        "owner",
        "owner",
        "owner",
        "owner",
        "holder",
        "holder",
        "colleague",
        "origin",
        *NODES,
        "supervision",
        "auditor",
        "routing",
    )
)
MATERIALS = ("m1", "m2", "m3", "m4")
TEXT = st.sampled_from(("", "  ", "依据《行政许可法》第三十二条", "材料需补充说明", "需组织现场勘查"))

# After archiving (CaseClosed) only these may still happen; after a refusal or a withdrawal only
# complaints. Supervision orders issued while the case was open may still be answered and marked.
AFTER_ARCHIVING = frozenset(
    {
        "CaseEvaluated",
        "RectificationOpened",
        "RectificationCompleted",
        "FollowUpRecorded",
        "ComplaintFiled",
        "ComplaintResolved",
    }
)
AFTER_TERMINAL = frozenset({"ComplaintFiled", "ComplaintResolved"})
SUPERVISION_RECORDS = frozenset({"SupervisionAnswered"})
MARKS = frozenset({"DeadlineWarned", "DeadlineMissed"})


@st.composite
def item_terms(draw: st.DrawFn) -> ItemTerms:
    kind = draw(st.sampled_from(("immediate", "promised")))
    mode = draw(st.sampled_from((None, "all", "any")))
    return ItemTerms(
        code="MZ-001",
        name="社团审批",
        department="civil-affairs",
        tier=draw(st.sampled_from(("village", "township", "county"))),
        kind=kind,
        promised_days=0 if kind == "immediate" else draw(st.sampled_from((1, 3, 20))),
        fee_fen=draw(st.sampled_from((0, 5000))),
        required=("m1", "m2"),
        tolerable=("m3",),
        optional=("m4",),
        joint=JointTerms(kind="parallel_approval", mode=mode, departments=tuple(REVIEWERS)) if mode else None,
        proxy_allowed=draw(st.booleans()),
    )


class CaseMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.state: CaseState | None = None
        self.events: list[DomainEvent] = []
        self.now: datetime = MONDAY
        self.refusals = 0

    # -- plumbing ---------------------------------------------------------------------------

    @property
    def s(self) -> CaseState:
        assert self.state is not None
        return self.state

    def actor(self, who: str) -> Actor:
        if who == "supervision":
            return SUPERVISOR
        if who == "auditor":
            return AUDITOR
        if who == "routing":
            return ROUTING
        if who == "origin":
            return Actor(operator_id=OPERATORS[VILLAGE][0], node_id=VILLAGE, role="village_operator")
        node = who if who in OPERATORS else (self.s.holder or self.s.origin_node)
        ops = OPERATORS[node]
        operator = ops[0]
        if who == "owner" and self.s.owner:
            operator = self.s.owner
        elif who == "colleague":
            operator = ops[-1] if len(ops) > 1 else f"{ops[0]}-2"
        role = (
            "county_staff"
            if ".d." in node
            else "township_operator"
            if node == TOWNSHIP
            else "village_operator"
        )
        return Actor(operator_id=operator, node_id=node, role=role)

    def run(self, cls: type[Command], who: str | Actor, **fields: Any) -> None:
        self.now += timedelta(minutes=1)
        by = who if isinstance(who, Actor) else self.actor(who)
        try:
            cmd = cls(case_id=CASE_ID, at=self.now, actor=by, **fields)
            events = decide(self.state, cmd, CTX)
        except DomainError as err:
            assert err.code and err.message and err.message_en
            assert err.kind in ("conflict", "forbidden", "invalid", "not_found")
            self.refusals += 1
            return
        for event in events:
            self.check_event(self.state, event)
            self.state = fold(self.state, [event])
            self.events.append(event)
            if event.type == "CaseAccepted":
                assert self.s.incomplete == (), "accepted while materials are missing or defective"

    def cause(self, pick: str, types: tuple[str, ...]) -> str:
        """A routing cause: the latest event of ``types`` (a first delivery), an older handled one
        (a redelivery) or an unknown one."""
        if pick == "latest":
            for n in range(len(self.events), 0, -1):
                if self.events[n - 1].type in types:
                    return f"ev-{n}"
        if pick == "redelivered" and self.s.handled_causes:
            return sorted(self.s.handled_causes)[0]
        return f"ev-x{len(self.events)}"

    # -- per-event rules ----------------------------------------------------------------------

    def check_event(self, before: CaseState | None, event: DomainEvent) -> None:
        if before is None:
            assert event.type == "CaseSubmitted"
            return
        p = event.payload
        if event.type in MARKS:
            self.check_mark(before, event)
        if event.type == "ResultIssued" and before.item.fee_fen > 0 and before.outcome == "approved":
            assert before.fee is not None and before.fee.paid, "result issued with the fee unpaid"
        if event.type in ("CaseRouted", "RoutingFailed"):
            assert before.transit is not None, "routing a case that is not in transit"
        supervision_record = event.type in SUPERVISION_RECORDS or (
            event.type in MARKS and getattr(p, "target", None) == "supervision"
        )
        if before.status == Status.CLOSED:
            rectification_mark = event.type in MARKS and getattr(p, "target", None) == "rectification"
            assert event.type in AFTER_ARCHIVING or rectification_mark or supervision_record, (
                f"{event.type} after archiving"
            )
        if before.status in (Status.REFUSED, Status.WITHDRAWN):
            assert event.type in AFTER_TERMINAL or supervision_record, f"{event.type} after {before.status}"

    def check_mark(self, before: CaseState, event: DomainEvent) -> None:
        p = event.payload
        assert isinstance(p, DeadlineWarned | DeadlineMissed)
        today = local_date(event.at)
        if isinstance(p, DeadlineWarned):
            assert today >= CTX.calendar.previous_workday(p.due).date_value, "a warning too early"
        else:
            assert today > p.due, "an overdue mark before the due date passed"
        if p.target == "case":
            assert before.accepted_at is not None, "a clock mark before acceptance"
            assert before.suspension is None, "a clock mark while suspended"
            assert before.status in (Status.ACCEPTED, Status.HANDLING, Status.DECIDED)
            assert p.due == before.deadline, "a mark for a deadline the case no longer has"
        after = fold(before, [event])
        assert after is not None
        if p.target == "case":
            assert after.warned if isinstance(p, DeadlineWarned) else after.overdue

    # -- invariants ---------------------------------------------------------------------------

    @invariant()
    def replay_rebuilds_the_state(self) -> None:
        assert fold(None, self.events) == self.state
        if self.state is not None:
            assert self.state.version == len(self.events)

    @invariant()
    def one_holder_unless_in_transit(self) -> None:
        if self.state is None:
            return
        s = self.state
        if s.is_open:
            assert (s.holder is None) == (s.transit is not None), (s.holder, s.transit)
        if s.owner is not None:
            assert s.holder is not None

    @invariant()
    def the_clock_needs_acceptance_and_stops_while_suspended(self) -> None:
        if self.state is None:
            return
        s = self.state
        if s.accepted_at is None:
            assert s.deadline is None and s.internal_deadline is None and s.tolerated_due is None
            assert not any(m.startswith(("warning:case:", "overdue:case:")) for m in s.marks)
        if s.suspension is not None:
            assert s.status == Status.HANDLING and not s.clock_running

    @invariant()
    def fees_and_joint_reviews_hold(self) -> None:
        if self.state is None:
            return
        s = self.state
        if s.status in (Status.RESULT_ISSUED, Status.DELIVERED, Status.CLOSED):
            assert not s.fee_outstanding
        if s.outcome == "approved" and s.item.joint is not None:
            assert s.joint is not None and s.joint.result == "approved"
        if s.status == Status.CLOSED:
            assert s.outstanding_tolerated == ()
        if s.joint is not None:
            departments = [o.department for o in s.joint.opinions]
            assert len(departments) == len(set(departments)), "a department gave two opinions"
            assert set(departments) <= set(s.joint.reviewers)

    # -- set-up -------------------------------------------------------------------------------

    @initialize(
        terms=item_terms(),
        provided=st.sets(st.sampled_from(MATERIALS)),
        defective=st.sets(st.sampled_from(MATERIALS)),
        auto_accept=st.booleans(),
        fast_track=st.booleans(),
        proxy=st.booleans(),
        start=st.integers(0, 300),
    )
    def submit(
        self,
        terms: ItemTerms,
        provided: set[str],
        defective: set[str],
        auto_accept: bool,
        fast_track: bool,
        proxy: bool,
        start: int,
    ) -> None:
        self.now = MONDAY + timedelta(days=start)
        self.run(
            SubmitCase,
            "origin",
            case_number="511199-20260302-T01V01-0001",
            item=terms,
            applicant=applicant(),
            channel="village_room",
            provided=frozenset(provided),
            defective={m: "复印件不清晰" for m in defective & provided},
            auto_accept=auto_accept,
            fast_track=fast_track,
            proxy=MANDATE if proxy and terms.proxy_allowed else None,
        )
        assert self.state is not None

    # -- time -----------------------------------------------------------------------------------

    @rule(hours=st.sampled_from((1, 5, 24, 72, 24 * 7)))
    def tick(self, hours: int) -> None:
        self.now += timedelta(hours=hours)

    @rule(
        which=st.sampled_from(("deadline", "internal", "tolerated", "rectification", "order")),
        offset=st.integers(-2, 2),
    )
    def jump_near_a_due_date(self, which: str, offset: int) -> None:
        due = self.due_of(which)
        if due is not None:
            moment = datetime.combine(due + timedelta(days=offset), datetime.min.time(), LOCAL_TZ)
            self.now = max(self.now, moment + timedelta(hours=9))

    def due_of(self, which: str) -> date | None:
        s = self.s
        if which == "rectification":
            return s.rectification.due if s.rectification else None
        if which == "order":
            return s.orders[-1].due if s.orders else None
        return {"deadline": s.deadline, "internal": s.internal_deadline, "tolerated": s.tolerated_due}[which]

    # -- intake ---------------------------------------------------------------------------------

    @rule(who=WHO, missing=st.sets(st.sampled_from(MATERIALS)), defective=st.sets(st.sampled_from(MATERIALS)))
    def issue_notice(self, who: str, missing: set[str], defective: set[str]) -> None:
        self.run(
            IssueNotice, who, missing=tuple(sorted(missing)), defective={m: "印章不清" for m in defective}
        )

    @rule(who=WHO, materials=st.sets(st.sampled_from(MATERIALS), min_size=1))
    def supplement(self, who: str, materials: set[str]) -> None:
        self.run(SupplementMaterials, who, provided=frozenset(materials))

    @rule(who=WHO)
    def accept(self, who: str) -> None:
        self.run(AcceptCase, who)

    @rule(who=WHO, reason=TEXT, basis=TEXT)
    def refuse(self, who: str, reason: str, basis: str) -> None:
        self.run(RefuseCase, who, reason=reason, legal_basis=basis)

    # -- routing --------------------------------------------------------------------------------

    @rule(to=st.sampled_from((*NODES, "target")), pick=st.sampled_from(("latest", "redelivered", "unknown")))
    def route(self, to: str, pick: str) -> None:
        node = to
        if to == "target":
            node = (self.s.transit.target if self.s.transit else None) or VILLAGE
        cause = self.cause(
            pick, ("CaseAccepted", "CaseEscalated", "CaseReturned", "CaseTransferred", "ResultIssued")
        )
        self.run(RouteCase, "routing", to_node=node, cause_event_id=cause)

    @rule(
        pick=st.sampled_from(("latest", "redelivered", "unknown")), who=st.sampled_from(("routing", "owner"))
    )
    def fail_routing(self, pick: str, who: str) -> None:
        cause = self.cause(
            pick, ("CaseAccepted", "CaseEscalated", "CaseReturned", "CaseTransferred", "ResultIssued")
        )
        self.run(FailRouting, who, reason="组织架构中没有该节点", cause_event_id=cause)

    # -- handling -------------------------------------------------------------------------------

    @rule(who=WHO)
    def claim(self, who: str) -> None:
        self.run(ClaimCase, who)

    @rule(who=WHO, reason=TEXT)
    def escalate(self, who: str, reason: str) -> None:
        self.run(EscalateCase, who, reason=reason)

    @rule(who=WHO, reason=TEXT)
    def return_case(self, who: str, reason: str) -> None:
        self.run(ReturnCase, who, reason=reason)

    @rule(who=WHO, department=st.sampled_from(("planning", "health")), reason=TEXT)
    def transfer(self, who: str, department: str, reason: str) -> None:
        self.run(TransferCase, who, to_department=department, reason=reason)

    @rule(who=WHO, to=st.sampled_from(("bob", "alice", "t-wu", "v-li")))
    def hand_over(self, who: str, to: str) -> None:
        self.run(HandOverCase, who, to_operator=to, reason="休假")

    @rule(who=WHO, reason=TEXT)
    def fast_track(self, who: str, reason: str) -> None:
        self.run(FlagFastTrack, who, reason=reason)

    @rule(who=WHO, procedure=st.sampled_from(("expert_review", "field_survey", "hearing", "public_notice")))
    def suspend(self, who: str, procedure: str) -> None:
        self.run(SuspendCase, who, procedure=procedure, reason="需组织专家评审", expected_days=10)

    @rule(who=WHO)
    def resume(self, who: str) -> None:
        self.run(ResumeCase, who, note="评审完毕")

    @rule(who=WHO, days=st.sampled_from((1, 10, 25)), reason=TEXT)
    def request_extension(self, who: str, days: int, reason: str) -> None:
        self.run(RequestExtension, who, days=days, reason=reason)

    @rule(who=st.sampled_from(("supervision", "owner", "routing")), approve=st.booleans(), note=TEXT)
    def decide_extension(self, who: str, approve: bool, note: str) -> None:
        self.run(DecideExtension, who, approve=approve, note=note)

    # -- joint review ---------------------------------------------------------------------------

    @rule(who=WHO)
    def request_joint_review(self, who: str) -> None:
        self.run(RequestJointReview, who)

    @rule(
        who=st.sampled_from(("routing", "owner")),
        right=st.booleans(),
        pick=st.sampled_from(("latest", "redelivered")),
    )
    def dispatch_joint_review(self, who: str, right: bool, pick: str) -> None:
        reviewers = dict(REVIEWERS) if right else {"planning": PLANNING}
        self.run(
            DispatchJointReview,
            who,
            reviewers=reviewers,
            cause_event_id=self.cause(pick, ("JointReviewRequested",)),
        )

    @rule(
        who=st.sampled_from((PLANNING, FIRE, ENVIRONMENT, DEPT, "auditor")),
        approve=st.booleans(),
        opinion=TEXT,
    )
    def record_opinion(self, who: str, approve: bool, opinion: str) -> None:
        self.run(RecordOpinion, who, approve=approve, opinion=opinion)

    @rule(who=st.sampled_from(("routing", "owner")), pick=st.sampled_from(("latest", "redelivered")))
    def conclude_joint_review(self, who: str, pick: str) -> None:
        self.run(ConcludeJointReview, who, cause_event_id=self.cause(pick, ("JointOpinionRecorded",)))

    # -- outcome --------------------------------------------------------------------------------

    @rule(who=WHO, approved=st.booleans(), reason=TEXT)
    def decide(self, who: str, approved: bool, reason: str) -> None:
        self.run(DecideCase, who, approved=approved, reason=reason)

    @rule(who=WHO)
    def assess_fee(self, who: str) -> None:
        self.run(AssessFee, who, basis="")

    @rule(who=WHO, receipt=st.sampled_from(("", "SF-2026-000123")))
    def pay_fee(self, who: str, receipt: str) -> None:
        self.run(PayFee, who, receipt_no=receipt)

    @rule(who=WHO)
    def issue_result(self, who: str) -> None:
        self.run(IssueResult, who, result="准予登记")

    @rule(who=WHO, method=st.sampled_from(("in_person", "proxy", "mail")))
    def deliver(self, who: str, method: str) -> None:
        self.run(DeliverResult, who, method=method, recipient="张三")

    @rule(who=WHO)
    def close(self, who: str) -> None:
        self.run(CloseCase, who)

    @rule(who=WHO, reason=TEXT)
    def withdraw(self, who: str, reason: str) -> None:
        self.run(WithdrawCase, who, reason=reason)

    # -- after closing ----------------------------------------------------------------------------

    @rule(who=WHO, rating=st.integers(0, 6), comment=TEXT)
    def evaluate(self, who: str, rating: int, comment: str) -> None:
        self.run(EvaluateCase, who, rating=rating, comment=comment)

    @rule(who=st.sampled_from((DEPT, TOWNSHIP, VILLAGE, "auditor")), measures=TEXT)
    def complete_rectification(self, who: str, measures: str) -> None:
        self.run(CompleteRectification, who, measures=measures)

    @rule(who=st.sampled_from(("origin", "supervision", DEPT, "auditor")), satisfied=st.booleans())
    def follow_up(self, who: str, satisfied: bool) -> None:
        self.run(RecordFollowUp, who, satisfied=satisfied, note="电话回访")

    # -- supervision ----------------------------------------------------------------------------

    @rule(
        who=st.sampled_from(("origin", "supervision", "routing", "auditor")),
        number=st.integers(1, 2),
        against=st.sampled_from(NODES),
        content=TEXT,
    )
    def file_complaint(self, who: str, number: int, against: str, content: str) -> None:
        self.run(FileComplaint, who, complaint_id=f"TS-{number}", against_node=against, content=content)

    @rule(who=st.sampled_from(("supervision", "origin")), number=st.integers(1, 2), finding=TEXT)
    def resolve_complaint(self, who: str, number: int, finding: str) -> None:
        self.run(ResolveComplaint, who, complaint_id=f"TS-{number}", substantiated=True, finding=finding)

    @rule(who=st.sampled_from(("supervision", "owner")), number=st.integers(1, 2), days=st.integers(-1, 5))
    def order(self, who: str, number: int, days: int) -> None:
        due = local_date(self.now) + timedelta(days=days)
        self.run(IssueSupervisionOrder, who, order_id=f"DB-{number}", due=due, instruction="请于期限内办结")

    @rule(who=WHO, number=st.integers(1, 2), response=TEXT)
    def answer_order(self, who: str, number: int, response: str) -> None:
        order = self.s.order(f"DB-{number}")
        by: str | Actor = who
        if order is not None and who == "owner":
            by = Actor(operator_id="op", node_id=order.node_id, role="county_staff")
        self.run(AnswerSupervisionOrder, by, order_id=f"DB-{number}", response=response)

    @rule(
        kind=st.sampled_from(("warning", "overdue")),
        which=st.sampled_from(("deadline", "internal", "rectification", "order")),
        who=st.sampled_from(("routing", "routing", "supervision")),
    )
    def mark_deadline(self, kind: str, which: str, who: str) -> None:
        due = self.due_of(which) or local_date(self.now)
        target = {"rectification": "rectification", "order": "supervision"}.get(which, "case")
        ref = self.s.orders[-1].order_id if which == "order" and self.s.orders else CASE_ID
        self.run(MarkDeadline, who, kind=kind, target=target, ref=ref, due=due)

    # -- the obvious next step, with a detour now and then -----------------------------------------

    def advance(self, steps: int, approve: bool, rating: int, detour: str) -> None:
        for n in range(steps):
            self.next_step(approve, rating, detour if n == 0 else "")

    def next_step(self, approve: bool, rating: int, detour: str) -> None:
        s = self.s
        if detour in ("order", "complaint"):
            self.take_detour(detour)
        elif s.status in (Status.SUBMITTED, Status.PENDING_SUPPLEMENT):
            if s.incomplete:
                self.run(SupplementMaterials, "origin", provided=frozenset(s.incomplete))
            else:
                self.run(AcceptCase, "origin")
        elif s.transit is not None:
            target = s.transit.target or {"village": VILLAGE, "township": TOWNSHIP}.get(s.item.tier, DEPT)
            if s.transit.kind == "transfer":
                target = PLANNING
            self.run(RouteCase, "routing", to_node=target, cause_event_id=f"ev-{len(self.events)}")
        elif s.suspension is not None:
            self.now += timedelta(days=3)
            self.run(ResumeCase, "holder")
        elif s.status == Status.HANDLING and s.owner is None:
            self.run(ClaimCase, "holder")
        elif s.status in (Status.HANDLING, Status.DECIDED) and detour:
            self.take_detour(detour)
        elif (
            s.status == Status.HANDLING
            and s.item.joint is not None
            and (s.joint is None or s.joint.result is None)
        ):
            self.advance_joint_review(approve)
        elif s.status == Status.HANDLING:
            self.run(DecideCase, "owner", approved=approve, reason="理由")
        elif s.status == Status.DECIDED and s.fee_outstanding:
            if s.fee is None:
                self.run(AssessFee, "owner")
            else:
                self.run(PayFee, "holder", receipt_no="SF-2026-000001")
        elif s.status == Status.DECIDED:
            self.run(IssueResult, "owner", result="准予登记")
        elif s.status == Status.RESULT_ISSUED:
            self.run(DeliverResult, "origin", method="proxy" if s.proxy else "in_person")
        elif s.status == Status.DELIVERED:
            if s.outstanding_tolerated:
                self.run(SupplementMaterials, "origin", provided=frozenset(s.outstanding_tolerated))
            self.run(CloseCase, "origin")
        elif s.status == Status.CLOSED and s.evaluation is None:
            self.run(EvaluateCase, "origin", rating=rating, comment="窗口人员态度差" if rating <= 2 else "")
        elif s.rectification and not s.rectification.completed:
            rectifier = Actor(operator_id="zheng", node_id=s.rectification.node_id, role="county_staff")
            self.run(CompleteRectification, rectifier, measures="约谈窗口人员并通报")
        elif s.rectification and s.rectification.satisfied is None:
            self.run(RecordFollowUp, "supervision", satisfied=approve)

    def take_detour(self, detour: str) -> None:
        """A branch an operator meets in a week at a window, taken while the case is handled."""
        s = self.s
        if detour == "suspend":
            self.run(SuspendCase, "owner", procedure="field_survey", reason="需现场勘查")
        elif detour == "extend":
            self.run(RequestExtension, "owner", days=5, reason="需补充调查")
            self.run(
                DecideExtension,
                "supervision",
                approve=s.version % 2 == 0,
                note="同意" if s.version % 2 == 0 else "理由不充分",
            )
        elif detour == "escalate":
            self.run(EscalateCase, "owner", reason="超出本级权限")
        elif detour == "return":
            self.run(ReturnCase, "owner", reason="材料需村里核实")
        elif detour == "transfer":
            self.run(TransferCase, "owner", to_department="planning", reason="属自然资源部门职责")
        elif detour == "hand_over":
            self.run(HandOverCase, "owner", to_operator=self.actor("colleague").operator_id, reason="休假")
        elif detour in ("warning", "overdue") and s.deadline is not None:
            day = s.deadline - timedelta(days=1) if detour == "warning" else s.deadline + timedelta(days=1)
            self.now = max(
                self.now, datetime.combine(day, datetime.min.time(), LOCAL_TZ) + timedelta(hours=9)
            )
            self.run(MarkDeadline, "routing", kind=detour, target="case", ref=CASE_ID, due=s.deadline)
        elif detour == "order":
            order_id = f"DB-{len(s.orders) + 1}"
            self.run(
                IssueSupervisionOrder,
                "supervision",
                order_id=order_id,
                due=local_date(self.now) + timedelta(days=2),
                instruction="请加快办理",
            )
        elif detour == "complaint":
            self.run(
                FileComplaint,
                "origin",
                complaint_id=f"TS-{len(s.complaints) + 1}",
                against_node=s.trail[-1],
                content="办事拖延",
            )

    def advance_joint_review(self, approve: bool) -> None:
        s = self.s
        if s.joint is None:
            self.run(RequestJointReview, "owner")
        elif not s.joint.reviewers:
            self.run(
                DispatchJointReview,
                "routing",
                reviewers=dict(REVIEWERS),
                cause_event_id=f"ev-{len(self.events)}",
            )
        else:
            waiting = [n for d, n in s.joint.reviewers.items() if s.joint.opinion_of(d) is None]
            if waiting:
                self.run(RecordOpinion, waiting[0], approve=approve, opinion="" if approve else "不符合规划")
            self.run(ConcludeJointReview, "routing", cause_event_id=f"ev-{len(self.events)}")


DETOURS = (
    "",
    "",
    "",
    "suspend",
    "extend",
    "escalate",
    "return",
    "transfer",
    "hand_over",
    "warning",
    "overdue",
    "order",
    "complaint",
)

# Rules are drawn uniformly: registering the happy path under several names makes it about a fifth
# of all steps, so most runs reach the late stages while every other rule still runs in every stage.
for _n in range(10):
    setattr(
        CaseMachine,
        f"advance_{_n}",
        rule(
            steps=st.integers(1, 4),
            approve=st.booleans(),
            rating=st.integers(1, 5),
            detour=st.sampled_from(DETOURS),
        )(CaseMachine.advance),
    )

CaseMachine.TestCase.settings = settings(
    max_examples=150,
    stateful_step_count=50,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
TestCaseLifecycle = CaseMachine.TestCase
