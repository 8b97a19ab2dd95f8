"""Verify's fast stream pass never crashes on a hostile document: whatever it cannot take on the
fast path goes to the full decoder, which names the problem."""

from __future__ import annotations

import json

import pytest

from services.audit.chain import Head
from services.audit.verify.stream_pass import check_message


@pytest.mark.parametrize("case_id", [["T01V01", "X"], {"a": 1}, 7, None])
def test_a_case_id_that_is_not_a_string_is_a_finding_not_a_crash(case_id: object) -> None:
    doc = {"case_id": case_id, "seq": 1, "hash": "a" * 64, "event_id": "e1", "prev_hash": "0" * 64}
    heads: dict[str, Head] = {}
    seen, finding = check_message(heads, 5, "case.T01V01.X", json.dumps(doc).encode(), {})
    assert finding is not None and finding.stream_seq == 5
    assert seen.case_id == "T01V01-X" and heads == {}
