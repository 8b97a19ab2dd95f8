"""Commands that take a case through its lifecycle, for the decider tests in this folder.

Every builder has the defaults of the most common story — a county-tier 社团审批 submitted at
柳新村 by the village agent, placed by routing at the civil-affairs window and claimed there by
alice — and takes ``at`` (China time, via :func:`china`) where the date matters.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from shared.case import (
    ClaimCase,
    CloseCase,
    DecideCase,
    DeliverResult,
    EvaluateCase,
    IssueNotice,
    IssueResult,
    ItemTerms,
    JointTerms,
    ProxyMandate,
    RouteCase,
    SubmitCase,
    SupplementMaterials,
)
from shared.case.kernel import Command
from shared.case.outcome import DeliveryMethod
from shared.clock import LOCAL_TZ
from shared.events import Actor
from tests.support.builders import CASE_ID, DEPT, MONDAY, ROUTING, VILLAGE, actor, applicant, item

AGENT = "agent-wang"  # the village service room's operator and 代办员
ALICE = "alice"  # the civil-affairs window operator who claims the case (首问负责)
BOB = "bob"  # her colleague at the same window
OTHER_VILLAGE = "c01.t01.v02"
PLANNING = "c01.d.planning"
FIRE = "c01.d.fire-rescue"
ENVIRONMENT = "c01.d.environment"
REVIEWERS = {"planning": PLANNING, "fire-rescue": FIRE, "environment": ENVIRONMENT}
SUPERVISOR = Actor(operator_id="zhou-duchake", node_id="c01", role="supervision")
AUDITOR = Actor(operator_id="auditor-1", node_id="c01", role="auditor")
RESULT = "准予登记，发给《社会团体法人登记证书》"
MANDATE = ProxyMandate(agent_id=AGENT, mandate_ref="委托书 柳新村〔2026〕001号")


def china(month: int, day: int, hour: int = 10, minute: int = 0, year: int = 2026) -> datetime:
    """An instant on the wall clock of a Chinese service center."""
    return datetime(year, month, day, hour, minute, tzinfo=LOCAL_TZ)


def joint_item(mode: Literal["all", "any"] = "all", **over: object) -> ItemTerms:
    """A county item that needs three other departments' opinions (并联审批): 会签 or 或签."""
    return item(joint=JointTerms(kind="parallel_approval", mode=mode, departments=tuple(REVIEWERS)), **over)


def submit(
    terms: ItemTerms | None = None,
    provided: tuple[str, ...] = ("m1", "m2", "m3"),
    *,
    defective: dict[str, str] | None = None,
    at: datetime = MONDAY,
    auto_accept: bool = True,
    fast_track: bool = False,
    proxy: ProxyMandate | None = None,
    node: str = VILLAGE,
    operator: str = AGENT,
) -> SubmitCase:
    return SubmitCase(
        case_id=CASE_ID,
        at=at,
        actor=actor(node, operator),
        case_number="511199-20260302-T01V01-0001",
        item=terms or item(),
        applicant=applicant(),
        channel="village_room",
        provided=frozenset(provided),
        defective=defective or {},
        auto_accept=auto_accept,
        fast_track=fast_track,
        proxy=proxy,
    )


def notice(
    missing: tuple[str, ...] = (),
    defective: dict[str, str] | None = None,
    *,
    at: datetime = MONDAY,
    node: str = VILLAGE,
) -> IssueNotice:
    return IssueNotice(
        case_id=CASE_ID, at=at, actor=actor(node, AGENT), missing=missing, defective=defective or {}
    )


def supplement(
    *codes: str, at: datetime = MONDAY, node: str = VILLAGE, operator: str = AGENT
) -> SupplementMaterials:
    return SupplementMaterials(case_id=CASE_ID, at=at, actor=actor(node, operator), provided=frozenset(codes))


def route(to: str, cause: str, at: datetime = MONDAY) -> RouteCase:
    return RouteCase(case_id=CASE_ID, at=at, actor=ROUTING, to_node=to, cause_event_id=cause)


def claim(node: str = DEPT, operator: str = ALICE, at: datetime = MONDAY) -> ClaimCase:
    return ClaimCase(case_id=CASE_ID, at=at, actor=actor(node, operator))


def decide(
    approved: bool = True,
    reason: str = "符合登记条件",
    *,
    node: str = DEPT,
    operator: str = ALICE,
    at: datetime = MONDAY,
) -> DecideCase:
    return DecideCase(case_id=CASE_ID, at=at, actor=actor(node, operator), approved=approved, reason=reason)


def issue(node: str = DEPT, operator: str = ALICE, at: datetime = MONDAY) -> IssueResult:
    return IssueResult(case_id=CASE_ID, at=at, actor=actor(node, operator), result=RESULT)


def deliver(
    method: DeliveryMethod = "in_person", node: str = VILLAGE, at: datetime = MONDAY
) -> DeliverResult:
    return DeliverResult(case_id=CASE_ID, at=at, actor=actor(node, AGENT), method=method, recipient="张三")


def close(node: str = VILLAGE, at: datetime = MONDAY) -> CloseCase:
    return CloseCase(case_id=CASE_ID, at=at, actor=actor(node, AGENT))


def evaluate(rating: int, comment: str = "", node: str = VILLAGE, at: datetime = MONDAY) -> EvaluateCase:
    return EvaluateCase(case_id=CASE_ID, at=at, actor=actor(node, AGENT), rating=rating, comment=comment)


# -- stories ------------------------------------------------------------------------------------


def at_dept(
    terms: ItemTerms | None = None, *, at: datetime = MONDAY, provided: tuple[str, ...] = ("m1", "m2", "m3")
) -> list[Command]:
    """Accepted at the village (complete), placed at the civil-affairs window, claimed by alice."""
    return [submit(terms, provided, at=at), route(DEPT, "ev-accepted", at), claim(DEPT, at=at)]


def decided_at_dept(
    terms: ItemTerms | None = None, *, approved: bool = True, at: datetime = MONDAY
) -> list[Command]:
    return [*at_dept(terms, at=at), decide(approved, at=at)]


def back_at_village(
    terms: ItemTerms | None = None, *, provided: tuple[str, ...] = ("m1", "m2", "m3")
) -> list[Command]:
    """Decided and issued at the window, the result carried back to the village for delivery."""
    return [*at_dept(terms, provided=provided), decide(), issue(), route(VILLAGE, "ev-issued")]


def closed(terms: ItemTerms | None = None) -> list[Command]:
    return [*back_at_village(terms), deliver(), close()]


def village_tier_at_village(terms: ItemTerms | None = None) -> list[Command]:
    """A village-tier matter handled where it was accepted: claimed by the agent himself."""
    return [submit(terms or item(tier="village")), route(VILLAGE, "ev-accepted"), claim(VILLAGE, AGENT)]
