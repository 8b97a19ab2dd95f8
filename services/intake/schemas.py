"""Request and response bodies of the intake API."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from shared.case import Applicant
from shared.case.state import Channel


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SubmitRequest(Strict):
    item_code: str = Field(min_length=1, max_length=16, description="catalog item code, e.g. MZ-001")
    channel: Channel | None = Field(default=None, description="defaults to the node's own channel")
    applicant: Applicant
    materials: list[str] = Field(
        default_factory=list, max_length=50, description="codes of materials brought"
    )
    accept: bool = Field(default=True, description="accept at once when complete (受理); false: 收件 only")


class SupplementRequest(Strict):
    materials: list[str] = Field(min_length=1, max_length=50)


class RefuseRequest(Strict):
    reason: str = Field(min_length=1, max_length=500)
    legal_basis: str = Field(default="", max_length=300)


class MaterialRef(BaseModel):
    code: str
    name: str


class CaseSummary(BaseModel):
    case_id: str
    case_number: str
    status: str
    version: int
    holder: str | None
    item_code: str
    item_name: str
    deadline: date | None
    notice_missing: list[MaterialRef]
    tolerated_missing: list[MaterialRef]
    calendar_warnings: list[str]
