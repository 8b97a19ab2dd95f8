"""Request bodies of the node API."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from shared.case.outcome import DeliveryMethod


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")
    expected_version: int | None = Field(
        default=None, ge=0, description="the case version the operator saw; a newer case gives 409"
    )


class NoBody(Strict):
    pass


class ReasonBody(Strict):
    reason: str = Field(min_length=1, max_length=500)


class DecideBody(Strict):
    approved: bool
    reason: str = Field(default="", max_length=1000)


class IssueBody(Strict):
    result: str = Field(min_length=1, max_length=500)


class DeliverBody(Strict):
    method: DeliveryMethod = "in_person"
    recipient: str = Field(default="", max_length=60)


class EvaluateBody(Strict):
    rating: int = Field(ge=1, le=5)
    comment: str = Field(default="", max_length=500)
