"""Fixed cases for the document tests: real events from the core's decide/evolve, with fixed
ids, times and reference data, so every rendering is the same on every machine."""

from __future__ import annotations

from datetime import UTC, datetime

from shared.calendar import WorkCalendar
from shared.case import (
    AcceptCase,
    Applicant,
    AssessFee,
    ClaimCase,
    CloseCase,
    Command,
    Context,
    DecideCase,
    DecideExtension,
    DeliverResult,
    IssueNotice,
    IssueResult,
    PayFee,
    ProxyMandate,
    RefuseCase,
    RequestExtension,
    ResumeCase,
    RouteCase,
    SubmitCase,
    SupplementMaterials,
    SuspendCase,
)
from shared.case.kernel import decide, fold
from shared.catalog import Material, ServiceItem
from shared.clock import LOCAL_TZ
from shared.documents import Recorded, Reference
from shared.events import Actor
from shared.org import OrgNode, OrgTree
from shared.service_layer.terms import item_terms

CTX = Context(calendar=WorkCalendar.load(None))
VILLAGE, DEPT, COUNTY = "c01.t01.v01", "c01.d.construction", "c01"

ORG = OrgTree(
    [
        OrgNode(id="c01", code="C01", name="示范县", kind="county", parent=None, region_code="511199"),
        OrgNode(id="c01.t01", code="T01", name="柳新镇", kind="township", parent="c01"),
        OrgNode(id=VILLAGE, code="T01V01", name="柳新村", kind="village", parent="c01.t01"),
        OrgNode(
            id=DEPT, code="DZJ", name="住房和城乡建设局", kind="department", parent="c01", key="construction"
        ),
    ]
)
ITEM = ServiceItem(
    code="ZJ-002",
    name="城市树木变动及占用绿地审批",
    department="construction",
    tier="county",
    kind="promised",
    promised_days=10,
    legal_days=20,
    legal_basis="《城市绿化条例》",
    materials=(
        Material(code="m1", name="申请书", kind="required"),
        Material(code="m2", name="现场位置图及照片", kind="required"),
        Material(code="m3", name="申请人身份证或营业执照复印件", kind="required"),
        Material(code="m4", name="建设项目批准文件", kind="optional"),
        Material(code="m5", name="补植树木或恢复绿地方案", kind="tolerable"),
    ),
    fee_fen=30000,
    fee_basis="《城市绿化条例》；省物价局、财政厅核定的城市绿化补偿费标准",
)
REF = Reference(org=ORG, item=ITEM)

WANG = Actor(operator_id="wang", node_id=VILLAGE, role="village_operator")
LI = Actor(operator_id="li", node_id=DEPT, role="county_staff")
DU = Actor(operator_id="du", node_id=COUNTY, role="supervision")
ROUTING = Actor(operator_id="system:routing", node_id=COUNTY, role="system")
APPLICANT = Applicant(
    name="张三", id_number="11010519491231002X", phone="13800000000", organization="柳新村绿化合作社"
)


def at(day: int, hour: int = 10, minute: int = 0) -> datetime:
    """March 2026, China time (UTC+8)."""
    return datetime(2026, 3, day, hour, minute, tzinfo=LOCAL_TZ).astimezone(UTC)


def run(commands: list[Command]) -> list[Recorded]:
    state = None
    out: list[Recorded] = []
    for cmd in commands:
        for event in decide(state, cmd, CTX):
            out.append(Recorded(len(out) + 1, event))
            state = fold(state, [event])
    return out


def submit(case_id: str, number: str, provided: set[str], **extra: object) -> SubmitCase:
    return SubmitCase(
        case_id=case_id,
        at=at(2),
        actor=WANG,
        case_number=number,
        item=item_terms(ITEM),
        applicant=APPLICANT,
        channel="village_room",
        provided=frozenset(provided),
        **extra,  # type: ignore[arg-type]
    )


