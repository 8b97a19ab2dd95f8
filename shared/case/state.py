"""The case aggregate's state: a frozen snapshot that only ``evolve`` produces."""

from __future__ import annotations

import re
from datetime import date, datetime
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

Tier = Literal["village", "township", "county"]
Channel = Literal["village_room", "township_center", "county_window", "online", "hotline"]
TransitKind = Literal["intake", "escalation", "return", "transfer", "delivery"]

ID_NUMBER = re.compile(r"^\d{17}[\dX]$")
PHONE = re.compile(r"^1\d{10}$|^0\d{2,3}-?\d{7,8}$")


class Status(StrEnum):
    SUBMITTED = "submitted"  # 收件, not yet accepted
    PENDING_SUPPLEMENT = "pending_supplement"  # one-time notice issued, waiting for 补正
    ACCEPTED = "accepted"  # 受理: the clock runs; waiting to be routed
    REFUSED = "refused"  # 不予受理 (terminal)
    HANDLING = "handling"  # at a handling node
    DECIDED = "decided"  # approved or denied
    RESULT_ISSUED = "result_issued"  # 出件: result produced, on its way to delivery
    DELIVERED = "delivered"  # 送达
    CLOSED = "closed"  # 办结归档
    WITHDRAWN = "withdrawn"  # 撤回 (terminal)


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Applicant(Frozen):
    """The citizen or organisation. Personal data: never logged."""

    name: str = Field(min_length=1, max_length=60)
    id_number: str | None = Field(default=None, max_length=18)
    phone: str | None = Field(default=None, max_length=20)
    organization: str | None = Field(default=None, max_length=100)

    @field_validator("name", "organization")
    @classmethod
    def _strip(cls, v: str | None) -> str | None:
        return v.strip() if v is not None else v

    @field_validator("id_number")
    @classmethod
    def _id(cls, v: str | None) -> str | None:
        if v is not None and not ID_NUMBER.match(v.upper()):
            raise ValueError("id_number must be an 18-character resident ID number")
        return v.upper() if v else v

    @field_validator("phone")
    @classmethod
    def _phone(cls, v: str | None) -> str | None:
        if v is not None and not PHONE.match(v):
            raise ValueError("phone must be a mobile (11 digits) or landline number")
        return v


class JointTerms(Frozen):
    kind: Literal["parallel_approval", "joint_prereview"]
    mode: Literal["all", "any"]
    departments: tuple[str, ...]


class ItemTerms(Frozen):
    """The catalog terms a case was submitted under, frozen into the case (the promise made then)."""

    code: str
    name: str
    department: str
    tier: Tier
    kind: Literal["immediate", "promised"]
    promised_days: int = Field(ge=0)
    fee_fen: int = Field(default=0, ge=0)
    required: tuple[str, ...] = ()
    tolerable: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    material_names: dict[str, str] = Field(default_factory=dict)
    joint: JointTerms | None = None
    proxy_allowed: bool = True
    legal_basis: str = ""  # frozen with the case, so its documents cite the law it was handled under
    fee_basis: str = ""

    def material_name(self, code: str) -> str:
        return self.material_names.get(code, code)


class Transit(Frozen):
    """A hand-over in progress: the case left a node and waits for routing to place it."""

    kind: TransitKind
    from_node: str | None
    reason: str = ""
    target: str | None = None  # a node id, when the next node is already known (return, delivery)
    department: str | None = None  # a department key, for a transfer (转办)


Procedure = Literal["expert_review", "field_survey", "hearing", "public_notice"]


class ProxyMandate(Frozen):
    """代办: a village agent carries the case for the citizen under a written mandate (委托)."""

    agent_id: str = Field(min_length=1, max_length=64)
    mandate_ref: str = Field(min_length=1, max_length=100, description="委托书编号或说明")


class Suspension(Frozen):
    procedure: Procedure
    reason: str
    since: datetime
    expected_days: int | None = None


class ExtensionRequest(Frozen):
    days: int
    reason: str
    requested_by: str


class Fee(Frozen):
    amount_fen: int
    basis: str
    paid: bool = False
    receipt_no: str = ""


class Opinion(Frozen):
    department: str
    node_id: str
    operator_id: str
    approve: bool
    opinion: str
    late: bool = False


class JointReview(Frozen):
    kind: Literal["parallel_approval", "joint_prereview"]
    mode: Literal["all", "any"]
    departments: tuple[str, ...]
    reviewers: dict[str, str] = Field(default_factory=dict)  # department key -> node id, once dispatched
    opinions: tuple[Opinion, ...] = ()
    result: Literal["approved", "rejected"] | None = None

    def opinion_of(self, department: str) -> Opinion | None:
        return next((o for o in self.opinions if o.department == department and not o.late), None)


