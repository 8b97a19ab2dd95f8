"""Canonical JSON, the envelope hash, and the per-case hash chain checked by ``apply_stored``."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from shared.case import CaseAccepted, CaseState, ClaimCase, DomainEvent, RouteCase, SubmitCase
from shared.case.chain import ChainBreak, Folded, apply_stored
from shared.case.kernel import fold
from shared.events import GENESIS_HASH, Actor, Envelope, canonical_json, seal
from shared.events.envelope import hash_of_document
from shared.eventstore import to_envelope
from tests.support.builders import (
    CASE_ID,
    MONDAY,
    ROUTING,
    TOWNSHIP,
    actor,
    applicant,
    events_of,
    item,
    seal_all,
)

# -- canonical JSON -------------------------------------------------------------------------


def test_canonical_json_sorts_keys_drops_spaces_and_keeps_chinese_readable() -> None:
    doc = {"b": 1, "a": {"d": [1, 2.5, None, True], "c": "张三"}}
    assert canonical_json(doc) == '{"a":{"c":"张三","d":[1,2.5,null,true]},"b":1}'.encode()


def test_canonical_json_does_not_depend_on_insertion_order() -> None:
    one = {"x": "社团审批", "y": {"q": 1, "p": [3, 2]}}
    two = {"y": {"p": [3, 2], "q": 1}, "x": "社团审批"}
    assert canonical_json(one) == canonical_json(two)
    assert canonical_json(one) == canonical_json(one)


def test_canonical_json_refuses_nan() -> None:
    with pytest.raises(ValueError):
        canonical_json({"x": float("nan")})


# -- the envelope hash ----------------------------------------------------------------------


def sealed() -> Envelope:
    return seal(
        Envelope(
            event_id="01JNKQ7Z8G0000000000000000-T01V01",
            type="CaseClaimed",
            schema_version=1,
            case_id=CASE_ID,
            seq=4,
            at=MONDAY,
            recorded_at=MONDAY + timedelta(milliseconds=12),
            actor=actor(TOWNSHIP, "alice"),
            correlation_id="corr-1",
            causation_id="01JNKQ7Z7Z0000000000000000-RT",
            prev_hash="a" * 64,
            payload={"operator_id": "alice", "node_id": TOWNSHIP, "note": "首问负责"},
        )
    )


def test_seal_fills_a_hash_that_the_stored_document_reproduces() -> None:
    env = sealed()
    assert len(env.hash) == 64 and int(env.hash, 16) >= 0
    assert env.hash == env.compute_hash()
    assert hash_of_document(env.model_dump(mode="json")) == env.hash
    assert hash_of_document(env.body()) == env.hash  # "hash" itself is never hashed
    assert Envelope.from_bytes(env.to_bytes()) == env
    assert env.to_bytes() == canonical_json(env.model_dump(mode="json"))


def test_sealing_is_deterministic() -> None:
    assert sealed().hash == sealed().hash


@pytest.mark.parametrize(
    "change",
    [
        {"payload": {"operator_id": "bob", "node_id": TOWNSHIP, "note": "首问负责"}},
        {"payload": {"operator_id": "alice", "node_id": TOWNSHIP, "note": "首问负责 "}},
        {"seq": 5},
        {"prev_hash": "b" * 64},
        {"prev_hash": GENESIS_HASH},
        {"actor": Actor(operator_id="alice", node_id=TOWNSHIP, role="admin")},
        {"actor": Actor(operator_id="mallory", node_id=TOWNSHIP, role="township_operator")},
        {"at": MONDAY + timedelta(seconds=1)},
        {"recorded_at": MONDAY},
        {"type": "CaseEscalated"},
        {"schema_version": 2},
        {"case_id": "T01V01-01JOTHERCASE00000000000"},
        {"event_id": "01JNKQ7Z8G0000000000000001-T01V01"},
        {"correlation_id": "corr-2"},
        {"causation_id": None},
    ],
    ids=lambda c: next(iter(c)),
)
def test_changing_any_field_changes_the_hash(change: dict[str, Any]) -> None:
    original = sealed()
    changed = original.model_copy(update=change)
    assert changed.compute_hash() != original.hash
    # A stored document changed in place (the old hash kept) no longer verifies.
    assert hash_of_document(changed.model_dump(mode="json")) != changed.hash


# -- the chain: apply_stored ----------------------------------------------------------------


def history() -> tuple[CaseState, list[DomainEvent], list[Envelope]]:
    """Submitted + accepted (one command, two events), routed, claimed: four chained envelopes."""
    state, events = events_of(
        [
            SubmitCase(
                case_id=CASE_ID,
                at=MONDAY,
                actor=actor(),
                case_number="511199-20260302-T01V01-0001",
                item=item(),
                applicant=applicant(),
                channel="village_room",
                provided=frozenset({"m1", "m2", "m3"}),
            ),
            RouteCase(case_id=CASE_ID, at=MONDAY, actor=ROUTING, to_node=TOWNSHIP, cause_event_id="ev-2"),
            ClaimCase(case_id=CASE_ID, at=MONDAY, actor=actor(TOWNSHIP, "alice")),
        ]
    )
    return state, events, seal_all(events)


def replay(events: list[DomainEvent], envelopes: list[Envelope]) -> Folded:
    state: CaseState | None = None
    last = GENESIS_HASH
    folded: Folded | None = None
    for env, ev in zip(envelopes, events, strict=True):
        folded = apply_stored(state, last, env, ev)
        state, last = folded.state, folded.last_hash
    assert folded is not None
    return folded


def chain_break(events: list[DomainEvent], envelopes: list[Envelope]) -> ChainBreak:
    with pytest.raises(ChainBreak) as info:
        replay(events, envelopes)
    return info.value


def test_an_intact_chain_replays_to_the_folded_state() -> None:
    state, events, envs = history()
    assert [e.seq for e in envs] == [1, 2, 3, 4]
    assert envs[0].prev_hash == GENESIS_HASH
    assert all(envs[i].prev_hash == envs[i - 1].hash for i in range(1, len(envs)))
    folded = replay(events, envs)
    assert folded.state == state == fold(None, events)
    assert folded.last_hash == envs[-1].hash


def test_a_skipped_event_is_a_bad_seq() -> None:
    _, events, envs = history()
    err = chain_break(events[:2] + events[3:], envs[:2] + envs[3:])
    assert err.code == "bad_seq"
    assert envs[3].event_id in err.reason


def test_a_replayed_duplicate_is_a_bad_seq() -> None:
    _, events, envs = history()
    assert chain_break([*events[:3], events[2]], [*envs[:3], envs[2]]).code == "bad_seq"


def test_reordered_events_are_a_bad_seq() -> None:
    _, events, envs = history()
    order = [0, 2, 1, 3]
    assert chain_break([events[i] for i in order], [envs[i] for i in order]).code == "bad_seq"


def test_a_renumbered_event_with_a_wrong_seq_is_refused() -> None:
    _, events, envs = history()
    forged = seal(envs[2].model_copy(update={"seq": 7}))
    assert chain_break(events[:3], [*envs[:2], forged]).code == "bad_seq"


def test_a_wrong_prev_hash_is_refused() -> None:
    _, events, envs = history()
    forged = seal(envs[2].model_copy(update={"prev_hash": "f" * 64}))
    err = chain_break(events, [*envs[:2], forged, envs[3]])
    assert err.code == "bad_prev_hash"
    assert forged.event_id in err.reason


def test_a_first_event_that_does_not_start_from_genesis_is_refused() -> None:
    _, events, envs = history()
    forged = seal(envs[0].model_copy(update={"prev_hash": envs[3].hash}))
    assert chain_break(events[:1], [forged]).code == "bad_prev_hash"


def test_a_forged_predecessor_breaks_its_successor() -> None:
    # The second event rewritten and resealed: its own hash is valid, but the third no longer chains.
    _, events, envs = history()
    forged = seal(envs[1].model_copy(update={"recorded_at": envs[1].recorded_at + timedelta(days=1)}))
    assert chain_break(events, [envs[0], forged, *envs[2:]]).code == "bad_prev_hash"


def test_an_event_that_cannot_apply_is_a_bad_transition() -> None:
    # A case cannot begin with its acceptance: there is nothing to accept.
    ev = DomainEvent(CASE_ID, CaseAccepted(deadline=MONDAY.date()), MONDAY, actor())
    env = to_envelope(
        ev,
        event_id="01JNKQ7Z8G0000000000000002-T01V01",
        seq=1,
        prev_hash=GENESIS_HASH,
        recorded_at=MONDAY,
        correlation_id="corr",
        causation_id=None,
    )
    with pytest.raises(ChainBreak) as info:
        apply_stored(None, GENESIS_HASH, env, ev)
    assert info.value.code == "bad_transition"
    assert env.event_id in info.value.reason