def approved_case() -> list[Recorded]:
    """Notice, a second notice, tolerated-gap acceptance, suspension, extension, approval, fee,
    a proxy delivery: every document but the refusal and the denial."""
    c = "T01V01-01JGOLDEN00000000000001"
    return run(
        [
            submit(
                c,
                "511199-20260302-T01V01-0001",
                {"m1", "m2"},
                defective={"m2": "照片模糊，无法辨认树木位置"},
                proxy=ProxyMandate(agent_id="daiban-01", mandate_ref="委托书第2026-007号"),
            ),
            SupplementMaterials(case_id=c, at=at(3), actor=WANG, provided=frozenset({"m3"})),
            IssueNotice(case_id=c, at=at(3, 10, 5), actor=WANG, defective={"m2": "补交的照片未标明树木位置"}),
            SupplementMaterials(case_id=c, at=at(4), actor=WANG, provided=frozenset({"m2"})),
            RouteCase(case_id=c, at=at(4, 10, 1), actor=ROUTING, to_node=DEPT, cause_event_id="cause-1"),
            ClaimCase(case_id=c, at=at(4, 14), actor=LI),
            SuspendCase(
                case_id=c,
                at=at(5),
                actor=LI,
                procedure="field_survey",
                reason="需现场勘查拟迁移树木的位置和胸径",
                expected_days=3,
            ),
            ResumeCase(case_id=c, at=at(10), actor=LI, note="现场勘查已完成"),
            RequestExtension(case_id=c, at=at(11), actor=LI, days=5, reason="迁移方案需征求园林专家意见"),
            DecideExtension(case_id=c, at=at(12), actor=DU, approve=True, note="同意延期"),
            DecideCase(case_id=c, at=at(16), actor=LI, approved=True, reason="迁移方案可行，同意按方案迁移"),
            AssessFee(case_id=c, at=at(16, 10, 30), actor=LI, basis="城市绿化补偿费"),
            PayFee(case_id=c, at=at(16, 15), actor=LI, receipt_no="SF2026-000123"),
            SupplementMaterials(case_id=c, at=at(17), actor=WANG, provided=frozenset({"m5"})),
            IssueResult(
                case_id=c, at=at(17, 11), actor=LI, result="城市树木迁移许可证（示建绿字〔2026〕第12号）"
            ),
            RouteCase(case_id=c, at=at(17, 11, 1), actor=ROUTING, to_node=VILLAGE, cause_event_id="cause-2"),
            DeliverResult(
                case_id=c, at=at(18, 9, 30), actor=WANG, method="proxy", recipient="李四（代办员）"
            ),
            CloseCase(case_id=c, at=at(18, 9, 35), actor=WANG),
        ]
    )


def refused_case() -> list[Recorded]:
    c = "T01V01-01JGOLDEN00000000000002"
    return run(
        [
            submit(c, "511199-20260302-T01V01-0002", {"m1", "m2", "m3", "m5"}, auto_accept=False),
            RefuseCase(
                case_id=c,
                at=at(2, 11),
                actor=WANG,
                reason="申请迁移的树木为古树名木，不属于本事项的受理范围",
                legal_basis="《城市绿化条例》第二十四条；《中华人民共和国行政许可法》第三十二条第一款第（二）项",
            ),
        ]
    )


def denied_case() -> list[Recorded]:
    c = "T01V01-01JGOLDEN00000000000003"
    return run(
        [
            submit(c, "511199-20260302-T01V01-0003", {"m1", "m2", "m3", "m5"}, auto_accept=False),
            AcceptCase(case_id=c, at=at(2, 10, 10), actor=WANG),
            RouteCase(case_id=c, at=at(2, 10, 11), actor=ROUTING, to_node=DEPT, cause_event_id="cause-3"),
            ClaimCase(case_id=c, at=at(3), actor=LI),
            DecideCase(
                case_id=c,
                at=at(6),
                actor=LI,
                approved=False,
                reason="拟占用的绿地属于城市公园绿地，依法不得改变用途",
            ),
        ]
    )