class Rectification(Frozen):
    node_id: str
    due: date
    reason: str
    completed: bool = False
    measures: str = ""
    satisfied: bool | None = None  # the follow-up (回访) verdict


class Complaint(Frozen):
    complaint_id: str
    against_node: str
    against_operator: str | None
    content: str
    resolved: bool = False
    substantiated: bool | None = None
    finding: str = ""


class SupervisionOrder(Frozen):
    order_id: str
    node_id: str
    due: date
    instruction: str
    answered: bool = False
    response: str = ""


class CaseState(Frozen):
    case_id: str
    case_number: str
    item: ItemTerms
    applicant: Applicant
    channel: Channel
    origin_node: str
    status: Status
    version: int = 0
    submitted_at: datetime
    updated_at: datetime
    provided: frozenset[str] = frozenset()
    notice_missing: tuple[str, ...] = ()
    tolerated_missing: tuple[str, ...] = ()
    holder: str | None = None
    owner: str | None = None
    transit: Transit | None = None
    trail: tuple[str, ...] = ()
    accepted_at: datetime | None = None
    deadline: date | None = None
    calendar_warnings: tuple[str, ...] = ()
    outcome: Literal["approved", "denied"] | None = None
    outcome_reason: str = ""
    result: str = ""
    result_issued_at: datetime | None = None
    delivered_at: datetime | None = None
    closed_at: datetime | None = None
    evaluation: int | None = None
    refusal_reason: str = ""
    routing_failure: str = ""
    handled_causes: frozenset[str] = frozenset()
    defective: dict[str, str] = Field(default_factory=dict)  # material code -> what is wrong with it
    first_notice: tuple[
        str, ...
    ] = ()  # every material the one-time notice listed: later notices may not add any
    tolerated_due: date | None = None
    proxy: ProxyMandate | None = None
    fast_track: bool = False
    internal_deadline: date | None = None
    suspension: Suspension | None = None
    paused_workdays: int = 0
    extension_request: ExtensionRequest | None = None
    extended_days: int = 0
    fee: Fee | None = None
    joint: JointReview | None = None
    decided_by_node: str | None = None
    rectification: Rectification | None = None
    complaints: tuple[Complaint, ...] = ()
    orders: tuple[SupervisionOrder, ...] = ()
    marks: frozenset[str] = frozenset()  # "warning|overdue:<target>:<ref>:<due>" clock marks already made
    withdrawn_reason: str = ""

    @property
    def missing_required(self) -> tuple[str, ...]:
        return tuple(m for m in self.item.required if m not in self.provided)

    @property
    def incomplete(self) -> tuple[str, ...]:
        """What stands between the case and acceptance: missing required materials and defective ones
        (a defective tolerable material may still be accepted as a tolerated gap)."""
        return tuple(m for m in self.item.required if m not in self.provided or m in self.defective)

    @property
    def missing_tolerable(self) -> tuple[str, ...]:
        return tuple(m for m in self.item.tolerable if m not in self.provided)

    @property
    def is_open(self) -> bool:
        return self.status not in (Status.REFUSED, Status.CLOSED, Status.WITHDRAWN)

    @property
    def clock_running(self) -> bool:
        """The handling clock runs from acceptance until the result is issued, except while suspended."""
        return (
            self.accepted_at is not None
            and self.status in (Status.ACCEPTED, Status.HANDLING, Status.DECIDED)
            and self.suspension is None
        )

    @property
    def warned(self) -> bool:
        return (
            self.deadline is not None
            and mark_key("warning", "case", self.case_id, self.deadline) in self.marks
        )

    @property
    def overdue(self) -> bool:
        return (
            self.deadline is not None
            and mark_key("overdue", "case", self.case_id, self.deadline) in self.marks
        )

    @property
    def outstanding_tolerated(self) -> tuple[str, ...]:
        return tuple(m for m in self.tolerated_missing if m not in self.provided)

    @property
    def fee_outstanding(self) -> bool:
        return self.item.fee_fen > 0 and self.outcome == "approved" and not (self.fee and self.fee.paid)

    def order(self, order_id: str) -> SupervisionOrder | None:
        return next((o for o in self.orders if o.order_id == order_id), None)

    def complaint(self, complaint_id: str) -> Complaint | None:
        return next((c for c in self.complaints if c.complaint_id == complaint_id), None)


def mark_key(kind: str, target: str, ref: str, due: date) -> str:
    return f"{kind}:{target}:{ref}:{due.isoformat()}"
