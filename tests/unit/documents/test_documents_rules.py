"""What every document must carry, and the renderer's guarantees: escaped values, no external
assets, fixed numbers, and documents that later events never change."""

from __future__ import annotations

import re

import pytest

from shared.case import Applicant, RefuseCase
from shared.documents import KINDS, DocumentNotFound, list_documents, render_document
from shared.documents.formatting import date_zh, document_number, mask, rmb_upper
from tests.unit.documents.fixed_cases import (
    REF,
    WANG,
    approved_case,
    at,
    denied_case,
    refused_case,
    run,
    submit,
)

RIGHTS = "申请行政复议或者提起行政诉讼"


def all_documents() -> list[tuple[str, int, str]]:
    out = []
    for case in (approved_case(), refused_case(), denied_case()):
        for ref in list_documents(case, REF):
            out.append((ref.kind, ref.seq, render_document(case, ref.kind, REF, ref.seq)))
    return out


@pytest.mark.parametrize(
    ("fen", "text"),
    [
        (0, "零元整"),
        (30000, "叁佰元整"),
        (20050, "贰佰元伍角整"),
        (12345, "壹佰贰拾叁元肆角伍分"),
        (10005, "壹佰元零伍分"),
        (100500, "壹仟零伍元整"),
        (1050000, "壹万零伍佰元整"),
        (1000000000, "壹仟万元整"),
        (10000000100, "壹亿零壹元整"),
        (5, "伍分"),
    ],
)
def test_amounts_in_capital_numerals(fen: int, text: str) -> None:
    assert rmb_upper(fen) == text


def test_personal_numbers_are_masked_and_dates_are_china_time() -> None:
    assert mask("11010519491231002X", 6, 4) == "110105********002X"
    assert mask("13800000000", 3, 4) == "138****0000"
    assert mask(None, 3, 4) == ""
    assert date_zh(at(2, 7)) == "2026年3月2日"  # 23:00 UTC on 1 March is 2 March in China
    assert at(2, 7).day == 1


def test_document_numbers_come_from_case_number_kind_and_seq() -> None:
    assert (
        document_number("511199-20260302-T01V01-0001", "受", 6)
        == "受字〔2026〕511199-20260302-T01V01-0001-06号"
    )
    numbers = [render.split('class="docno">')[1].split("<")[0] for _, _, render in all_documents()]
    assert len(numbers) == len(set(numbers))


def test_every_document_names_case_issuer_date_and_seal() -> None:
    for kind, _, html in all_documents():
        assert "511199-20260302-T01V01-000" in html, kind
        assert re.search(r"2026年3月\d+日", html), kind
        assert "（盖章）" in html and 'class="stamp"' in html, kind
        assert 'class="issuer-mark"' in html, kind


def test_refusals_and_denials_state_the_right_of_review_and_the_others_do_not() -> None:
    for kind, seq, html in all_documents():
        denial = kind == "refusal" or "不予批准决定书</h1>" in html
        assert (RIGHTS in html) == denial, (kind, seq)


def test_documents_are_self_contained_a4_pages() -> None:
    for kind, _, html in all_documents():
        assert "@page { size: A4" in html, kind
        for external in ("<script", "<link", "src=", "url(", "http://", "https://", "@import"):
            assert external not in html, (kind, external)


def test_every_value_from_the_case_is_escaped() -> None:
    c = "T01V01-01JGOLDENESCAPE0000000"
    hostile = '<script>alert("x")</script>&'
    cmd = submit(c, "511199-20260302-T01V01-0009", {"m1", "m2", "m3"}, auto_accept=False)
    events = run(
        [
            cmd.model_copy(update={"applicant": Applicant(name=hostile)}),
            RefuseCase(case_id=c, at=at(2, 11), actor=WANG, reason=hostile, legal_basis=hostile),
        ]
    )
    html = render_document(events, "refusal", REF)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&amp;" in html


def test_later_events_never_change_an_issued_document() -> None:
    events = approved_case()
    for ref in list_documents(events, REF):
        upto = [e for e in events if e.seq <= ref.seq]
        assert render_document(upto, ref.kind, REF, ref.seq) == render_document(
            events, ref.kind, REF, ref.seq
        )


def test_the_first_notice_is_one_time_the_later_ones_are_supplement_notices() -> None:
    refs = [r for r in list_documents(approved_case(), REF) if r.kind == "notice"]
    assert [(r.seq, r.title) for r in refs] == [(2, "一次性告知书"), (4, "补正告知书")]
    latest = render_document(approved_case(), "notice", REF)
    assert "<h1>补正告知书</h1>" in latest and "告字〔2026〕511199-20260302-T01V01-0001-02号" in latest


def test_what_the_case_has_issued_in_event_order() -> None:
    assert [r.kind for r in list_documents(approved_case(), REF)] == [
        "notice",
        "notice",
        "receipt",
        "suspension",
        "extension",
        "decision",
        "fee",
        "delivery",
    ]
    assert {r.kind for r in list_documents(refused_case(), REF)} == {"refusal"}


def test_unknown_or_not_yet_issued_documents_are_refused_by_name() -> None:
    with pytest.raises(DocumentNotFound) as unknown:
        render_document(refused_case(), "passport", REF)
    assert unknown.value.code == "unknown_document"
    with pytest.raises(DocumentNotFound) as missing:
        render_document(refused_case(), "receipt", REF)
    assert missing.value.code == "document_not_issued" and "受理回执" in missing.value.message
    with pytest.raises(DocumentNotFound):
        render_document(approved_case(), "notice", REF, seq=3)
    assert set(KINDS) == {
        "receipt",
        "notice",
        "refusal",
        "suspension",
        "extension",
        "decision",
        "fee",
        "delivery",
    }


def test_materials_are_named_not_coded() -> None:
    receipt = render_document(approved_case(), "receipt", REF)
    assert "<li>申请书</li>" in receipt and "<li>补植树木或恢复绿地方案</li>" in receipt
    assert "请于2026年3月11日前补交" in receipt
    notice = render_document(approved_case(), "notice", REF, 2)
    assert "<li>申请人身份证或营业执照复印件</li>" in notice
    assert "<td>现场位置图及照片</td><td>照片模糊，无法辨认树木位置</td>" in notice
