"""Printable documents (文书) rendered from a case's events: pure, no clock, no I/O.

``list_documents(events, ref)`` names what the case has issued; ``render_document(events, kind,
ref, seq)`` gives one as a self-contained A4 HTML page in Chinese (print CSS inline, no external
assets, every value escaped). See docs/documents.md.
"""

from shared.documents.history import Recorded, Step, replay
from shared.documents.kinds import KINDS
from shared.documents.parties import Reference
from shared.documents.render import DocumentNotFound, DocumentRef, list_documents, render_document

__all__ = [
    "KINDS",
    "DocumentNotFound",
    "DocumentRef",
    "Recorded",
    "Reference",
    "Step",
    "list_documents",
    "render_document",
    "replay",
]
