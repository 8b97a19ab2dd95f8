"""Bad input at scale over HTTP: Schemathesis generates requests from the OpenAPI documents of
intake and the node service and sends them, authenticated, to the running services.

Whatever it sends: no 5xx, and every documented response matches its schema. (Refusals are
4xx with the one error shape; the e2e tests check their codes one by one.)
"""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.faults.conftest import LONG, ClusterSystem, auth_for

EXAMPLES = 60 if LONG else 12
CHECKS = [not_a_server_error, response_schema_conformance]
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
VILLAGE = "c01.t01.v01"


def fuzz(base_url: str, headers: dict[str, str]) -> int:
    """Every operation of the service's OpenAPI, EXAMPLES generated requests each; returns how many
    operations were exercised. (Schemathesis's pytest plugin does not load under pytest 9, so the
    strategies are driven by Hypothesis directly.)"""
    schema = schemathesis.openapi.from_url(f"{base_url}/openapi.json")
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()

        @FUZZ
        @given(case=operation.as_strategy())
        def run(case: Any) -> None:
            case.call_and_validate(base_url=base_url, headers=headers, checks=CHECKS, timeout=30)

        run()
        operations += 1
    return operations


def test_intake_answers_any_request_without_a_server_error(fault_system: ClusterSystem) -> None:
    assert fuzz(fault_system.url("intake"), auth_for(fault_system)("fuzz", VILLAGE, None)) >= 5


def test_node_answers_any_request_without_a_server_error(fault_system: ClusterSystem) -> None:
    assert fuzz(fault_system.url("node"), auth_for(fault_system)("fuzz", VILLAGE, None)) >= 10
