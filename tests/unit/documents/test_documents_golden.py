"""One golden file per document: the rendered HTML of a fixed case, compared byte for byte.

A change to a template or to what a document says shows up here as a diff to review. To accept
one on purpose, regenerate and commit the files:

    LIANDONG_UPDATE_GOLDENS=1 .venv/bin/pytest tests/unit/documents

Regeneration is refused when CI=true: CI only ever compares.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from shared.documents import Recorded, render_document
from tests.unit.documents.fixed_cases import REF, approved_case, denied_case, refused_case

GOLDEN_DIR = Path(__file__).resolve().parents[2] / "golden" / "documents"
UPDATE = os.environ.get("LIANDONG_UPDATE_GOLDENS") == "1"

GOLDENS: dict[str, tuple[Callable[[], list[Recorded]], str, int]] = {
    "notice": (approved_case, "notice", 2),  # 一次性告知书: missing and defective materials
    "notice-supplement": (approved_case, "notice", 4),  # 补正告知书: within the first notice
    "receipt": (approved_case, "receipt", 6),  # 受理回执 with a tolerated gap and a proxy
    "refusal": (refused_case, "refusal", 2),
    "suspension": (approved_case, "suspension", 9),
    "extension": (approved_case, "extension", 12),
    "decision-approved": (approved_case, "decision", 13),
    "decision-denied": (denied_case, "decision", 5),
    "fee": (approved_case, "fee", 14),
    "delivery": (approved_case, "delivery", 19),
}


@pytest.mark.parametrize("name", sorted(GOLDENS))
def test_document_matches_its_golden_file(name: str) -> None:
    case, kind, seq = GOLDENS[name]
    rendered = render_document(case(), kind, REF, seq).encode("utf-8")
    path = GOLDEN_DIR / f"{name}.html"
    if UPDATE:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("goldens are never regenerated in CI")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(rendered)
    assert path.exists(), f"no golden file {path}; regenerate with LIANDONG_UPDATE_GOLDENS=1"
    assert rendered == path.read_bytes(), (
        f"{name} differs from {path}; if the change is intended, regenerate with LIANDONG_UPDATE_GOLDENS=1"
    )


def test_every_document_kind_has_a_golden() -> None:
    from shared.documents import KINDS

    assert {kind for _, kind, _ in GOLDENS.values()} == set(KINDS)
