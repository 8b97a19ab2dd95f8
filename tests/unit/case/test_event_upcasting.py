"""Reading old events: a stored CaseSubmitted v1 is verified as stored, then upcast to v2 on read.

The fixture ``tests/fixtures/events/CaseSubmitted.v1.json`` is a stored fact, byte for byte as the
event store kept it. Its hash was computed once when the fixture was written and is hard-coded
below: never regenerate it here, or the test would prove nothing about old data.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from shared.case import CaseSubmitted, Status
from shared.case.chain import apply_stored
from shared.case.kernel import Command, evolve, registered_commands, registered_events
from shared.events import GENESIS_HASH, REGISTRY, EventPayload, EventRegistry, canonical_json
from shared.events.envelope import hash_of_document
from shared.eventstore import DecodeError, case_subject, decode_message

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "events" / "CaseSubmitted.v1.json"
FIXTURE_HASH = "63bc10fc29a542a71bc1fb9c2329098b4ddd1d8121752682d6601612020ae7f4"
CASE_ID = "01JWSPHQE0041061050R3GG28A"
SUBJECT = case_subject("T01V01", CASE_ID)


def fixture_bytes() -> bytes:
    return FIXTURE.read_bytes()


def fixture_doc() -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(fixture_bytes())
    return doc


def resealed(doc: dict[str, Any]) -> bytes:
    """A document as a writer would store it: with a hash that matches its (changed) content."""
    doc["hash"] = hash_of_document(doc)
    return canonical_json(doc)


def decode_error(data: bytes) -> DecodeError:
    with pytest.raises(DecodeError) as info:
        decode_message(1, SUBJECT, data, {})
    return info.value


# -- the fixture itself ---------------------------------------------------------------------


def test_the_fixture_is_a_v1_document_stored_as_canonical_json() -> None:
    data = fixture_bytes()
    doc = fixture_doc()
    assert canonical_json(doc) == data
    assert doc["type"] == "CaseSubmitted"
    assert doc["schema_version"] == 1
    assert doc["seq"] == 1
    assert doc["causation_id"] is None
    assert doc["prev_hash"] == "0" * 64 == GENESIS_HASH
    assert doc["hash"] == FIXTURE_HASH
    assert {"applicant_name", "applicant_id_number"} <= doc["payload"].keys()
    assert "applicant" not in doc["payload"] and "channel" not in doc["payload"]


def test_the_fixture_hash_still_verifies() -> None:
    assert hash_of_document(fixture_doc()) == FIXTURE_HASH


# -- decoding and upcasting -----------------------------------------------------------------


def test_the_v1_event_decodes_to_the_current_payload() -> None:
    stored = decode_message(7, SUBJECT, fixture_bytes(), {"Nats-Msg-Id": "x"})
    assert stored.stream_seq == 7 and stored.subject == SUBJECT
    assert stored.envelope.hash == FIXTURE_HASH
    assert stored.envelope.schema_version == 1  # the envelope is kept as stored
    payload = stored.payload
    assert isinstance(payload, CaseSubmitted)
    assert CaseSubmitted.VERSION == 2
    assert payload.applicant.name == "李秀英"
    assert payload.applicant.id_number == "51012219950417002X"  # normalised by the current model
    assert payload.channel == "village_room"
    assert payload.case_number == "511199-20250603-T01V01-0007"
    assert payload.item.code == "WJ-001"
    assert payload.provided == ("m1", "m2", "m3")


def test_upcasting_on_read_leaves_the_stored_envelope_untouched() -> None:
    stored = decode_message(1, SUBJECT, fixture_bytes(), {})
    assert "applicant_name" in stored.envelope.payload
    assert "channel" not in stored.envelope.payload
    assert stored.envelope.compute_hash() == FIXTURE_HASH
    assert stored.envelope.to_bytes() == fixture_bytes()
    again = decode_message(1, SUBJECT, fixture_bytes(), {})
    assert again.payload == stored.payload


def test_evolving_the_upcast_event_gives_a_submitted_case() -> None:
    stored = decode_message(1, SUBJECT, fixture_bytes(), {})
    state = evolve(None, stored.domain())
    assert state.status == Status.SUBMITTED
    assert state.case_id == CASE_ID
    assert state.channel == "village_room"
    assert state.applicant.name == "李秀英"
    assert state.origin_node == state.holder == "c01.t01.v01"
    assert state.provided == {"m1", "m2", "m3"}
    assert state.version == 1
    folded = apply_stored(None, GENESIS_HASH, stored.envelope, stored.domain())
    assert folded.state == state
    assert folded.last_hash == FIXTURE_HASH


# -- what decoding refuses ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (b"-0007", b"-0008"),  # the case number
        (b'"promised_days":0', b'"promised_days":5'),
        (b'"m1","m2","m3"]', b'"m1","m2","m4"]'),
        (b'"fee_fen":0', b'"fee_fen":9'),
        (b'"tier":"township"', b'"tier":"townshiq"'),  # caught before the payload is even validated
    ],
)
def test_changing_one_byte_of_the_payload_breaks_the_hash(old: bytes, new: bytes) -> None:
    data = fixture_bytes()
    assert data.count(old) == 1
    changed = data.replace(old, new)
    assert sum(a != b for a, b in zip(data, changed, strict=True)) == 1
    assert decode_error(changed).code == "bad_hash"


def test_a_changed_applicant_name_breaks_the_hash() -> None:
    changed = fixture_bytes().replace("李秀英".encode(), "李秀芳".encode())
    assert decode_error(changed).code == "bad_hash"


def test_an_unknown_type_is_refused() -> None:
    doc = fixture_doc()
    doc["type"] = "CaseTeleported"
    err = decode_error(resealed(doc))
    assert err.code == "unknown_type"
    assert "CaseTeleported" in err.reason


def test_a_schema_version_newer_than_this_reader_is_refused() -> None:
    doc = fixture_doc()
    doc["schema_version"] = 3
    assert decode_error(resealed(doc)).code == "unsupported_version"


def test_schema_version_zero_is_not_a_valid_envelope() -> None:
    doc = fixture_doc()
    doc["schema_version"] = 0
    assert decode_error(resealed(doc)).code == "bad_envelope"


def test_a_v1_payload_without_the_applicant_name_is_a_bad_payload() -> None:
    doc = fixture_doc()
    del doc["payload"]["applicant_name"]
    assert decode_error(resealed(doc)).code == "bad_payload"


def test_a_v2_event_with_the_v1_shape_is_a_bad_payload() -> None:
    doc = fixture_doc()
    doc["schema_version"] = 2  # claims the current shape but carries the old one
    assert decode_error(resealed(doc)).code == "bad_payload"


def test_bytes_that_are_not_json_are_refused() -> None:
    assert decode_error(b"\xff\xfe not json").code == "not_json"


# -- the registry ---------------------------------------------------------------------------


def test_a_registry_rejects_a_second_class_for_the_same_type_name() -> None:
    registry = EventRegistry()

    class First(EventPayload):
        TYPE = "Something"

    class Second(EventPayload):
        TYPE = "Something"

    registry.register(First)
    registry.register(First)  # the same class again is harmless (module re-import)
    with pytest.raises(ValueError, match="registered twice"):
        registry.register(Second)
    assert registry.payload_class("Something") is First


def test_the_global_registry_keeps_the_real_case_submitted() -> None:
    class Impostor(EventPayload):
        TYPE = "CaseSubmitted"

    with pytest.raises(ValueError, match="registered twice"):
        REGISTRY.register(Impostor)
    assert REGISTRY.payload_class("CaseSubmitted") is CaseSubmitted


def test_a_registry_rejects_a_second_upcaster_for_the_same_step() -> None:
    with pytest.raises(ValueError, match="registered twice"):
        REGISTRY.add_upcaster("CaseSubmitted", 1, lambda d: d)


# -- completeness: adding an event or a command without its handler fails the suite ---------


def _subclasses(cls: type) -> set[type]:
    found: set[type] = set()
    sub: type
    for sub in cls.__subclasses__():
        found |= {sub} | _subclasses(sub)
    return found


def test_every_registered_event_type_has_an_evolver() -> None:
    with_evolver = set(registered_events())
    missing = sorted(name for name, cls in REGISTRY.types().items() if cls not in with_evolver)
    assert missing == [], f"event types without an evolver: {missing}"
    assert with_evolver <= set(REGISTRY.types().values()), "an evolver for an unregistered event type"


def test_every_command_class_has_a_decider() -> None:
    commands = {c for c in _subclasses(Command) if c.__module__.startswith("shared.")}
    assert len(commands) >= 14
    missing = sorted(c.__name__ for c in commands - set(registered_commands()))
    assert missing == [], f"commands without a decider: {missing}"


def test_every_event_type_name_is_stable_and_unique() -> None:
    for name, cls in REGISTRY.types().items():
        assert cls.TYPE == name
        assert "." not in name, "a type name is a stable name, never a module path"
        assert cls.VERSION >= 1
