"""Request and response bodies of the intake API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from shared.case import Applicant, ProxyMandate
from shared.case.state import Channel

MaterialCode = Annotated[str, Field(min_length=1, max_length=16)]
Problem = Annotated[str, Field(min_length=1, max_length=200, description="what is wrong with it")]
Defects = Annotated[
    dict[MaterialCode, Problem],
    Field(max_length=50, description="materials brought but defective: code → what is wrong (补正)"),
]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SubmitRequest(Strict):
    item_code: str = Field(min_length=1, max_length=16, description="catalog item code, e.g. MZ-001")
    channel: Channel | None = Field(default=None, description="defaults to the node's own channel")
    applicant: Applicant
    materials: list[MaterialCode] = Field(
        default_factory=list, max_length=50, description="codes of materials brought"
    )
    defective: Defects = Field(default_factory=dict)
    accept: bool = Field(default=True, description="accept at once when complete (受理); false: 收件 only")
    fast_track: bool = Field(default=False, description="快速通道: priority and a shorter internal limit")
    proxy: ProxyMandate | None = Field(default=None, description="代办: the village agent and the mandate")


class NoticeRequest(Strict):
    missing: list[MaterialCode] = Field(default_factory=list, max_length=50)
    defective: Defects = Field(default_factory=dict)


class SupplementRequest(Strict):
    materials: list[MaterialCode] = Field(min_length=1, max_length=50)


class RefuseRequest(Strict):
    reason: str = Field(min_length=1, max_length=500, description="不予受理的理由")
    legal_basis: str = Field(min_length=1, max_length=300, description="不予受理的法律依据")


class WithdrawRequest(Strict):
    reason: str = Field(min_length=1, max_length=500, description="撤回原因")


class MaterialRef(BaseModel):
    code: str
    name: str


class DefectRef(MaterialRef):
    problem: str


class CaseSummary(BaseModel):
    case_id: str
    case_number: str
    status: str
    version: int
    holder: str | None
    item_code: str
    item_name: str
    channel: str
    deadline: date | None
    notice_missing: list[MaterialRef]
    defective: list[DefectRef]
    tolerated_missing: list[MaterialRef] = Field(description="accepted with these missing (容缺)")
    tolerated_outstanding: list[MaterialRef] = Field(description="tolerated materials still owed")
    tolerated_due: date | None
    fast_track: bool
    internal_deadline: date | None
    proxy: ProxyMandate | None
    calendar_warnings: list[str]


class DocumentEntry(BaseModel):
    kind: str = Field(description="receipt, notice, refusal, suspension, extension, decision, fee, delivery")
    seq: int = Field(description="the case event that issued it")
    title: str
    number: str
    issuer: str
    at: datetime
    url: str = Field(description="the printable HTML page of this very document")
