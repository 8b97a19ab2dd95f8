"""Rendering: one autoescaping Jinja2 environment over the templates shipped in this package."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from jinja2 import Environment, PackageLoader, StrictUndefined

from shared.documents.facts import facts_for
from shared.documents.history import Recorded, Step, replay
from shared.documents.kinds import BY_EVENT, KINDS
from shared.documents.parties import Reference

_env = Environment(
    loader=PackageLoader("shared.documents", "templates"),
    autoescape=True,  # every value from a case is escaped; no template marks anything safe
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)


class DocumentNotFound(LookupError):
    def __init__(self, code: str, message: str, message_en: str) -> None:
        super().__init__(message_en)
        self.code, self.message, self.message_en = code, message, message_en


@dataclass(frozen=True)
class DocumentRef:
    kind: str
    seq: int
    title: str
    number: str
    issuer: str
    at: datetime


def issued(steps: list[Step]) -> list[tuple[str, Step]]:
    return [(BY_EVENT[s.type].key, s) for s in steps if s.type in BY_EVENT]


def list_documents(recorded: Sequence[Recorded], ref: Reference) -> list[DocumentRef]:
    """Every document the case has issued so far, in the order the events happened."""
    steps = replay(recorded)
    out = []
    for kind, step in issued(steps):
        facts = facts_for(kind, step, steps, ref)
        out.append(
            DocumentRef(kind, step.seq, facts["title"], facts["number"], facts["issuer"], step.event.at)
        )
    return out


def render_document(recorded: Sequence[Recorded], kind: str, ref: Reference, seq: int | None = None) -> str:
    """The document of this kind issued by the event at ``seq``, or the latest one of the kind."""
    if kind not in KINDS:
        raise DocumentNotFound("unknown_document", "没有这种文书", f"no document kind {kind!r}")
    steps = replay(recorded)
    found = [s for k, s in issued(steps) if k == kind and (seq is None or s.seq == seq)]
    if not found:
        title = KINDS[kind].default_title
        raise DocumentNotFound(
            "document_not_issued", f"该办件尚未出具{title}", f"the case has no {kind} document yet"
        )
    step = found[-1]
    return _env.get_template(f"{kind}.html").render(doc=facts_for(kind, step, steps, ref))
