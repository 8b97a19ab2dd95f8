"""Document routes: the printable HTML page of one document, and the list of a case's documents.

Both answer only those who may read the case (``shared/web/access.py``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse

from services.intake import documents
from services.intake.api import ActorDep, KernelDep
from services.intake.schemas import DocumentEntry

router = APIRouter()

# Documents style themselves inline and never run scripts or load anything; they carry personal
# data, so nobody caches them.
HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; "
        "form-action 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def document_url(case_id: str, kind: str, seq: int) -> str:
    return f"/cases/{case_id}/documents/{kind}?seq={seq}"


@router.get("/api/cases/{case_id}/documents", tags=["documents"], response_model=list[DocumentEntry])
async def case_documents(case_id: str, k: KernelDep, actor: ActorDep) -> list[DocumentEntry]:
    """Every document the case has issued, in the order its events happened."""
    return [
        DocumentEntry(
            kind=d.kind,
            seq=d.seq,
            title=d.title,
            number=d.number,
            issuer=d.issuer,
            at=d.at,
            url=document_url(case_id, d.kind, d.seq),
        )
        for d in await documents.list_documents(k, actor, case_id)
    ]


@router.get("/cases/{case_id}/documents/{kind}", tags=["documents"], response_class=HTMLResponse)
async def case_document(
    case_id: str,
    kind: str,
    k: KernelDep,
    actor: ActorDep,
    seq: Annotated[int | None, Query(ge=1, description="the issuing event; default: the latest")] = None,
) -> HTMLResponse:
    """The printable A4 page (Chinese) of the case's document of this kind."""
    html = await documents.render(k, actor, case_id, kind, seq)
    return HTMLResponse(html, headers=HEADERS)
